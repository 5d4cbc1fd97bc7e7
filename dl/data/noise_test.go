package data_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

// labelled returns a set of n rows with X row i = [i, 10i, 100i] as [n, 3] and
// Y row i = i mod classes, so that rows can be traced by X and labels count
// evenly.
func labelled(n, classes int) data.Set {
	s := numbered(n)
	y := s.Y.Data()
	for i := range y {
		y[i] = float64(i % classes)
	}
	return s
}

// changed returns the indices where the labels a and b differ.
func changed(a, b *dl.Tensor) []int {
	var out []int
	for i := range a.Data() {
		if a.Data()[i] != b.Data()[i] {
			out = append(out, i)
		}
	}
	return out
}

func TestFlipLabels(t *testing.T) {
	const n = 20000
	for _, tc := range []struct {
		rate    float64
		classes int
	}{
		{0, 10},
		{0.05, 10},
		{0.2, 10},
		{0.2, 2},
		{0.5, 3},
		{1, 10},
		{1, 2},
	} {
		name := fmt.Sprintf("FlipLabels(rate=%v, classes=%d)", tc.rate, tc.classes)
		s := labelled(n, tc.classes)
		before := s.Y.Clone()
		noisy, flipped := data.FlipLabels(s, tc.rate, tc.classes, newRNG(1))

		if got := float64(len(flipped)) / n; math.Abs(got-tc.rate) > 0.01 {
			t.Errorf("%s: realized rate %v, want %v ± 0.01", name, got, tc.rate)
		}
		if want := changed(before, noisy.Y); !slices.Equal(flipped, want) {
			t.Errorf("%s: flipped has %d indices, but %d labels differ (or they are not the same rows)", name, len(flipped), len(want))
		}
		if !slices.IsSorted(flipped) {
			t.Errorf("%s: flipped is not sorted", name)
		}
		for _, i := range flipped {
			if v := noisy.Y.Data()[i]; v == before.Data()[i] || v < 0 || v >= float64(tc.classes) || v != math.Trunc(v) {
				t.Fatalf("%s: row %d: label %v became %v, want another class in 0..%d", name, i, before.Data()[i], v, tc.classes-1)
			}
		}
		if !slices.Equal(s.Y.Data(), before.Data()) {
			t.Errorf("%s: changed its input's labels", name)
		}
		if noisy.X != s.X || !slices.Equal(noisy.Y.Shape(), []int{n}) {
			t.Errorf("%s: X is not the input's X, or Y shape %v is not [%d]", name, noisy.Y.Shape(), n)
		}
	}

	// Same seed, same noise; another seed, other noise.
	s := labelled(1000, 10)
	a, fa := data.FlipLabels(s, 0.3, 10, newRNG(2))
	b, fb := data.FlipLabels(s, 0.3, 10, newRNG(2))
	_, fc := data.FlipLabels(s, 0.3, 10, newRNG(3))
	if !slices.Equal(a.Y.Data(), b.Y.Data()) || !slices.Equal(fa, fb) {
		t.Errorf("FlipLabels with the same seed gave different noise")
	}
	if slices.Equal(fa, fc) {
		t.Errorf("FlipLabels with different seeds flipped the same rows")
	}

	// The new class is uniform over the other classes: with 3 classes, a 0
	// becomes a 1 or a 2 about equally often.
	s = labelled(30000, 3)
	noisy, flipped := data.FlipLabels(s, 1, 3, newRNG(4))
	count := map[float64]int{}
	for _, i := range flipped {
		if s.Y.Data()[i] == 0 {
			count[noisy.Y.Data()[i]]++
		}
	}
	if frac := float64(count[1]) / float64(count[1]+count[2]); math.Abs(frac-0.5) > 0.02 {
		t.Errorf("FlipLabels: a 0 became 1 %d times and 2 %d times, want about half each", count[1], count[2])
	}
}

