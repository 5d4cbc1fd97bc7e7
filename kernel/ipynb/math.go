package ipynb

import (
	"bytes"
	"fmt"
	"html"
	"strings"

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
// A display formula over several lines opens with $$ or \[ at the start
// of a line, and ends at the first line that ends with $$ or \]; its lines
// are not Markdown, whatever they start with (like a fenced code block).
// One that a blank line or the end of the cell reaches first is not a
// formula: its lines show as text. An inline formula may run over several
// lines of one paragraph.

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

// mathBlock is a display formula over several lines: its lines are the
// TeX, without the delimiters.
type mathBlock struct {
	ast.BaseBlock
	open, close string
	start       int  // where open is in the source
	closed      bool // false if the cell ended first
}

var kindMathBlock = ast.NewNodeKind("MathBlock")

func (n *mathBlock) Kind() ast.NodeKind { return kindMathBlock }
func (n *mathBlock) IsRaw() bool        { return true }

func (n *mathBlock) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Open": n.open, "Closed": fmt.Sprint(n.closed)}, nil)
}

// mathBlockParser finds the display formulas whose $$ or \[ opens a line
// and that do not close on it (mathParser takes those).
type mathBlockParser struct{}

func (mathBlockParser) Trigger() []byte { return []byte{'$', '\\'} }

func (mathBlockParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 {
		return nil, parser.NoChildren
	}
	var n *mathBlock
	switch rest := line[pos:]; {
	case bytes.HasPrefix(rest, []byte("$$")):
		n = &mathBlock{open: "$$", close: "$$", start: seg.Start + pos}
	case bytes.HasPrefix(rest, []byte(`\[`)):
		n = &mathBlock{open: `\[`, close: `\]`, start: seg.Start + pos}
	default:
		return nil, parser.NoChildren
	}
	start := pos + len(n.open)
	if closerIndex(line[start:], n.close) >= 0 {
		return nil, parser.NoChildren // one line: an inline node in a paragraph
	}
	if !util.IsBlank(line[start:]) {
		n.Lines().Append(text.NewSegment(seg.Start+start, seg.Stop))
	}
	reader.AdvanceToEOL()
	return n, parser.NoChildren
}

func (mathBlockParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	n := node.(*mathBlock)
	line, seg := reader.PeekLine()
	if util.IsBlank(line) {
		return parser.Close // TeX has no blank line in a formula: this one is not closed
	}
	body := bytes.TrimRight(line, " \t\r\n")
	if bytes.HasSuffix(body, []byte(n.close)) && closerIndex(body, n.close) == len(body)-len(n.close) {
		if last := len(body) - len(n.close); last > 0 {
			n.Lines().Append(text.NewSegment(seg.Start, seg.Start+last))
		}
		n.closed = true
		reader.AdvanceToEOL()
		return parser.Close
	}
	n.Lines().Append(seg)
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

func (mathBlockParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}
func (mathBlockParser) CanInterruptParagraph() bool                                { return true }
func (mathBlockParser) CanAcceptIndentedLine() bool                                { return false }

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
	reg.Register(kindMathBlock, r.renderBlock)
}

func (r mathRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		n := node.(*mathNode)
		delim := "$"
		if n.display {
			delim = "$$"
		}
		r.write(w, n.tex, n.display, delim, delim)
	}
	return ast.WalkSkipChildren, nil
}

func (r mathRenderer) renderBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*mathBlock)
	var tex bytes.Buffer
	for i := range n.Lines().Len() {
		seg := n.Lines().At(i)
		tex.Write(seg.Value(source))
	}
	src := strings.TrimSpace(tex.String())
	switch {
	case !n.closed: // the source as it is, from the opener on
		end := n.start + len(n.open)
		if l := n.Lines().Len(); l > 0 {
			end = n.Lines().At(l - 1).Stop
		}
		w.WriteString("<p>" + html.EscapeString(strings.TrimSpace(string(source[n.start:end]))) + "</p>\n")
	case src == "":
		w.WriteString("<p>" + html.EscapeString(n.open+n.close) + "</p>\n")
	default:
		w.WriteString("<p>")
		r.write(w, src, true, n.open, n.close)
		w.WriteString("</p>\n")
	}
	return ast.WalkSkipChildren, nil
}

// write writes the MathML of tex, or its source between open and close
// and the error if TeX cannot read it.
func (r mathRenderer) write(w util.BufWriter, tex string, display bool, open, close string) {
	*r.count++
	m, err := mathml.Convert(tex, display)
	if err != nil {
		w.WriteString(`<span class="math-error"><code>` + html.EscapeString(open+tex+close) + `</code> <small>` +
			html.EscapeString(err.Error()) + `</small></span>`)
		return
	}
	w.WriteString(m)
}

// mathExtension adds the formulas to a goldmark Markdown; count receives
// how many it writes.
type mathExtension struct{ count *int }

func (e mathExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(util.Prioritized(mathBlockParser{}, 50)),
		parser.WithInlineParsers(util.Prioritized(mathParser{}, 50)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(mathRenderer{e.count}, 50)))
}
