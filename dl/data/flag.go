package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dlnb/dlnb/dl"
)

// Folds returns a random partition of the rows 0..n-1 into k folds of
// near-equal size (they differ by at most one row; the first folds get the
// extra rows). Each fold is sorted. Every row is in exactly one fold, so a
// model trained on the other folds ([Complement]) can predict each fold's
// rows without having seen their labels: out-of-fold predictions, which
// [FlagLabels] needs.
//
//	probs := dl.Zeros(n, classes) // out-of-fold probabilities
//	for _, fold := range data.Folds(n, 5, rng) {
//		model := fit(s.Subset(data.Complement(n, fold)))            // train without the fold
//		p := dl.Softmax(model.Forward(s.Subset(fold).X), 1).Data() // [len(fold), classes]
//		for j, i := range fold {
//			copy(probs.Data()[i*classes:(i+1)*classes], p[j*classes:(j+1)*classes])
//		}
//	}
//	flagged := data.FlagLabels(probs, s.Y)
//
// Folds panics if k < 2 or k > n, or if rng is nil.
func Folds(n, k int, rng *rand.Rand) [][]int {
	if k < 2 || k > n {
		panic(fmt.Sprintf("data: Folds: k = %d folds of n = %d rows, want 2 <= k <= n", k, n))
	}
	needRNG("Folds", rng)
	perm := rng.Perm(n)
	folds := make([][]int, k)
	start := 0
	for f, size := range classSizes(n, k) {
		folds[f] = slices.Sorted(slices.Values(perm[start : start+size]))
		start += size
	}
	return folds
}

// Complement returns the rows of 0..n-1 that are not in idx, in increasing
// order: the training rows for a fold of [Folds], or the rows a list of
// flagged indices leaves.
//
// Complement panics if n < 0 or an index of idx is not in 0..n-1.
func Complement(n int, idx []int) []int {
	if n < 0 {
		panic(fmt.Sprintf("data: Complement: n = %d, want n >= 0", n))
	}
	in := make([]bool, n)
	for _, i := range idx {
		if i < 0 || i >= n {
			panic(fmt.Sprintf("data: Complement: index %d out of range for %d rows", i, n))
		}
		in[i] = true
	}
	out := make([]int, 0, n)
	for i, v := range in {
		if !v {
			out = append(out, i)
		}
	}
	return out
}

// Thresholds returns the per-class thresholds of confident learning
// (Northcutt, Jiang & Chuang, 2021): t[c] is the mean predicted probability
// of class c over the examples labelled c, the model's average confidence in
// its own class. probs [n, classes] are out-of-fold predicted probabilities
// (each row sums to 1) and labels [n] the given labels. A class that no
// example is labelled with has threshold NaN.
//
// Thresholds panics as [FlagLabels] does.
func Thresholds(probs, labels *dl.Tensor) []float64 {
	p, y, classes := checkProbs("Thresholds", probs, labels)
	return thresholds(p, y, classes)
}

// FlagLabels returns the indices of the examples whose given label is likely
// wrong, in increasing order, by the confident-learning rule (Northcutt, Jiang
// & Chuang, 2021, "Confident Learning: Estimating Uncertainty in Dataset
// Labels"). probs [n, classes] are out-of-fold predicted probabilities (each
// row sums to 1; see [Folds]) and labels [n] the given labels, in
// 0..classes-1.
//
// With the per-class thresholds t of [Thresholds], example i is confidently
// of class c when probs[i, c] >= t[c]; its confident class is the one of
// largest probability among those (ties go to the given label, then to the
// lower class). The example is flagged when it has a confident class and that
// class is not its given label: the off-diagonal of the confident joint,
// cleanlab's filter_by="confident_learning". As in cleanlab, the comparison
// allows 1e-6 for rounding. An example that is confidently of no class is not
// flagged.
//
// The flags are a guess, and only as good as the model: measure them against
// the truth with [Precision] and [Recall], and fix them with [Relabel].
//
// FlagLabels panics if probs is not [n, classes] with classes >= 2, if a
// probability is not in [0, 1] or a row does not sum to 1 (to within 1e-6),
// or if labels is not [n] or a label is not a class in 0..classes-1.
func FlagLabels(probs, labels *dl.Tensor) []int {
	p, y, classes := checkProbs("FlagLabels", probs, labels)
	t := thresholds(p, y, classes)
	var flagged []int
	for i, v := range y {
		given := int(v)
		row := p[i*classes : (i+1)*classes]
		best := -1
		for c, pc := range row {
			if !(pc >= t[c]-1e-6) { // false for a NaN threshold too
				continue
			}
			if best < 0 || pc > row[best] || (pc == row[best] && c == given) {
				best = c
			}
		}
		if best >= 0 && best != given {
			flagged = append(flagged, i)
		}
	}
	return flagged
}

