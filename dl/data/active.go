package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dlnb/dlnb/dl"
)

// Pool simulates labelling for active learning (Settles, 2009, "Active
// Learning Literature Survey"): the learner sees all the inputs, but a label
// only after paying for it. Each step of the loop trains on [Pool.Labeled],
// scores [Pool.Unlabeled] with the model, picks rows with a query strategy
// ([RandomQuery], [UncertaintyQuery], [MarginQuery]) and buys their labels
// with [Pool.Label]:
//
//	pool := data.NewPool(20, rng, train)
//	for pool.Budget() < 200 {
//		model := fit(pool.Labeled())            // train on the labels bought so far
//		x, idx := pool.Unlabeled()              // x [m, features], idx [m]
//		pos := data.UncertaintyQuery(model.Forward(x), 10)
//		for j, p := range pos {
//			pos[j] = idx[p] // positions in x → rows of train
//		}
//		pool.Label(pos...)
//	}
//
// A Pool keeps the set it was made from without copying it: do not change
// that set while the pool is in use.
type Pool struct {
	set     Set
	labeled []bool // labeled[i]: the label of row i has been bought
	order   []int  // the rows in the order their labels were bought
}

// NewPool returns a pool over the rows of s that starts with initial rows
// labelled, drawn at random with rng (a learner needs a few labels to train
// a first model). Those count towards the budget. Like every constructor
// in the module, it takes the rng first.
//
// NewPool panics if s has no Y, if initial < 0 or initial > s.Len(), if rng
// is nil, or if X and Y do not have the same number of rows.
func NewPool(rng *rand.Rand, s Set, initial int) *Pool {
	n := rows("NewPool", s)
	if s.Y == nil {
		panic("data: NewPool: the set has no Y, so there are no labels to buy")
	}
	if initial < 0 || initial > n {
		panic(fmt.Sprintf("data: NewPool: %d initial labels for a set of %d rows, want 0 <= initial <= %d", initial, n, n))
	}
	needRNG("NewPool", rng)
	p := &Pool{set: s, labeled: make([]bool, n)}
	p.Label(rng.Perm(n)[:initial]...)
	return p
}

// Len returns the number of rows in the pool, labelled or not.
func (p *Pool) Len() int { return len(p.labeled) }

// Labeled returns the labelled rows, X and Y, in the order their labels were
// bought, as a new Set (the data are copied): [Pool.Budget] rows.
func (p *Pool) Labeled() Set { return p.set.Subset(p.order) }

// Unlabeled returns the inputs of the rows not yet labelled, x [m,
// features...], and idx [m], their row numbers in the pool's set, in
// increasing order: row j of x is row idx[j] of the set. The query strategies
// return positions j in x; idx[j] is what [Pool.Label] takes. x is a copy;
// with every row labelled, m is 0.
func (p *Pool) Unlabeled() (x *dl.Tensor, idx []int) {
	idx = make([]int, 0, len(p.labeled)-len(p.order))
	for i, done := range p.labeled {
		if !done {
			idx = append(idx, i)
		}
	}
	return takeRows(p.set.X, len(p.labeled), idx), idx
}

// Label buys the labels of rows idx of the pool's set (row numbers in the
// set, such as those of [Pool.Unlabeled]'s idx, not positions in its x).
// Each costs one unit of budget.
//
// Label panics if an index is out of range or already labelled, or appears
// twice; then no label is bought.
func (p *Pool) Label(idx ...int) {
	n := len(p.labeled)
	for k, i := range idx {
		if i < 0 || i >= n {
			panic(fmt.Sprintf("data: Pool.Label: index %d out of range for a pool of %d rows", i, n))
		}
		if p.labeled[i] || slices.Contains(idx[:k], i) {
			panic(fmt.Sprintf("data: Pool.Label: row %d is already labelled; map query positions to rows with Unlabeled's idx", i))
		}
	}
	for _, i := range idx {
		p.labeled[i] = true
		p.order = append(p.order, i)
	}
}

// Budget returns the number of labels bought so far, the initial ones
// included.
func (p *Pool) Budget() int { return len(p.order) }

// Order returns the row numbers of the labelled rows in the order their
// labels were bought (a copy), for example to plot which points a strategy
// asks for first.
func (p *Pool) Order() []int { return slices.Clone(p.order) }

