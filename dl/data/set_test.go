package data_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }

// numbered returns a set of n rows whose X row i is [i, 10i, 100i] as [n, 3]
// and whose Y is i, so that every row can be traced.
func numbered(n int) data.Set {
	x := make([]float64, 0, 3*n)
	y := make([]float64, 0, n)
	for i := range n {
		x = append(x, float64(i), float64(10*i), float64(100*i))
		y = append(y, float64(i))
	}
	return data.Set{X: dl.New(x, n, 3), Y: dl.New(y, n)}
}

// ids returns the row numbers of a subset of numbered, and checks that X and
// Y still go together.
func ids(t *testing.T, s data.Set) []int {
	t.Helper()
	n := s.Len()
	if got := s.X.Shape(); !slices.Equal(got, []int{n, 3}) {
		t.Fatalf("X shape %v, want [%d 3]", got, n)
	}
	if got := s.Y.Shape(); !slices.Equal(got, []int{n}) {
		t.Fatalf("Y shape %v, want [%d]", got, n)
	}
	out := make([]int, n)
	for i := range n {
		x, y := s.X.Data()[3*i:3*i+3], s.Y.Data()[i]
		if x[0] != y || x[1] != 10*y || x[2] != 100*y {
			t.Fatalf("row %d: X %v and Y %v do not go together", i, x, y)
		}
		out[i] = int(y)
	}
	return out
}

func isPermutation(idx []int, n int) bool {
	s := slices.Sorted(slices.Values(idx))
	for i, v := range s {
		if v != i {
			return false
		}
	}
	return len(s) == n
}

func TestLen(t *testing.T) {
	if got := (data.Set{}).Len(); got != 0 {
		t.Errorf("zero Set Len = %d, want 0", got)
	}
	if got := numbered(7).Len(); got != 7 {
		t.Errorf("Len = %d, want 7", got)
	}
}

func TestSubset(t *testing.T) {
	s := numbered(5)
	sub := s.Subset([]int{4, 0, 4, 2})
	if got := ids(t, sub); !slices.Equal(got, []int{4, 0, 4, 2}) {
		t.Errorf("Subset rows %v, want [4 0 4 2]", got)
	}
	sub.X.Data()[0] = -1
	sub.Y.Data()[0] = -1
	if s.X.Data()[12] != 4 || s.Y.Data()[4] != 4 {
		t.Errorf("changing the subset changed the original")
	}
	if got := s.Subset(nil).Len(); got != 0 {
		t.Errorf("Subset(nil).Len = %d, want 0", got)
	}

	// Higher-rank X and regression targets [n, k] keep their trailing shape.
	img := data.Set{X: dl.New(make([]float64, 3*2*2), 3, 2, 2), Y: dl.New([]float64{1, 2, 3, 4, 5, 6}, 3, 2)}
	sub = img.Subset([]int{2, 1})
	if !slices.Equal(sub.X.Shape(), []int{2, 2, 2}) || !slices.Equal(sub.Y.Shape(), []int{2, 2}) {
		t.Errorf("Subset shapes X %v Y %v, want [2 2 2] and [2 2]", sub.X.Shape(), sub.Y.Shape())
	}
	if !slices.Equal(sub.Y.Data(), []float64{5, 6, 3, 4}) {
		t.Errorf("Subset Y %v, want [5 6 3 4]", sub.Y.Data())
	}

	// A set without targets stays without.
	if sub := (data.Set{X: s.X}).Subset([]int{1}); sub.Y != nil || sub.Len() != 1 {
		t.Errorf("Subset of a set without Y: Y %v, Len %d", sub.Y, sub.Len())
	}
}

// Head and Slice give runs of rows, copied, like a Go slice expression.
func TestHeadSlice(t *testing.T) {
	s := numbered(5)
	for _, tc := range []struct {
		name string
		got  data.Set
		want []int
	}{
		{"Head(2)", s.Head(2), []int{0, 1}},
		{"Head(5)", s.Head(5), []int{0, 1, 2, 3, 4}},
		{"Head(0)", s.Head(0), []int{}},
		{"Slice(1, 4)", s.Slice(1, 4), []int{1, 2, 3}},
		{"Slice(4, 5)", s.Slice(4, 5), []int{4}},
		{"Slice(3, 3)", s.Slice(3, 3), []int{}},
	} {
		if got := ids(t, tc.got); !slices.Equal(got, tc.want) {
			t.Errorf("%s: rows %v, want %v", tc.name, got, tc.want)
		}
	}
	head := s.Head(1)
	head.X.Data()[0], head.Y.Data()[0] = -1, -1
	if s.X.Data()[0] != 0 || s.Y.Data()[0] != 0 {
		t.Errorf("changing Head's rows changed the original")
	}
	if h := (data.Set{X: s.X}).Head(2); h.Y != nil || h.Len() != 2 {
		t.Errorf("Head of a set without Y: Y %v, Len %d", h.Y, h.Len())
	}
	if h := (data.Set{}).Head(0); h.Len() != 0 {
		t.Errorf("Head(0) of the zero Set: Len %d", h.Len())
	}
}

