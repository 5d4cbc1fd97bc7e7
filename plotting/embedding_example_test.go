package plotting_test

import (
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/plotting"
)

// Features of 8 dimensions, such as a network's hidden layer, drawn on
// their two main directions and coloured by class.
func ExampleEmbedding() {
	rng := rand.New(rand.NewPCG(1, 2))
	blobs := data.Blobs(rng, 200, 4, 0.5)
	features := dl.Concat(1, blobs.X, dl.Mul(dl.Randn(rng, 200, 6), dl.Scalar(0.1)))
	plotting.Embedding(data.Set{X: features, Y: blobs.Y}, plotting.Options{Title: "features"}).Show()
	// Output:
}
