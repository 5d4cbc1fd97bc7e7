package ipynb

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"

	"github.com/dlnb/dlnb/kernel/ipynb/mathml"
)

// WriteHTML writes nb as a single self-contained HTML5 page: inline CSS, no
// JavaScript and no external resources. Markdown cells are rendered as
// GitHub-flavored Markdown, raw HTML included, with their TeX formulas as
// MathML (see math.go for the rules); code cells are highlighted; each
// output shows its richest MIME type. The notebooks are trusted: raw HTML
// in Markdown and text/html and image/svg+xml outputs are inlined as they
// are.
func WriteHTML(w io.Writer, nb *Notebook, title string) error {
	return WriteHTMLPage(w, nb, &Page{Title: title})
}

// Page is what a notebook's HTML page shows besides its cells.
type Page struct {
	Title string // the page's title, such as the notebook's name
	// Prev and Next link to the pages of the notebooks before and after
	// this one in the course, and Index to the course's table of contents
	// (see WriteIndexHTML). A Link with no Href is left out.
	Prev, Next, Index Link
}

// Link is a link to another page.
type Link struct {
	Href string // the address, relative to the page that links
	Text string // Markdown (one line, formulas included), such as a notebook's heading
}

// WriteHTMLPage writes nb as WriteHTML does, with the title and the links
// between pages that page gives: above the cells and again below them.
func WriteHTMLPage(w io.Writer, nb *Notebook, page *Page) error {
	r := newHTMLRenderer(nb.Language())
	var body bytes.Buffer
	r.b = &body
	nav := r.nav(page)
	body.WriteString(nav)
	body.WriteString("<main>\n")
	for _, c := range nb.Cells {
		if c == nil {
			continue
		}
		if err := r.cell(c); err != nil {
			return err
		}
	}
	body.WriteString("</main>\n")
	body.WriteString(nav)
	return r.page(w, page.Title, body.Bytes())
}

// IndexEntry is one row of a course's table of contents.
type IndexEntry struct {
	Href    string // the notebook's page, relative to the index
	Name    string // the notebook's name, such as 01_perceptron
	Heading string // its first heading, in Markdown (see Notebook.Heading)
}

// WriteIndexHTML writes the table of contents of a course, a page with
// the same style as the notebooks' pages: a table with a row for each
// notebook, in the order of entries, that links to its page and gives its
// first heading.
func WriteIndexHTML(w io.Writer, title string, entries []IndexEntry) error {
	r := newHTMLRenderer("")
	var body bytes.Buffer
	r.b = &body
	body.WriteString("<main>\n<table class=\"course\">\n<thead><tr><th>notebook</th><th>what it is about</th></tr></thead>\n<tbody>\n")
	for _, e := range entries {
		fmt.Fprintf(&body, "<tr><td><a href=\"%s\">%s</a></td><td>%s</td></tr>\n",
			html.EscapeString(e.Href), html.EscapeString(e.Name), r.inline(e.Heading))
	}
	body.WriteString("</tbody>\n</table>\n</main>\n")
	return r.page(w, title, body.Bytes())
}

// page writes the whole page around body, with the style sheets that it
// needs: that of highlighted code and that of formulas only if it has any.
func (r *htmlRenderer) page(w io.Writer, title string, body []byte) error {
	css := pageCSS
	if r.highlighted {
		css += codeCSS()
	}
	if r.formulas > 0 {
		css += mathml.CSS()
	}
	t := html.EscapeString(title)
	var b bytes.Buffer
	fmt.Fprintf(&b, pageHead, t, css, t)
	b.Write(body)
	b.WriteString(pageTail)
	_, err := b.WriteTo(w)
	return err
}

// nav returns the bar of links to the previous and next pages and to the
// index, or "" if page has none of them.
func (r *htmlRenderer) nav(page *Page) string {
	if page.Prev.Href == "" && page.Next.Href == "" && page.Index.Href == "" {
		return ""
	}
	link := func(class, arrow string, l Link) string {
		if l.Href == "" {
			return `<span class="` + class + `"></span>`
		}
		text := r.inline(l.Text)
		if arrow == "←" {
			text = arrow + " " + text
		} else if arrow != "" {
			text += " " + arrow
		}
		return `<a class="` + class + `" href="` + html.EscapeString(l.Href) + `">` + text + `</a>`
	}
	return `<nav>` + link("prev", "←", page.Prev) + link("index", "", page.Index) + link("next", "→", page.Next) + "</nav>\n"
}

// inline renders one line of Markdown, formulas included, without the
// paragraph around it.
func (r *htmlRenderer) inline(src string) string {
	var out bytes.Buffer
	if err := r.md.Convert([]byte(src), &out); err != nil {
		return html.EscapeString(src)
	}
	s := strings.TrimSpace(out.String())
	s = strings.TrimPrefix(s, "<p>")
	return strings.TrimSuffix(s, "</p>")
}

func newHTMLRenderer(lang string) *htmlRenderer {
	r := &htmlRenderer{lang: lang}
	r.md = goldmark.New(
		goldmark.WithExtensions(extension.GFM, mathExtension{count: &r.formulas}),
		goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
	)
	return r
}

const pageHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>%s</style>
</head>
<body>
<header class="title">%s</header>
`

const pageTail = `</body>
</html>
`

// pageCSS is the page's own style. The page is wide enough for a figure of
// 960 CSS pixels, the widest that package plotting makes (a row of
// panels), next to the prompts; the text of Markdown cells keeps a
// shorter line, which is easier to read. Code wraps its long lines
// instead of hiding their ends.
const pageCSS = `
body { max-width: 1100px; margin: 2rem auto; padding: 0 1rem; color: #1f2328; background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; line-height: 1.5; }
header.title { font-size: 1.5rem; font-weight: 600; padding-bottom: .5rem; margin-bottom: 1rem; border-bottom: 1px solid #d0d7de; }
nav { display: flex; justify-content: space-between; gap: 1rem; margin: 1rem 0; padding: .5rem 0; border-top: 1px solid #d0d7de; border-bottom: 1px solid #d0d7de; font-size: .95rem; }
nav > * { flex: 1; }
nav .index { text-align: center; flex: 0 0 auto; }
nav .next { text-align: right; }
a { color: #0969da; }
pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .875rem; tab-size: 4; }
pre { margin: 0; padding: .5rem .75rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.cell { margin: 1rem 0; }
.input, .output { display: flex; align-items: flex-start; }
.prompt { flex: 0 0 5.5rem; padding: .5rem .5rem 0 0; text-align: right; color: #57606a;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .8rem; }
.input pre { flex: 1; min-width: 0; background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 4px; }
.output > .body { flex: 1; min-width: 0; }
.output img { max-width: 100%; height: auto; }
.stderr, .error { background: #fdecea; }
.cell.markdown, .cell.raw { margin-left: 5.5rem; max-width: 52rem; }
.markdown img { max-width: 100%; height: auto; }
.markdown code { background: #f6f8fa; padding: .1em .3em; border-radius: 3px; }
.markdown pre { background: #f6f8fa; border-radius: 4px; }
.markdown pre code { padding: 0; }
math { font-size: 1.1em; } /* math fonts run small next to sans-serif text */
.math-error code { color: #82071e; background: #fdecea; }
.math-error small { color: #82071e; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #d0d7de; padding: .25rem .6rem; text-align: left; }
th { background: #f6f8fa; }
table.course { width: 100%; }
.raw pre, .note { color: #57606a; }
`

type htmlRenderer struct {
	b           *bytes.Buffer
	md          goldmark.Markdown
	lang        string // language of the code cells, for the class of <code> and the highlighting
	formulas    int    // TeX formulas written, for the style sheet of MathML
	highlighted bool   // whether code was highlighted, for the style sheet of the code
}

func (r *htmlRenderer) cell(c *Cell) error {
	switch c.CellType {
	case markdownCell:
		r.b.WriteString(`<div class="cell markdown">` + "\n")
		if err := r.markdown(c.Source, c.Attachments); err != nil {
			return err
		}
	case codeCell:
		class := ""
		if r.lang != "" {
			class = ` class="language-` + html.EscapeString(r.lang) + `"`
		}
		code, ok := highlight(c.Source, r.lang)
		preClass := ""
		if ok {
			r.highlighted = true
			preClass = ` class="chroma"`
		}
		fmt.Fprintf(r.b, `<div class="cell code">`+"\n"+
			`<div class="input"><div class="prompt">In&nbsp;[%s]:</div><pre%s><code%s>%s</code></pre></div>`+"\n",
			promptCount(c.ExecutionCount), preClass, class, code)
		for _, o := range c.Outputs {
			if o == nil {
				continue
			}
			if err := r.output(o); err != nil {
				return err
			}
		}
	default:
		fmt.Fprintf(r.b, `<div class="cell raw"><pre>%s</pre>`+"\n", html.EscapeString(c.Source))
	}
	r.b.WriteString("</div>\n")
	return nil
}

// promptCount formats an execution count for a prompt.
func promptCount(n *int) string {
	if n == nil {
		return "&nbsp;"
	}
	return fmt.Sprint(*n)
}

func (r *htmlRenderer) output(o *Output) error {
	prompt := ""
	if o.OutputType == executeResult {
		prompt = "Out[" + promptCount(o.ExecutionCount) + "]:"
	}
	fmt.Fprintf(r.b, `<div class="output"><div class="prompt">%s</div><div class="body">`, prompt)
	switch o.OutputType {
	case streamOutput:
		fmt.Fprintf(r.b, `<pre class="%s">%s</pre>`, html.EscapeString(o.Name), plain(o.Text))
	case errorOutput:
		text := o.EName + ": " + o.EValue
		if len(o.Traceback) > 0 {
			text += "\n" + strings.Join(o.Traceback, "\n")
		}
		fmt.Fprintf(r.b, `<pre class="error">%s</pre>`, plain(text))
	default:
		if err := r.bundle(o.Data, o.Metadata); err != nil {
			return err
		}
	}
	r.b.WriteString("</div></div>\n")
	return nil
}

// bundle renders the richest MIME type of data that WriteHTML knows. An
// image keeps the width and height that its metadata gives, as Jupyter
// shows it.
func (r *htmlRenderer) bundle(data, metadata map[string]any) error {
	for _, mime := range []string{"image/png", "image/jpeg", "image/svg+xml", "text/html", "text/markdown", "text/latex", "text/plain"} {
		s, ok := data[mime].(string)
		if !ok {
			continue
		}
		switch mime {
		case "image/png", "image/jpeg":
			fmt.Fprintf(r.b, `<img src="%s"%s alt="">`, html.EscapeString(dataURI(mime, s)), imageSize(metadata, mime))
		case "image/svg+xml", "text/html":
			r.b.WriteString(s)
		case "text/markdown":
			r.b.WriteString(`<div class="markdown">`)
			err := r.markdown(s, nil)
			r.b.WriteString("</div>")
			return err
		default:
			fmt.Fprintf(r.b, `<pre>%s</pre>`, plain(s))
		}
		return nil
	}
	types := slices.Sorted(maps.Keys(data))
	fmt.Fprintf(r.b, `<pre class="note">(output of type %s not shown)</pre>`, html.EscapeString(strings.Join(types, ", ")))
	return nil
}

// attachmentSrc matches image sources that name a cell attachment, both in
// Markdown images and in raw <img> tags.
var attachmentSrc = regexp.MustCompile(`src="attachment:([^"]*)"`)

// markdown renders Markdown source, replacing attachment: image sources by
// data: URIs of the attachments.
func (r *htmlRenderer) markdown(src string, attachments map[string]map[string]any) error {
	var out bytes.Buffer
	if err := r.md.Convert([]byte(src), &out); err != nil {
		return err
	}
	rendered := attachmentSrc.ReplaceAllStringFunc(out.String(), func(m string) string {
		name := html.UnescapeString(attachmentSrc.FindStringSubmatch(m)[1])
		bundle, ok := attachments[name]
		if !ok {
			name, _ = url.PathUnescape(name) // goldmark escapes e.g. spaces as %20
			bundle = attachments[name]
		}
		for _, mime := range slices.Sorted(maps.Keys(bundle)) {
			if s, ok := bundle[mime].(string); ok && strings.HasPrefix(mime, "image/") {
				return `src="` + html.EscapeString(dataURI(mime, s)) + `"`
			}
		}
		return m
	})
	r.b.WriteString(rendered)
	return nil
}

// dataURI makes a data: URI of base64 data, which Jupyter may have split
// into lines.
func dataURI(mime, base64 string) string {
	return "data:" + mime + ";base64," + strings.Join(strings.Fields(base64), "")
}

// ansiEscape matches ANSI escape sequences: CSI (colors, cursor moves), OSC
// (titles, hyperlinks) and the short ones like ESC ( B or ESC =.
var ansiEscape = regexp.MustCompile(`\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[ -/]*[0-~])`)

// plain escapes terminal text for HTML, dropping its ANSI escapes.
func plain(s string) string {
	return html.EscapeString(ansiEscape.ReplaceAllString(s, ""))
}

// imageSize returns the width and height attributes that an output's
// metadata gives for its image of type mime, e.g. {"image/png": {"width": 640}}.
func imageSize(metadata map[string]any, mime string) string {
	m, _ := metadata[mime].(map[string]any)
	var attrs string
	for _, name := range []string{"width", "height"} {
		if v, ok := m[name].(float64); ok && v > 0 {
			attrs += fmt.Sprintf(` %s="%d"`, name, int(v))
		}
	}
	return attrs
}

// Heading returns the text of the notebook's first Markdown heading, such
// as "01 · The perceptron: $y = \mathrm{step}(w \cdot x + b)$" for a cell
// that starts with "# 01 · The perceptron: …", as Markdown, or "" if it has
// none. Only ATX headings ("#" to "######") count; lines in fenced code do
// not.
func (nb *Notebook) Heading() string {
	for _, c := range nb.Cells {
		if c == nil || c.CellType != markdownCell {
			continue
		}
		fence := ""
		for line := range strings.Lines(c.Source) {
			t := strings.TrimSpace(line)
			if len(line)-len(strings.TrimLeft(line, " ")) > 3 {
				continue // indented code, or a continuation
			}
			switch {
			case fence != "":
				if strings.HasPrefix(t, fence) {
					fence = ""
				}
				continue
			case strings.HasPrefix(t, "```"), strings.HasPrefix(t, "~~~"):
				fence = t[:3]
				continue
			}
			level := len(t) - len(strings.TrimLeft(t, "#"))
			if level < 1 || level > 6 || (len(t) > level && t[level] != ' ' && t[level] != '\t') {
				continue
			}
			text := strings.TrimSpace(t[level:])
			// A closing sequence of #s goes, as in CommonMark.
			if trimmed := strings.TrimRight(text, "#"); trimmed != text && (trimmed == "" || strings.HasSuffix(trimmed, " ")) {
				text = strings.TrimSpace(trimmed)
			}
			if text != "" {
				return text
			}
		}
	}
	return ""
}
