package unsup_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/unsup"
)

// sameGroups reports whether labels split the rows as truth does, up to a
// renaming of the groups.
func sameGroups(labels []int, truth []float64) bool {
	toLabel := map[float64]int{}
	toTruth := map[int]float64{}
	for i, l := range labels {
		c := truth[i]
		if got, ok := toLabel[c]; ok && got != l {
			return false
		}
		if got, ok := toTruth[l]; ok && got != c {
			return false
		}
		toLabel[c], toTruth[l] = l, c
	}
	return true
}

func TestKMeansRecoversBlobs(t *testing.T) {
	for seed := range uint64(10) {
		rng := newRNG(seed)
		blobs := data.Blobs(rng, 150, 3, 0.3)
		km := unsup.KMeans(blobs.X, 3, 100, rng)
		if !sameGroups(km.Labels, blobs.Y.Data()) {
			t.Errorf("seed %d: labels do not match the 3 blobs up to renaming", seed)
		}
		if !slices.Equal(km.Centers.Shape(), []int{3, 2}) {
			t.Errorf("seed %d: Centers shape %v; want [3 2]", seed, km.Centers.Shape())
		}
		// The centres of Blobs lie on a circle of radius 3.
		c := km.Centers.Data()
		for i := range 3 {
			if r2 := c[2*i]*c[2*i] + c[2*i+1]*c[2*i+1]; !near(r2, 9, 0.1) {
				t.Errorf("seed %d: centre %d at %v, squared radius %.3f; want near 9", seed, i, c[2*i:2*i+2], r2)
			}
		}
	}
}

// checkKMeans checks the invariants of a result for x [n, d] and k.
func checkKMeans(t *testing.T, name string, x *dl.Tensor, k, maxIter int, km unsup.KMeansResult) {
	t.Helper()
	n, d := x.Shape()[0], x.Shape()[1]
	if km.Iterations < 1 || km.Iterations > maxIter || len(km.Inertia) != km.Iterations {
		t.Errorf("%s: %d iterations, %d inertia values, maxIter %d", name, km.Iterations, len(km.Inertia), maxIter)
	}
	for i := 1; i < len(km.Inertia); i++ {
		if km.Inertia[i] > km.Inertia[i-1]*(1+1e-12) {
			t.Errorf("%s: inertia rose from %v to %v at iteration %d", name, km.Inertia[i-1], km.Inertia[i], i+1)
		}
	}
	// Each label is that of the nearest centre, and the last inertia is
	// that of Centers and Labels.
	xs, cs := x.Data(), km.Centers.Data()
	dist := func(i, c int) float64 {
		var s float64
		for j := range d {
			s += (xs[i*d+j] - cs[c*d+j]) * (xs[i*d+j] - cs[c*d+j])
		}
		return s
	}
	var inertia float64
	for i, l := range km.Labels {
		for c := range k {
			if dist(i, c) < dist(i, l) {
				t.Errorf("%s: row %d has label %d, but centre %d is nearer", name, i, l, c)
			}
		}
		inertia += dist(i, l)
	}
	if last := km.Inertia[len(km.Inertia)-1]; !near(last, inertia, 1e-9) {
		t.Errorf("%s: last inertia %v; Centers and Labels give %v", name, last, inertia)
	}
	if len(km.Labels) != n {
		t.Errorf("%s: %d labels for %d rows", name, len(km.Labels), n)
	}
}

func TestKMeansInertiaNonIncreasing(t *testing.T) {
	for _, k := range []int{1, 2, 5, 8} {
		for seed := range uint64(5) {
			rng := newRNG(seed)
			x := data.Blobs(rng, 200, 4, 1.5).X // overlapping blobs: many iterations
			km := unsup.KMeans(x, k, 100, rng)
			checkKMeans(t, fmt.Sprintf("k=%d seed=%d", k, seed), x, k, 100, km)
		}
	}
}

func TestKMeansConvergedCentersAreMeans(t *testing.T) {
	rng := newRNG(3)
	x := data.Blobs(rng, 300, 5, 1.2).X
	km := unsup.KMeans(x, 5, 1000, rng)
	if km.Iterations == 1000 {
		t.Fatalf("did not converge in 1000 iterations")
	}
	sums := make([]float64, 10)
	counts := make([]float64, 5)
	for i, l := range km.Labels {
		counts[l]++
		sums[2*l] += x.Data()[2*i]
		sums[2*l+1] += x.Data()[2*i+1]
	}
	for j, s := range sums {
		if mean := s / counts[j/2]; !near(km.Centers.Data()[j], mean, 1e-9) {
			t.Errorf("centre value %d is %v; the mean of its rows is %v", j, km.Centers.Data()[j], mean)
		}
	}
}

func TestKMeansEdgeCases(t *testing.T) {
	x := dl.New([]float64{0, 0, 1, 0, 0, 1, 5, 5, 5, 6}, 5, 2)

	// k = n: every row is its own centre.
	km := unsup.KMeans(x, 5, 10, newRNG(1))
	checkKMeans(t, "k=n", x, 5, 10, km)
	if km.Inertia[len(km.Inertia)-1] != 0 {
		t.Errorf("k = n: inertia %v; want 0", km.Inertia)
	}

	// maxIter = 1: the k-means++ centres are rows of x.
	km = unsup.KMeans(x, 2, 1, newRNG(1))
	checkKMeans(t, "maxIter=1", x, 2, 1, km)
	for c := range 2 {
		centre := km.Centers.Data()[2*c : 2*c+2]
		found := false
		for i := range 5 {
			found = found || slices.Equal(centre, x.Data()[2*i:2*i+2])
		}
		if !found {
			t.Errorf("maxIter=1: centre %v is not a row of x", centre)
		}
	}

	// Identical rows: more groups than distinct points.
	same := dl.Full(2, 6, 3)
	km = unsup.KMeans(same, 3, 10, newRNG(1))
	checkKMeans(t, "identical rows", same, 3, 10, km)
}

func TestKMeansDeterminism(t *testing.T) {
	x := data.Blobs(newRNG(9), 200, 4, 1.5).X
	a := unsup.KMeans(x, 4, 100, newRNG(5))
	b := unsup.KMeans(x, 4, 100, newRNG(5))
	if !slices.Equal(a.Labels, b.Labels) || !slices.Equal(a.Centers.Data(), b.Centers.Data()) ||
		!slices.Equal(a.Inertia, b.Inertia) || a.Iterations != b.Iterations {
		t.Errorf("two runs with the same seed differ")
	}
}

func TestKMeansPanics(t *testing.T) {
	x := dl.Zeros(4, 2)
	rng := newRNG(1)
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"vector", "x has shape [4]; want [n, d]", func() { unsup.KMeans(dl.Zeros(4), 1, 10, rng) }},
		{"k=0", "k = 0 for 4 rows", func() { unsup.KMeans(x, 0, 10, rng) }},
		{"k>n", "k = 5 for 4 rows", func() { unsup.KMeans(x, 5, 10, rng) }},
		{"maxIter=0", "maxIter = 0", func() { unsup.KMeans(x, 2, 0, rng) }},
		{"nil rng", "rng is nil", func() { unsup.KMeans(x, 2, 10, nil) }},
	} {
		t.Run(c.name, func(t *testing.T) { testutil.Panics(t, "unsup: KMeans: "+c.want, c.f) })
	}
}
