// Package mathml turns TeX formulas into MathML, which browsers show
// natively: a page that holds it needs no script and no font of its own.
//
// The conversion is Temml 0.13.5 (https://temml.org, MIT license), whose
// JavaScript is embedded here (see TEMML-LICENSE.md and gen.sh) and runs
// under github.com/dop251/goja, a JavaScript engine written in Go. Nothing
// is fetched at run time.
//
// The engine is loaded once per process, on the first call to [Convert],
// which takes about a fifth of a second; a formula then takes from one to
// a few milliseconds, and one seen before is remembered. Convert is safe
// for concurrent use: calls take turns on the one engine.
package mathml

//go:generate sh gen.sh

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/dop251/goja"
)

//go:embed temml.min.js
var temmlJS string

//go:embed Temml-Local.css
var temmlCSS string

// renderJS is a function of the TeX source and the display flag that
// returns Temml's MathML, or throws Temml's ParseError. The options are
// Temml's defaults but for these: throwOnError, so that an error reaches
// Convert instead of being drawn in red; annotate, which keeps the TeX
// source in the MathML (for copying and for screen readers); and trust
// false (the default, stated): no \href or \includegraphics.
const renderJS = `(function (tex, display) {
	return temml.renderToString(tex, {displayMode: display, annotate: true, throwOnError: true, trust: false});
})`

var (
	loadOnce sync.Once
	loadErr  error
	mu       sync.Mutex // guards vm, which is not safe for concurrent use, and done
	vm       *goja.Runtime
	render   goja.Callable
	// done holds the formulas converted so far: a course repeats many
	// ($N$ 38 times in one notebook), and each takes milliseconds in goja.
	done = make(map[formula]string)
)

// formula is a key of done.
type formula struct {
	tex     string
	display bool
}

// maxDone bounds done; past it, the cache starts again empty.
const maxDone = 4096

// load starts the JavaScript engine and runs Temml in it.
func load() {
	vm = goja.New()
	if _, err := vm.RunScript("temml.min.js", temmlJS); err != nil {
		loadErr = fmt.Errorf("mathml: loading Temml: %v", err)
		return
	}
	f, err := vm.RunString(renderJS)
	if err != nil {
		loadErr = fmt.Errorf("mathml: loading Temml: %v", err)
		return
	}
	var ok bool
	if render, ok = goja.AssertFunction(f); !ok {
		loadErr = errors.New("mathml: loading Temml: the render wrapper is not a function")
	}
}

// Convert returns the MathML of the TeX formula tex: one <math> element,
// shown as a block (display="block") if display is set and in the line of
// text otherwise. It returns an error, which names the formula and what is
// wrong with it, if Temml cannot parse tex.
//
//	m, _ := mathml.Convert(`\frac{1}{2}`, false) // <math><semantics><mfrac>…
func Convert(tex string, display bool) (mathML string, err error) {
	loadOnce.Do(load)
	if loadErr != nil {
		return "", loadErr
	}
	mu.Lock()
	defer mu.Unlock()
	key := formula{tex, display}
	if m, ok := done[key]; ok {
		return m, nil
	}
	defer func() {
		// goja turns JavaScript exceptions into errors; this catches a
		// panic of the engine itself, so that a page still gets written.
		if p := recover(); p != nil {
			err = fmt.Errorf("mathml: %q: the JavaScript engine failed: %v", tex, p)
		}
	}()
	v, err := render(goja.Undefined(), vm.ToValue(tex), vm.ToValue(display))
	if err != nil {
		return "", fmt.Errorf("mathml: `%s`: %s", tex, jsMessage(err))
	}
	if len(done) >= maxDone {
		clear(done)
	}
	done[key] = v.String()
	return done[key], nil
}

// jsMessage returns the message of a JavaScript exception, such as Temml's
// "Unsupported function name: \notacommand at position 1: \notacommand x",
// on one line and without the stack that goja adds. Temml underlines the
// place of the error with combining low lines (U+0332), which a message
// in plain text is better without.
func jsMessage(err error) string {
	msg := err.Error()
	var ex *goja.Exception
	if errors.As(err, &ex) {
		if o, ok := ex.Value().(*goja.Object); ok {
			if m := o.Get("message"); m != nil && !goja.IsUndefined(m) {
				msg = m.String()
			}
		}
	}
	msg = strings.ReplaceAll(msg, "\u0332", "")
	return strings.Join(strings.Fields(msg), " ")
}

// CSS returns the style sheet that Temml's MathML is made for, to put in
// a page's <style>: Temml-Local.css, which uses the math fonts that the
// reader's system has, without its @font-face rule for Temml's own script
// font (a file that the page does not carry). Script letters (\mathscr)
// and primes then fall back to the math font.
func CSS() string {
	return cssOnce()
}

var cssOnce = sync.OnceValue(func() string {
	// The file opens with a comment about Temml.woff2 and the @font-face
	// rule that loads it; the rest is kept. (gen.sh pins the file, and
	// TestCSS checks that no font is left.)
	css := temmlCSS
	if i := strings.Index(css, "@font-face"); i >= 0 {
		if j := strings.Index(css[i:], "}"); j >= 0 {
			css = css[i+j+1:]
		}
	}
	// Without the Temml font, its rules would fall to the browser's default
	// text font; send them to the math font instead.
	return strings.TrimSpace(css) + "\nmath .mathscr, mo.tml-prime { font-family: math; }\n"
})
