package data_test

import (
	"math"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

func TestSubsample(t *testing.T) {
	for _, tc := range []struct{ n, k int }{
		{10, 0}, {10, 3}, {10, 10}, {1000, 100}, {0, 0},
	} {
		s := numbered(tc.n)
		sub := data.Subsample(s, tc.k, newRNG(1))
		got := ids(t, sub)
		if len(got) != tc.k {
			t.Errorf("Subsample(n=%d, %d): %d rows", tc.n, tc.k, len(got))
		}
		sorted := slices.Sorted(slices.Values(got))
		if len(slices.Compact(sorted)) != tc.k {
			t.Errorf("Subsample(n=%d, %d): rows %v repeat", tc.n, tc.k, got)
		}
		if tc.k == tc.n && !isPermutation(got, tc.n) {
			t.Errorf("Subsample(n=%d, %d): rows %v are not all the rows", tc.n, tc.k, got)
		}
	}

	s := numbered(1000)
	a := ids(t, data.Subsample(s, 200, newRNG(5)))
	b := ids(t, data.Subsample(s, 200, newRNG(5)))
	c := ids(t, data.Subsample(s, 200, newRNG(6)))
	small := ids(t, data.Subsample(s, 50, newRNG(5)))
	if !slices.Equal(a, b) || slices.Equal(a, c) {
		t.Errorf("Subsample: the same seed should give the same rows, another seed other rows")
	}
	if !slices.Equal(small, a[:50]) {
		t.Errorf("Subsample: a sample of 50 is not the start of a sample of 200 with the same seed")
	}
	if slices.IsSorted(a) {
		t.Errorf("Subsample: rows %v are in order, want a random order", a)
	}
	// Drawn uniformly: the mean row number is near the middle.
	var sum float64
	for _, i := range a {
		sum += float64(i)
	}
	if m := sum / 200; math.Abs(m-499.5) > 60 {
		t.Errorf("Subsample: mean row %v, want about 499.5", m)
	}
}

func TestBiased(t *testing.T) {
	s := numbered(100)
	// Keep the even rows by X, the odd ones never.
	even := data.Biased(s, func(x []float64, y float64) float64 {
		if x[0] != y || len(x) != 3 {
			t.Fatalf("keep got x %v and y %v, which do not go together", x, y)
		}
		return 1 - math.Mod(x[0], 2)
	}, newRNG(1))
	got := ids(t, even)
	want := make([]int, 0, 50)
	for i := 0; i < 100; i += 2 {
		want = append(want, i)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Biased(even rows): %v, want %v", got, want)
	}

	// Keep with probability 0.3 on a large set; the rows stay in order.
	big := numbered(20000)
	third := func(x []float64, y float64) float64 { return 0.3 }
	a := ids(t, data.Biased(big, third, newRNG(2)))
	if frac := float64(len(a)) / 20000; math.Abs(frac-0.3) > 0.01 {
		t.Errorf("Biased(0.3): kept %v of the rows", frac)
	}
	if !slices.IsSorted(a) {
		t.Errorf("Biased: kept rows are not in their order")
	}
	if b := ids(t, data.Biased(big, third, newRNG(2))); !slices.Equal(a, b) {
		t.Errorf("Biased with the same seed kept other rows")
	}

	// Without Y, keep sees NaN and the result has no Y.
	noY := data.Biased(data.Set{X: s.X}, func(x []float64, y float64) float64 {
		if !math.IsNaN(y) {
			t.Fatalf("keep got y %v without Y, want NaN", y)
		}
		return 1
	}, newRNG(1))
	if noY.Len() != 100 || noY.Y != nil {
		t.Errorf("Biased without Y: %d rows, Y %v", noY.Len(), noY.Y)
	}

	// An append in keep does not reach the next row.
	data.Biased(s, func(x []float64, y float64) float64 { _ = append(x, -1); return 1 }, newRNG(1))
	if s.X.Data()[3] != 1 {
		t.Errorf("an append in keep changed X: %v", s.X.Data()[:6])
	}
}

func TestClassWeighted(t *testing.T) {
	const n = 30000
	s := labelled(n, 3)
	weights := []float64{1, 0.5, 0.1}
	w := data.ClassWeighted(s, weights, newRNG(1))
	count := make([]int, 3)
	for _, v := range w.Y.Data() {
		count[int(v)]++
	}
	for c, want := range weights {
		if got := float64(count[c]) / (n / 3); math.Abs(got-want) > 0.02 {
			t.Errorf("ClassWeighted: kept %v of class %d, want %v ± 0.02", got, c, want)
		}
	}
	if count[0] != n/3 {
		t.Errorf("ClassWeighted: weight 1 kept %d of %d rows of class 0", count[0], n/3)
	}
	// Rows stay whole and in order.
	x := w.X.Data()
	for i := range w.Len() {
		row := int(x[3*i])
		if i > 0 && row <= int(x[3*(i-1)]) || w.Y.Data()[i] != float64(row%3) {
			t.Fatalf("ClassWeighted: row %d is original row %d with label %v", i, row, w.Y.Data()[i])
		}
	}
	again := data.ClassWeighted(s, weights, newRNG(1))
	if !slices.Equal(again.X.Data(), w.X.Data()) {
		t.Errorf("ClassWeighted with the same seed kept other rows")
	}
	if got := data.ClassWeighted(s, []float64{0, 0, 0}, newRNG(1)).Len(); got != 0 {
		t.Errorf("ClassWeighted(0, 0, 0) kept %d rows", got)
	}
}

func TestSamplePanics(t *testing.T) {
	s := labelled(10, 3)
	rng := newRNG(1)
	one := func(x []float64, y float64) float64 { return 1 }
	for _, tc := range []struct {
		name, want string
		f          func()
	}{
		{"Subsample n 11", "data: Subsample: n = 11 rows from a set of 10", func() { data.Subsample(s, 11, rng) }},
		{"Subsample n -1", "data: Subsample: n = -1", func() { data.Subsample(s, -1, rng) }},
		{"Subsample nil rng", "data: Subsample: rng is nil", func() { data.Subsample(s, 1, nil) }},
		{"Biased 1.5", "data: Biased: keep returned 1.5 for row 0", func() { data.Biased(s, func([]float64, float64) float64 { return 1.5 }, rng) }},
		{"Biased -0.1", "data: Biased: keep returned -0.1", func() { data.Biased(s, func([]float64, float64) float64 { return -0.1 }, rng) }},
		{"Biased NaN", "data: Biased: keep returned NaN", func() { data.Biased(s, func([]float64, float64) float64 { return math.NaN() }, rng) }},
		{"Biased nil keep", "data: Biased: keep is nil", func() { data.Biased(s, nil, rng) }},
		{"Biased nil rng", "data: Biased: rng is nil", func() { data.Biased(s, one, nil) }},
		{"Biased Y [n, k]", "data: Biased: Y of shape [10 2]", func() { data.Biased(data.Set{X: s.X, Y: dl.New(make([]float64, 20), 10, 2)}, one, rng) }},
		{"ClassWeighted empty", "data: ClassWeighted: no weights", func() { data.ClassWeighted(s, nil, rng) }},
		{"ClassWeighted 2", "data: ClassWeighted: weight 2 for class 1", func() { data.ClassWeighted(s, []float64{1, 2, 1}, rng) }},
		{"ClassWeighted label", "data: ClassWeighted: label 2 at row 2", func() { data.ClassWeighted(s, []float64{1, 1}, rng) }},
		{"ClassWeighted nil rng", "data: ClassWeighted: rng is nil", func() { data.ClassWeighted(s, []float64{1, 1, 1}, nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) { testutil.Panics(t, tc.want, tc.f) })
	}
}
