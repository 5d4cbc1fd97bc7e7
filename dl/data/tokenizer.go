package data

import (
	"fmt"
	"slices"
	"strings"
)

// CharTokenizer turns text into token ids and back, one token per
// character (rune), as the character-level language models of the course
// use (Karpathy's makemore and nanoGPT's Shakespeare). Its vocabulary is the
// sorted set of the runes of a text: id i is the i-th smallest rune, so the
// same text always gives the same ids.
//
//	tok := data.NewCharTokenizer(text)
//	ids := tok.Encode("whale") // e.g. [72 57 50 61 54]
//	tok.Decode(ids)            // "whale"
//
// A CharTokenizer does not change after NewCharTokenizer and is safe to
// use from several goroutines.
type CharTokenizer struct {
	runes []rune       // id → rune, sorted
	ids   map[rune]int // rune → id
}

// NewCharTokenizer returns a tokenizer whose vocabulary holds every rune
// of text once, in increasing order. Bytes of text that are not valid
// UTF-8 count as the rune U+FFFD, as in a range loop over a string. An
// empty text gives an empty vocabulary (Size 0).
func NewCharTokenizer(text string) *CharTokenizer {
	seen := make(map[rune]bool)
	for _, r := range text {
		seen[r] = true
	}
	runes := make([]rune, 0, len(seen))
	for r := range seen {
		runes = append(runes, r)
	}
	slices.Sort(runes)
	ids := make(map[rune]int, len(runes))
	for i, r := range runes {
		ids[r] = i
	}
	return &CharTokenizer{runes: runes, ids: ids}
}

// Size returns the number of tokens in the vocabulary; ids are 0..Size()-1.
// It is the vocab of nn.NewEmbedding and the number of classes of the
// model's output.
func (t *CharTokenizer) Size() int { return len(t.runes) }

// Runes returns the vocabulary: the rune of each id, in increasing order
// (a copy).
func (t *CharTokenizer) Runes() []rune { return slices.Clone(t.runes) }

// ID returns the id of rune r, and whether r is in the vocabulary.
func (t *CharTokenizer) ID(r rune) (int, bool) {
	id, ok := t.ids[r]
	return id, ok
}

// Encode returns the id of each rune of s, in order: len(ids) is the
// number of runes of s, not of bytes.
//
// Encode panics if s has a rune that is not in the vocabulary, naming it
// and its position: the tokenizer was built from a text without it. Build
// it from a text that has every character you will encode (for a prompt,
// the training text plus the prompt), or check with [CharTokenizer.ID]
// first.
func (t *CharTokenizer) Encode(s string) []int {
	ids := make([]int, 0, len(s))
	for pos, r := range s {
		id, ok := t.ids[r]
		if !ok {
			panic(fmt.Sprintf("data: CharTokenizer.Encode: character %q (%U) at byte %d is not in the vocabulary of %d characters; build the tokenizer from a text that has it",
				r, r, pos, len(t.runes)))
		}
		ids = append(ids, id)
	}
	return ids
}

// Decode returns the text of the ids, the inverse of Encode:
// Decode(Encode(s)) == s for every s that Encode accepts (and valid UTF-8).
//
// Decode panics if an id is not in 0..Size()-1.
func (t *CharTokenizer) Decode(ids []int) string {
	var b strings.Builder
	b.Grow(len(ids))
	for i, id := range ids {
		if id < 0 || id >= len(t.runes) {
			panic(fmt.Sprintf("data: CharTokenizer.Decode: id %d at index %d is not a token in 0..%d", id, i, len(t.runes)-1))
		}
		b.WriteRune(t.runes[id])
	}
	return b.String()
}
