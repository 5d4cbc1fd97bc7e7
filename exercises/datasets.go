package exercises

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
)

// BestShare checks a formula for notebook 06's bandit: share(eps, k) must
// be the share of steps in which an ε-greedy agent with k answers, whose
// estimates already rank the best answer first, picks the best answer. It is
// compared with the exact value for several ε and k, and with a simulation.
func BestShare(share func(eps float64, k int) float64) Result {
	if share == nil {
		return fail("share is nil: write a func(eps float64, k int) float64.")
	}
	for _, c := range []struct {
		eps float64
		k   int
	}{{0.1, 5}, {0, 5}, {1, 5}, {0.3, 2}, {0.01, 10}} {
		var got float64
		if hint := safely(func() { got = share(c.eps, c.k) }); hint != nil {
			return *hint
		}
		want := 1 - c.eps + c.eps/float64(c.k)
		if !close(got, want, 1e-9) {
			rng := rand.New(rand.NewPCG(6, uint64(c.k)))
			hits := 0
			for range 100000 {
				if rng.Float64() >= c.eps || rng.IntN(c.k) == 0 {
					hits++
				}
			}
			return fail("share(%v, %d) = %.4g, but an agent that plays 100000 steps picks the best answer in %.4f of them. "+
				"When it explores, can the random answer be the best one?", c.eps, c.k, got, float64(hits)/100000)
		}
	}
	return pass("the share is right for every ε and k tried; with ε = 0.1 and 5 answers it is %.2f, the notebook's ceiling.", 1-0.1+0.1/5)
}

// Folds checks a k-fold split for cross-validation (notebook 07): folds(n, k)
// must return k folds of the indices 0..n-1 that are disjoint, cover every
// index once, and differ in size by at most one, so that every example is
// validated exactly once.
func Folds(folds func(n, k int) [][]int) Result {
	if folds == nil {
		return fail("folds is nil: write a func(n, k int) [][]int.")
	}
	for _, c := range [][2]int{{20, 5}, {23, 4}, {7, 7}, {100, 3}} {
		n, k := c[0], c[1]
		var got [][]int
		if hint := safely(func() { got = folds(n, k) }); hint != nil {
			return *hint
		}
		if len(got) != k {
			return fail("folds(%d, %d) returned %d folds, not %d.", n, k, len(got), k)
		}
		seen := make([]int, n)
		lo, hi := n, 0
		for _, f := range got {
			lo, hi = min(lo, len(f)), max(hi, len(f))
			for _, i := range f {
				if i < 0 || i >= n {
					return fail("folds(%d, %d) holds index %d, outside 0..%d.", n, k, i, n-1)
				}
				seen[i]++
			}
		}
		for i, s := range seen {
			if s != 1 {
				return fail("in folds(%d, %d) index %d is in %d folds; every example must be validated exactly once.", n, k, i, s)
			}
		}
		if hi-lo > 1 {
			return fail("folds(%d, %d) has folds of %d to %d indices; make them differ by one at most.", n, k, lo, hi)
		}
	}
	return pass("every example lands in exactly one fold, and the folds are as equal as they can be.")
}

// biasedSample and biasedDigit are the answer to notebook 08's exercise.
const (
	biasedSample = 2
	biasedDigit  = 6
)

// Samples08 returns the three samples of 500 digits of notebook 08's
// exercise. One of them was collected with a bias: it keeps only about a
// tenth of one digit. Count the labels to find which.
func Samples08() []data.Set {
	all := data.Digits()
	out := make([]data.Set, 3)
	for s := range out {
		rng := rand.New(rand.NewPCG(8, uint64(s)))
		src := all
		if s == biasedSample {
			src = data.Biased(all, func(_ []float64, y float64) float64 {
				if int(y) == biasedDigit {
					return 0.1
				}
				return 1
			}, rng)
		}
		out[s] = data.Subsample(src, 500, rng)
	}
	return out
}

// BiasedSample checks the answer to notebook 08's exercise: which of the
// three samples of [Samples08] is biased (0, 1 or 2), and which digit it
// lacks.
func BiasedSample(sample, digit int) Result {
	samples := Samples08()
	if sample < 0 || sample >= len(samples) {
		return fail("sample must be 0, 1 or 2, not %d: count the labels of each sample first.", sample)
	}
	counts := make([]int, 10)
	for _, y := range samples[sample].Labels() {
		counts[y]++
	}
	if sample != biasedSample {
		return fail("sample %d has between %d and %d images of every digit: no digit is missing there. Count the labels of each sample.",
			sample, slices.Min(counts), slices.Max(counts))
	}
	if digit != biasedDigit {
		d := max(0, min(9, digit))
		return fail("right sample, but it has %d images of digit %d, a normal share of its %d images: which digit is much rarer there?", counts[d], d, samples[sample].Len())
	}
	var others []int
	for s, set := range samples {
		if s != sample {
			n := 0
			for _, y := range set.Labels() {
				if y == digit {
					n++
				}
			}
			others = append(others, n)
		}
	}
	return pass("sample %d holds only %d images of digit %d, against %d and %d in the others: a model trained on it would see few of them.",
		sample, counts[digit], digit, others[0], others[1])
}