// Labels gives the class labels as ints, from Y [n] or [n, 1].
func TestLabels(t *testing.T) {
	if got := numbered(4).Labels(); !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Errorf("Labels of [n] = %v, want [0 1 2 3]", got)
	}
	hinge := data.Set{X: dl.Zeros(3, 2), Y: dl.New([]float64{-1, 1, -1}, 3, 1)}
	if got := hinge.Labels(); !slices.Equal(got, []int{-1, 1, -1}) {
		t.Errorf("Labels of [n, 1] = %v, want [-1 1 -1]", got)
	}
	s := numbered(2)
	s.Labels()[0] = 7
	if s.Y.Data()[0] != 0 {
		t.Errorf("changing Labels' slice changed Y")
	}
}

func TestPanics(t *testing.T) {
	s := numbered(4)
	bad := data.Set{X: dl.New(make([]float64, 6), 3, 2), Y: dl.New(make([]float64, 2), 2)}
	rng := newRNG(1)
	for _, tc := range []struct {
		name, want string
		f          func()
	}{
		{"Subset index 4", "data: Subset: index 4 out of range", func() { s.Subset([]int{0, 4}) }},
		{"Subset index -1", "data: Subset: index -1 out of range", func() { s.Subset([]int{-1}) }},
		{"Head -1", "data: Head: -1 rows of a set of 4; want 0 <= n <= 4", func() { s.Head(-1) }},
		{"Head 5", "data: Head: 5 rows of a set of 4; want 0 <= n <= 4", func() { s.Head(5) }},
		{"Head rows mismatch", "data: Head: X [3 2] and Y [2] do not have the same number of rows", func() { bad.Head(1) }},
		{"Slice to > n", "data: Slice: rows [0:5] of a set of 4; want 0 <= from <= to <= 4", func() { s.Slice(0, 5) }},
		{"Slice from < 0", "data: Slice: rows [-1:2] of a set of 4", func() { s.Slice(-1, 2) }},
		{"Slice from > to", "data: Slice: rows [3:2] of a set of 4", func() { s.Slice(3, 2) }},
		{"Labels no Y", "data: Labels: Y of shape [], want class labels [4]", func() { data.Set{X: s.X}.Labels() }},
		{"Labels [n, 3]", "data: Labels: Y of shape [4 3], want class labels [4]", func() { data.Set{X: s.X, Y: s.X}.Labels() }},
		{"Labels 0.5", "data: Labels: label 0.5 at row 1 is not a whole number", func() {
			data.Set{X: dl.Zeros(2, 1), Y: dl.New([]float64{1, 0.5})}.Labels()
		}},
		{"Labels NaN", "data: Labels: label NaN at row 0", func() { data.Set{X: dl.Zeros(1, 1), Y: dl.New([]float64{math.NaN()})}.Labels() }},
		{"Subset rows mismatch", "data: Subset: X [3 2] and Y [2] do not have the same number of rows", func() { bad.Subset([]int{0}) }},
		{"Split 0", "data: Split: testFrac 0", func() { data.Split(s, 0, rng) }},
		{"Split 1", "data: Split: testFrac 1", func() { data.Split(s, 1, rng) }},
		{"Split NaN", "data: Split: testFrac NaN", func() { data.Split(s, math.NaN(), rng) }},
		{"Split nil rng", "data: Split: rng is nil", func() { data.Split(s, 0.5, nil) }},
		{"Batches 0", "data: Batches: batch size 0", func() { data.Batches(s, 0, nil) }},
		{"Shuffle nil rng", "data: Shuffle: rng is nil", func() { data.Shuffle(s, nil) }},
		{"OneHot 2-D", "data: OneHot: labels of shape [4 3]", func() { data.OneHot(s.X, 3) }},
		{"OneHot classes", "data: OneHot: 0 classes", func() { data.OneHot(s.Y, 0) }},
		{"OneHot label 3", "data: OneHot: label 3 at row 3", func() { data.OneHot(s.Y, 3) }},
		{"OneHot label 0.5", "data: OneHot: label 0.5", func() { data.OneHot(dl.New([]float64{0.5}), 3) }},
		{"OneHot label -1", "data: OneHot: label -1", func() { data.OneHot(dl.New([]float64{-1}), 3) }},
		{"Standardize empty", "data: Standardize: train is empty", func() { data.Standardize(s.Subset(nil), s) }},
		{"Standardize features", "data: Standardize: train X [4 3] and test X [1 2] do not have the same features", func() { data.Standardize(s, data.Set{X: dl.New(make([]float64, 2), 1, 2)}) }},
		{"Blobs nil rng", "data: Blobs: rng is nil", func() { data.Blobs(nil, 10, 2, 1) }},
		{"Blobs n", "data: Blobs: n = -1", func() { data.Blobs(rng, -1, 2, 1) }},
		{"Blobs classes", "data: Blobs: 0 classes", func() { data.Blobs(rng, 10, 0, 1) }},
		{"Blobs std", "data: Blobs: std = -1", func() { data.Blobs(rng, 10, 2, -1) }},
		{"Moons noise", "data: Moons: noise = -0.1", func() { data.Moons(rng, 10, -0.1) }},
		{"Circles factor 1", "data: Circles: factor 1", func() { data.Circles(rng, 10, 0.1, 1) }},
		{"Circles factor -0.5", "data: Circles: factor -0.5", func() { data.Circles(rng, 10, 0.1, -0.5) }},
		{"Spirals classes", "data: Spirals: 0 classes", func() { data.Spirals(rng, 10, 0, 0.1) }},
		{"Spirals noise NaN", "data: Spirals: noise = NaN", func() { data.Spirals(rng, 10, 3, math.NaN()) }},
	} {
		t.Run(tc.name, func(t *testing.T) { testutil.Panics(t, tc.want, tc.f) })
	}
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		n        int
		frac     float64
		wantTest int
	}{
		{10, 0.2, 2},
		{10, 0.25, 3}, // 2.5 rounds away from zero
		{7, 0.5, 4},   // 3.5 rounds up
		{100, 0.3, 30},
		{3, 0.1, 0}, // a tiny test set may be empty
		{1, 0.9, 1}, // and so may train
		{0, 0.5, 0},
	} {
		s := numbered(tc.n)
		train, test := data.Split(s, tc.frac, newRNG(1))
		if test.Len() != tc.wantTest || train.Len() != tc.n-tc.wantTest {
			t.Errorf("Split(n=%d, %v): train %d, test %d rows; want %d, %d",
				tc.n, tc.frac, train.Len(), test.Len(), tc.n-tc.wantTest, tc.wantTest)
			continue
		}
		all := append(ids(t, train), ids(t, test)...)
		if !isPermutation(all, tc.n) {
			t.Errorf("Split(n=%d, %v): train ∪ test rows %v are not a permutation of 0..%d", tc.n, tc.frac, all, tc.n-1)
		}
	}

	// Same seed, same split; another seed, another one; and it is shuffled.
	s := numbered(50)
	a, _ := data.Split(s, 0.2, newRNG(3))
	b, _ := data.Split(s, 0.2, newRNG(3))
	c, _ := data.Split(s, 0.2, newRNG(4))
	if !slices.Equal(ids(t, a), ids(t, b)) {
		t.Errorf("Split with the same seed gave different splits")
	}
	if slices.Equal(ids(t, a), ids(t, c)) {
		t.Errorf("Split with different seeds gave the same split")
	}
	if slices.IsSorted(ids(t, a)) {
		t.Errorf("Split did not shuffle: train rows %v", ids(t, a))
	}
}

