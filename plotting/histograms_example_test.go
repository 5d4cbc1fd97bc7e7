package plotting_test

import (
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/plotting"
)

// deep returns an MLP of depth Linear layers of width 32, each followed by
// act, for 2 inputs and 2 classes.
func deep(rng *rand.Rand, depth int, act nn.Module) *nn.Sequential {
	layers := []nn.Module{nn.NewLinear(rng, 2, 32), act}
	for range depth - 1 {
		layers = append(layers, nn.NewLinear(rng, 32, 32), act)
	}
	return nn.NewSequential(append(layers, nn.NewLinear(rng, 32, 2))...)
}

// Activations of a deep sigmoid network against a ReLU network: the
// sigmoid layers crowd around 0.5, and their gradients shrink layer by
// layer towards the input.
func ExampleActivationHistograms() {
	rng := rand.New(rand.NewPCG(1, 2))
	set := data.Blobs(rng, 256, 2, 1)
	sigmoid := deep(rng, 5, nn.Sigmoid{})
	plotting.ActivationHistograms(sigmoid, set.X).Show()
	plotting.GradientHistograms(sigmoid, set.X, set.Y, nn.CrossEntropy).Show()
	plotting.GradientHistograms(deep(rng, 5, nn.ReLU{}), set.X, set.Y, nn.CrossEntropy).Show()
}

// The confusion matrix of a classifier of four overlapping blobs.
func ExampleConfusion() {
	rng := rand.New(rand.NewPCG(1, 2))
	set := data.Blobs(rng, 200, 4, 2)
	model := nn.MLP(rng, 2, 16, 4)
	train.Fit(model, set, train.Config{Loss: nn.CrossEntropy, Optimizer: optim.NewAdam(0.01), Epochs: 30, BatchSize: 20})
	m := train.Confusion(train.Predict(model, set.X), set.Y)
	plotting.Confusion(m, []string{"east", "north", "west", "south"}).Show()
}
