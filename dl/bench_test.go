package dl

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkMatMul(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := Randn(rng, 256, 256), Randn(rng, 256, 256)
	for b.Loop() {
		MatMul(x, y)
	}
}

// BenchmarkMLPStep times one forward and backward pass of a 64-128-10
// MLP with softmax cross-entropy, on a batch of 64.
func BenchmarkMLPStep(b *testing.B) {
	const batch, in, hidden, classes = 64, 64, 128, 10
	rng := rand.New(rand.NewPCG(1, 2))
	w1 := Param(Mul(Randn(rng, in, hidden), Scalar(0.1)))
	b1 := Param(Zeros(hidden))
	w2 := Param(Mul(Randn(rng, hidden, classes), Scalar(0.1)))
	b2 := Param(Zeros(classes))
	x := Randn(rng, batch, in)
	onehot := Zeros(batch, classes)
	for i := range batch {
		onehot.Data()[i*classes+rng.IntN(classes)] = 1
	}
	for b.Loop() {
		ZeroGrad(w1, b1, w2, b2)
		h := ReLU(Add(MatMul(x, w1), b1))
		logp := LogSoftmax(Add(MatMul(h, w2), b2), 1)
		loss := Neg(Mean(Sum(Mul(logp, onehot), 1)))
		loss.Backward()
	}
}