// probRows returns n random rows of class probabilities, seeded.
func probRows(n, classes int, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 9))
	rows := make([][]float64, n)
	for i := range rows {
		row, sum := make([]float64, classes), 0.0
		for j := range row {
			row[j] = math.Exp(3 * rng.NormFloat64())
			sum += row[j]
		}
		for j := range row {
			row[j] /= sum
		}
		rows[i] = row
	}
	return rows
}

// tensor turns rows into a tensor [len(rows), len(rows[0])].
func tensor(rows [][]float64) *dl.Tensor {
	var flat []float64
	for _, r := range rows {
		flat = append(flat, r...)
	}
	return dl.New(flat, len(rows), len(rows[0]))
}

// LeastConfident checks least-confidence sampling (notebook 09):
// query(probs, k) must return the k rows whose largest class probability is
// the smallest, the examples the model is least sure of. The order of the
// answer does not matter. It is compared with data.UncertaintyQuery.
func LeastConfident(query func(probs [][]float64, k int) []int) Result {
	if query == nil {
		return fail("query is nil: write a func(probs [][]float64, k int) []int.")
	}
	for _, c := range [][3]int{{30, 10, 5}, {50, 3, 1}, {12, 4, 12}} {
		probs := probRows(c[0], c[1], uint64(c[0]))
		var got []int
		if hint := safely(func() { got = query(probs, c[2]) }); hint != nil {
			return *hint
		}
		want := data.UncertaintyQuery(tensor(probs), c[2])
		g, w := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
		if !slices.Equal(g, w) {
			return fail("on %d rows of %d classes with k = %d you picked %v; %s", c[0], c[1], c[2], g, whyNot(probs, g, w))
		}
	}
	return pass("your query picks the same examples as data.UncertaintyQuery on 3 pools.")
}

// whyNot explains the first difference between a picked and a wanted set of
// rows, by their top probabilities.
func whyNot(probs [][]float64, got, want []int) string {
	if len(got) != len(want) {
		return fmt.Sprintf("that is %d rows, not %d.", len(got), len(want))
	}
	for _, i := range got {
		if i < 0 || i >= len(probs) {
			return fmt.Sprintf("row %d does not exist.", i)
		}
		if !slices.Contains(want, i) {
			return fmt.Sprintf("row %d has a top probability of %.3f, and other rows are less sure than that.", i, slices.Max(probs[i]))
		}
	}
	return "some row is picked twice."
}

// Thresholds checks the per-class thresholds of confident learning
// (notebook 10): thresholds(probs, labels, classes) must return, for each
// class c, the mean predicted probability of c over the examples labelled c.
// It is compared with data.Thresholds on random predictions.
func Thresholds(thresholds func(probs [][]float64, labels []int, classes int) []float64) Result {
	if thresholds == nil {
		return fail("thresholds is nil: write a func(probs [][]float64, labels []int, classes int) []float64.")
	}
	const n, classes = 40, 4
	probs := probRows(n, classes, 10)
	rng := rand.New(rand.NewPCG(10, 10))
	labels, y := make([]int, n), make([]float64, n)
	for i := range labels {
		labels[i] = i % classes
		if rng.Float64() < 0.3 {
			labels[i] = rng.IntN(classes)
		}
		y[i] = float64(labels[i])
	}
	var got []float64
	if hint := safely(func() { got = thresholds(probs, labels, classes) }); hint != nil {
		return *hint
	}
	want := data.Thresholds(tensor(probs), dl.New(y, n))
	if len(got) != classes {
		return fail("%d thresholds for %d classes: one per class.", len(got), classes)
	}
	for c := range want {
		if !close(got[c], want[c], 1e-9) {
			return fail("class %d: threshold %.4g, expected something else. Average column %d of probs, but only over the rows labelled %d.", c, got[c], c, c)
		}
	}
	return pass("your thresholds match data.Thresholds on %d examples of %d classes.", n, classes)
}
