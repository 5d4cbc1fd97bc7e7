package train_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/train"
)

// paramCount is the number of values of m's distinct parameters.
func paramCount(m nn.Module) int {
	n := 0
	seen := map[*dl.Tensor]bool{}
	for _, p := range m.Params() {
		if !seen[p] {
			seen[p] = true
			n += p.Len()
		}
	}
	return n
}

func TestSummaryCNN(t *testing.T) {
	rng := newRNG(16)
	model := nn.NewSequential(
		nn.NewConv2D(rng, 1, 4, 3, dl.ConvOptions{Padding: 1}),
		nn.NewBatchNorm(4),
		nn.ReLU{},
		nn.MaxPool2D{Size: 2},
		nn.AvgPool2D{Size: 3, Stride: 1},
		nn.NewDropout(rng, 0.5),
		nn.Flatten{},
		nn.NewLinear(rng, 64, 10),
	)
	want := "" +
		"layer  type       output       params         count\n" +
		"       input      [2 1 12 12]\n" +
		"0      Conv2D     [2 4 12 12]  [4 1 3 3] [4]  40\n" +
		"1      BatchNorm  [2 4 12 12]  [4] [4]        8\n" +
		"2      ReLU       [2 4 12 12]  -              0\n" +
		"3      MaxPool2D  [2 4 6 6]    -              0\n" +
		"4      AvgPool2D  [2 4 4 4]    -              0\n" +
		"5      Dropout    [2 4 4 4]    -              0\n" +
		"6      Flatten    [2 64]       -              0\n" +
		"7      Linear     [2 10]       [64 10] [10]   650\n" +
		"       total                                  698\n"
	if got := train.Summary(model, 2, 1, 12, 12); got != want {
		t.Errorf("Summary with an input shape:\n%s\nwant:\n%s", got, want)
	}
	if total := paramCount(model); total != 698 {
		t.Errorf("the model has %d parameters; the table says 698", total)
	}
	// Without an input shape there is no output column.
	s := train.Summary(model)
	if lines := strings.Split(s, "\n"); len(lines) != 11 || strings.Join(strings.Fields(lines[1]), " ") != "0 Conv2D [4 1 3 3] [4] 40" ||
		strings.Contains(s, "output") {
		t.Errorf("Summary without an input shape:\n%s", s)
	}
	// The summary left the model in evaluation mode, as Predict does: the
	// Dropout layer keeps every element.
	x := dl.Randn(rng, 1, 4, 4, 4)
	if y := model.Layers[5].Forward(x); y != x {
		t.Error("after Summary the Dropout layer still drops")
	}
}

func TestSummaryTransformer(t *testing.T) {
	rng := newRNG(17)
	const vocab, tokens, d = 11, 5, 8
	model := nn.NewSequential(
		nn.NewEmbedding(rng, vocab, d),
		nn.NewTransformerBlock(rng, d, 2, true),
		nn.Residual{Inner: nn.NewMultiHeadAttention(rng, d, 2, true)},
		nn.NewMultiHeadAttention(rng, d, 4, false),
		nn.NewLayerNorm(d),
		nn.GELU{},
		nn.Residual{Inner: nn.NewSequential(nn.NewLayerNorm(d), nn.GELU{})},
		nn.Flatten{},
		nn.NewLinear(rng, tokens*d, vocab),
	)
	want := "" +
		"layer  type                            output   params        count\n" +
		"       input                           [3 5]\n" +
		"0      Embedding                       [3 5 8]  [11 8]        88\n" +
		"1      TransformerBlock                [3 5 8]  16 tensors    872\n" +
		"2      Residual(MultiHeadAttention)    [3 5 8]  8 tensors     288\n" +
		"3      MultiHeadAttention              [3 5 8]  8 tensors     288\n" +
		"4      LayerNorm                       [3 5 8]  [8] [8]       16\n" +
		"5      GELU                            [3 5 8]  -             0\n" +
		"6      Residual(Sequential(2 layers))  [3 5 8]  [8] [8]       16\n" +
		"7      Flatten                         [3 40]   -             0\n" +
		"8      Linear                          [3 11]   [40 11] [11]  451\n" +
		"       total                                                  2019\n"
	if got := train.Summary(model, 3, tokens); got != want {
		t.Errorf("Summary:\n%s\nwant:\n%s", got, want)
	}
	if total := paramCount(model); total != 2019 {
		t.Errorf("the model has %d parameters; the table says 2019", total)
	}
	for i, l := range model.Layers {
		if n := paramCount(l); !strings.Contains(want, fmt.Sprintf("  %d\n", n)) {
			t.Errorf("layer %d has %d parameters, not in the table", i, n)
		}
	}

	testutil.Panics(t, "train: Summary: layer 0 (Embedding) on input [3 5 2]: nn: Embedding: input shape [3 5 2]", func() {
		train.Summary(model, 3, tokens, 2)
	})
	testutil.Panics(t, "train: Summary: layer 8 (Linear) on input [3 48]: nn: Linear:", func() { train.Summary(model, 3, 6) })
	testutil.Panics(t, "train: Summary: input shape [3 -1] has a negative size", func() { train.Summary(model, 3, -1) })
	testutil.Panics(t, "train: Summary: TransformerBlock on input [1 4 6]: nn: TransformerBlock: input shape [1 4 6]", func() {
		train.Summary(nn.NewTransformerBlock(rng, d, 2, false), 1, 4, 6)
	})
	// A model that is not a Sequential gets one row, without a name: its
	// tensors' names have no prefix, such as "Attn.Wq.W".
	s := train.Summary(nn.NewTransformerBlock(rng, d, 2, false), 1, 4, d)
	if lines := strings.Split(s, "\n"); len(lines) != 5 || lines[2] != "       TransformerBlock  [1 4 8]  16 tensors  872" {
		t.Errorf("Summary of a TransformerBlock:\n%s", s)
	}
}
