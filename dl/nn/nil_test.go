package nn_test

import (
	"math/rand/v2"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/internal/testutil"
)

// nilModule is a module whose Forward returns nil, as a learner's
// unfinished one may.
type nilModule struct{}

func (nilModule) Forward(*dl.Tensor) *dl.Tensor { return nil }
func (nilModule) Params() []*dl.Tensor          { return nil }

// TestNilArgs checks that every layer's Forward and every loss panics on
// a nil tensor with a message that names the layer or loss and the
// argument, "nn: Linear: x is nil", not with a bare nil dereference; and
// that no tensor argument of the package is left without such a case.
func TestNilArgs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	y := dl.Zeros(2)
	drop := nn.NewDropout(rng, 0.5)
	nn.SetTraining(drop, false) // in evaluation mode too, where Forward returns x
	nilArg := testutil.Nil
	cases := []testutil.NilCase{
		nilArg("Sequential.Forward", "x", func() { nn.MLP(rng, 2, 1).Forward(nil) }),
		nilArg("Linear.Forward", "x", func() { nn.NewLinear(rng, 2, 1).Forward(nil) }),
		nilArg("Conv2D.Forward", "x", func() { nn.NewConv2D(rng, 1, 1, 3, dl.ConvOptions{}).Forward(nil) }),
		nilArg("MaxPool2D.Forward", "x", func() { nn.MaxPool2D{Size: 2}.Forward(nil) }),
		nilArg("AvgPool2D.Forward", "x", func() { nn.AvgPool2D{Size: 2}.Forward(nil) }),
		nilArg("Flatten.Forward", "x", func() { nn.Flatten{}.Forward(nil) }),
		nilArg("Dropout.Forward", "x", func() { drop.Forward(nil) }),
		nilArg("Embedding.Forward", "x", func() { nn.NewEmbedding(rng, 4, 2).Forward(nil) }),
		nilArg("BatchNorm.Forward", "x", func() { nn.NewBatchNorm(2).Forward(nil) }),
		nilArg("LayerNorm.Forward", "x", func() { nn.NewLayerNorm(2).Forward(nil) }),
		nilArg("MultiHeadAttention.Forward", "x", func() { nn.NewMultiHeadAttention(rng, 2, 1, false).Forward(nil) }),
		nilArg("Residual.Forward", "x", func() { nn.Residual{Inner: nn.ReLU{}}.Forward(nil) }),
		nilArg("Perceptron.Forward", "x", func() { nn.NewPerceptron(2).Forward(nil) }),
		nilArg("TransformerBlock.Forward", "x", func() { nn.NewTransformerBlock(rng, 2, 1, false).Forward(nil) }),
		nilArg("GPT.Forward", "ids", func() { nn.NewGPT(rng, tinyGPT).Forward(nil) }),
		nilArg("Sample", "logits", func() { nn.Sample(rng, nil, 1, 0) }),
		// The activations are dl's ops, which name themselves.
		{Op: "ReLU.Forward", Arg: "x", F: func() { nn.ReLU{}.Forward(nil) }, Want: "dl: ReLU: x is nil"},
		{Op: "Sigmoid.Forward", Arg: "x", F: func() { nn.Sigmoid{}.Forward(nil) }, Want: "dl: Sigmoid: x is nil"},
		{Op: "Tanh.Forward", Arg: "x", F: func() { nn.Tanh{}.Forward(nil) }, Want: "dl: Tanh: x is nil"},
		{Op: "GELU.Forward", Arg: "x", F: func() { nn.GELU{}.Forward(nil) }, Want: "dl: GELU: x is nil"},

		nilArg("MSE", "yHat", func() { nn.MSE(nil, y) }),
		nilArg("MSE", "y", func() { nn.MSE(y, nil) }),
		nilArg("Huber", "yHat", func() { nn.Huber(nil, y, 1) }),
		nilArg("Huber", "y", func() { nn.Huber(y, nil, 1) }),
		nilArg("BCE", "logits", func() { nn.BCE(nil, y) }),
		nilArg("BCE", "y", func() { nn.BCE(y, nil) }),
		nilArg("CrossEntropy", "logits", func() { nn.CrossEntropy(nil, y) }),
		nilArg("CrossEntropy", "labels", func() { nn.CrossEntropy(dl.Zeros(2, 3), nil) }),
		nilArg("Hinge", "scores", func() { nn.Hinge(nil, y) }),
		nilArg("SequenceCrossEntropy", "logits", func() { nn.SequenceCrossEntropy(nil, dl.Zeros(1, 2)) }),
		nilArg("SequenceCrossEntropy", "targets", func() { nn.SequenceCrossEntropy(dl.Zeros(1, 2, 3), nil) }),
		nilArg("Hinge", "y", func() { nn.Hinge(y, nil) }),
	}
	testutil.CheckNilArgs(t, "nn", ".", cases)

	// A layer that returns nil is named by the module that called it.
	x := dl.Zeros(1, 2)
	testutil.Panics(t, "nn: Sequential: layer 1 (nn_test.nilModule) returned nil", func() {
		nn.NewSequential(nn.ReLU{}, nilModule{}, nn.ReLU{}).Forward(x)
	})
	testutil.Panics(t, "nn: Residual: Inner (nn_test.nilModule) returned nil", func() {
		nn.Residual{Inner: nilModule{}}.Forward(x)
	})
}
