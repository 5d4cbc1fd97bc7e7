package ipynb

import (
	"html"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// Syntax highlighting of code cells, with chroma: spans with classes, and
// one style sheet (chroma's "github" style) in the page.

var (
	codeStyle     = styles.Get("github")
	codeFormatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))
)

// codeCSS is the style sheet of the highlighted code.
var codeCSS = sync.OnceValue(func() string {
	var b strings.Builder
	if err := codeFormatter.WriteCSS(&b, codeStyle); err != nil {
		panic("ipynb: chroma cannot write its style sheet: " + err.Error()) // a bug: it writes to memory
	}
	return b.String()
})

// highlight returns the HTML of the source of a code cell in language
// lang, its tokens in spans with chroma's classes, and reports whether it
// has any. Source in a language that chroma does not know is only escaped.
//
// For Go (GoNB) cells, the lines of GoNB's own commands, such as %% or
// !*go mod tidy, are marked as one preprocessor token each, and chroma's
// error tokens (a character Go does not have) show as plain text.
func highlight(source, lang string) (string, bool) {
	lexer := lexers.Get(lang)
	if lexer == nil || lang == "" {
		return html.EscapeString(source), false
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, source)
	if err != nil {
		return html.EscapeString(source), false
	}
	var tokens []chroma.Token
	for _, line := range chroma.SplitTokensIntoLines(it.Tokens()) {
		if lang == "go" && isGoNBCommand(line) {
			var text strings.Builder
			for _, t := range line {
				text.WriteString(t.Value)
			}
			s := text.String()
			body := strings.TrimRight(s, "\n")
			tokens = append(tokens, chroma.Token{Type: chroma.CommentPreproc, Value: body})
			if len(body) < len(s) {
				tokens = append(tokens, chroma.Token{Type: chroma.Text, Value: s[len(body):]})
			}
			continue
		}
		for _, t := range line {
			if t.Type == chroma.Error {
				t.Type = chroma.Text
			}
			tokens = append(tokens, t)
		}
	}
	var b strings.Builder
	if err := codeFormatter.Format(&b, codeStyle, chroma.Literator(tokens...)); err != nil {
		return html.EscapeString(source), false
	}
	return b.String(), true
}

// isGoNBCommand reports whether a line of tokens of a Go cell is one of
// GoNB's commands: a line whose first character, after spaces, is % or !,
// outside a string or a comment (where Go has neither at the start).
func isGoNBCommand(line []chroma.Token) bool {
	for _, t := range line {
		v := strings.TrimLeft(t.Value, " \t")
		if v == "" {
			continue
		}
		return (v[0] == '%' || v[0] == '!') && !t.Type.InCategory(chroma.Literal) && !t.Type.InCategory(chroma.Comment)
	}
	return false
}
