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

func TestPool(t *testing.T) {
	s := numbered(10)
	pool := data.NewPool(newRNG(1), s, 3)
	if pool.Budget() != 3 || pool.Len() != 10 {
		t.Fatalf("NewPool(rng, 10 rows, 3): Budget %d, Len %d; want 3 and 10", pool.Budget(), pool.Len())
	}
	check := func(step string) {
		t.Helper()
		order := pool.Order()
		if got := ids(t, pool.Labeled()); !slices.Equal(got, order) {
			t.Errorf("%s: Labeled rows %v, want them in Order %v", step, got, order)
		}
		if len(order) != pool.Budget() {
			t.Errorf("%s: Budget %d, but %d rows labelled", step, pool.Budget(), len(order))
		}
		x, idx := pool.Unlabeled()
		if want := data.Complement(10, order); !slices.Equal(idx, want) {
			t.Errorf("%s: Unlabeled idx %v, want %v", step, idx, want)
		}
		if !slices.Equal(x.Shape(), []int{len(idx), 3}) {
			t.Fatalf("%s: Unlabeled x %v, want [%d 3]", step, x.Shape(), len(idx))
		}
		for j, i := range idx {
			if x.Data()[3*j] != float64(i) {
				t.Errorf("%s: Unlabeled x row %d is row %v of the set, want %d", step, j, x.Data()[3*j], i)
			}
		}
	}
	check("start")
	start := pool.Order()

	// A query step: positions in Unlabeled map to rows through idx.
	_, idx := pool.Unlabeled()
	pool.Label(idx[4], idx[0])
	check("after Label")
	if want := append(start, idx[4], idx[0]); !slices.Equal(pool.Order(), want) || pool.Budget() != 5 {
		t.Errorf("after Label: Order %v, Budget %d; want %v and 5", pool.Order(), pool.Budget(), want)
	}

	// Bad calls panic and buy nothing, not even their valid indices.
	_, idx = pool.Unlabeled()
	for _, tc := range []struct {
		name, want string
		idx        []int
	}{
		{"already labelled", fmt.Sprintf("data: Pool.Label: row %d is already labelled", start[0]), []int{idx[0], start[0]}},
		{"twice in one call", fmt.Sprintf("data: Pool.Label: row %d is already labelled", idx[1]), []int{idx[1], idx[1]}},
		{"out of range", "data: Pool.Label: index 10 out of range for a pool of 10 rows", []int{idx[0], 10}},
		{"negative", "data: Pool.Label: index -1 out of range", []int{-1}},
	} {
		testutil.Panics(t, tc.want, func() { pool.Label(tc.idx...) })
		if pool.Budget() != 5 {
			t.Fatalf("Label %s: Budget %d after the panic, want 5", tc.name, pool.Budget())
		}
	}
	check("after panics")

	// Order is a copy; Label with no index buys nothing.
	pool.Order()[0] = -1
	pool.Label()
	check("after Order()[0] = -1")

	// Label everything left.
	pool.Label(idx...)
	x, idx := pool.Unlabeled()
	if pool.Budget() != 10 || len(idx) != 0 || !slices.Equal(x.Shape(), []int{0, 3}) {
		t.Errorf("all labelled: Budget %d, Unlabeled %v %v; want 10, [0 3], []", pool.Budget(), x.Shape(), idx)
	}
	check("all labelled")

	// Same seed, same initial rows; none and all are allowed.
	if a, b := data.NewPool(newRNG(2), s, 4).Order(), data.NewPool(newRNG(2), s, 4).Order(); !slices.Equal(a, b) {
		t.Errorf("NewPool with the same seed: %v and %v", a, b)
	}
	if p := data.NewPool(newRNG(1), s, 0); p.Budget() != 0 || p.Labeled().Len() != 0 {
		t.Errorf("NewPool(0): Budget %d, Labeled %d rows", p.Budget(), p.Labeled().Len())
	}
	if p := data.NewPool(newRNG(1), s, 10); !isPermutation(p.Order(), 10) {
		t.Errorf("NewPool(all): Order %v", p.Order())
	}
}

