package data_test

import (
	"math"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

func TestFolds(t *testing.T) {
	for _, tc := range []struct {
		n, k  int
		sizes []int
	}{
		{10, 3, []int{4, 3, 3}},
		{10, 2, []int{5, 5}},
		{7, 7, []int{1, 1, 1, 1, 1, 1, 1}},
		{11, 5, []int{3, 2, 2, 2, 2}},
		{100, 5, []int{20, 20, 20, 20, 20}},
	} {
		folds := data.Folds(tc.n, tc.k, newRNG(1))
		var sizes, all []int
		for _, f := range folds {
			sizes = append(sizes, len(f))
			all = append(all, f...)
			if !slices.IsSorted(f) {
				t.Errorf("Folds(%d, %d): fold %v is not sorted", tc.n, tc.k, f)
			}
		}
		if !slices.Equal(sizes, tc.sizes) {
			t.Errorf("Folds(%d, %d): sizes %v, want %v", tc.n, tc.k, sizes, tc.sizes)
		}
		if !isPermutation(all, tc.n) {
			t.Errorf("Folds(%d, %d): %v is not a partition of 0..%d", tc.n, tc.k, folds, tc.n-1)
		}
	}
	a, b, c := data.Folds(100, 5, newRNG(2)), data.Folds(100, 5, newRNG(2)), data.Folds(100, 5, newRNG(3))
	if !slices.EqualFunc(a, b, slices.Equal) || slices.EqualFunc(a, c, slices.Equal) {
		t.Errorf("Folds: the same seed should give the same folds, another seed other folds")
	}
	if slices.Equal(a[0], []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}) {
		t.Errorf("Folds did not shuffle: %v", a[0])
	}
}

func TestComplement(t *testing.T) {
	for _, tc := range []struct {
		n        int
		idx, out []int
	}{
		{5, []int{3, 0}, []int{1, 2, 4}},
		{5, []int{3, 3}, []int{0, 1, 2, 4}},
		{3, nil, []int{0, 1, 2}},
		{3, []int{0, 1, 2}, []int{}},
		{0, nil, []int{}},
	} {
		if got := data.Complement(tc.n, tc.idx); !slices.Equal(got, tc.out) {
			t.Errorf("Complement(%d, %v) = %v, want %v", tc.n, tc.idx, got, tc.out)
		}
	}
}

// A tiny hand example of three classes; the comments give what the rule does
// with the thresholds t = [0.7, 0.3875, 0.5].
var (
	handProbs = dl.New([]float64{
		0.8, 0.1, 0.1, // 0, labelled 0: confidently 0
		0.6, 0.3, 0.1, // 1, labelled 0: confidently nothing (0.6 < 0.7)
		0.1, 0.7, 0.2, // 2, labelled 1: confidently 1
		0.5, 0.3, 0.2, // 3, labelled 1: argmax 0, but 0.5 < t[0]: not flagged
		0.1, 0.15, 0.75, // 4, labelled 1: confidently 2: flagged
		0.2, 0.2, 0.6, // 5, labelled 2: confidently 2
		0.3, 0.3, 0.4, // 6, labelled 2: confidently nothing
		0.0, 0.5, 0.5, // 7, labelled 2: 1 and 2 confident and tied: the given label wins
		0.0, 0.4, 0.6, // 8, labelled 1: 1 and 2 confident, 2 larger: flagged
	}, 9, 3)
	handLabels = dl.New([]float64{0, 0, 1, 1, 1, 2, 2, 2, 1})
)

func TestThresholds(t *testing.T) {
	// t[0] = (0.8+0.6)/2; t[1] = (0.7+0.3+0.15+0.4)/4; t[2] = (0.6+0.4+0.5)/3.
	want := []float64{0.7, 0.3875, 0.5}
	got := data.Thresholds(handProbs, handLabels)
	for c := range want {
		if math.Abs(got[c]-want[c]) > 1e-12 {
			t.Errorf("Thresholds = %v, want %v", got, want)
			break
		}
	}
	// A class that no example is labelled with has no threshold, and no
	// example is confidently of it.
	probs := dl.New([]float64{0.9, 0.1, 0, 0.1, 0, 0.9}, 2, 3)
	labels := dl.New([]float64{0, 0})
	if got := data.Thresholds(probs, labels); got[0] != 0.5 || !math.IsNaN(got[1]) || !math.IsNaN(got[2]) {
		t.Errorf("Thresholds with classes 1 and 2 unused = %v, want [0.5 NaN NaN]", got)
	}
	if got := data.FlagLabels(probs, labels); len(got) != 0 {
		t.Errorf("FlagLabels with classes 1 and 2 unused = %v, want none", got)
	}
}

