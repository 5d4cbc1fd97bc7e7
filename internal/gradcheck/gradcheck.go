// Package gradcheck checks the gradients that Backward gives against
// central finite differences, for the tests of every op and layer.
package gradcheck

import (
	"math"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
)

// Check compares the gradient that Backward gives for the scalar f()
// with respect to each of wrt with central finite differences,
// (f(x+h) − f(x−h)) / 2h, element by element, to a relative tolerance of
// 1e-6. It multiplies matrices in float64 while it runs, whatever
// dl.SetMatMulPrecision set, and sets the precision back when it returns:
// float32 products would drown the differences in rounding.
//
// Every graph that f builds is released once it is done with, so the
// next one runs on the buffers it gave back to dl's pool: after the first
// Backward, CheckGrad releases that graph, builds it again and runs
// Backward, and wants the same bits, loss and gradients. So an op or a
// layer that reads a pooled buffer before setting it fails here.
func Check(t testing.TB, f func() *dl.Tensor, wrt ...*dl.Tensor) {
	t.Helper()
	old := dl.MatMulPrecision()
	dl.SetMatMulPrecision(dl.Float64)
	defer dl.SetMatMulPrecision(old)
	const h, tol = 1e-5, 1e-6
	dl.ZeroGrad(wrt...)
	l := f()
	l.Backward()
	grads := make([][]float64, len(wrt))
	for k, p := range wrt {
		grads[k] = slices.Clone(p.Grad())
	}
	loss := l.Item()
	l.Release()
	dl.ZeroGrad(wrt...)
	again := f()
	again.Backward()
	if a := again.Item(); a != loss && !(math.IsNaN(a) && math.IsNaN(loss)) {
		t.Errorf("loss %v on the buffers of a released graph, %v before", a, loss)
	}
	for k, p := range wrt {
		if !slices.Equal(p.Grad(), grads[k]) {
			t.Errorf("tensor %d %v: gradient %v on the buffers of a released graph, %v before", k, p.Shape(), p.Grad(), grads[k])
		}
	}
	again.Release()
	// value returns f() at the current data, and releases its graph.
	value := func() float64 {
		y := f()
		v := y.Item()
		y.Release()
		return v
	}
	for k, p := range wrt {
		if grads[k] == nil {
			t.Errorf("tensor %d %v: no gradient", k, p.Shape())
			continue
		}
		analytic := grads[k]
		d := p.Data()
		for i := range d {
			old := d[i]
			d[i] = old + h
			up := value()
			d[i] = old - h
			down := value()
			d[i] = old
			numeric := (up - down) / (2 * h)
			if diff := math.Abs(numeric - analytic[i]); diff > tol*max(1, math.Abs(numeric)) {
				t.Errorf("tensor %d %v, element %d: Backward gives %.9g, finite differences %.9g", k, p.Shape(), i, analytic[i], numeric)
			}
		}
	}
}
