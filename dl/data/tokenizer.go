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
// For sequence-to-sequence models, [CharTokenizer.WithSpecials] adds the
// special tokens [Pad], [Begin] and [End] in front of the characters.
//
// A CharTokenizer does not change after NewCharTokenizer and is safe to
// use from several goroutines.
type CharTokenizer struct {
	runes    []rune       // id-offset → rune, sorted
	ids      map[rune]int // rune → id-offset
	specials bool         // ids 0, 1, 2 are Pad, Begin, End; the runes follow
}

// The ids of the special tokens of a tokenizer made by
// [CharTokenizer.WithSpecials]; its characters follow them, from id 3.
const (
	Pad   = 0 // fills a sequence up to the length of the longest in its batch; masked out
	Begin = 1 // starts the decoder's input: the model predicts the first character from it
	End   = 2 // ends a target: the model predicts it after the last character, and decoding stops
)

// numSpecials is the number of special tokens in front of the characters.
const numSpecials = 3

// specialNames are the texts of Pad, Begin and End that Token gives.
var specialNames = [numSpecials]string{"<pad>", "<s>", "</s>"}

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

// WithSpecials returns a tokenizer with the same characters and the three
// special tokens of a sequence-to-sequence model in front of them: id
// [Pad] = 0, [Begin] = 1, [End] = 2, and the characters from id 3 on, in
// the same order. t itself does not change. On a tokenizer that has them
// already it returns t.
//
//	tok := data.NewCharTokenizer("0123456789").WithSpecials()
//	tok.Size()        // 13
//	tok.Encode("12")  // [4 5]
//	tok.Decode([]int{data.Begin, 4, 5, data.End, data.Pad}) // "12"
func (t *CharTokenizer) WithSpecials() *CharTokenizer {
	if t.specials {
		return t
	}
	return &CharTokenizer{runes: t.runes, ids: t.ids, specials: true}
}

// HasSpecials reports whether the tokenizer has the special tokens Pad,
// Begin and End ([CharTokenizer.WithSpecials]).
func (t *CharTokenizer) HasSpecials() bool { return t.specials }

// offset is the id of the first character: 3 with the special tokens, else 0.
func (t *CharTokenizer) offset() int {
	if t.specials {
		return numSpecials
	}
	return 0
}

// Size returns the number of tokens in the vocabulary, the special tokens
// included; ids are 0..Size()-1. It is the vocab of nn.NewEmbedding and
// the number of classes of the model's output.
func (t *CharTokenizer) Size() int { return len(t.runes) + t.offset() }

// Runes returns the characters of the vocabulary in increasing order, the
// rune of id i (of id i+3 with the special tokens); a copy.
func (t *CharTokenizer) Runes() []rune { return slices.Clone(t.runes) }

// ID returns the id of rune r, and whether r is in the vocabulary.
func (t *CharTokenizer) ID(r rune) (int, bool) {
	id, ok := t.ids[r]
	if !ok {
		return 0, false
	}
	return id + t.offset(), true
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
	off := t.offset()
	for pos, r := range s {
		id, ok := t.ids[r]
		if !ok {
			panic(fmt.Sprintf("data: CharTokenizer.Encode: character %q (%U) at byte %d is not in the vocabulary of %d characters; build the tokenizer from a text that has it",
				r, r, pos, len(t.runes)))
		}
		ids = append(ids, id+off)
	}
	return ids
}

// Decode returns the text of the ids, the inverse of Encode:
// Decode(Encode(s)) == s for every s that Encode accepts (and valid UTF-8).
// With the special tokens, it reads a model's output: it skips Pad and
// Begin and stops at the first End, so that the ids of a decoded target,
// [Begin 4 5 End Pad Pad], give the text of 4 and 5 alone.
//
// Decode panics if an id is not in 0..Size()-1.
func (t *CharTokenizer) Decode(ids []int) string {
	var b strings.Builder
	b.Grow(len(ids))
	off := t.offset()
	for i, id := range ids {
		t.checkID("Decode", id, i)
		if id < off {
			if id == End {
				break
			}
			continue
		}
		b.WriteRune(t.runes[id-off])
	}
	return b.String()
}

// Token returns the text of one token: its character, or "<pad>", "<s>"
// and "</s>" for Pad, Begin and End. It labels the axes of an attention
// map. Token panics if id is not in 0..Size()-1.
func (t *CharTokenizer) Token(id int) string {
	t.checkID("Token", id, 0)
	if id < t.offset() {
		return specialNames[id]
	}
	return string(t.runes[id-t.offset()])
}

// Tokens returns [CharTokenizer.Token] of each id, the special tokens
// included, in order: the tick labels of an attention map. It panics if an
// id is not in 0..Size()-1.
func (t *CharTokenizer) Tokens(ids []int) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		t.checkID("Tokens", id, i)
		out[i] = t.Token(id)
	}
	return out
}

// checkID panics, naming op, if id (at index i) is not a token.
func (t *CharTokenizer) checkID(op string, id, i int) {
	if id < 0 || id >= t.Size() {
		panic(fmt.Sprintf("data: CharTokenizer.%s: id %d at index %d is not a token in 0..%d", op, id, i, t.Size()-1))
	}
}
