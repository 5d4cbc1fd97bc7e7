package data

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// truthTable returns the four inputs (0,0), (0,1), (1,0), (1,1) with the
// outputs y, in that order.
func truthTable(y [4]float64) Set {
	x := []float64{0, 0, 0, 1, 1, 0, 1, 1}
	return Set{X: dl.New(x, 4, 2), Y: dl.New(y[:], 4)}
}

// AND returns the truth table of a AND b: X [4, 2] holds the inputs
// (0,0), (0,1), (1,0), (1,1) and Y [4] the outputs 0, 0, 0, 1.
// A single perceptron can learn it: one line separates the classes.
func AND() Set { return truthTable([4]float64{0, 0, 0, 1}) }

// OR returns the truth table of a OR b: X [4, 2] holds the inputs
// (0,0), (0,1), (1,0), (1,1) and Y [4] the outputs 0, 1, 1, 1.
func OR() Set { return truthTable([4]float64{0, 1, 1, 1}) }

// XOR returns the truth table of a XOR b: X [4, 2] holds the inputs
// (0,0), (0,1), (1,0), (1,1) and Y [4] the outputs 0, 1, 1, 0.
// No single line separates its classes, so a single-layer perceptron cannot
// learn it (Minsky & Papert, 1969); a network with a hidden layer can.
func XOR() Set { return truthTable([4]float64{0, 1, 1, 0}) }

// XNOR returns the truth table of a XNOR b (a equals b): X [4, 2] holds the
// inputs (0,0), (0,1), (1,0), (1,1) and Y [4] the outputs 1, 0, 0, 1.
// Like XOR, it is not linearly separable.
func XNOR() Set { return truthTable([4]float64{1, 0, 0, 1}) }

// Blobs returns n points in 2-D drawn from classes Gaussian blobs: X [n, 2],
// Y [n] labels 0..classes-1. The centres lie evenly on a circle of radius 3
// around the origin, the first at (3, 0), and std is the standard deviation
// of each blob. The classes are balanced (their sizes differ by at most one)
// and the rows come in a random order.
//
// Blobs panics if rng is nil, n < 0, classes < 1 or std < 0.
func Blobs(rng *rand.Rand, n, classes int, std float64) Set {
	checkGen("Blobs", rng, n, classes, std, "std")
	return ring(rng, n, classes, 3, std)
}

// Ring returns n points in 2-D drawn from a mixture of modes Gaussians
// whose centres lie evenly on a circle of the given radius around the
// origin, mode k at angle 2πk/modes (the first at (radius, 0)), each with
// standard deviation std in both coordinates: X [n, 2], Y [n] the mode
// index 0..modes-1. It is the standard toy target of a GAN (8 modes on a
// circle of radius 2 with std 0.02 in Metz et al., 2017, Unrolled GANs): a
// generator that covers only some modes shows mode collapse at a glance.
// The modes are balanced (their sizes differ by at most one) and the rows
// come in a random order. RingModes returns the centres and RingDensity
// the density.
//
//	ring := data.Ring(rng, 512, 8, 2, 0.05)
//
// Ring panics if rng is nil, n < 0, modes < 1, radius is negative or not
// finite, or std < 0.
func Ring(rng *rand.Rand, n, modes int, radius, std float64) Set {
	checkGen("Ring", rng, n, modes, std, "std")
	checkRadius("Ring", radius)
	return ring(rng, n, modes, radius, std)
}

// RingModes returns the centres of the modes of Ring as a tensor
// [modes, 2]: row k is radius·(cos 2πk/modes, sin 2πk/modes).
//
// RingModes panics if modes < 1 or radius is negative or not finite.
func RingModes(modes int, radius float64) *dl.Tensor {
	if modes < 1 {
		panic(fmt.Sprintf("data: RingModes: %d modes, want at least 1", modes))
	}
	checkRadius("RingModes", radius)
	c := make([]float64, 0, 2*modes)
	for k := range modes {
		x, y := ringMode(k, modes, radius)
		c = append(c, x, y)
	}
	return dl.New(c, modes, 2)
}

