package dl

import (
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// TestVectorOpsSplit checks that the ops on the vectorized loops of
// dl/internal/loops (GELU, Exp, Sigmoid, Tanh, Softplus, Softmax and
// LogSoftmax along either axis, LayerNorm) split across the CPUs on a
// large input, and give the very same bits, output and gradients, under
// GOMAXPROCS 1, 2 and 4: each element's result does not depend on the
// chunk it falls in, and LayerNorm's sums of the gradients of gamma and
// beta add the chunks in a fixed order.
func TestVectorOpsSplit(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	x, g := Randn(rng, 1024, 257), Randn(rng, 1024, 257)
	for i := range x.data {
		x.data[i] *= 4
	}
	gamma, beta := Randn(rng, 257), Randn(rng, 257)
	for _, c := range []struct {
		name, file string // the op, and the file whose loops must split
		f          func(x, gamma, beta *Tensor) *Tensor
	}{
		{"GELU", "activation.go", func(x, _, _ *Tensor) *Tensor { return GELU(x) }},
		{"Exp", "elementwise.go", func(x, _, _ *Tensor) *Tensor { return Exp(x) }},
		{"Sigmoid", "elementwise.go", func(x, _, _ *Tensor) *Tensor { return Sigmoid(x) }},
		{"Tanh", "elementwise.go", func(x, _, _ *Tensor) *Tensor { return Tanh(x) }},
		{"Softplus", "elementwise.go", func(x, _, _ *Tensor) *Tensor { return Softplus(x) }},
		{"Softmax", "softmax.go", func(x, _, _ *Tensor) *Tensor { return Softmax(x, 1) }},
		{"Softmax axis 0", "softmax.go", func(x, _, _ *Tensor) *Tensor { return Softmax(x, 0) }},
		{"LogSoftmax", "softmax.go", func(x, _, _ *Tensor) *Tensor { return LogSoftmax(x, -1) }},
		{"LogSoftmax axis 0", "softmax.go", func(x, _, _ *Tensor) *Tensor { return LogSoftmax(x, 0) }},
		{"LayerNorm", "norm.go", func(x, gamma, beta *Tensor) *Tensor { return LayerNorm(x, gamma, beta, 1e-5) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
			var want [][]float64
			for _, procs := range []int{1, 2, 4} {
				runtime.GOMAXPROCS(procs)
				xp, gp, bp := Param(x.Clone()), Param(gamma.Clone()), Param(beta.Clone())
				stop := parallel.CountSplits()
				out := c.f(xp, gp, bp)
				Sum(Mul(out, g)).Backward()
				sites := 0
				for site := range stop() {
					if strings.Contains(site, " dl/"+c.file+":") {
						sites++
					}
				}
				if sites < 2 {
					t.Errorf("%d loops of dl/%s split across the CPUs; want the forward and the backward pass", sites, c.file)
				}
				got := [][]float64{out.data, xp.grad, gp.grad, bp.grad}
				if want == nil {
					want = got
					continue
				}
				for i, name := range []string{"output", "dx", "dgamma", "dbeta"} {
					for j := range got[i] {
						if math.Float64bits(got[i][j]) != math.Float64bits(want[i][j]) {
							t.Errorf("GOMAXPROCS %d: %s[%d] = %v; with 1 it is %v", procs, name, j, got[i][j], want[i][j])
							break
						}
					}
				}
			}
		})
	}
}
