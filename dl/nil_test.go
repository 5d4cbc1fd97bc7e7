package dl_test

import (
	"math/rand/v2"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/internal/testutil"
)

// TestNilArgs checks that every exported function of dl that takes a
// tensor panics on a nil one with a message that names the op and the
// argument, "dl: Add: a is nil", not with a bare nil dereference; and
// that no tensor argument is left without such a case.
func TestNilArgs(t *testing.T) {
	z := dl.Zeros
	x, img := z(2, 3), z(1, 1, 4, 4)
	rng := rand.New(rand.NewPCG(1, 2))
	flags := make([]bool, 6)
	nilArg := testutil.Nil
	cases := []testutil.NilCase{
		nilArg("Param", "t", func() { dl.Param(nil) }),
		nilArg("ZeroGrad", "params[1]", func() { dl.ZeroGrad(dl.Param(x), nil) }),
		nilArg("Add", "a", func() { dl.Add(nil, x) }),
		nilArg("Add", "b", func() { dl.Add(x, nil) }),
		nilArg("Sub", "a", func() { dl.Sub(nil, x) }),
		nilArg("Sub", "b", func() { dl.Sub(x, nil) }),
		nilArg("Mul", "a", func() { dl.Mul(nil, x) }),
		nilArg("Mul", "b", func() { dl.Mul(x, nil) }),
		nilArg("Div", "a", func() { dl.Div(nil, x) }),
		nilArg("Div", "b", func() { dl.Div(x, nil) }),
		nilArg("Neg", "x", func() { dl.Neg(nil) }),
		nilArg("Exp", "x", func() { dl.Exp(nil) }),
		nilArg("Log", "x", func() { dl.Log(nil) }),
		nilArg("Sqrt", "x", func() { dl.Sqrt(nil) }),
		nilArg("Pow", "x", func() { dl.Pow(nil, 2) }),
		nilArg("Tanh", "x", func() { dl.Tanh(nil) }),
		nilArg("Sigmoid", "x", func() { dl.Sigmoid(nil) }),
		nilArg("ReLU", "x", func() { dl.ReLU(nil) }),
		nilArg("Abs", "x", func() { dl.Abs(nil) }),
		nilArg("Softplus", "x", func() { dl.Softplus(nil) }),
		nilArg("GELU", "x", func() { dl.GELU(nil) }),
		nilArg("Clip", "x", func() { dl.Clip(nil, 1, -1) }), // the nil comes first, before lo > hi
		nilArg("Where", "a", func() { dl.Where(flags, nil, x) }),
		nilArg("Where", "b", func() { dl.Where(flags, x, nil) }),
		nilArg("MaskedFill", "x", func() { dl.MaskedFill(nil, flags, 0) }),
		nilArg("Dropout", "x", func() { dl.Dropout(nil, 0, rng) }), // even with p = 0, which returns x
		nilArg("Sum", "x", func() { dl.Sum(nil) }),
		nilArg("Mean", "x", func() { dl.Mean(nil, 0) }),
		nilArg("Max", "x", func() { dl.Max(nil, 0) }),
		nilArg("Argmax", "x", func() { dl.Argmax(nil, 0) }),
		nilArg("LogSoftmax", "x", func() { dl.LogSoftmax(nil, -1) }),
		nilArg("Softmax", "x", func() { dl.Softmax(nil, -1) }),
		nilArg("Reshape", "x", func() { dl.Reshape(nil, -1) }),
		nilArg("Transpose", "x", func() { dl.Transpose(nil) }),
		nilArg("Permute", "x", func() { dl.Permute(nil, 1, 0) }),
		nilArg("Gather", "table", func() { dl.Gather(nil, []int{0}) }),
		nilArg("Index", "x", func() { dl.Index(nil, 0, []int{0}) }),
		nilArg("Slice", "x", func() { dl.Slice(nil, 0, 0, 1) }),
		nilArg("Concat", "xs[1]", func() { dl.Concat(0, x, nil) }),
		nilArg("MatMul", "a", func() { dl.MatMul(nil, z(3, 2)) }),
		nilArg("MatMul", "b", func() { dl.MatMul(x, nil) }),
		nilArg("Linear", "x", func() { dl.Linear(nil, z(3, 2), nil) }),
		nilArg("Linear", "w", func() { dl.Linear(x, nil, nil) }),
		nilArg("Attention", "q", func() { dl.Attention(nil, z(1, 2, 4), z(1, 2, 4), 1, false) }),
		nilArg("Attention", "k", func() { dl.Attention(z(1, 2, 4), nil, z(1, 2, 4), 1, false) }),
		nilArg("Attention", "v", func() { dl.Attention(z(1, 2, 4), z(1, 2, 4), nil, 1, false) }),
		nilArg("Conv2D", "x", func() { dl.Conv2D(nil, z(1, 1, 3, 3), nil, dl.ConvOptions{}) }),
		nilArg("Conv2D", "w", func() { dl.Conv2D(img, nil, nil, dl.ConvOptions{}) }),
		nilArg("MaxPool2D", "x", func() { dl.MaxPool2D(nil, 2, 0) }),
		nilArg("AvgPool2D", "x", func() { dl.AvgPool2D(nil, 2, 0) }),
		nilArg("LayerNorm", "x", func() { dl.LayerNorm(nil, nil, nil, 1e-5) }),
		nilArg("BatchNormTrain", "x", func() { dl.BatchNormTrain(nil, nil, nil, 1e-5) }),
		nilArg("BatchNormEval", "x", func() { dl.BatchNormEval(nil, nil, nil, []float64{0}, []float64{1}, 1e-5) }),
	}
	// A nil bias, scale or shift means none.
	testutil.CheckNilArgs(t, "dl", ".", cases,
		"Linear.b", "Conv2D.b", "LayerNorm.gamma", "LayerNorm.beta",
		"BatchNormTrain.gamma", "BatchNormTrain.beta", "BatchNormEval.gamma", "BatchNormEval.beta")
}
