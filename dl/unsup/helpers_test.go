package unsup_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl"
)

// panics checks that f panics with a message that contains want.
func panics(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("no panic; want one containing %q", want)
			return
		}
		if msg := fmt.Sprint(r); !strings.Contains(msg, want) {
			t.Errorf("panic %q; want it to contain %q", msg, want)
		}
	}()
	f()
}

// newRNG returns the seeded generator of the tests.
func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 7)) }

// near reports whether a and b differ by at most tol, relative to b when
// |b| > 1.
func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*max(1, math.Abs(b)) }

// checkGrad compares the gradient that Backward gives for the scalar f()
// with respect to each of wrt with central finite differences,
// (f(x+h) − f(x−h)) / 2h, element by element.
func checkGrad(t *testing.T, f func() *dl.Tensor, wrt ...*dl.Tensor) {
	t.Helper()
	const h, tol = 1e-5, 1e-6
	dl.ZeroGrad(wrt...)
	f().Backward()
	for k, p := range wrt {
		if p.Grad() == nil {
			t.Errorf("tensor %d %v: no gradient", k, p.Shape())
			continue
		}
		analytic := append([]float64(nil), p.Grad()...)
		d := p.Data()
		for i := range d {
			old := d[i]
			d[i] = old + h
			up := f().Item()
			d[i] = old - h
			down := f().Item()
			d[i] = old
			numeric := (up - down) / (2 * h)
			if !near(analytic[i], numeric, tol) {
				t.Errorf("tensor %d %v, element %d: Backward gives %.9g, finite differences %.9g", k, p.Shape(), i, analytic[i], numeric)
			}
		}
	}
}
