package unsup_test

import (
	"math"
	"math/rand/v2"
)

// newRNG returns the seeded generator of the tests.
func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 7)) }

// near reports whether a and b differ by at most tol, relative to b when
// |b| > 1.
func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*max(1, math.Abs(b)) }
