package ipynb

import (
	"bytes"
	"html"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/dlnb/dlnb/kernel/ipynb/mathml"
)

// TeX formulas in Markdown cells, as Jupyter writes them:
//
//   - $$…$$ and \[…\] are display formulas, each on a line of its own;
//   - $…$ and \(…\) are formulas in the line of text.
//
// The Markdown parser takes a formula whole, before it looks for emphasis
// or backslash escapes, so that x_1 and \, reach TeX as written; it leaves
// code spans and code blocks alone. The page shows each formula as MathML
// (package mathml); one that TeX cannot read shows its source in a <code>,
// next to the error.
//
// A lone dollar sign stays text. The rule, Pandoc's with one more check:
// a $ opens a formula only if the next $ (one not escaped as \$) closes
// it, and that pair holds a formula only if the opening $ has no space
// after it, the closing $ no space before it and no digit after it. So
// "costs $5 and $10", "$5, or $x$" and "from $3 to $4" keep their dollars
// (the last one gives $x$ as a formula), while "$0.3^2 = 0.09$" is one
// formula. Write \$ for a dollar sign that these rules would take.
//
// A formula may run over several lines of one paragraph; a blank line ends
// it. Its lines are not parsed as Markdown, but a line of a formula that
// starts a Markdown block of its own (such as "- x" or "# x" at the start
// of the line) ends the paragraph: write such a formula on one line.

// mathNode is a TeX formula in Markdown.
type mathNode struct {
	ast.BaseInline
	tex     string
	display bool
}

var kindMath = ast.NewNodeKind("Math")

func (n *mathNode) Kind() ast.NodeKind { return kindMath }

func (n *mathNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"TeX": n.tex}, nil)
}

// mathParser finds the formulas in a paragraph.
type mathParser struct{}

func (mathParser) Trigger() []byte { return []byte{'$', '\\'} }

// Parse reads the formula that opens at the reader's position, or returns
// nil if there is none, which leaves the character to the other parsers.
func (mathParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	var open, close string
	display := false
	switch {
	case bytes.HasPrefix(line, []byte("$$")):
		open, close, display = "$$", "$$", true
	case bytes.HasPrefix(line, []byte("$")):
		if len(line) < 2 || isSpace(line[1]) {
			return nil
		}
		open, close = "$", "$"
	case bytes.HasPrefix(line, []byte(`\(`)):
		open, close = `\(`, `\)`
	case bytes.HasPrefix(line, []byte(`\[`)):
		open, close, display = `\[`, `\]`, true
	default:
		return nil
	}
	l, pos := block.Position()
	block.Advance(len(open))
	var tex []byte
	for {
		line, _ := block.PeekLine()
		if line == nil { // no closer in this paragraph
			block.SetPosition(l, pos)
			if open == "$$" {
				// Both dollars are text; otherwise the second would open
				// a formula of its own.
				block.Advance(2)
				return ast.NewTextSegment(seg.WithStop(seg.Start + 2))
			}
			return nil
		}
		i := closerIndex(line, close)
		if i < 0 {
			tex = append(tex, line...)
			block.AdvanceLine()
			continue
		}
		tex = append(tex, line[:i]...)
		after := line[i+len(close):]
		// The opening $ has no space after it (checked above); tex is not
		// empty, since that character is in it.
		if open == "$" && (isSpace(tex[len(tex)-1]) || len(after) > 0 && after[0] >= '0' && after[0] <= '9') {
			block.SetPosition(l, pos)
			return nil // a lone dollar sign: "$5 and $10"
		}
		block.Advance(i + len(close))
		break
	}
	if len(bytes.TrimSpace(tex)) == 0 {
		block.SetPosition(l, pos)
		if open == "$$" {
			block.Advance(2)
			return ast.NewTextSegment(seg.WithStop(seg.Start + 2))
		}
		return nil
	}
	return &mathNode{tex: string(bytes.TrimSpace(tex)), display: display}
}

// closerIndex returns the index in line of the first close that is not
// escaped by a backslash, or -1.
func closerIndex(line []byte, close string) int {
	for i := 0; i+len(close) <= len(line); i++ {
		if line[i] == '\\' && close[0] != '\\' {
			i++ // \$ and \\ are not closers, nor the start of one
			continue
		}
		if bytes.HasPrefix(line[i:], []byte(close)) {
			return i
		}
		if line[i] == '\\' {
			i++ // \\) is a TeX line break and a ), not \)
		}
	}
	return -1
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// mathRenderer writes formulas as MathML and counts them.
type mathRenderer struct {
	count *int // formulas written on the page, errors included
}

func (r mathRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindMath, r.render)
}

func (r mathRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*mathNode)
	*r.count++
	m, err := mathml.Convert(n.tex, n.display)
	if err != nil {
		delim := "$"
		if n.display {
			delim = "$$"
		}
		w.WriteString(`<span class="math-error"><code>` + html.EscapeString(delim+n.tex+delim) + `</code> <small>` +
			html.EscapeString(err.Error()) + `</small></span>`)
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(m)
	return ast.WalkSkipChildren, nil
}

// mathExtension adds the formulas to a goldmark Markdown; count receives
// how many it writes.
type mathExtension struct{ count *int }

func (e mathExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(mathParser{}, 50)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(mathRenderer{e.count}, 50)))
}
