package data_test

import (
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

func TestCharTokenizer(t *testing.T) {
	tok := data.NewCharTokenizer("hello, wörld")
	if got, want := string(tok.Runes()), " ,dehlorw"+"ö"; got != want {
		t.Fatalf("Runes() = %q, want the sorted unique runes %q", got, want)
	}
	if tok.Size() != 10 {
		t.Errorf("Size() = %d, want 10", tok.Size())
	}
	ids := tok.Encode("hello wörld")
	if want := []int{4, 3, 5, 5, 6, 0, 8, 9, 7, 5, 2}; !slices.Equal(ids, want) {
		t.Errorf("Encode = %v, want %v (one id per rune)", ids, want)
	}
	for _, s := range []string{"", "hello, wörld", "ööö", "drew, hello"} {
		if got := tok.Decode(tok.Encode(s)); got != s {
			t.Errorf("Decode(Encode(%q)) = %q", s, got)
		}
	}
	if id, ok := tok.ID('ö'); !ok || id != 9 {
		t.Errorf("ID('ö') = %d, %v; want 9, true", id, ok)
	}
	if _, ok := tok.ID('x'); ok {
		t.Errorf("ID('x') says x is in the vocabulary")
	}

	// The vocabulary depends only on the set of runes, not on their order.
	other := data.NewCharTokenizer("wörld hello,,,")
	if !slices.Equal(other.Runes(), tok.Runes()) || !slices.Equal(other.Encode("hello"), tok.Encode("hello")) {
		t.Errorf("two texts with the same runes give different vocabularies: %q and %q", string(other.Runes()), string(tok.Runes()))
	}
	// Runes returns a copy.
	tok.Runes()[0] = 'Z'
	if tok.Decode([]int{0}) != " " {
		t.Errorf("changing Runes() changed the tokenizer")
	}

	if e := data.NewCharTokenizer(""); e.Size() != 0 || len(e.Encode("")) != 0 || e.Decode(nil) != "" {
		t.Errorf("empty tokenizer: Size %d", e.Size())
	}

	testutil.Panics(t, `data: CharTokenizer.Encode: character 'x' (U+0078) at byte 6 is not in the vocabulary of 10 characters`, func() { tok.Encode("hello x") })
	testutil.Panics(t, `data: CharTokenizer.Encode: character '!' (U+0021) at byte 3`, func() { tok.Encode("hö!") })
	testutil.Panics(t, "data: CharTokenizer.Decode: id 10 at index 1 is not a token in 0..9", func() { tok.Decode([]int{0, 10}) })
	testutil.Panics(t, "data: CharTokenizer.Decode: id -1 at index 0", func() { tok.Decode([]int{-1}) })
}
