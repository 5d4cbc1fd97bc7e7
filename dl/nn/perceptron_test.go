package nn_test

import (
	"slices"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

var truthInputs = [][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}}

func TestPerceptronLearnsLinearGates(t *testing.T) {
	tests := []struct {
		name string
		y    []float64
		lr   float64
	}{
		{"AND", []float64{0, 0, 0, 1}, 0},
		{"OR", []float64{0, 1, 1, 1}, 0},
		{"AND lr 0.1", []float64{0, 0, 0, 1}, 0.1},
		{"NAND", []float64{1, 1, 1, 0}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := nn.NewPerceptron(2)
			p.LR = tt.lr
			mistakes := p.Fit(truthInputs, tt.y, 100)
			if len(mistakes) == 0 || mistakes[len(mistakes)-1] != 0 {
				t.Fatalf("mistakes per epoch %v; want the last to be 0", mistakes)
			}
			if slices.Contains(mistakes[:len(mistakes)-1], 0) {
				t.Errorf("mistakes per epoch %v; Fit must stop after the first epoch without a mistake", mistakes)
			}
			for i, x := range truthInputs {
				if got := p.Predict(x); got != tt.y[i] {
					t.Errorf("Predict(%v) = %v, want %v", x, got, tt.y[i])
				}
			}
		})
	}
}

// XOR is not linearly separable (Minsky & Papert, 1969): no line splits its
// classes, so the perceptron makes a mistake in every epoch.
func TestPerceptronCannotLearnXOR(t *testing.T) {
	p := nn.NewPerceptron(2)
	mistakes := p.Fit(truthInputs, []float64{0, 1, 1, 0}, 100)
	if len(mistakes) != 100 {
		t.Fatalf("%d epochs, want all 100", len(mistakes))
	}
	if slices.Contains(mistakes, 0) {
		t.Errorf("mistakes per epoch %v; XOR must never reach 0", mistakes)
	}
}

func TestPerceptronUpdate(t *testing.T) {
	p := &nn.Perceptron{W: []float64{0, 0}, LR: 0.5}
	// w·x + b = 0 predicts 0; the label is 1: w += 0.5·x, b += 0.5.
	if !p.Update([]float64{2, -1}, 1) {
		t.Error("a wrong prediction must count as a mistake")
	}
	if !slices.Equal(p.W, []float64{1, -0.5}) || p.B != 0.5 {
		t.Errorf("after the update W = %v, B = %v; want [1 -0.5] and 0.5", p.W, p.B)
	}
	// Now w·x + b = 2 + 0.5 + 0.5 > 0 predicts 1: right, so nothing changes.
	if p.Update([]float64{2, -1}, 1) || !slices.Equal(p.W, []float64{1, -0.5}) || p.B != 0.5 {
		t.Errorf("a right prediction must change nothing: W = %v, B = %v", p.W, p.B)
	}
	// Label 0 on a positive prediction: w −= 0.5·x, b −= 0.5.
	if !p.Update([]float64{2, -1}, 0) || !slices.Equal(p.W, []float64{0, 0}) || p.B != 0 {
		t.Errorf("after the second update W = %v, B = %v; want [0 0] and 0", p.W, p.B)
	}
}

func TestPerceptronForward(t *testing.T) {
	p := &nn.Perceptron{W: []float64{2, -1}, B: 0.5}
	got := p.Forward(dl.New([]float64{1, 1, 0, 3}, 2, 2)).Data()
	if got[0] != 1.5 || got[1] != -2.5 {
		t.Errorf("Forward = %v, want [1.5 -2.5]", got)
	}
	for i, x := range [][]float64{{1, 1}, {0, 3}} {
		if want := p.Predict(x); (got[i] > 0) != (want == 1) {
			t.Errorf("row %d: score %v disagrees with Predict %v", i, got[i], want)
		}
	}
	testutil.Panics(t, "nn: Perceptron: input shape [1 3] does not fit 2 weights", func() { p.Forward(dl.New([]float64{1, 2, 3}, 1, 3)) })
}
