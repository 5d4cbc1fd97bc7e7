package ipynb

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// markdownPage renders one Markdown cell and returns what is inside <main>.
func markdownPage(t *testing.T, src string) string {
	t.Helper()
	page := renderHTML(t, &Notebook{Cells: []*Cell{{CellType: "markdown", Source: src}}}, "t")
	main := page[strings.Index(page, "<main>"):strings.Index(page, "</main>")]
	return strings.TrimSpace(strings.TrimPrefix(main, "<main>"))
}

func TestWriteHTMLMath(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // in the page
		bad       []string // not in the page
		formulas  int      // <math elements
	}{
		{"inline", `The perceptron: $y = \mathrm{step}(w \cdot x + b)$.`,
			[]string{`The perceptron: <math><semantics>`, `<mo>⋅</mo>`, `</math>.`}, []string{"$"}, 1},
		{"display", "the mean:\n\n$$L(w, b) = \\frac{1}{n}\\sum_i (w x_i + b - y_i)^2$$\n\nand",
			[]string{`<p><math display="block" class="tml-display"`, `<mfrac>`}, []string{"$"}, 1},
		// Markdown would take \, for an escaped comma and _ for emphasis.
		{"backslash and underscores", `$w \leftarrow w + (y - \hat y)\,x$ and $x_1 w_1 + x_2 w_2$`,
			[]string{`<mspace width="0.1667em"></mspace>`, `<msub><mi>x</mi><mn>1</mn></msub>`}, []string{"<em>", "$"}, 2},
		{"parentheses and brackets", `\(a\,b\) and \[c\]`,
			[]string{`<math><semantics><mrow><mi>a</mi><mspace`, `<math display="block"`}, []string{`\(`, `\[`}, 2},
		{"a digit at the start", `an error of $0.3^2 = 0.09$ on new points`,
			[]string{`an error of <math>`, `<mn>0.09</mn>`, `</math> on new points`}, []string{"$"}, 1},
		{"over two lines", "$a +\nb$", []string{`<mi>a</mi><mo>+</mo><mi>b</mi>`}, []string{"$"}, 1},
		{"emphasis around", `*see $a*b$*`, []string{`<em>see <math>`, `<mo>∗</mo>`, `</math></em>`}, nil, 1},
		// Dollar signs that are not formulas stay as they are.
		{"prices", `costs $5 and $10, or $20.`, []string{`costs $5 and $10, or $20.`}, nil, 0},
		{"a price, then a formula", `$5, or $x$`, []string{`$5, or <math>`, `<mi>x</mi>`}, nil, 1},
		{"space inside", `$ x $ and $x $`, []string{`$ x $ and $x $`}, nil, 0},
		{"digit after", `$x$5`, []string{`$x$5`}, nil, 0},
		{"escaped", `\$x\$ and \\(y\\)`, []string{`$x$ and \(y\)`}, nil, 0},
		{"unclosed display", `$$x and $y`, []string{`<p>$$x and $y</p>`}, nil, 0},
		{"unclosed display block", "$$\nx and $y\n\nnext", []string{"<p>$$\nx and $y</p>\n<p>next</p>"}, nil, 0},
		// A display formula over several lines is not Markdown inside.
		{"display block", "so:\n$$\n\\begin{aligned}\na &= b \\\\\n- c &= d\n\\end{aligned}\n$$\nthen",
			[]string{"<p>so:</p>\n<p><math display=\"block\"", `<mtable`, "</math></p>\n<p>then</p>"}, []string{"<li>", "$"}, 1},
		{"display block, text on its lines", "$$x +\n y$$", []string{`<mi>x</mi><mo>+</mo><mi>y</mi>`}, []string{"$"}, 1},
		{"display block in brackets", "\\[\n\\sum_i x_i\n\\]", []string{`<math display="block"`, `<munder>`}, []string{`\[`, `\]`}, 1},
		{"display block in a list", "- item\n\n  $$\n  x\n  $$", []string{"<li>", `<math display="block"`}, []string{"$"}, 1},
		{"display block error", "$$\n\\frac{1}{\n$$", []string{`<p><span class="math-error"><code>$$\frac{1}{$$</code>`}, nil, 0},
		{"empty", `$$ $$ and $ $`, []string{`$$ $$ and $ $`}, nil, 0},
		{"empty display", `a $$$$ b`, []string{`a $$$$ b`}, nil, 0},
		{"code span", "`$x$` and `\\(y\\)`", []string{`<code>$x$</code> and <code>\(y\)</code>`}, nil, 0},
		{"fenced code", "```\n$x$\n```", []string{"<pre><code>$x$\n</code></pre>"}, nil, 0},
		{"escaped dollar inside", `$\$5 + x$`, []string{`<mi>$</mi><mn>5</mn>`}, nil, 1},
		// A formula that TeX cannot read shows its source and the error.
		{"error", `before $\frac{1}{$ after`,
			[]string{`before <span class="math-error"><code>$\frac{1}{$</code> <small>mathml: ` + "`" + `\frac{1}{` + "`" + `: `, `</small></span> after`},
			[]string{"<math"}, 0},
	}
	for _, tt := range tests {
		got := markdownPage(t, tt.src)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q gives\n%s\nwhich lacks %q", tt.name, tt.src, got, w)
			}
		}
		// The MathML keeps the source in an <annotation>; look outside it.
		text := annotation.ReplaceAllString(got, "")
		for _, b := range tt.bad {
			if strings.Contains(text, b) {
				t.Errorf("%s: %q gives\n%s\nwhich has %q", tt.name, tt.src, got, b)
			}
		}
		if n := strings.Count(got, "<math"); n != tt.formulas {
			t.Errorf("%s: %q gives %d formulas, want %d:\n%s", tt.name, tt.src, n, tt.formulas, got)
		}
	}
}

