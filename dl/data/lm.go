package data

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// NextTokenBatch draws a batch for training a language model to predict
// the next token at every position, as GPT is trained (Radford et al.,
// 2018; Karpathy's nanoGPT get_batch): batch windows of context+1
// consecutive tokens, each starting at a position drawn uniformly from
// rng, give X [batch, context], the first context tokens of each window,
// and Y [batch, context], the last context: Y[b, t] = X[b, t+1] for t <
// context-1, and Y[b, context-1] is the token after the window. The ids
// are stored as float64, as nn.Embedding and nn.CrossEntropy take them.
//
// A model's logits [batch, context, vocab] fit Y after a reshape:
//
//	b := data.NextTokenBatch(ids, 32, 64, rng)
//	logits := model.Forward(b.X) // [32, 64, vocab]
//	loss := nn.CrossEntropy(dl.Reshape(logits, -1, vocab), dl.Reshape(b.Y, -1))
//
// Windows may overlap, and the same window may be drawn twice.
//
// NextTokenBatch panics if batch or context is below 1, if tokens has
// fewer than context+1 ids, if rng is nil, or if an id in a drawn window
// is negative.
func NextTokenBatch(tokens []int, batch, context int, rng *rand.Rand) Set {
	if batch < 1 || context < 1 {
		panic(fmt.Sprintf("data: NextTokenBatch: batch %d and context %d, want both at least 1", batch, context))
	}
	if len(tokens) < context+1 {
		panic(fmt.Sprintf("data: NextTokenBatch: %d tokens, want at least context+1 = %d", len(tokens), context+1))
	}
	needRNG("NextTokenBatch", rng)
	x := make([]float64, batch*context)
	y := make([]float64, batch*context)
	for b := range batch {
		start := rng.IntN(len(tokens) - context)
		window := tokens[start : start+context+1]
		for t, id := range window {
			if id < 0 {
				panic(fmt.Sprintf("data: NextTokenBatch: token %d at position %d is negative; want ids 0, 1, ...", id, start+t))
			}
			if t < context {
				x[b*context+t] = float64(id)
			}
			if t > 0 {
				y[b*context+t-1] = float64(id)
			}
		}
	}
	return Set{X: dl.New(x, batch, context), Y: dl.New(y, batch, context)}
}

// NGrams returns every (context, next token) pair of the sequences, for
// the fixed-context models of Bengio et al. (2003) and Karpathy's
// makemore, which read a word one character at a time: each sequence is
// padded with context boundary tokens in front and one at the end, and
// every token after the front padding gives a row, X the context tokens
// before it and Y the token. A sequence of length m gives m+1 rows; X is
// [n, context] and Y [n], with n the sum over the sequences, the ids as
// float64. For "emma" with context 3 and boundary "." the rows are
//
//	... → e
//	..e → m
//	.em → m
//	emm → a
//	mma → .
//
// The boundary is an id of its own, usually that of a character that no
// sequence holds, such as '.':
//
//	tok := data.NewCharTokenizer("." + strings.Join(names, ""))
//	dot, _ := tok.ID('.')
//	seqs := make([][]int, len(names))
//	for i, name := range names {
//		seqs[i] = tok.Encode(name)
//	}
//	set := data.NGrams(seqs, 3, dot) // X [n, 3], Y [n]
//
// NGrams panics if context is below 1, or if boundary or a token is
// negative.
func NGrams(seqs [][]int, context, boundary int) Set {
	if context < 1 {
		panic(fmt.Sprintf("data: NGrams: context %d, want at least 1", context))
	}
	if boundary < 0 {
		panic(fmt.Sprintf("data: NGrams: boundary token %d is negative; want an id 0, 1, ...", boundary))
	}
	n := 0
	for _, s := range seqs {
		n += len(s) + 1
	}
	x := make([]float64, 0, n*context)
	y := make([]float64, 0, n)
	window := make([]float64, context)
	for i, s := range seqs {
		for j := range window {
			window[j] = float64(boundary)
		}
		for j := 0; j <= len(s); j++ {
			next := boundary
			if j < len(s) {
				next = s[j]
			}
			if next < 0 {
				panic(fmt.Sprintf("data: NGrams: token %d at position %d of sequence %d is negative; want ids 0, 1, ...", next, j, i))
			}
			x = append(x, window...)
			y = append(y, float64(next))
			copy(window, window[1:])
			window[context-1] = float64(next)
		}
	}
	return Set{X: dl.New(x, n, context), Y: dl.New(y, n)}
}
