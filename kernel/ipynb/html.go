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
)

// WriteHTML writes nb as a single self-contained HTML5 page: inline CSS, no
// JavaScript of its own and no external resources. Markdown cells are
// rendered as GitHub-flavored Markdown, raw HTML included, and each output
// shows its richest MIME type. The notebooks are trusted: raw HTML in
// Markdown and text/html and image/svg+xml outputs are inlined as they are.
func WriteHTML(w io.Writer, nb *Notebook, title string) error {
	r := &htmlRenderer{
		md: goldmark.New(
			goldmark.WithExtensions(extension.GFM),
			goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
		),
		lang: nb.Language(),
	}
	t := html.EscapeString(title)
	fmt.Fprintf(&r.b, pageHead, t, pageCSS, t)
	for _, c := range nb.Cells {
		if c == nil {
			continue
		}
		if err := r.cell(c); err != nil {
			return err
		}
	}
	r.b.WriteString(pageTail)
	_, err := r.b.WriteTo(w)
	return err
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
<main>
`

const pageTail = `</main>
</body>
</html>
`

const pageCSS = `
body { max-width: 960px; margin: 2rem auto; padding: 0 1rem; color: #1f2328; background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; line-height: 1.5; }
header.title { font-size: 1.5rem; font-weight: 600; padding-bottom: .5rem; margin-bottom: 1.5rem; border-bottom: 1px solid #d0d7de; }
pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .875rem; tab-size: 4; }
pre { margin: 0; padding: .5rem .75rem; overflow-x: auto; }
.cell { margin: 1rem 0; }
.input, .output { display: flex; align-items: flex-start; }
.prompt { flex: 0 0 5.5rem; padding: .5rem .5rem 0 0; text-align: right; color: #57606a;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .8rem; }
.input pre { flex: 1; min-width: 0; background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 4px; }
.output > .body { flex: 1; min-width: 0; }
.output pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.output img { max-width: 100%; height: auto; }
.stderr, .error { background: #fdecea; }
.cell.markdown, .cell.raw { margin-left: 5.5rem; }
.markdown img { max-width: 100%; }
.markdown code { background: #f6f8fa; padding: .1em .3em; border-radius: 3px; }
.markdown pre { background: #f6f8fa; border-radius: 4px; }
.markdown pre code { padding: 0; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #d0d7de; padding: .25rem .6rem; }
th { background: #f6f8fa; }
.raw pre, .note { color: #57606a; }
`

type htmlRenderer struct {
	b    bytes.Buffer
	md   goldmark.Markdown
	lang string // language of the code cells, for the class of <code>
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
		fmt.Fprintf(&r.b, `<div class="cell code">`+"\n"+
			`<div class="input"><div class="prompt">In&nbsp;[%s]:</div><pre><code%s>%s</code></pre></div>`+"\n",
			promptCount(c.ExecutionCount), class, html.EscapeString(c.Source))
		for _, o := range c.Outputs {
			if o == nil {
				continue
			}
			if err := r.output(o); err != nil {
				return err
			}
		}
	default:
		fmt.Fprintf(&r.b, `<div class="cell raw"><pre>%s</pre>`+"\n", html.EscapeString(c.Source))
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
	fmt.Fprintf(&r.b, `<div class="output"><div class="prompt">%s</div><div class="body">`, prompt)
	switch o.OutputType {
	case streamOutput:
		fmt.Fprintf(&r.b, `<pre class="%s">%s</pre>`, html.EscapeString(o.Name), plain(o.Text))
	case errorOutput:
		text := o.EName + ": " + o.EValue
		if len(o.Traceback) > 0 {
			text += "\n" + strings.Join(o.Traceback, "\n")
		}
		fmt.Fprintf(&r.b, `<pre class="error">%s</pre>`, plain(text))
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
			fmt.Fprintf(&r.b, `<img src="%s"%s alt="">`, html.EscapeString(dataURI(mime, s)), imageSize(metadata, mime))
		case "image/svg+xml", "text/html":
			r.b.WriteString(s)
		case "text/markdown":
			r.b.WriteString(`<div class="markdown">`)
			err := r.markdown(s, nil)
			r.b.WriteString("</div>")
			return err
		default:
			fmt.Fprintf(&r.b, `<pre>%s</pre>`, plain(s))
		}
		return nil
	}
	types := slices.Sorted(maps.Keys(data))
	fmt.Fprintf(&r.b, `<pre class="note">(output of type %s not shown)</pre>`, html.EscapeString(strings.Join(types, ", ")))
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