var (
	annotation = regexp.MustCompile(`<annotation encoding="application/x-tex">[^<]*</annotation>`)
	codeOrPre  = regexp.MustCompile(`(?s)<code[ >].*?</code>|<pre[ >].*?</pre>`)
)

// TestWriteHTMLMathStyle checks that a page with formulas carries Temml's
// style sheet, and one without does not.
func TestWriteHTMLMathStyle(t *testing.T) {
	with := renderHTML(t, &Notebook{Cells: []*Cell{{CellType: "markdown", Source: "$x$"}}}, "t")
	without := renderHTML(t, &Notebook{Cells: []*Cell{{CellType: "markdown", Source: "costs $5"}}}, "t")
	if !strings.Contains(with, "math.tml-display") {
		t.Error("a page with a formula lacks Temml's style sheet")
	}
	if strings.Contains(without, "math.tml-display") {
		t.Error("a page without formulas has Temml's style sheet")
	}
	for _, page := range []string{with, without} {
		if strings.Contains(page, "@font-face") || strings.Contains(page, "<script") {
			t.Error("a page loads a font or runs a script")
		}
	}
}

// TestCourseMath renders the course's notebooks and checks that every
// formula became MathML: no formula fails, and no $ is left in the text
// of Markdown outside code.
func TestCourseMath(t *testing.T) {
	paths, _ := filepath.Glob("../../notebooks/*.ipynb")
	if len(paths) == 0 {
		t.Skip("no notebooks in ../../notebooks")
	}
	total := 0
	for _, p := range paths {
		nb, err := ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var md []*Cell
		for _, c := range nb.Cells {
			if c.CellType == markdownCell {
				md = append(md, c)
			}
		}
		page := renderHTML(t, &Notebook{Cells: md}, p)
		body := page[strings.Index(page, "<main>"):]
		if i := strings.Index(body, `class="math-error"`); i >= 0 {
			t.Errorf("%s: a formula fails: %.300s", filepath.Base(p), body[i:])
		}
		text := codeOrPre.ReplaceAllString(annotation.ReplaceAllString(body, ""), "")
		if i := strings.Index(text, "$"); i >= 0 {
			t.Errorf("%s: a $ is left in the text: …%s…", filepath.Base(p), text[max(i-80, 0):min(i+80, len(text))])
		}
		total += strings.Count(body, "<math")
	}
	t.Logf("%d notebooks, %d formulas", len(paths), total)
	if total < 100 {
		t.Errorf("only %d formulas in the course; the notebooks have hundreds", total)
	}
}