// RingDensity returns the probability density of Ring's distribution at
// (x, y): the mean over the modes of the 2-D Gaussian density
// exp(−d²/2std²)/(2π std²), d the distance to the mode's centre. It is the
// target that plotting.Samples shades behind a GAN's samples:
//
//	plotting.Samples(fake, data.RingDensity(8, 2, 0.05)).Show()
//
// RingDensity panics if modes < 1, radius is negative or not finite, or
// std is not > 0 (a zero std has no density).
func RingDensity(modes int, radius, std float64) func(x, y float64) float64 {
	if modes < 1 {
		panic(fmt.Sprintf("data: RingDensity: %d modes, want at least 1", modes))
	}
	checkRadius("RingDensity", radius)
	centres := RingModes(modes, radius).Data()
	if !(std > 0) || math.IsInf(std, 0) {
		panic(fmt.Sprintf("data: RingDensity: std = %v, want a finite standard deviation > 0", std))
	}
	norm := 1 / (float64(modes) * 2 * math.Pi * std * std)
	return func(x, y float64) float64 {
		sum := 0.0
		for k := 0; k < len(centres); k += 2 {
			dx, dy := x-centres[k], y-centres[k+1]
			sum += math.Exp(-(dx*dx + dy*dy) / (2 * std * std))
		}
		return norm * sum
	}
}

// ring draws the points of Ring (and Blobs, a ring of radius 3), after
// the checks.
func ring(rng *rand.Rand, n, modes int, radius, std float64) Set {
	x := make([]float64, 0, 2*n)
	y := make([]float64, 0, n)
	for k, m := range classSizes(n, modes) {
		cx, cy := ringMode(k, modes, radius)
		for range m {
			x = append(x, cx+std*rng.NormFloat64(), cy+std*rng.NormFloat64())
			y = append(y, float64(k))
		}
	}
	return shuffled(rng, x, y)
}

// ringMode returns the centre of mode k of modes on a circle of the given
// radius: at angle 2πk/modes.
func ringMode(k, modes int, radius float64) (x, y float64) {
	angle := 2 * math.Pi * float64(k) / float64(modes)
	return radius * math.Cos(angle), radius * math.Sin(angle)
}

// checkRadius panics, naming op, unless radius is finite and ≥ 0.
func checkRadius(op string, radius float64) {
	if !(radius >= 0) || math.IsInf(radius, 0) {
		panic(fmt.Sprintf("data: %s: radius = %v, want a finite radius >= 0", op, radius))
	}
}

// Moons returns two interleaving half circles in 2-D, like scikit-learn's
// make_moons: X [n, 2], Y [n] labels 0 and 1. Class 0 is the upper half of
// the unit circle around (0, 0); class 1 is the lower half of the unit circle
// around (1, 0.5). The points are evenly spaced along each arc, then moved by
// Gaussian noise of standard deviation noise (0.1 is a good start). The
// classes are balanced (class 0 gets the extra point when n is odd) and the
// rows come in a random order.
//
// Moons panics if rng is nil, n < 0 or noise < 0.
func Moons(rng *rand.Rand, n int, noise float64) Set {
	checkGen("Moons", rng, n, 2, noise, "noise")
	x := make([]float64, 0, 2*n)
	y := make([]float64, 0, n)
	sizes := classSizes(n, 2)
	for i := range sizes[0] {
		t := linspace(i, sizes[0], math.Pi)
		x = append(x, math.Cos(t), math.Sin(t))
		y = append(y, 0)
	}
	for i := range sizes[1] {
		t := linspace(i, sizes[1], math.Pi)
		x = append(x, 1-math.Cos(t), 0.5-math.Sin(t))
		y = append(y, 1)
	}
	addNoise(rng, x, noise)
	return shuffled(rng, x, y)
}

