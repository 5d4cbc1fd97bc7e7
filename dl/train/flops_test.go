package train_test

import (
	"math/rand/v2"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
)

// TestFitCountsFLOPs checks History.FLOPs against the FLOPs of one
// training step counted by hand-run code: with the whole set as one batch,
// a second epoch adds exactly one step, forward and backward.
func TestFitCountsFLOPs(t *testing.T) {
	set := data.Moons(rand.New(rand.NewPCG(1, 1)), 64, 0.1)
	fit := func(epochs int) (*train.History, float64) {
		model := nn.MLP(rand.New(rand.NewPCG(2, 2)), 2, 8, 2)
		c := dl.CountFLOPs()
		h, err := train.Fit(model, set, train.Config{Loss: nn.CrossEntropy, Optimizer: optim.NewSGD(0.1), Epochs: epochs})
		if err != nil {
			t.Fatal(err)
		}
		return h, c.FLOPs()
	}
	h1, outer := fit(1)
	if h1.FLOPs <= 0 || h1.FLOPs != outer {
		t.Errorf("History.FLOPs = %v; a counter around Fit counted %v", h1.FLOPs, outer)
	}
	h2, _ := fit(2)

	model := nn.MLP(rand.New(rand.NewPCG(2, 2)), 2, 8, 2)
	c := dl.CountFLOPs()
	nn.CrossEntropy(model.Forward(set.X), set.Y).Backward()
	step := c.FLOPs()
	// The layers' products alone: forward 2·64·(2·8 + 8·2), twice that backward
	// for the weights, and once for the hidden layer's input gradient.
	if min := 2.0*64*(2*8+8*2) + 2*64*(2*8+8*2) + 2*64*8*2; step < min {
		t.Fatalf("one step counted %v FLOPs, less than its products' %v", step, min)
	}
	if got := h2.FLOPs - h1.FLOPs; got != step {
		t.Errorf("a second epoch added %v FLOPs; one step counts %v", got, step)
	}
}
