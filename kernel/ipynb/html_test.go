package ipynb

import (
	"bytes"
	"strings"
	"testing"
)

func renderHTML(t *testing.T, nb *Notebook, title string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, nb, title); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestWriteHTML(t *testing.T) {
	page := renderHTML(t, readTestdata(t, "full.ipynb"), "Lesson 3: <Tensors> & strides")

	for _, want := range []string{
		"<!DOCTYPE html>",
		"<title>Lesson 3: &lt;Tensors&gt; &amp; strides</title>",
		`<header class="title">Lesson 3: &lt;Tensors&gt; &amp; strides</header>`,
		".output img { max-width: 100%; height: auto; }",
		// markdown, with its attachment inlined and a GFM table
		"<h1>Tensors in Go</h1>",
		`<img src="data:image/png;base64,` + smallPNG + `" alt="diagram">`,
		"<th>op</th>", "<td>matmul</td>",
		// code and its outputs
		// highlighted, with chroma's style sheet
		`In&nbsp;[1]:</div><pre class="chroma"><code class="language-go"><span class="kn">import</span><span class="w"> </span><span class="s">&#34;fmt&#34;</span>`,
		`<span class="s">&#34;hello &lt;script&gt;alert(1)&lt;/script&gt;&#34;</span>`,
		".chroma .kn {",
		`<pre class="stdout">hello &lt;script&gt;alert(1)&lt;/script&gt;` + "\n</pre>",
		`<pre class="stderr">warning: slow path`,
		`<img src="data:image/png;base64,` + bigPNG + `" width="24" height="24" alt="">`,
		`<svg xmlns=`,
		"<pre>{epoch: 2}</pre>", // application/json falls back to text/plain
		"<strong>bold</strong> and <code>code</code>",
		`Out[3]:</div><div class="body"><b>42</b>`,
		// the error, without its ANSI colors
		"<pre class=\"error\">panic: runtime error: index out of range [3] with length 0\n" +
			"panic: runtime error: index out of range [3] with length 0\n\ngoroutine 1 [running]:",
		"In&nbsp;[&nbsp;]:",
		`<div class="cell raw"><pre>raw text &lt;kept&gt; as is`,
		"</html>\n",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "<link", `src="http`, "\x1b", "[0;31m", "attachment:"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	// The markdown link is text, not a resource, and may stay.
	if !strings.Contains(page, `<a href="https://go.dev/doc">`) {
		t.Error("markdown autolink not rendered")
	}
}

func TestWriteHTMLOutputChoice(t *testing.T) {
	tests := []struct {
		data map[string]any
		want string
	}{
		{map[string]any{"text/plain": "<x>", "image/jpeg": "/9j/\n4AA="}, `<img src="data:image/jpeg;base64,/9j/4AA=" alt="">`},
		{map[string]any{"text/plain": "y", "text/latex": `$\frac{1}{2} < 1$`}, `<pre>$\frac{1}{2} &lt; 1$</pre>`},
		{map[string]any{"text/plain": "a <script>b</script>"}, `<pre>a &lt;script&gt;b&lt;/script&gt;</pre>`},
		{map[string]any{"application/vnd.x+json": map[string]any{}}, `(output of type application/vnd.x+json not shown)`},
	}
	for _, tt := range tests {
		nb := &Notebook{Cells: []*Cell{{CellType: "code", Outputs: []*Output{{OutputType: "display_data", Data: tt.data}}}}}
		if page := renderHTML(t, nb, "t"); !strings.Contains(page, tt.want) {
			t.Errorf("output %v: page lacks %q", tt.data, tt.want)
		}
	}
}

func TestWriteHTMLAttachmentInRawHTML(t *testing.T) {
	nb := &Notebook{Cells: []*Cell{{
		CellType:    "markdown",
		Source:      `<img src="attachment:my plot.png" width="50"> and ![alt](<attachment:my plot.png>) and ![gone](attachment:none.png)`,
		Attachments: map[string]map[string]any{"my plot.png": {"image/png": smallPNG}},
	}}}
	page := renderHTML(t, nb, "t")
	if n := strings.Count(page, `src="data:image/png;base64,`+smallPNG+`"`); n != 2 {
		t.Errorf("%d attachment images inlined, want 2:\n%s", n, page)
	}
	if !strings.Contains(page, `src="attachment:none.png"`) {
		t.Error("a missing attachment should keep its source")
	}
}

func TestPlainStripsANSI(t *testing.T) {
	tests := map[string]string{
		"\x1b[0;31mred\x1b[0m":                    "red",
		"\x1b[1;38;5;208mbold\x1b[K <b>":          "bold &lt;b&gt;",
		"\x1b]8;;file:///x\x07link\x1b]8;;\x1b\\": "link",
		"\x1b(Bplain\x1b=":                        "plain",
		"no escapes & \"quotes\"":                 "no escapes &amp; &#34;quotes&#34;",
	}
	for in, want := range tests {
		if got := plain(in); got != want {
			t.Errorf("plain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHTMLImageWidth(t *testing.T) {
	nb := New()
	nb.Cells = []*Cell{{CellType: "code", Source: "%%", Outputs: []*Output{{
		OutputType: "display_data",
		Data:       map[string]any{"image/png": "iVBORw0KGgo="},
		Metadata:   map[string]any{"image/png": map[string]any{"width": float64(640)}},
	}}}}
	var b strings.Builder
	if err := WriteHTML(&b, nb, "w"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `width="640"`) {
		t.Errorf("the image lost its width from the metadata:\n%s", b.String())
	}
}