// logits turns rows of probabilities into logits, log p, whose softmax is p.
func logits(rows ...[]float64) *dl.Tensor {
	var out []float64
	for _, r := range rows {
		for _, p := range r {
			out = append(out, math.Log(p))
		}
	}
	return dl.New(out, len(rows), len(rows[0]))
}

func TestQueries(t *testing.T) {
	scores := logits(
		[]float64{0.8, 0.1, 0.1},    // 0: confident
		[]float64{0.4, 0.4, 0.2},    // 1: max 0.4, margin 0
		[]float64{0.34, 0.33, 0.33}, // 2: max 0.34 (least confident), margin 0.01
		[]float64{0.2, 0.4, 0.4},    // 3: like 1, in another order: ties with 1
		[]float64{0.6, 0.3, 0.1},    // 4: max 0.6, margin 0.3
	)
	for _, tc := range []struct {
		name string
		f    func(*dl.Tensor, int) []int
		k    int
		want []int
	}{
		{"UncertaintyQuery", data.UncertaintyQuery, 5, []int{2, 1, 3, 4, 0}},
		{"UncertaintyQuery", data.UncertaintyQuery, 2, []int{2, 1}},
		{"UncertaintyQuery", data.UncertaintyQuery, 0, []int{}},
		{"MarginQuery", data.MarginQuery, 5, []int{1, 3, 2, 4, 0}},
		{"MarginQuery", data.MarginQuery, 1, []int{1}},
	} {
		if got := tc.f(scores, tc.k); !slices.Equal(got, tc.want) {
			t.Errorf("%s(k=%d) = %v, want %v", tc.name, tc.k, got, tc.want)
		}
	}

	// Logits need not be log-probabilities: shifting a row changes nothing,
	// and large logits do not overflow.
	shifted := scores.Clone()
	for j := range 3 {
		shifted.Data()[3*2+j] += 1000
	}
	if got := data.UncertaintyQuery(shifted, 2); !slices.Equal(got, []int{2, 1}) {
		t.Errorf("UncertaintyQuery with row 2 shifted by 1000 = %v, want [2 1]", got)
	}

	// Two classes: both strategies rank by closeness to 50/50.
	two := dl.New([]float64{3, 0, 0.1, 0, -1, 0, 0, 0.5}, 4, 2)
	for _, f := range []func(*dl.Tensor, int) []int{data.UncertaintyQuery, data.MarginQuery} {
		if got := f(two, 4); !slices.Equal(got, []int{1, 3, 2, 0}) {
			t.Errorf("query on two classes = %v, want [1 3 2 0]", got)
		}
	}
}

func TestRandomQuery(t *testing.T) {
	for _, tc := range []struct{ m, k int }{{10, 3}, {10, 10}, {5, 0}, {0, 0}, {1000, 50}} {
		got := data.RandomQuery(tc.m, tc.k, newRNG(1))
		if len(got) != tc.k {
			t.Errorf("RandomQuery(%d, %d): %d positions", tc.m, tc.k, len(got))
		}
		sorted := slices.Sorted(slices.Values(got))
		if len(slices.Compact(sorted)) != tc.k || (tc.k > 0 && (sorted[0] < 0 || sorted[tc.k-1] >= tc.m)) {
			t.Errorf("RandomQuery(%d, %d) = %v, want distinct positions in 0..%d", tc.m, tc.k, got, tc.m-1)
		}
	}
	a, b := data.RandomQuery(100, 10, newRNG(3)), data.RandomQuery(100, 10, newRNG(3))
	if !slices.Equal(a, b) {
		t.Errorf("RandomQuery with the same seed: %v and %v", a, b)
	}
}