// Circles returns a circle inside a circle in 2-D, like scikit-learn's
// make_circles: X [n, 2], Y [n] labels 0 and 1. Class 0 lies on the circle
// of radius 1 and class 1 on the circle of radius factor, both around the
// origin, with the points evenly spaced around each circle and then moved by
// Gaussian noise of standard deviation noise (try noise 0.05, factor 0.5).
// The classes are balanced (class 0 gets the extra point when n is odd) and
// the rows come in a random order.
//
// Circles panics if rng is nil, n < 0, noise < 0 or factor is not in [0, 1).
func Circles(rng *rand.Rand, n int, noise, factor float64) Set {
	checkGen("Circles", rng, n, 2, noise, "noise")
	if !(factor >= 0 && factor < 1) {
		panic(fmt.Sprintf("data: Circles: factor %v is not in [0, 1); it is the inner radius over the outer one, e.g. 0.5", factor))
	}
	x := make([]float64, 0, 2*n)
	y := make([]float64, 0, n)
	for c, m := range classSizes(n, 2) {
		r := 1.0
		if c == 1 {
			r = factor
		}
		for i := range m {
			t := 2 * math.Pi * float64(i) / float64(m)
			x = append(x, r*math.Cos(t), r*math.Sin(t))
			y = append(y, float64(c))
		}
	}
	addNoise(rng, x, noise)
	return shuffled(rng, x, y)
}

// Spirals returns classes interleaved spiral arms in 2-D, as in the CS231n
// course notes (Karpathy, 2016): X [n, 2], Y [n] labels 0..classes-1. Each
// arm starts at the origin and winds out to radius 1 while it turns by 4
// radians; the arms start at angles spread evenly around the circle. The
// points are evenly spaced along each arm, then moved by Gaussian noise of
// standard deviation noise (try 0.05 to 0.1; the arms are about
// 2π/classes radians apart at radius 1). The classes are balanced (their
// sizes differ by at most one) and the rows come in a random order.
//
// Spirals panics if rng is nil, n < 0, classes < 1 or noise < 0.
func Spirals(rng *rand.Rand, n, classes int, noise float64) Set {
	checkGen("Spirals", rng, n, classes, noise, "noise")
	const turn = 4 // radians that each arm turns, as in CS231n
	x := make([]float64, 0, 2*n)
	y := make([]float64, 0, n)
	for c, m := range classSizes(n, classes) {
		start := 2 * math.Pi * float64(c) / float64(classes)
		for i := range m {
			r := linspace(i, m, 1)
			t := start + turn*r
			x = append(x, r*math.Sin(t), r*math.Cos(t))
			y = append(y, float64(c))
		}
	}
	addNoise(rng, x, noise)
	return shuffled(rng, x, y)
}

// checkGen checks the arguments common to the point-set generators.
func checkGen(op string, rng *rand.Rand, n, classes int, spread float64, name string) {
	needRNG(op, rng)
	if n < 0 {
		panic(fmt.Sprintf("data: %s: n = %d points, want n >= 0", op, n))
	}
	if classes < 1 {
		panic(fmt.Sprintf("data: %s: %d classes, want at least 1", op, classes))
	}
	if !(spread >= 0) {
		panic(fmt.Sprintf("data: %s: %s = %v, want a standard deviation >= 0", op, name, spread))
	}
}

// classSizes splits n points into classes sizes that differ by at most one;
// the first classes get the extra points.
func classSizes(n, classes int) []int {
	sizes := make([]int, classes)
	for c := range sizes {
		sizes[c] = n / classes
		if c < n%classes {
			sizes[c]++
		}
	}
	return sizes
}

// linspace returns the i-th of m evenly spaced values from 0 to end, both
// included, like numpy.linspace(0, end, m)[i]. With m = 1 it is 0.
func linspace(i, m int, end float64) float64 {
	if m == 1 {
		return 0
	}
	return end * float64(i) / float64(m-1)
}

// addNoise adds Gaussian noise of standard deviation std to each value of x.
func addNoise(rng *rand.Rand, x []float64, std float64) {
	if std == 0 {
		return
	}
	for i := range x {
		x[i] += std * rng.NormFloat64()
	}
}

// shuffled makes a set of 2-D points x [n, 2] and labels y [n], with its
// rows in a random order drawn from rng.
func shuffled(rng *rand.Rand, x, y []float64) Set {
	return Shuffle(Set{X: dl.New(x, len(y), 2), Y: dl.New(y, len(y))}, rng)
}