// RandomQuery is the baseline strategy: it returns k distinct positions in
// 0..m-1, drawn at random with rng, where m is the number of unlabelled rows.
// As with every query strategy, these are positions in [Pool.Unlabeled]'s x;
// map them to rows with its idx:
//
//	x, idx := pool.Unlabeled()
//	for _, j := range data.RandomQuery(len(idx), 10, rng) {
//		pool.Label(idx[j])
//	}
//
// RandomQuery panics if k < 0 or k > m, or if rng is nil.
func RandomQuery(m, k int, rng *rand.Rand) []int {
	if m < 0 || k < 0 || k > m {
		panic(fmt.Sprintf("data: RandomQuery: k = %d of m = %d rows, want 0 <= k <= m", k, m))
	}
	needRNG("RandomQuery", rng)
	return rng.Perm(m)[:k]
}

// UncertaintyQuery is uncertainty sampling (Lewis & Gale, 1994) by least
// confidence: given a model's scores
// [m, classes] on the unlabelled rows (logits, before softmax), it returns the
// positions of the k rows whose largest softmax probability is smallest,
// least confident first; ties go to the lower position.
//
// The result holds positions in [Pool.Unlabeled]'s x, not rows of the set;
// map them with its idx:
//
//	x, idx := pool.Unlabeled()
//	pos := data.UncertaintyQuery(model.Forward(x), 10) // e.g. [4 0 17 ...]
//	for j, p := range pos {
//		pos[j] = idx[p]
//	}
//	pool.Label(pos...)
//
// UncertaintyQuery panics if scores is not [m, classes] with classes >= 1,
// if a score is NaN or infinite, or if k < 0 or k > m.
func UncertaintyQuery(scores *dl.Tensor, k int) []int {
	return query("UncertaintyQuery", scores, k, 1, func(p []float64) float64 {
		return slices.Max(p)
	})
}

// MarginQuery is margin sampling (Scheffer et al., 2001): given a model's
// scores [m, classes] on the unlabelled rows (logits, before softmax), it
// returns the positions of the k rows with the smallest gap between their two
// largest softmax probabilities, the closest call first; ties go to the lower
// position. As with [UncertaintyQuery], these are positions in
// [Pool.Unlabeled]'s x: row idx[p] of the set for position p.
//
// MarginQuery panics if scores is not [m, classes] with classes >= 2, if a
// score is NaN or infinite, or if k < 0 or k > m.
func MarginQuery(scores *dl.Tensor, k int) []int {
	return query("MarginQuery", scores, k, 2, func(p []float64) float64 {
		first, second := math.Inf(-1), math.Inf(-1)
		for _, v := range p {
			if v > first {
				first, second = v, first
			} else if v > second {
				second = v
			}
		}
		return first - second
	})
}

// query returns the positions of the k rows of scores [m, classes] with the
// smallest key(softmax(row)), smallest first, ties to the lower position. It
// panics, naming op, on a bad shape, a non-finite score or a bad k.
func query(op string, scores *dl.Tensor, k, minClasses int, key func(p []float64) float64) []int {
	notNil(op, "scores", scores)
	if scores.Dim() != 2 || scores.Shape()[1] < minClasses {
		panic(fmt.Sprintf("data: %s: scores of shape %v, want [m, classes] with at least %d classes", op, scores.Shape(), minClasses))
	}
	m, c := scores.Shape()[0], scores.Shape()[1]
	if k < 0 || k > m {
		panic(fmt.Sprintf("data: %s: k = %d of m = %d rows, want 0 <= k <= m", op, k, m))
	}
	s := scores.Data()
	keys := make([]float64, m)
	p := make([]float64, c)
	for i := range m {
		row := s[i*c : (i+1)*c]
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				panic(fmt.Sprintf("data: %s: score %v at row %d, column %d; want finite logits", op, v, i, j))
			}
		}
		// A stable softmax: subtract the largest logit before exp.
		top := slices.Max(row)
		var sum float64
		for j, v := range row {
			p[j] = math.Exp(v - top)
			sum += p[j]
		}
		for j := range p {
			p[j] /= sum
		}
		keys[i] = key(p)
	}
	pos := make([]int, m)
	for i := range pos {
		pos[i] = i
	}
	slices.SortStableFunc(pos, func(a, b int) int {
		switch {
		case keys[a] < keys[b]:
			return -1
		case keys[a] > keys[b]:
			return 1
		}
		return 0
	})
	return pos[:k]
}
