package data

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/dlnb/dlnb/dl"
)

// Pair is one example of a sequence-to-sequence task: a source text and
// the target text a model should write for it, such as "3 March 2014" and
// "2014-03-03".
type Pair struct {
	Source, Target string
}

// PadBatch stacks sequences of token ids of different lengths into one
// tensor, as a batch of a recurrent or attention model needs: ids [batch,
// T] holds sequence i in row i, followed by [Pad] up to T, the length of
// the longest; mask [batch, T] is 1 at a token and 0 at padding; lengths
// holds the length of each sequence. The ids are stored as float64, as
// nn.Embedding takes them.
//
//	ids, mask, lengths := data.PadBatch([][]int{{4, 5, 6}, {7}}, 30)
//	// ids  [[4 5 6] [7 0 0]], mask [[1 1 1] [1 0 0]], lengths [3 1]
//
// PadBatch panics if seqs is empty, if a sequence is empty or longer than
// maxLen (naming it and its length), if maxLen is below 1, or if an id is
// negative.
func PadBatch(seqs [][]int, maxLen int) (ids, mask *dl.Tensor, lengths []int) {
	return padBatch("PadBatch", seqs, maxLen)
}

func padBatch(op string, seqs [][]int, maxLen int) (ids, mask *dl.Tensor, lengths []int) {
	if maxLen < 1 {
		panic(fmt.Sprintf("data: %s: maxLen %d, want at least 1", op, maxLen))
	}
	if len(seqs) == 0 {
		panic(fmt.Sprintf("data: %s: no sequences; want a batch of at least 1", op))
	}
	longest := 0
	lengths = make([]int, len(seqs))
	for i, s := range seqs {
		switch {
		case len(s) == 0:
			panic(fmt.Sprintf("data: %s: sequence %d is empty; every sequence needs at least one token", op, i))
		case len(s) > maxLen:
			panic(fmt.Sprintf("data: %s: sequence %d has %d tokens, over the maximum length %d; raise maxLen or drop the sequence", op, i, len(s), maxLen))
		}
		lengths[i] = len(s)
		longest = max(longest, len(s))
	}
	x := make([]float64, len(seqs)*longest) // Pad is 0
	m := make([]float64, len(seqs)*longest)
	for i, s := range seqs {
		for t, id := range s {
			if id < 0 {
				panic(fmt.Sprintf("data: %s: token %d at position %d of sequence %d is negative; want ids 0, 1, ...", op, id, t, i))
			}
			x[i*longest+t] = float64(id)
			m[i*longest+t] = 1
		}
	}
	return dl.New(x, len(seqs), longest), dl.New(m, len(seqs), longest), lengths
}

// Seq2SeqBatch is a batch of [Pair]s as an encoder–decoder model trained
// with teacher forcing reads it (Sutskever et al., 2014): the decoder gets
// TgtIn, the target shifted right behind [Begin], and learns to predict
// TgtOut, the target followed by [End]. For the pair ("123", "321"):
//
//	Src    1 2 3        (the ids of the characters)
//	TgtIn  <s> 3 2 1
//	TgtOut 3 2 1 </s>
//
// Every row is padded with [Pad] to the longest of the batch, and the masks
// are 1 at a token and 0 at padding. All ids are float64, as nn.Embedding
// and nn.CrossEntropy take them.
type Seq2SeqBatch struct {
	Src     *dl.Tensor // [batch, S]: source ids
	SrcMask *dl.Tensor // [batch, S]: 1 at a token, 0 at padding
	SrcLen  []int      // [batch]: the length of each source
	TgtIn   *dl.Tensor // [batch, T]: Begin, then the target's ids
	TgtOut  *dl.Tensor // [batch, T]: the target's ids, then End
	TgtMask *dl.Tensor // [batch, T]: 1 at a token (End included), 0 at padding
	TgtLen  []int      // [batch]: the length of each target plus 1 (for Begin or End)
}