func TestShuffle(t *testing.T) {
	s := numbered(20)
	a := ids(t, data.Shuffle(s, newRNG(1)))
	if !isPermutation(a, 20) || slices.IsSorted(a) {
		t.Errorf("Shuffle rows %v, want a shuffled permutation of 0..19", a)
	}
	if b := ids(t, data.Shuffle(s, newRNG(1))); !slices.Equal(a, b) {
		t.Errorf("Shuffle with the same seed: %v and %v", a, b)
	}
	if got := ids(t, s); !slices.IsSorted(got) {
		t.Errorf("Shuffle changed its input: %v", got)
	}
}

func TestBatches(t *testing.T) {
	for _, tc := range []struct {
		n, size int
		want    []int // batch sizes
	}{
		{10, 3, []int{3, 3, 3, 1}},
		{9, 3, []int{3, 3, 3}},
		{2, 5, []int{2}},
		{5, 1, []int{1, 1, 1, 1, 1}},
		{0, 4, nil},
	} {
		for _, rng := range []*rand.Rand{nil, newRNG(7)} {
			bs := data.Batches(numbered(tc.n), tc.size, rng)
			var sizes, all []int
			for _, b := range bs {
				sizes = append(sizes, b.Len())
				all = append(all, ids(t, b)...)
			}
			if !slices.Equal(sizes, tc.want) {
				t.Errorf("Batches(n=%d, size=%d, rng=%v): sizes %v, want %v", tc.n, tc.size, rng != nil, sizes, tc.want)
			}
			if !isPermutation(all, tc.n) {
				t.Errorf("Batches(n=%d, size=%d): rows %v do not cover each row once", tc.n, tc.size, all)
			}
			if rng == nil && !slices.IsSorted(all) {
				t.Errorf("Batches(n=%d, size=%d, nil): rows %v, want them in order", tc.n, tc.size, all)
			}
		}
	}

	var all []int
	for _, b := range data.Batches(numbered(30), 8, newRNG(1)) {
		all = append(all, ids(t, b)...)
	}
	if slices.IsSorted(all) {
		t.Errorf("Batches with an rng did not shuffle: %v", all)
	}
}

