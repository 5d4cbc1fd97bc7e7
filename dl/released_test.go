package dl_test

import (
	"math/rand/v2"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/internal/testutil"
)

// gone returns a tensor of the given shape that Release has released: an
// intermediate tensor of a graph whose loss was released.
func gone(shape ...int) *dl.Tensor {
	h := dl.Mul(dl.Param(dl.Zeros(shape...)), dl.Scalar(1))
	dl.Sum(h).Release()
	return h
}

// TestReleasedArgs checks that every exported function of dl that takes
// a tensor panics on one that Release released, with a message that names
// the op and the argument and says to Clone it before Release, rather
// than read memory that other tensors use now; and that no tensor
// argument, not even an optional bias, is left without such a case.
func TestReleasedArgs(t *testing.T) {
	z := dl.Zeros
	x, img := z(2, 3), z(1, 1, 4, 4)
	seq := z(1, 2, 4)
	rng := rand.New(rand.NewPCG(1, 2))
	flags := make([]bool, 6)
	rel := testutil.Nil // a case whose argument is released, not nil
	cases := []testutil.NilCase{
		rel("Param", "t", func() { dl.Param(gone(2, 3)) }),
		rel("ZeroGrad", "params[1]", func() { dl.ZeroGrad(dl.Param(x), gone(2, 3)) }),
		rel("Add", "a", func() { dl.Add(gone(2, 3), x) }),
		rel("Add", "b", func() { dl.Add(x, gone(2, 3)) }),
		rel("Sub", "a", func() { dl.Sub(gone(2, 3), x) }),
		rel("Sub", "b", func() { dl.Sub(x, gone(2, 3)) }),
		rel("Mul", "a", func() { dl.Mul(gone(2, 3), x) }),
		rel("Mul", "b", func() { dl.Mul(x, gone(2, 3)) }),
		rel("Div", "a", func() { dl.Div(gone(2, 3), x) }),
		rel("Div", "b", func() { dl.Div(x, gone(2, 3)) }),
		rel("Neg", "x", func() { dl.Neg(gone(2)) }),
		rel("Exp", "x", func() { dl.Exp(gone(2)) }),
		rel("Log", "x", func() { dl.Log(gone(2)) }),
		rel("Sqrt", "x", func() { dl.Sqrt(gone(2)) }),
		rel("Pow", "x", func() { dl.Pow(gone(2), 2) }),
		rel("Tanh", "x", func() { dl.Tanh(gone(2)) }),
		rel("Sigmoid", "x", func() { dl.Sigmoid(gone(2)) }),
		rel("ReLU", "x", func() { dl.ReLU(gone(2)) }),
		rel("Abs", "x", func() { dl.Abs(gone(2)) }),
		rel("Softplus", "x", func() { dl.Softplus(gone(2)) }),
		rel("GELU", "x", func() { dl.GELU(gone(2)) }),
		rel("Clip", "x", func() { dl.Clip(gone(2), -1, 1) }),
		rel("Where", "a", func() { dl.Where(flags, gone(2, 3), x) }),
		rel("Where", "b", func() { dl.Where(flags, x, gone(2, 3)) }),
		rel("MaskedFill", "x", func() { dl.MaskedFill(gone(2, 3), flags, 0) }),
		rel("Dropout", "x", func() { dl.Dropout(gone(2, 3), 0, rng) }), // even with p = 0, which returns x
		rel("Sum", "x", func() { dl.Sum(gone(2, 3)) }),
		rel("Mean", "x", func() { dl.Mean(gone(2, 3), 0) }),
		rel("Max", "x", func() { dl.Max(gone(2, 3), 0) }),
		rel("Argmax", "x", func() { dl.Argmax(gone(2, 3), 0) }),
		rel("LogSoftmax", "x", func() { dl.LogSoftmax(gone(2, 3), -1) }),
		rel("Softmax", "x", func() { dl.Softmax(gone(2, 3), -1) }),
		rel("Reshape", "x", func() { dl.Reshape(gone(2, 3), -1) }),
		rel("Transpose", "x", func() { dl.Transpose(gone(2, 3)) }),
		rel("Permute", "x", func() { dl.Permute(gone(2, 3), 1, 0) }),
		rel("Gather", "table", func() { dl.Gather(gone(2, 3), []int{0}) }),
		rel("Index", "x", func() { dl.Index(gone(2, 3), 0, []int{0}) }),
		rel("Slice", "x", func() { dl.Slice(gone(2, 3), 0, 0, 1) }),
		rel("Concat", "xs[1]", func() { dl.Concat(0, x, gone(2, 3)) }),
		rel("MatMul", "a", func() { dl.MatMul(gone(2, 3), z(3, 2)) }),
		rel("MatMul", "b", func() { dl.MatMul(x, gone(3, 2)) }),
		rel("Linear", "x", func() { dl.Linear(gone(2, 3), z(3, 2), nil) }),
		rel("Linear", "w", func() { dl.Linear(x, gone(3, 2), nil) }),
		rel("Linear", "b", func() { dl.Linear(x, z(3, 2), gone(2)) }),
		rel("Attention", "q", func() { dl.Attention(gone(1, 2, 4), seq, seq, 1, false) }),
		rel("Attention", "k", func() { dl.Attention(seq, gone(1, 2, 4), seq, 1, false) }),
		rel("Attention", "v", func() { dl.Attention(seq, seq, gone(1, 2, 4), 1, false) }),
		rel("Conv2D", "x", func() { dl.Conv2D(gone(1, 1, 4, 4), z(1, 1, 3, 3), nil, dl.ConvOptions{}) }),
		rel("Conv2D", "w", func() { dl.Conv2D(img, gone(1, 1, 3, 3), nil, dl.ConvOptions{}) }),
		rel("Conv2D", "b", func() { dl.Conv2D(img, z(1, 1, 3, 3), gone(1), dl.ConvOptions{}) }),
		rel("MaxPool2D", "x", func() { dl.MaxPool2D(gone(1, 1, 4, 4), 2, 0) }),
		rel("AvgPool2D", "x", func() { dl.AvgPool2D(gone(1, 1, 4, 4), 2, 0) }),
		rel("LayerNorm", "x", func() { dl.LayerNorm(gone(2, 3), nil, nil, 1e-5) }),
		rel("LayerNorm", "gamma", func() { dl.LayerNorm(x, gone(3), nil, 1e-5) }),
		rel("LayerNorm", "beta", func() { dl.LayerNorm(x, nil, gone(3), 1e-5) }),
		rel("BatchNormTrain", "x", func() { dl.BatchNormTrain(gone(2, 3), nil, nil, 1e-5) }),
		rel("BatchNormTrain", "gamma", func() { dl.BatchNormTrain(x, gone(3), nil, 1e-5) }),
		rel("BatchNormTrain", "beta", func() { dl.BatchNormTrain(x, nil, gone(3), 1e-5) }),
		rel("BatchNormEval", "x", func() { dl.BatchNormEval(gone(2, 3), nil, nil, make([]float64, 3), make([]float64, 3), 1e-5) }),
		rel("BatchNormEval", "gamma", func() { dl.BatchNormEval(x, gone(3), nil, make([]float64, 3), make([]float64, 3), 1e-5) }),
		rel("BatchNormEval", "beta", func() { dl.BatchNormEval(x, nil, gone(3), make([]float64, 3), make([]float64, 3), 1e-5) }),
	}
	testutil.CheckReleasedArgs(t, "dl", ".", cases)
}
