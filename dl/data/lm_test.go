package data_test

import (
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

func TestNextTokenBatch(t *testing.T) {
	// Token i is 3*i, so a window's start can be read from its first id.
	tokens := make([]int, 50)
	for i := range tokens {
		tokens[i] = 3 * i
	}
	b := data.NextTokenBatch(tokens, 200, 8, newRNG(1))
	if !slices.Equal(b.X.Shape(), []int{200, 8}) || !slices.Equal(b.Y.Shape(), []int{200, 8}) {
		t.Fatalf("X %v, Y %v; want [200 8] both", b.X.Shape(), b.Y.Shape())
	}
	x, y := b.X.Data(), b.Y.Data()
	starts := make(map[int]bool)
	for r := range 200 {
		start := int(x[8*r]) / 3
		starts[start] = true
		for c := range 8 {
			if x[8*r+c] != float64(tokens[start+c]) || y[8*r+c] != float64(tokens[start+c+1]) {
				t.Fatalf("row %d: X %v, Y %v; want the window at %d and the same shifted by one", r, x[8*r:8*r+8], y[8*r:8*r+8], start)
			}
		}
		if !slices.Equal(y[8*r:8*r+7], x[8*r+1:8*r+8]) {
			t.Fatalf("row %d: Y %v is not X %v shifted by one", r, y[8*r:8*r+8], x[8*r:8*r+8])
		}
	}
	// 200 draws over the 42 possible starts 0..41 reach the first and last.
	if len(starts) < 35 || !starts[0] || !starts[41] {
		t.Errorf("200 windows start at %d places (first %v, last %v); want nearly all of 0..41", len(starts), starts[0], starts[41])
	}

	// The same seed gives the same batch; the smallest input has one window.
	again := data.NextTokenBatch(tokens, 200, 8, newRNG(1))
	if !slices.Equal(again.X.Data(), x) || !slices.Equal(again.Y.Data(), y) {
		t.Errorf("the same seed gave another batch")
	}
	one := data.NextTokenBatch([]int{4, 5, 6}, 2, 2, newRNG(2))
	if !slices.Equal(one.X.Data(), []float64{4, 5, 4, 5}) || !slices.Equal(one.Y.Data(), []float64{5, 6, 5, 6}) {
		t.Errorf("3 tokens, context 2: X %v, Y %v; want [4 5 4 5] and [5 6 5 6]", one.X.Data(), one.Y.Data())
	}

	rng := newRNG(3)
	testutil.Panics(t, "data: NextTokenBatch: batch 0 and context 4", func() { data.NextTokenBatch(tokens, 0, 4, rng) })
	testutil.Panics(t, "data: NextTokenBatch: batch 2 and context 0, want both at least 1", func() { data.NextTokenBatch(tokens, 2, 0, rng) })
	testutil.Panics(t, "data: NextTokenBatch: 3 tokens, want at least context+1 = 4", func() { data.NextTokenBatch([]int{1, 2, 3}, 2, 3, rng) })
	testutil.Panics(t, "data: NextTokenBatch: rng is nil", func() { data.NextTokenBatch(tokens, 2, 3, nil) })
	testutil.Panics(t, "data: NextTokenBatch: token -1 at position 1 is negative", func() { data.NextTokenBatch([]int{0, -1}, 1, 1, rng) })
}

func TestNGrams(t *testing.T) {
	tok := data.NewCharTokenizer(".aem")
	emma := tok.Encode("emma")
	s := data.NGrams([][]int{emma, tok.Encode("a"), {}}, 3, 0)
	// emma: 5 rows, a: 2, the empty sequence: 1 (boundary → boundary).
	if !slices.Equal(s.X.Shape(), []int{8, 3}) || !slices.Equal(s.Y.Shape(), []int{8}) {
		t.Fatalf("X %v, Y %v; want [8 3] and [8]", s.X.Shape(), s.Y.Shape())
	}
	var got []string
	x, y := s.X.Data(), s.Y.Data()
	for i := range 8 {
		ids := []int{int(x[3*i]), int(x[3*i+1]), int(x[3*i+2]), int(y[i])}
		got = append(got, tok.Decode(ids[:3])+">"+tok.Decode(ids[3:]))
	}
	want := []string{"...>e", "..e>m", ".em>m", "emm>a", "mma>.", "...>a", "..a>.", "...>."}
	if !slices.Equal(got, want) {
		t.Errorf("NGrams rows %v, want %v", got, want)
	}

	// Context 1 is the bigram model: pairs of consecutive tokens.
	bi := data.NGrams([][]int{{1, 2}}, 1, 7)
	if !slices.Equal(bi.X.Data(), []float64{7, 1, 2}) || !slices.Equal(bi.Y.Data(), []float64{1, 2, 7}) {
		t.Errorf("bigrams of [1 2]: X %v, Y %v; want [7 1 2] and [1 2 7]", bi.X.Data(), bi.Y.Data())
	}
	if none := data.NGrams(nil, 2, 0); none.Len() != 0 || !slices.Equal(none.X.Shape(), []int{0, 2}) {
		t.Errorf("no sequences: X %v, want [0 2]", none.X.Shape())
	}

	testutil.Panics(t, "data: NGrams: context 0, want at least 1", func() { data.NGrams([][]int{{1}}, 0, 0) })
	testutil.Panics(t, "data: NGrams: boundary token -1 is negative", func() { data.NGrams([][]int{{1}}, 2, -1) })
	testutil.Panics(t, "data: NGrams: token -2 at position 1 of sequence 1", func() { data.NGrams([][]int{{1}, {1, -2}}, 2, 0) })
}
