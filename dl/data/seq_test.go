package data_test

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

func TestCharTokenizerSpecials(t *testing.T) {
	plain := data.NewCharTokenizer("cab")
	tok := plain.WithSpecials()
	if plain.HasSpecials() || !tok.HasSpecials() || tok.WithSpecials() != tok {
		t.Fatalf("HasSpecials: plain %v, with %v", plain.HasSpecials(), tok.HasSpecials())
	}
	if plain.Size() != 3 || tok.Size() != 6 {
		t.Errorf("Size: plain %d, with specials %d; want 3 and 6", plain.Size(), tok.Size())
	}
	if got := tok.Encode("abc"); !slices.Equal(got, []int{3, 4, 5}) {
		t.Errorf("Encode(abc) = %v, want [3 4 5] (the characters after Pad, Begin, End)", got)
	}
	if got := plain.Encode("abc"); !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("WithSpecials changed the plain tokenizer: Encode(abc) = %v", got)
	}
	if id, ok := tok.ID('b'); !ok || id != 4 {
		t.Errorf("ID('b') = %d, %v; want 4, true", id, ok)
	}
	if _, ok := tok.ID('z'); ok {
		t.Errorf("ID('z') says z is in the vocabulary")
	}
	for _, c := range []struct {
		ids  []int
		want string
	}{
		{[]int{3, 4, 5}, "abc"},
		{[]int{data.Begin, 5, 3, data.End, data.Pad, data.Pad}, "ca"},
		{[]int{data.Begin, 5, data.End, 4, 4}, "c"}, // stops at the first End
		{[]int{data.Pad, 3, data.Pad, 4}, "ab"},
		{[]int{data.End, 3}, ""},
		{nil, ""},
	} {
		if got := tok.Decode(c.ids); got != c.want {
			t.Errorf("Decode(%v) = %q, want %q", c.ids, got, c.want)
		}
	}
	if got := tok.Tokens([]int{data.Pad, data.Begin, data.End, 3, 5}); !slices.Equal(got, []string{"<pad>", "<s>", "</s>", "a", "c"}) {
		t.Errorf("Tokens = %q", got)
	}
	if got := plain.Token(0); got != "a" {
		t.Errorf("plain Token(0) = %q, want a", got)
	}
	testutil.Panics(t, `data: CharTokenizer.Encode: character 'z' (U+007A) at byte 2 is not in the vocabulary of 3 characters`, func() { tok.Encode("abz") })
	testutil.Panics(t, "data: CharTokenizer.Decode: id 6 at index 1 is not a token in 0..5", func() { tok.Decode([]int{3, 6}) })
	testutil.Panics(t, "data: CharTokenizer.Token: id -1 at index 0 is not a token in 0..5", func() { tok.Token(-1) })
	testutil.Panics(t, "data: CharTokenizer.Tokens: id 9 at index 2", func() { tok.Tokens([]int{0, 1, 9}) })
}

func TestPadBatch(t *testing.T) {
	ids, mask, lengths := data.PadBatch([][]int{{4, 5, 6}, {7}, {8, 9}}, 3)
	if !slices.Equal(ids.Shape(), []int{3, 3}) || !slices.Equal(mask.Shape(), []int{3, 3}) {
		t.Fatalf("shapes %v and %v, want [3 3]", ids.Shape(), mask.Shape())
	}
	if want := []float64{4, 5, 6, 7, 0, 0, 8, 9, 0}; !slices.Equal(ids.Data(), want) {
		t.Errorf("ids %v, want %v", ids.Data(), want)
	}
	if want := []float64{1, 1, 1, 1, 0, 0, 1, 1, 0}; !slices.Equal(mask.Data(), want) {
		t.Errorf("mask %v, want %v", mask.Data(), want)
	}
	if !slices.Equal(lengths, []int{3, 1, 2}) {
		t.Errorf("lengths %v, want [3 1 2]", lengths)
	}
	// The width is the longest of the batch, not maxLen.
	if ids, _, _ := data.PadBatch([][]int{{1}, {2}}, 50); !slices.Equal(ids.Shape(), []int{2, 1}) {
		t.Errorf("shape %v, want [2 1]", ids.Shape())
	}
	testutil.Panics(t, "data: PadBatch: sequence 1 has 4 tokens, over the maximum length 3; raise maxLen or drop the sequence", func() { data.PadBatch([][]int{{1}, {1, 2, 3, 4}}, 3) })
	testutil.Panics(t, "data: PadBatch: sequence 1 is empty", func() { data.PadBatch([][]int{{1}, {}}, 3) })
	testutil.Panics(t, "data: PadBatch: no sequences", func() { data.PadBatch(nil, 3) })
	testutil.Panics(t, "data: PadBatch: maxLen 0, want at least 1", func() { data.PadBatch([][]int{{1}}, 0) })
	testutil.Panics(t, "data: PadBatch: token -2 at position 1 of sequence 0 is negative", func() { data.PadBatch([][]int{{1, -2}}, 3) })
}

