package mathml

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestConvert(t *testing.T) {
	tests := []struct {
		tex     string
		display bool
		want    []string
	}{
		{`x`, false, []string{`<math>`, `<mi>x</mi>`}},
		{`\frac{1}{n}\sum_i (w x_i + b - y_i)^2`, true, []string{`<math display="block"`, `<mfrac>`, `<munder>`, `<mo movablelimits="false">∑</mo>`}},
		{`w \cdot x + b`, false, []string{`<mo>⋅</mo>`}},
		// \, is a thin space; Markdown must not have eaten its backslash.
		{`a\,b`, false, []string{`<mspace width="0.1667em">`}},
		// The source stays as an annotation, for copying.
		{`a < b`, false, []string{`<annotation encoding="application/x-tex">a &lt; b</annotation>`}},
	}
	for _, tt := range tests {
		got, err := Convert(tt.tex, tt.display)
		if err != nil {
			t.Errorf("Convert(%q): %v", tt.tex, err)
			continue
		}
		if !strings.HasPrefix(got, "<math") || !strings.HasSuffix(got, "</math>") {
			t.Errorf("Convert(%q) = %q, not one <math> element", tt.tex, got)
		}
		if !tt.display && strings.Contains(got, `display="block"`) {
			t.Errorf("Convert(%q, inline) is a block: %s", tt.tex, got)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("Convert(%q) lacks %q:\n%s", tt.tex, w, got)
			}
		}
	}
}

// TestConvertCache checks that a formula seen before gives the same
// MathML, and that the cache tells display from inline.
func TestConvertCache(t *testing.T) {
	inline, err1 := Convert(`\sqrt{2}`, false)
	again, err2 := Convert(`\sqrt{2}`, false)
	display, err3 := Convert(`\sqrt{2}`, true)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	if inline != again || inline == display || !strings.Contains(display, `display="block"`) {
		t.Errorf("inline %s, again %s, display %s", inline, again, display)
	}
}

func TestConvertError(t *testing.T) {
	// x^^2 makes Temml 0.13.5 fail with a TypeError, not a ParseError.
	for _, tex := range []string{`\frac{1}{`, `\notacommand x`, `x^^2`} {
		got, err := Convert(tex, false)
		if err == nil {
			t.Errorf("Convert(%q) = %q, want an error", tex, got)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "mathml: `"+tex+"`: ") {
			t.Errorf("Convert(%q): error %q should name the package and the formula", tex, msg)
		}
		if strings.Contains(msg, "temml.min.js") || strings.ContainsAny(msg, "\n\u0332") {
			t.Errorf("Convert(%q): error %q should be one line of Temml's message, with no stack or underline", tex, msg)
		}
	}
	// The engine still works after an error.
	if _, err := Convert(`y`, false); err != nil {
		t.Errorf("after an error: %v", err)
	}
}

// TestConvertConcurrent checks that calls from many goroutines take turns
// (go test -race finds a shared engine used at once).
func TestConvertConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			tex := strings.Repeat("x+", i) + "1"
			if _, err := Convert(tex, i%2 == 0); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func TestCSS(t *testing.T) {
	css := CSS()
	if strings.Contains(css, "@font-face") || strings.Contains(css, "woff2") {
		t.Error("the style sheet still loads Temml's font")
	}
	// The only url( allowed are data: URIs and the fragments inside them.
	for rest := css; ; {
		i := strings.Index(rest, "url(")
		if i < 0 {
			break
		}
		rest = rest[i+len("url("):]
		if !strings.HasPrefix(rest, `"data:`) && !strings.HasPrefix(rest, "%23") {
			t.Errorf("the style sheet refers to a file: url(%.20s", rest)
		}
	}
	for _, want := range []string{"math.tml-display", ".tml-cancel", "font-family: math; }"} {
		if !strings.Contains(css, want) {
			t.Errorf("the style sheet lacks %q", want)
		}
	}
}

func BenchmarkConvert(b *testing.B) {
	start := time.Now()
	if _, err := Convert("x", false); err != nil {
		b.Fatal(err)
	}
	b.Logf("first call (loads Temml): %v", time.Since(start))
	i := 0
	for b.Loop() {
		i++ // a new formula each time, past the cache
		if _, err := Convert(fmt.Sprintf(`L(w, b) = \frac{1}{n}\sum_i (w x_i + b - y_i)^{%d}`, i), true); err != nil {
			b.Fatal(err)
		}
	}
}
