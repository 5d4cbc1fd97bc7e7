package gradcheck_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/internal/gradcheck"
)

// TestCheckInFloat64 checks that Check multiplies matrices in
// float64 while the program has set dl.Float32, and sets Float32 back; and
// that this matters: with float32 products, the finite differences of the
// same function miss its gradient by far more than Check's tolerance.
func TestCheckInFloat64(t *testing.T) {
	defer dl.SetMatMulPrecision(dl.MatMulPrecision())
	rng := rand.New(rand.NewPCG(1, 2))
	x := dl.Param(dl.Randn(rng, 4, 300))
	w := dl.Param(dl.Randn(rng, 300, 8))
	f := func() *dl.Tensor { return dl.Sum(dl.Tanh(dl.Mul(dl.MatMul(x, w), dl.Scalar(0.05)))) }

	dl.SetMatMulPrecision(dl.Float32)
	var seen []dl.Precision
	gradcheck.Check(t, func() *dl.Tensor {
		seen = append(seen, dl.MatMulPrecision())
		return f()
	}, x, w)
	if len(seen) == 0 || slices.ContainsFunc(seen, func(p dl.Precision) bool { return p != dl.Float64 }) {
		t.Errorf("Check ran f under the precisions %v, want Float64 only", slices.Compact(seen))
	}
	if p := dl.MatMulPrecision(); p != dl.Float32 {
		t.Errorf("after Check, the precision is %v, want Float32 as the test set it", p)
	}

	// The control: the central difference of one weight, in float32.
	dl.SetMatMulPrecision(dl.Float64)
	exact := dl.MatMul(x, w).Data()
	dl.ZeroGrad(x, w)
	f().Backward()
	want := w.Grad()[0]
	dl.SetMatMulPrecision(dl.Float32)
	if slices.Equal(dl.MatMul(x, w).Data(), exact) {
		t.Log("this build multiplies in float64 under Float32 too (no float32 kernel); no control")
		return
	}
	const h = 1e-5 // Check's
	d := w.Data()
	old := d[0]
	d[0] = old + h
	up := f().Item()
	d[0] = old - h
	down := f().Item()
	d[0] = old
	if diff := math.Abs((up-down)/(2*h) - want); diff <= 1e-6*max(1, math.Abs(want)) {
		t.Errorf("in float32, the finite difference misses the gradient %v by only %.3g; the control shows nothing", want, diff)
	}
}