func TestBatch(t *testing.T) {
	tok := data.DigitTokenizer()
	if tok.Size() != 13 {
		t.Fatalf("DigitTokenizer Size %d, want 13", tok.Size())
	}
	b := tok.Batch([]data.Pair{{"123", "321"}, {"9", "9"}}, 4)
	d := func(ch byte) float64 { return float64(3 + ch - '0') }
	check := func(name string, got []float64, shape []int, want []float64) {
		t.Helper()
		if !slices.Equal(shape, []int{2, len(want) / 2}) || !slices.Equal(got, want) {
			t.Errorf("%s %v %v, want %v", name, shape, got, want)
		}
	}
	check("Src", b.Src.Data(), b.Src.Shape(), []float64{d('1'), d('2'), d('3'), d('9'), 0, 0})
	check("SrcMask", b.SrcMask.Data(), b.SrcMask.Shape(), []float64{1, 1, 1, 1, 0, 0})
	check("TgtIn", b.TgtIn.Data(), b.TgtIn.Shape(), []float64{data.Begin, d('3'), d('2'), d('1'), data.Begin, d('9'), 0, 0})
	check("TgtOut", b.TgtOut.Data(), b.TgtOut.Shape(), []float64{d('3'), d('2'), d('1'), data.End, d('9'), data.End, 0, 0})
	check("TgtMask", b.TgtMask.Data(), b.TgtMask.Shape(), []float64{1, 1, 1, 1, 1, 1, 0, 0})
	if !slices.Equal(b.SrcLen, []int{3, 1}) || !slices.Equal(b.TgtLen, []int{4, 2}) {
		t.Errorf("SrcLen %v, TgtLen %v; want [3 1] and [4 2]", b.SrcLen, b.TgtLen)
	}
	row := make([]int, 4)
	for i, v := range b.TgtOut.Data()[:4] {
		row[i] = int(v)
	}
	if got := tok.Decode(row); got != "321" {
		t.Errorf("Decode(TgtOut row 0) = %q, want 321", got)
	}

	testutil.Panics(t, "data: CharTokenizer.Batch: source 0 \"12345\" has 5 characters, over the maximum length 4", func() { tok.Batch([]data.Pair{{"12345", "1"}}, 4) })
	testutil.Panics(t, "data: CharTokenizer.Batch: target 1 \"1234\" has 4 characters, plus End over the maximum length 4", func() { tok.Batch([]data.Pair{{"1", "1"}, {"1", "1234"}}, 4) })
	testutil.Panics(t, `data: CharTokenizer.Batch: pair 0 ("" → "1") has an empty text`, func() { tok.Batch([]data.Pair{{"", "1"}}, 4) })
	testutil.Panics(t, `data: CharTokenizer.Batch: pair 0 ("1" → "") has an empty text`, func() { tok.Batch([]data.Pair{{"1", ""}}, 4) })
	testutil.Panics(t, "data: CharTokenizer.Batch: no pairs", func() { tok.Batch(nil, 4) })
	testutil.Panics(t, `data: CharTokenizer.Encode: character 'x' (U+0078) at byte 1 is not in the vocabulary of 10 characters`, func() { tok.Batch([]data.Pair{{"1x", "1"}}, 4) })
	testutil.Panics(t, "data: CharTokenizer.Batch: the tokenizer has no special tokens; make it with WithSpecials", func() {
		data.NewCharTokenizer("12").Batch([]data.Pair{{"1", "2"}}, 4)
	})
}

func TestReversalSorting(t *testing.T) {
	for _, c := range []struct {
		name   string
		gen    func(n, lo, hi int, seed uint64) []data.Pair
		target func(string) string
	}{
		{"Reversal", func(n, lo, hi int, seed uint64) []data.Pair { return data.Reversal(newRNG(seed), n, lo, hi) }, func(s string) string {
			r := []byte(s)
			slices.Reverse(r)
			return string(r)
		}},
		{"Sorting", func(n, lo, hi int, seed uint64) []data.Pair { return data.Sorting(newRNG(seed), n, lo, hi) }, func(s string) string {
			r := []byte(s)
			sort.Slice(r, func(i, j int) bool { return r[i] < r[j] })
			return string(r)
		}},
	} {
		pairs := c.gen(2000, 5, 30, 1)
		seen := map[int]bool{}
		for _, p := range pairs {
			n := len(p.Source)
			if n < 5 || n > 30 || strings.Trim(p.Source, "0123456789") != "" {
				t.Fatalf("%s: source %q, want 5 to 30 digits", c.name, p.Source)
			}
			if p.Target != c.target(p.Source) {
				t.Fatalf("%s: %q → %q, want %q", c.name, p.Source, p.Target, c.target(p.Source))
			}
			seen[n] = true
		}
		if len(seen) != 26 {
			t.Errorf("%s: %d of the 26 lengths 5..30 drawn in 2000 pairs", c.name, len(seen))
		}
		if !slices.Equal(pairs, c.gen(2000, 5, 30, 1)) {
			t.Errorf("%s: the same seed gives other pairs", c.name)
		}
		if slices.Equal(pairs, c.gen(2000, 5, 30, 2)) {
			t.Errorf("%s: two seeds give the same pairs", c.name)
		}
		for _, p := range c.gen(50, 7, 7, 3) {
			if len(p.Source) != 7 {
				t.Errorf("%s: lo = hi = 7 gives %q", c.name, p.Source)
			}
		}
		testutil.Panics(t, "data: "+c.name+": lengths lo=0, hi=3; want 1 <= lo <= hi", func() { c.gen(1, 0, 3, 1) })
		testutil.Panics(t, "data: "+c.name+": lengths lo=5, hi=4", func() { c.gen(1, 5, 4, 1) })
		testutil.Panics(t, "data: "+c.name+": n=0, want at least 1", func() { c.gen(0, 5, 6, 1) })
	}
	testutil.Panics(t, "data: Reversal: rng is nil", func() { data.Reversal(nil, 1, 1, 1) })
	testutil.Panics(t, "data: Sorting: rng is nil", func() { data.Sorting(nil, 1, 1, 1) })
}
