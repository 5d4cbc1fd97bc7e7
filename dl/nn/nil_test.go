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
	s2s := nn.NewSeq2Seq(rng, nn.Seq2SeqConfig{SrcVocab: 2, TgtVocab: 2, Embed: 1, Hidden: 1})
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
		nilArg("GRUCell.Step", "x", func() { nn.NewGRUCell(rng, 2, 1).Step(nil, dl.Zeros(1, 1)) }),
		nilArg("GRUCell.Step", "h", func() { nn.NewGRUCell(rng, 2, 1).Step(dl.Zeros(1, 2), nil) }),
		nilArg("GRUCell.Forward", "x", func() { nn.NewGRUCell(rng, 2, 1).Forward(nil) }),
		nilArg("GRU.Forward", "x", func() { nn.NewGRU(rng, 2, 1).Forward(nil) }),
		nilArg("GRU.Run", "x", func() { nn.NewGRU(rng, 2, 1).Run(nil, nil, nil) }),
		nilArg("LSTMCell.Step", "x", func() { nn.NewLSTMCell(rng, 2, 1).Step(nil, dl.Zeros(1, 1), dl.Zeros(1, 1)) }),
		nilArg("LSTMCell.Step", "h", func() { nn.NewLSTMCell(rng, 2, 1).Step(dl.Zeros(1, 2), nil, dl.Zeros(1, 1)) }),
		nilArg("LSTMCell.Step", "c", func() { nn.NewLSTMCell(rng, 2, 1).Step(dl.Zeros(1, 2), dl.Zeros(1, 1), nil) }),
		nilArg("LSTMCell.Forward", "x", func() { nn.NewLSTMCell(rng, 2, 1).Forward(nil) }),
		nilArg("LSTM.Forward", "x", func() { nn.NewLSTM(rng, 2, 1).Forward(nil) }),
		nilArg("LSTM.Run", "x", func() { nn.NewLSTM(rng, 2, 1).Run(nil, nil, nil, nil) }),
		nilArg("AdditiveAttention.Attend", "query", func() { nn.NewAdditiveAttention(rng, 2, 2, 2).Attend(nil, dl.Zeros(1, 1, 2), nil) }),
		nilArg("AdditiveAttention.Attend", "keys", func() { nn.NewAdditiveAttention(rng, 2, 2, 2).Attend(dl.Zeros(1, 2), nil, nil) }),
		nilArg("AdditiveAttention.ProjectKeys", "keys", func() { nn.NewAdditiveAttention(rng, 2, 2, 2).ProjectKeys(nil) }),
		nilArg("AdditiveAttention.AttendProjected", "query", func() {
			nn.NewAdditiveAttention(rng, 2, 2, 2).AttendProjected(nil, dl.Zeros(1, 1, 2), dl.Zeros(1, 1, 2), nil)
		}),
		nilArg("AdditiveAttention.AttendProjected", "keys", func() {
			nn.NewAdditiveAttention(rng, 2, 2, 2).AttendProjected(dl.Zeros(1, 2), nil, dl.Zeros(1, 1, 2), nil)
		}),
		nilArg("AdditiveAttention.AttendProjected", "projected", func() {
			nn.NewAdditiveAttention(rng, 2, 2, 2).AttendProjected(dl.Zeros(1, 2), dl.Zeros(1, 1, 2), nil, nil)
		}),
		nilArg("DotAttention.Attend", "query", func() { nn.NewDotAttention(rng, 2, 2).Attend(nil, dl.Zeros(1, 1, 2), nil) }),
		nilArg("DotAttention.Attend", "keys", func() { nn.NewDotAttention(rng, 2, 2).Attend(dl.Zeros(1, 2), nil, nil) }),
		nilArg("DotAttention.ProjectKeys", "keys", func() { nn.NewDotAttention(rng, 2, 2).ProjectKeys(nil) }),
		nilArg("DotAttention.AttendProjected", "query", func() { nn.NewDotAttention(rng, 2, 2).AttendProjected(nil, dl.Zeros(1, 1, 2), dl.Zeros(1, 1, 2), nil) }),
		nilArg("DotAttention.AttendProjected", "keys", func() { nn.NewDotAttention(rng, 2, 2).AttendProjected(dl.Zeros(1, 2), nil, dl.Zeros(1, 1, 2), nil) }),
		nilArg("DotAttention.AttendProjected", "projected", func() { nn.NewDotAttention(rng, 2, 2).AttendProjected(dl.Zeros(1, 2), dl.Zeros(1, 1, 2), nil, nil) }),
		nilArg("Seq2Seq.Run", "src", func() { s2s.Run(nil, nil, dl.Zeros(1, 1)) }),
		nilArg("Seq2Seq.Run", "tgtIn", func() { s2s.Run(dl.Zeros(1, 1), nil, nil) }),
		nilArg("Seq2Seq.Encode", "src", func() { s2s.Encode(nil, nil) }),
		nilArg("GreedyDecode", "src", func() { nn.GreedyDecode(s2s, nil, nil, 1) }),
		nilArg("CrossEntropyMasked", "logits", func() { nn.CrossEntropyMasked(nil, y, y) }),
		nilArg("CrossEntropyMasked", "labels", func() { nn.CrossEntropyMasked(dl.Zeros(2, 3), nil, y) }),
		nilArg("CrossEntropyMasked", "mask", func() { nn.CrossEntropyMasked(dl.Zeros(2, 3), y, nil) }),
		{Op: "Seq2Seq.Forward", Arg: "x", F: func() { s2s.Forward(nil) }, Want: "nn: Seq2Seq: Forward takes one tensor"},
		// Attention has no one-input Forward; it says so, nil or not.
		{Op: "AdditiveAttention.Forward", Arg: "x", F: func() { nn.NewAdditiveAttention(rng, 2, 2, 2).Forward(nil) }, Want: "nn: AdditiveAttention: Forward takes one tensor"},
		{Op: "DotAttention.Forward", Arg: "x", F: func() { nn.NewDotAttention(rng, 2, 2).Forward(nil) }, Want: "nn: DotAttention: Forward takes one tensor"},
		nilArg("GPT.Forward", "ids", func() { nn.NewGPT(rng, tinyGPT).Forward(nil) }),
		nilArg("BERT.Forward", "ids", func() { nn.NewBERT(rng, tinyBERT).Forward(nil) }),
		nilArg("BERT.Encode", "ids", func() { nn.NewBERT(rng, tinyBERT).Encode(nil) }),
		nilArg("BERT.Pooled", "ids", func() { nn.NewBERT(rng, tinyBERT).Pooled(nil, nn.CLSPooling) }),
		nilArg("BERTClassifier.Forward", "ids", func() { nn.NewBERTClassifier(rng, nn.NewBERT(rng, tinyBERT), 2).Forward(nil) }),
		nilArg("MaskTokens", "ids", func() { nn.MaskTokens(rng, nil, nn.NewMasking(9, 3, 9)) }),
		nilArg("MaskedAccuracy", "logits", func() { nn.MaskedAccuracy(nil, dl.Zeros(1, 2), dl.Zeros(1, 2)) }),
		nilArg("MaskedAccuracy", "targets", func() { nn.MaskedAccuracy(dl.Zeros(1, 2, 3), nil, dl.Zeros(1, 2)) }),
		nilArg("MaskedAccuracy", "mask", func() { nn.MaskedAccuracy(dl.Zeros(1, 2, 3), dl.Zeros(1, 2), nil) }),
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
		nilArg("NTXent", "z1", func() { nn.NTXent(nil, dl.Zeros(2, 3), 0.5) }),
		nilArg("NTXent", "z2", func() { nn.NTXent(dl.Zeros(2, 3), nil, 0.5) }),
		nilArg("BCE", "logits", func() { nn.BCE(nil, y) }),
		nilArg("BCE", "y", func() { nn.BCE(y, nil) }),
		nilArg("CrossEntropy", "logits", func() { nn.CrossEntropy(nil, y) }),
		nilArg("CrossEntropy", "labels", func() { nn.CrossEntropy(dl.Zeros(2, 3), nil) }),
		nilArg("Hinge", "scores", func() { nn.Hinge(nil, y) }),
		nilArg("SequenceCrossEntropy", "logits", func() { nn.SequenceCrossEntropy(nil, dl.Zeros(1, 2)) }),
		nilArg("SequenceCrossEntropy", "targets", func() { nn.SequenceCrossEntropy(dl.Zeros(1, 2, 3), nil) }),
		nilArg("Hinge", "y", func() { nn.Hinge(y, nil) }),
	}
	// A nil initial state of a recurrent layer is the zero state; a nil
	// mask means no padding.
	testutil.CheckNilArgs(t, "nn", ".", cases, "GRU.Run.h0", "LSTM.Run.h0", "LSTM.Run.c0",
		"AdditiveAttention.Attend.mask", "AdditiveAttention.AttendProjected.mask",
		"DotAttention.Attend.mask", "DotAttention.AttendProjected.mask")

	// A layer that returns nil is named by the module that called it.
	x := dl.Zeros(1, 2)
	testutil.Panics(t, "nn: Sequential: layer 1 (nn_test.nilModule) returned nil", func() {
		nn.NewSequential(nn.ReLU{}, nilModule{}, nn.ReLU{}).Forward(x)
	})
	testutil.Panics(t, "nn: Residual: Inner (nn_test.nilModule) returned nil", func() {
		nn.Residual{Inner: nilModule{}}.Forward(x)
	})
}