// Batch tokenizes pairs into a [Seq2SeqBatch]. maxLen caps the length of
// a source and of a target plus its End.
//
//	tok := data.DigitTokenizer()
//	b := tok.Batch(data.Reversal(rng, 64, 5, 30), 31)
//
// Batch panics if the tokenizer has no special tokens
// ([CharTokenizer.WithSpecials]), if pairs is empty, if a source or target
// is empty or too long (naming the pair and its length), or if a text has
// a character that is not in the vocabulary (naming it and its position).
func (t *CharTokenizer) Batch(pairs []Pair, maxLen int) Seq2SeqBatch {
	if !t.specials {
		panic("data: CharTokenizer.Batch: the tokenizer has no special tokens; make it with WithSpecials")
	}
	if len(pairs) == 0 {
		panic("data: CharTokenizer.Batch: no pairs; want a batch of at least 1")
	}
	src := make([][]int, len(pairs))
	in := make([][]int, len(pairs))
	out := make([][]int, len(pairs))
	for i, p := range pairs {
		if p.Source == "" || p.Target == "" {
			panic(fmt.Sprintf("data: CharTokenizer.Batch: pair %d (%q → %q) has an empty text; every source and target needs at least one character", i, p.Source, p.Target))
		}
		if n := len([]rune(p.Source)); n > maxLen {
			panic(fmt.Sprintf("data: CharTokenizer.Batch: source %d %q has %d characters, over the maximum length %d", i, p.Source, n, maxLen))
		}
		if n := len([]rune(p.Target)); n+1 > maxLen {
			panic(fmt.Sprintf("data: CharTokenizer.Batch: target %d %q has %d characters, plus End over the maximum length %d", i, p.Target, n, maxLen))
		}
		src[i] = t.Encode(p.Source)
		tgt := t.Encode(p.Target)
		in[i] = append([]int{Begin}, tgt...)
		out[i] = append(tgt, End)
	}
	var b Seq2SeqBatch
	b.Src, b.SrcMask, b.SrcLen = padBatch("CharTokenizer.Batch", src, maxLen)
	b.TgtIn, _, _ = padBatch("CharTokenizer.Batch", in, maxLen)
	b.TgtOut, b.TgtMask, b.TgtLen = padBatch("CharTokenizer.Batch", out, maxLen)
	return b
}

// DigitTokenizer returns the tokenizer of [Reversal] and [Sorting]: the
// special tokens Pad, Begin and End, then the digits '0' to '9' (ids 3 to
// 12).
func DigitTokenizer() *CharTokenizer {
	return NewCharTokenizer("0123456789").WithSpecials()
}

// Reversal returns n pairs of the sequence-reversal task of Sutskever et
// al. (2014) and of many attention tutorials: the source is a string of
// random digits, of a length drawn uniformly from lo..hi, and the target is
// that string reversed, "40213" → "31204". The first target character
// depends on the last source character, so a model that squeezes the
// source into one vector struggles more as the length grows, which makes
// it the simplest test of attention against sequence length. Pass lo = hi
// for pairs of one length. Tokenize with [DigitTokenizer].
//
// Reversal panics if n is below 1, if lo is below 1 or above hi, or if rng
// is nil.
func Reversal(rng *rand.Rand, n, lo, hi int) []Pair {
	return digitPairs("Reversal", rng, n, lo, hi, func(d []byte) { slices.Reverse(d) })
}

// Sorting returns n pairs of the digit-sorting task: the source is a
// string of random digits, of a length drawn uniformly from lo..hi, and
// the target the same digits in increasing order, "40213" → "01234"
// (Vinyals et al., 2015, "Order Matters", sort numbers with seq2seq models).
// Tokenize with [DigitTokenizer].
//
// Sorting panics if n is below 1, if lo is below 1 or above hi, or if rng
// is nil.
func Sorting(rng *rand.Rand, n, lo, hi int) []Pair {
	return digitPairs("Sorting", rng, n, lo, hi, func(d []byte) { slices.Sort(d) })
}

// digitPairs draws n random digit strings and maps each to its target.
func digitPairs(op string, rng *rand.Rand, n, lo, hi int, target func([]byte)) []Pair {
	if n < 1 {
		panic(fmt.Sprintf("data: %s: n=%d, want at least 1", op, n))
	}
	if lo < 1 || hi < lo {
		panic(fmt.Sprintf("data: %s: lengths lo=%d, hi=%d; want 1 <= lo <= hi", op, lo, hi))
	}
	needRNG(op, rng)
	pairs := make([]Pair, n)
	for i := range pairs {
		d := make([]byte, lo+rng.IntN(hi-lo+1))
		for j := range d {
			d[j] = '0' + byte(rng.IntN(10))
		}
		pairs[i].Source = string(d)
		target(d)
		pairs[i].Target = string(d)
	}
	return pairs
}
