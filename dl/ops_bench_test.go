package dl

import (
	"math/rand/v2"
	"testing"
)

// benchOp times f's forward pass and its backward closure, with the
// output's gradient set to ones, for inputs that are parameters.
func benchOp(b *testing.B, f func() *Tensor) {
	b.Helper()
	for b.Loop() {
		out := f()
		out.grad = make([]float64, len(out.data))
		for i := range out.grad {
			out.grad[i] = 1
		}
		out.backward()
	}
}

// BenchmarkOps times the forward and backward passes of the ops whose
// fast loops live in dl/internal/loops, on sizes of a small MLP or CNN,
// and of a Transformer's rows of 64 (Softmax=rows64, LayerNorm).
func BenchmarkOps(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := Param(Randn(rng, 256, 512))
	y := Param(Randn(rng, 256, 512))
	bias := Param(Randn(rng, 512))
	col := Param(Randn(rng, 256, 1))
	s := Param(Scalar(2))
	w := Param(Randn(rng, 512, 256))
	w2 := Param(Randn(rng, 256))
	img := Param(Randn(rng, 32, 16, 28, 28))
	tok := Param(Randn(rng, 2048, 64)) // a Transformer's [batch·t, d]
	gamma, beta := Param(Randn(rng, 64)), Param(Randn(rng, 64))
	for _, c := range []struct {
		name string
		f    func() *Tensor
	}{
		{"Add=same", func() *Tensor { return Add(x, y) }},
		{"Add=bias", func() *Tensor { return Add(x, bias) }},
		{"Mul=scalar", func() *Tensor { return Mul(x, s) }},
		{"Mul=column", func() *Tensor { return Mul(x, col) }},
		{"Div=same", func() *Tensor { return Div(x, y) }},
		{"ReLU", func() *Tensor { return ReLU(x) }},
		{"Exp", func() *Tensor { return Exp(x) }},
		{"Linear", func() *Tensor { return Linear(x, w, w2) }},
		{"MaxPool2D", func() *Tensor { return MaxPool2D(img, 2, 0) }},
		{"LogSoftmax", func() *Tensor { return LogSoftmax(x, 1) }},
		{"LogSoftmax=axis0", func() *Tensor { return LogSoftmax(x, 0) }},
		{"Softmax=rows64", func() *Tensor { return Softmax(tok, 1) }},
		{"GELU", func() *Tensor { return GELU(x) }},
		{"Sigmoid", func() *Tensor { return Sigmoid(x) }},
		{"Tanh", func() *Tensor { return Tanh(x) }},
		{"Softplus", func() *Tensor { return Softplus(x) }},
		{"LayerNorm", func() *Tensor { return LayerNorm(tok, gamma, beta, 1e-5) }},
	} {
		b.Run(c.name, func(b *testing.B) { benchOp(b, c.f) })
	}
}