func TestSwapLabels(t *testing.T) {
	const n = 20000
	s := labelled(n, 10)
	before := s.Y.Clone()
	for _, rate := range []float64{0, 0.3, 1} {
		noisy, flipped := data.SwapLabels(s, 3, 8, rate, newRNG(1))
		if !slices.Equal(flipped, changed(before, noisy.Y)) || !slices.IsSorted(flipped) {
			t.Errorf("SwapLabels(rate=%v): flipped does not list the rows whose label changed", rate)
		}
		for _, i := range flipped {
			old, now := before.Data()[i], noisy.Y.Data()[i]
			if !(old == 3 && now == 8 || old == 8 && now == 3) {
				t.Fatalf("SwapLabels(rate=%v): row %d: %v became %v, want only 3 ↔ 8", rate, i, old, now)
			}
		}
		// Only classes 3 and 8 are candidates: n/5 rows.
		if got := float64(len(flipped)) / (n / 5); math.Abs(got-rate) > 0.025 {
			t.Errorf("SwapLabels(rate=%v): realized rate %v among the 3s and 8s", rate, got)
		}
		if noisy.X != s.X {
			t.Errorf("SwapLabels: X is not the input's X")
		}
	}
	if !slices.Equal(s.Y.Data(), before.Data()) {
		t.Errorf("SwapLabels changed its input's labels")
	}
	a, fa := data.SwapLabels(s, 3, 8, 0.3, newRNG(2))
	b, fb := data.SwapLabels(s, 8, 3, 0.3, newRNG(2))
	if !slices.Equal(a.Y.Data(), b.Y.Data()) || !slices.Equal(fa, fb) {
		t.Errorf("SwapLabels with the same seed gave different noise")
	}
	// Labels other than a and b need only be whole numbers: a class beyond
	// both is fine.
	if _, f := data.SwapLabels(labelled(20, 20), 0, 1, 1, newRNG(1)); !slices.Equal(f, []int{0, 1}) {
		t.Errorf("SwapLabels(0, 1, rate 1) flipped %v, want [0 1]", f)
	}
}

func TestNoisePanics(t *testing.T) {
	s := labelled(10, 3)
	rng := newRNG(1)
	for _, tc := range []struct {
		name, want string
		f          func()
	}{
		{"FlipLabels rate -0.1", "data: FlipLabels: rate -0.1", func() { data.FlipLabels(s, -0.1, 3, rng) }},
		{"FlipLabels rate 1.5", "data: FlipLabels: rate 1.5", func() { data.FlipLabels(s, 1.5, 3, rng) }},
		{"FlipLabels rate NaN", "data: FlipLabels: rate NaN", func() { data.FlipLabels(s, math.NaN(), 3, rng) }},
		{"FlipLabels classes", "data: FlipLabels: 1 classes", func() { data.FlipLabels(s, 0.1, 1, rng) }},
		{"FlipLabels label 2", "data: FlipLabels: label 2 at row 2", func() { data.FlipLabels(s, 0.1, 2, rng) }},
		{"FlipLabels label 0.5", "data: FlipLabels: label 0.5", func() {
			data.FlipLabels(data.Set{X: dl.New([]float64{1}, 1, 1), Y: dl.New([]float64{0.5})}, 0.1, 2, rng)
		}},
		{"FlipLabels nil rng", "data: FlipLabels: rng is nil", func() { data.FlipLabels(s, 0.1, 3, nil) }},
		{"FlipLabels no Y", "data: FlipLabels: Y of shape []", func() { data.FlipLabels(data.Set{X: s.X}, 0.1, 3, rng) }},
		{"FlipLabels Y [n, k]", "data: FlipLabels: Y of shape [10 1]", func() { data.FlipLabels(data.Set{X: s.X, Y: dl.New(make([]float64, 10), 10, 1)}, 0.1, 3, rng) }},
		{"FlipLabels rows", "data: FlipLabels: X [10 3] and Y [9] do not have the same number of rows", func() { data.FlipLabels(data.Set{X: s.X, Y: dl.New(make([]float64, 9))}, 0.1, 3, rng) }},
		{"SwapLabels same", "data: SwapLabels: classes 3 and 3", func() { data.SwapLabels(s, 3, 3, 0.1, rng) }},
		{"SwapLabels negative", "data: SwapLabels: classes -1 and 3", func() { data.SwapLabels(s, -1, 3, 0.1, rng) }},
		{"SwapLabels rate", "data: SwapLabels: rate 2", func() { data.SwapLabels(s, 0, 1, 2, rng) }},
		{"SwapLabels label -1", "data: SwapLabels: label -1 at row 0", func() {
			data.SwapLabels(data.Set{X: dl.New([]float64{1}, 1, 1), Y: dl.New([]float64{-1})}, 0, 1, 0.1, rng)
		}},
		{"SwapLabels nil rng", "data: SwapLabels: rng is nil", func() { data.SwapLabels(s, 0, 1, 0.1, nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) { testutil.Panics(t, tc.want, tc.f) })
	}
}

func ExampleFlipLabels() {
	rng := rand.New(rand.NewPCG(1, 2))
	blobs := data.Blobs(rng, 1000, 3, 0.5)
	noisy, flipped := data.FlipLabels(blobs, 0.2, 3, rng)
	fmt.Printf("%d of %d labels flipped: rate %.3f\n", len(flipped), blobs.Len(), float64(len(flipped))/float64(blobs.Len()))
	i := flipped[0]
	fmt.Printf("row %d: label %v became %v\n", i, blobs.Y.Data()[i], noisy.Y.Data()[i])
	// Output:
	// 217 of 1000 labels flipped: rate 0.217
	// row 0: label 0 became 1
}