// thresholds computes the per-class thresholds of [Thresholds] from checked
// probabilities p [n*classes] and labels y [n].
func thresholds(p, y []float64, classes int) []float64 {
	sum := make([]float64, classes)
	count := make([]int, classes)
	for i, v := range y {
		c := int(v)
		sum[c] += p[i*classes+c]
		count[c]++
	}
	t := make([]float64, classes)
	for c := range t {
		t[c] = sum[c] / float64(count[c]) // 0/0 = NaN for a class with no examples
	}
	return t
}

// checkProbs checks probs [n, classes] and labels [n] for op, and returns
// their data and the number of classes.
func checkProbs(op string, probs, labels *dl.Tensor) (p, y []float64, classes int) {
	notNil(op, "probs", probs)
	notNil(op, "labels", labels)
	if probs.Dim() != 2 || probs.Shape()[1] < 2 {
		panic(fmt.Sprintf("data: %s: probs of shape %v, want [n, classes] with at least 2 classes", op, probs.Shape()))
	}
	n, classes := probs.Shape()[0], probs.Shape()[1]
	if labels.Dim() != 1 || labels.Shape()[0] != n {
		panic(fmt.Sprintf("data: %s: probs %v and labels %v, want labels [%d]", op, probs.Shape(), labels.Shape(), n))
	}
	p, y = probs.Data(), labels.Data()
	checkClasses(op, y, classes)
	for i := range n {
		var sum float64
		for c, v := range p[i*classes : (i+1)*classes] {
			if !(v >= 0 && v <= 1) {
				panic(fmt.Sprintf("data: %s: probability %v at row %d, class %d is not in [0, 1]; apply dl.Softmax to logits", op, v, i, c))
			}
			sum += v
		}
		if math.Abs(sum-1) > 1e-6 {
			panic(fmt.Sprintf("data: %s: row %d of probs sums to %v, want 1; apply dl.Softmax to logits", op, i, sum))
		}
	}
	return p, y, classes
}

// Precision returns the fraction of flagged that are in truth: of the labels
// a method flags, how many are really wrong. The two are sets of indices
// (an index listed twice counts once). With nothing flagged it returns 0,
// as scikit-learn does by default.
func Precision(flagged, truth []int) float64 {
	hit, n := overlap(flagged, truth)
	if n == 0 {
		return 0
	}
	return float64(hit) / float64(n)
}

// Recall returns the fraction of truth that is in flagged: of the labels that
// are really wrong, how many a method finds. The two are sets of indices (an
// index listed twice counts once). With an empty truth it returns 0, as
// scikit-learn does by default.
func Recall(flagged, truth []int) float64 {
	hit, n := overlap(truth, flagged)
	if n == 0 {
		return 0
	}
	return float64(hit) / float64(n)
}

// overlap returns how many distinct indices of a are in b, and how many
// distinct indices a has.
func overlap(a, b []int) (hit, n int) {
	inB := make(map[int]bool, len(b))
	for _, i := range b {
		inB[i] = true
	}
	seen := make(map[int]bool, len(a))
	for _, i := range a {
		if seen[i] {
			continue
		}
		seen[i] = true
		if inB[i] {
			hit++
		}
	}
	return hit, len(seen)
}

// Relabel fixes labels: it returns s with the labels of rows idx taken from
// clean, the same rows with their true labels. That is what cleaning costs:
// one label checked per index, so len(idx) labels, as in the data-centric
// comparison of cleaning noisy labels against collecting more data.
//
// The result's Y is a new tensor and s is not changed; its X is s.X itself,
// not a copy, as in [FlipLabels]. Y may be [n] labels or [n, k] targets; X
// of clean is not used.
//
// Relabel panics if s or clean has no Y, if their Y shapes differ, if an
// index is out of range, or if X and Y do not have the same number of rows.
func Relabel(s Set, idx []int, clean Set) Set {
	n := rows("Relabel", s)
	if s.Y == nil || clean.Y == nil {
		panic("data: Relabel: s and clean must both have labels Y")
	}
	if !slices.Equal(s.Y.Shape(), clean.Y.Shape()) {
		panic(fmt.Sprintf("data: Relabel: Y %v and clean Y %v do not have the same shape", s.Y.Shape(), clean.Y.Shape()))
	}
	y := s.Y.Clone()
	d, src := y.Data(), clean.Y.Data()
	w := 0
	if n > 0 {
		w = len(d) / n
	}
	for _, i := range idx {
		if i < 0 || i >= n {
			panic(fmt.Sprintf("data: Relabel: index %d out of range for a set of %d rows", i, n))
		}
		copy(d[i*w:(i+1)*w], src[i*w:(i+1)*w])
	}
	return Set{X: s.X, Y: y}
}