func TestActivePanics(t *testing.T) {
	s := numbered(5)
	rng := newRNG(1)
	scores := dl.New(make([]float64, 6), 3, 2)
	for _, tc := range []struct {
		name, want string
		f          func()
	}{
		{"NewPool 6", "data: NewPool: 6 initial labels for a set of 5 rows", func() { data.NewPool(rng, s, 6) }},
		{"NewPool -1", "data: NewPool: -1 initial labels", func() { data.NewPool(rng, s, -1) }},
		{"NewPool no Y", "data: NewPool: the set has no Y", func() { data.NewPool(rng, data.Set{X: s.X}, 1) }},
		{"NewPool nil rng", "data: NewPool: rng is nil", func() { data.NewPool(nil, s, 1) }},
		{"RandomQuery k > m", "data: RandomQuery: k = 4 of m = 3", func() { data.RandomQuery(3, 4, rng) }},
		{"RandomQuery k < 0", "data: RandomQuery: k = -1", func() { data.RandomQuery(3, -1, rng) }},
		{"RandomQuery nil rng", "data: RandomQuery: rng is nil", func() { data.RandomQuery(3, 1, nil) }},
		{"UncertaintyQuery k > m", "data: UncertaintyQuery: k = 4 of m = 3", func() { data.UncertaintyQuery(scores, 4) }},
		{"UncertaintyQuery 1-D", "data: UncertaintyQuery: scores of shape [6]", func() { data.UncertaintyQuery(dl.New(make([]float64, 6)), 1) }},
		{"UncertaintyQuery NaN", "data: UncertaintyQuery: score NaN at row 1, column 0", func() {
			data.UncertaintyQuery(dl.New([]float64{0, 0, math.NaN(), 0}, 2, 2), 1)
		}},
		{"MarginQuery k > m", "data: MarginQuery: k = 4 of m = 3", func() { data.MarginQuery(scores, 4) }},
		{"MarginQuery 1 class", "data: MarginQuery: scores of shape [3 1], want [m, classes] with at least 2 classes", func() { data.MarginQuery(dl.New(make([]float64, 3), 3, 1), 1) }},
		{"MarginQuery Inf", "data: MarginQuery: score +Inf", func() { data.MarginQuery(dl.New([]float64{math.Inf(1), 0}, 1, 2), 1) }},
	} {
		t.Run(tc.name, func(t *testing.T) { testutil.Panics(t, tc.want, tc.f) })
	}
}

func ExamplePool() {
	rng := rand.New(rand.NewPCG(1, 2))
	blobs := data.Blobs(rng, 100, 2, 1.5) // class 0 around (3, 0), class 1 around (-3, 0)
	pool := data.NewPool(rng, blobs, 4)
	for step := 1; step <= 2; step++ {
		// A stand-in for a trained model: logits [x0, -x0], so it is least
		// sure near the boundary x0 = 0.
		x, idx := pool.Unlabeled()
		m := len(idx)
		scores := make([]float64, 0, 2*m)
		for j := range m {
			scores = append(scores, x.Data()[2*j], -x.Data()[2*j])
		}
		pos := data.UncertaintyQuery(dl.New(scores, m, 2), 3) // positions in x
		for j, p := range pos {
			fmt.Printf("step %d: row %2d, x0 = %+.2f\n", step, idx[p], x.Data()[2*p])
			pos[j] = idx[p] // rows of blobs
		}
		pool.Label(pos...)
		fmt.Println("budget:", pool.Budget())
	}
	fmt.Println("labelled:", pool.Labeled().Y.Shape())
	// Output:
	// step 1: row  5, x0 = -0.12
	// step 1: row  6, x0 = +0.25
	// step 1: row 78, x0 = +0.48
	// budget: 7
	// step 2: row 12, x0 = -0.93
	// step 2: row 20, x0 = +0.93
	// step 2: row 37, x0 = -1.46
	// budget: 10
	// labelled: [10]
}