func TestFlagLabelsHand(t *testing.T) {
	if got := data.FlagLabels(handProbs, handLabels); !slices.Equal(got, []int{4, 8}) {
		t.Errorf("FlagLabels = %v, want [4 8]", got)
	}
}

// synthetic returns out-of-fold probabilities [n, classes] for true labels
// i mod classes: the model puts probability conf on its guess, drawn
// uniformly from [lo, hi], and splits the rest at random over the other
// classes. Its guess is the true class, except for a fraction wrong of the
// rows, where it is another class.
func synthetic(n, classes int, lo, hi, wrong float64, seed uint64) *dl.Tensor {
	rng := newRNG(seed)
	p := make([]float64, n*classes)
	for i := range n {
		guess := i % classes
		if rng.Float64() < wrong {
			guess = (guess + 1 + rng.IntN(classes-1)) % classes
		}
		row := p[i*classes : (i+1)*classes]
		conf := lo + (hi-lo)*rng.Float64()
		var sum float64
		for c := range row {
			if c != guess {
				row[c] = rng.Float64()
				sum += row[c]
			}
		}
		for c := range row {
			if c != guess {
				row[c] *= (1 - conf) / sum
			}
		}
		row[guess] = conf
	}
	return dl.New(p, n, classes)
}

func TestFlagLabelsFindsNoise(t *testing.T) {
	const n, classes = 5000, 5
	clean := labelled(n, classes)

	// A confident, always-right model finds exactly the flipped labels.
	probs := synthetic(n, classes, 0.9, 0.9, 0, 1)
	noisy, flipped := data.FlipLabels(clean, 0.1, classes, newRNG(2))
	got := data.FlagLabels(probs, noisy.Y)
	if !slices.Equal(got, flipped) {
		t.Errorf("confident model: flagged %d labels, %d flipped; precision %v, recall %v; want exactly the flipped ones",
			len(got), len(flipped), data.Precision(got, flipped), data.Recall(got, flipped))
	}

	// A model of varied confidence that is wrong on 1% of the rows: most
	// flags are real, and most flipped labels are found (over 30 seeds,
	// precision was at least 0.94 and recall at least 0.69).
	probs = synthetic(n, classes, 0.4, 1, 0.01, 3)
	noisy, flipped = data.FlipLabels(clean, 0.2, classes, newRNG(4))
	got = data.FlagLabels(probs, noisy.Y)
	if p, r := data.Precision(got, flipped), data.Recall(got, flipped); p < 0.9 || r < 0.6 {
		t.Errorf("noisy model: precision %.3f, recall %.3f; want at least 0.9 and 0.6", p, r)
	}
	if !slices.IsSorted(got) {
		t.Errorf("FlagLabels is not sorted")
	}
}

func TestPrecisionRecall(t *testing.T) {
	for _, tc := range []struct {
		flagged, truth []int
		p, r           float64
	}{
		{[]int{1, 2, 3, 4}, []int{2, 4, 6}, 0.5, 2.0 / 3},
		{[]int{4, 2}, []int{2, 4}, 1, 1},
		{[]int{2, 2, 5}, []int{2}, 0.5, 1}, // sets: 2 counts once
		{[]int{7}, []int{2, 4}, 0, 0},
		{nil, []int{1}, 0, 0},
		{[]int{1}, nil, 0, 0},
		{nil, nil, 0, 0},
	} {
		if p := data.Precision(tc.flagged, tc.truth); math.Abs(p-tc.p) > 1e-12 {
			t.Errorf("Precision(%v, %v) = %v, want %v", tc.flagged, tc.truth, p, tc.p)
		}
		if r := data.Recall(tc.flagged, tc.truth); math.Abs(r-tc.r) > 1e-12 {
			t.Errorf("Recall(%v, %v) = %v, want %v", tc.flagged, tc.truth, r, tc.r)
		}
	}
}

