package nn_test

import (
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// newRNG returns the seeded generator of the tests.
func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 7)) }

// randn returns a [shape] tensor of standard normal values marked as a
// parameter, so that gradients reach it.
func randn(rng *rand.Rand, shape ...int) *dl.Tensor { return dl.Param(dl.Randn(rng, shape...)) }

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*max(1, math.Abs(b)) }