func TestHeading(t *testing.T) {
	tests := []struct{ src, want string }{
		{"# 01 · The perceptron: $y = wx$\n\ntext", "01 · The perceptron: $y = wx$"},
		{"intro\n\n## Second level ##\n", "Second level"},
		{"```\n# not a heading\n```\n# Real", "Real"},
		{"#hashtag\n    # indented code\n#\n# C# #", "C#"},
		{"no heading at all", ""},
	}
	for _, tt := range tests {
		nb := &Notebook{Cells: []*Cell{{CellType: "code", Source: "# a comment"}, nil, {CellType: "markdown", Source: tt.src}}}
		if got := nb.Heading(); got != tt.want {
			t.Errorf("Heading of %q = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestWriteHTMLPageNav(t *testing.T) {
	nb := &Notebook{Cells: []*Cell{{CellType: "markdown", Source: "# Two"}}}
	var b strings.Builder
	err := WriteHTMLPage(&b, nb, &Page{
		Title: "02_two",
		Prev:  Link{Href: "01_one.html", Text: "01 · One: $y = wx$"},
		Next:  Link{Href: "03 three.html", Text: "03 · <Three>"},
		Index: Link{Href: "index.html", Text: "Course"},
	})
	if err != nil {
		t.Fatal(err)
	}
	page := b.String()
	nav := `<nav><a class="prev" href="01_one.html">← 01 · One: <math>`
	if strings.Count(page, nav) != 2 {
		t.Errorf("the page should have the links above and below the cells, starting %q:\n%s", nav, page)
	}
	for _, want := range []string{
		`<a class="index" href="index.html">Course</a>`,
		`<a class="next" href="03 three.html">03 · <Three> →</a></nav>`, // the text is trusted Markdown, raw HTML included
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}

	// The first page has no previous one.
	b.Reset()
	if err := WriteHTMLPage(&b, nb, &Page{Title: "x", Next: Link{Href: "b.html", Text: "b"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `<nav><span class="prev"></span><span class="index"></span><a class="next" href="b.html">b →</a></nav>`) {
		t.Errorf("a page with only a next page:\n%s", b.String())
	}
	// A page without links has no <nav>.
	if page := renderHTML(t, nb, "x"); strings.Contains(page, "<nav") {
		t.Error("a page without links has a <nav>")
	}
}

func TestWriteIndexHTML(t *testing.T) {
	var b strings.Builder
	err := WriteIndexHTML(&b, "The course", []IndexEntry{
		{Href: "01_perceptron.html", Name: "01_perceptron", Heading: `01 · The perceptron: $y = \mathrm{step}(w \cdot x + b)$`},
		{Href: "02_x%26y.html", Name: "02_x&y", Heading: "02 · *XNOR*"},
	})
	if err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{
		"<title>The course</title>",
		`<tr><td><a href="01_perceptron.html">01_perceptron</a></td><td>01 · The perceptron: <math>`,
		`<tr><td><a href="02_x%26y.html">02_x&amp;y</a></td><td>02 · <em>XNOR</em></td></tr>`,
		"math.tml-display", // the formula's style sheet
	} {
		if !strings.Contains(page, want) {
			t.Errorf("index lacks %q:\n%s", want, page)
		}
	}
	if strings.Index(page, "01_perceptron") > strings.Index(page, "02_x") {
		t.Error("the index is not in the order given")
	}
}

// TestWriteHTMLHighlight checks the highlighting of Go cells and GoNB's
// commands in them.
func TestWriteHTMLHighlight(t *testing.T) {
	src := "%%\n!*go mod tidy\nx := `\n%d`\nfmt.Println(\"a < b\") // c ? d\n"
	nb := &Notebook{
		Metadata: map[string]any{"kernelspec": map[string]any{"language": "go"}},
		Cells:    []*Cell{{CellType: "code", Source: src}},
	}
	page := renderHTML(t, nb, "t")
	for _, want := range []string{
		`<pre class="chroma"><code class="language-go"><span class="cp">%%</span>`,
		`<span class="cp">!*go mod tidy</span>`,
		"<span class=\"s\">%d`</span>", // in a string, % starts no command
		`<span class="nf">Println</span>`,
		`<span class="s">&#34;a &lt; b&#34;</span>`,
		`<span class="c1">// c ? d</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// The text is all there, in order.
	code := page[strings.Index(page, "<code"):strings.Index(page, "</code>")]
	code = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(code, "")
	if want := strings.NewReplacer("<", "&lt;", `"`, "&#34;").Replace(src); code != want {
		t.Errorf("highlighted code reads %q, want %q", code, want)
	}
}

// FuzzMarkdownMath renders any Markdown: the formula parsers must not
// panic, and a page with no dollar sign or backslash has no formula.
func FuzzMarkdownMath(f *testing.F) {
	for _, s := range []string{"$x$", "$$\nx\n$$", `\(a\) \[b\]`, "costs $5 and $10", "$$x", "- $a\n  b$", "> $$\n> x\n> $$", "$\\$", "\\", "$$\n\n$$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var b strings.Builder
		if err := WriteHTML(&b, &Notebook{Cells: []*Cell{{CellType: "markdown", Source: src}}}, "fuzz"); err != nil {
			t.Fatal(err)
		}
		if !strings.ContainsAny(src, `$\`) && strings.Contains(b.String(), "<math") {
			t.Errorf("%q: a formula without a delimiter", src)
		}
	})
}