func TestOneHot(t *testing.T) {
	got := data.OneHot(dl.New([]float64{2, 0, 1, 2}), 3)
	want := []float64{
		0, 0, 1,
		1, 0, 0,
		0, 1, 0,
		0, 0, 1,
	}
	if !slices.Equal(got.Shape(), []int{4, 3}) || !slices.Equal(got.Data(), want) {
		t.Errorf("OneHot = %v %v, want [4 3] %v", got.Shape(), got.Data(), want)
	}
	if got := data.OneHot(dl.New(nil, 0), 2); !slices.Equal(got.Shape(), []int{0, 2}) {
		t.Errorf("OneHot of no labels: shape %v, want [0 2]", got.Shape())
	}
}

func TestStandardize(t *testing.T) {
	rng := newRNG(5)
	// Features with different scales and offsets, and a constant one.
	mk := func(n int) data.Set {
		x := make([]float64, 0, 3*n)
		for range n {
			x = append(x, 100+20*rng.NormFloat64(), -3+0.01*rng.NormFloat64(), 7)
		}
		return data.Set{X: dl.New(x, n, 3), Y: dl.New(make([]float64, n), n)}
	}
	train, test := mk(500), mk(100)
	testBefore := test.X.Clone().Data()
	trainBefore := train.X.Clone().Data()
	st, ss := data.Standardize(train, test)
	if !slices.Equal(st.X.Shape(), []int{500, 3}) || !slices.Equal(ss.X.Shape(), []int{100, 3}) {
		t.Fatalf("shapes %v %v, want [500 3] [100 3]", st.X.Shape(), ss.X.Shape())
	}
	for j := range 3 {
		var sum, sq float64
		for i := range 500 {
			sum += st.X.Data()[3*i+j]
		}
		mean := sum / 500
		for i := range 500 {
			d := st.X.Data()[3*i+j] - mean
			sq += d * d
		}
		std := math.Sqrt(sq / 500)
		wantStd := 1.0
		if j == 2 {
			wantStd = 0 // constant: only shifted to 0
		}
		if math.Abs(mean) > 1e-9 || math.Abs(std-wantStd) > 1e-9 {
			t.Errorf("feature %d: mean %v std %v, want 0 and %v", j, mean, std, wantStd)
		}
	}
	// Test uses train's statistics: its first feature was on the same scale,
	// so it ends near 0 and 1 but not exactly.
	if !slices.Equal(test.X.Data(), testBefore) || !slices.Equal(train.X.Data(), trainBefore) {
		t.Errorf("Standardize changed its inputs")
	}
	var sum float64
	for i := range 100 {
		sum += ss.X.Data()[3*i]
	}
	if m := sum / 100; math.Abs(m) > 0.3 || m == 0 {
		t.Errorf("test feature 0 mean %v, want near but not exactly 0", m)
	}
	if ss.X.Data()[2] != 0 {
		t.Errorf("constant feature in test = %v, want 0", ss.X.Data()[2])
	}
}