func TestRelabel(t *testing.T) {
	clean := labelled(1000, 10)
	noisy, flipped := data.FlipLabels(clean, 0.3, 10, newRNG(1))
	before := noisy.Y.Clone()

	fixed := data.Relabel(noisy, flipped, clean)
	if !slices.Equal(fixed.Y.Data(), clean.Y.Data()) || fixed.X != noisy.X {
		t.Errorf("Relabel of every flipped row did not give the clean labels and the same X")
	}
	half := data.Relabel(noisy, flipped[:len(flipped)/2], clean)
	if got := changed(half.Y, clean.Y); !slices.Equal(got, flipped[len(flipped)/2:]) {
		t.Errorf("Relabel of half the flipped rows: %d still wrong, want %d", len(got), len(flipped)-len(flipped)/2)
	}
	if !slices.Equal(noisy.Y.Data(), before.Data()) {
		t.Errorf("Relabel changed its input")
	}

	// Targets [n, k] are copied row by row.
	s := data.Set{X: dl.New(make([]float64, 3), 3, 1), Y: dl.New([]float64{0, 0, 1, 1, 2, 2}, 3, 2)}
	c := data.Set{X: s.X, Y: dl.New([]float64{9, 9, 8, 8, 7, 7}, 3, 2)}
	if got := data.Relabel(s, []int{2, 0}, c).Y.Data(); !slices.Equal(got, []float64{9, 9, 1, 1, 7, 7}) {
		t.Errorf("Relabel of targets [3 2] = %v, want [9 9 1 1 7 7]", got)
	}
}

func TestFlagPanics(t *testing.T) {
	rng := newRNG(1)
	s := labelled(4, 2)
	probs := dl.New([]float64{0.5, 0.5, 1, 0}, 2, 2)
	labels := dl.New([]float64{0, 1})
	for _, tc := range []struct {
		name, want string
		f          func()
	}{
		{"Folds k 1", "data: Folds: k = 1 folds of n = 5", func() { data.Folds(5, 1, rng) }},
		{"Folds k > n", "data: Folds: k = 6 folds of n = 5", func() { data.Folds(5, 6, rng) }},
		{"Folds nil rng", "data: Folds: rng is nil", func() { data.Folds(5, 2, nil) }},
		{"Complement index", "data: Complement: index 3 out of range for 3 rows", func() { data.Complement(3, []int{3}) }},
		{"Complement n", "data: Complement: n = -1", func() { data.Complement(-1, nil) }},
		{"FlagLabels 1-D probs", "data: FlagLabels: probs of shape [4]", func() { data.FlagLabels(dl.New(make([]float64, 4)), labels) }},
		{"FlagLabels 1 class", "data: FlagLabels: probs of shape [2 1], want [n, classes] with at least 2 classes", func() { data.FlagLabels(dl.New([]float64{1, 1}, 2, 1), labels) }},
		{"FlagLabels labels length", "data: FlagLabels: probs [2 2] and labels [1], want labels [2]", func() { data.FlagLabels(probs, dl.New([]float64{0})) }},
		{"FlagLabels label 2", "data: FlagLabels: label 2 at row 1 is not a class in 0..1", func() { data.FlagLabels(probs, dl.New([]float64{0, 2})) }},
		{"FlagLabels sum", "data: FlagLabels: row 0 of probs sums to 1.4", func() { data.FlagLabels(dl.New([]float64{0.5, 0.9, 1, 0}, 2, 2), labels) }},
		{"FlagLabels negative", "data: FlagLabels: probability -0.5 at row 1, class 1", func() { data.FlagLabels(dl.New([]float64{0.5, 0.5, 1, -0.5}, 2, 2), labels) }},
		{"FlagLabels NaN", "data: FlagLabels: probability NaN", func() { data.FlagLabels(dl.New([]float64{math.NaN(), 0.5, 1, 0}, 2, 2), labels) }},
		{"Thresholds labels", "data: Thresholds: probs [2 2] and labels [3], want labels [2]", func() { data.Thresholds(probs, dl.Zeros(3)) }},
		{"Relabel shape", "data: Relabel: Y [4] and clean Y [5] do not have the same shape", func() { data.Relabel(s, nil, labelled(5, 2)) }},
		{"Relabel index", "data: Relabel: index 4 out of range", func() { data.Relabel(s, []int{4}, s) }},
		{"Relabel no Y", "data: Relabel: s and clean must both have labels", func() { data.Relabel(s, nil, data.Set{X: s.X}) }},
	} {
		t.Run(tc.name, func(t *testing.T) { testutil.Panics(t, tc.want, tc.f) })
	}
}
