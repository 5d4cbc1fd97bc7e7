package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/dlnb/dlnb/dl"
)

// Positions says how a [GPT] tells its model where each token stands:
// attention alone sees a set of tokens, not a sequence, so each token's
// vector gets a vector of its position added.
type Positions int

const (
	// LearnedPositions adds a learned vector per position, one row of an
	// [Embedding] [Context, Dim], as GPT (Radford et al., 2018) and GPT-2
	// do. It is the zero value.
	LearnedPositions Positions = iota
	// SinusoidalPositions adds the fixed table of sines and cosines of
	// Vaswani et al. (2017), [SinusoidalTable], which has no parameters.
	SinusoidalPositions
)

// String returns "learned" or "sinusoidal".
func (p Positions) String() string {
	switch p {
	case LearnedPositions:
		return "learned"
	case SinusoidalPositions:
		return "sinusoidal"
	}
	return "Positions(" + strconv.Itoa(int(p)) + ")"
}

// GPTConfig holds the sizes of a [GPT]. All are required; the zero
// Positions is [LearnedPositions].
type GPTConfig struct {
	Vocab     int       // tokens: ids 0..Vocab-1
	Context   int       // the most tokens the model reads at once
	Dim       int       // features per token, d
	Heads     int       // attention heads per block; must divide Dim
	Layers    int       // TransformerBlocks
	Positions Positions // LearnedPositions or SinusoidalPositions
}

// GPT is a decoder-only Transformer language model (Radford et al., 2018,
// after Vaswani et al., 2017), as nanoGPT builds it: for token ids
// [batch, t], with t at most Config.Context,
//
//	h = Tok(ids) + positions[0:t]      // [batch, t, d]
//	h = Blocks[i](h), i = 0..Layers-1  // causal pre-norm TransformerBlocks
//	logits = Head(Norm(h))             // [batch, t, vocab]
//
// The logits at position i score the token that follows token i, from
// tokens 0..i alone: the blocks' attention is causal. So one sequence of
// t+1 tokens gives t training examples at once, the ids its first t
// tokens and the targets its last t ([SequenceCrossEntropy]).
//
// There is no dropout and no weight tying; the layers start as their
// constructors make them ([NewEmbedding]: N(0, 1); [NewLinear]: Xavier).
// Unlike Vaswani et al., the token vectors are not scaled by √d before
// the sinusoids are added: rows drawn from N(0, 1) are already of the
// sinusoids' size.
// bench/workloads times the training step of a GPT with Vocab 65,
// Context 64, Dim 64, Heads 4 and Layers 2.
type GPT struct {
	Config GPTConfig
	Tok    *Embedding // [Vocab, Dim]
	Pos    *Embedding // [Context, Dim] for LearnedPositions; nil for SinusoidalPositions
	Blocks []*TransformerBlock
	Norm   *LayerNorm // [Dim]
	Head   *Linear    // [Dim, Vocab]

	table *dl.Tensor // SinusoidalTable(Context, Dim), or nil
	pos   []int      // 0, 1, …, Context-1
}

// NewGPT returns a GPT of the given sizes, its weights drawn from rng in
// this order: Tok, Pos (learned positions only), the blocks, Head.
// NewGPT panics if a size is below 1, if Heads does not divide Dim, if
// Positions is neither LearnedPositions nor SinusoidalPositions, or if
// rng is nil.
func NewGPT(rng *rand.Rand, c GPTConfig) *GPT {
	checkStack("NewGPT", c, c.Vocab, c.Context, c.Dim, c.Heads, c.Layers)
	if c.Positions != LearnedPositions && c.Positions != SinusoidalPositions {
		panic(fmt.Sprintf("nn: NewGPT: Positions %v; want LearnedPositions or SinusoidalPositions", c.Positions))
	}
	if rng == nil {
		panic("nn: NewGPT: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	g := &GPT{Config: c, Tok: NewEmbedding(rng, c.Vocab, c.Dim), pos: make([]int, c.Context)}
	if c.Positions == LearnedPositions {
		g.Pos = NewEmbedding(rng, c.Context, c.Dim)
	} else {
		g.table = SinusoidalTable(c.Context, c.Dim)
	}
	for range c.Layers {
		g.Blocks = append(g.Blocks, NewTransformerBlock(rng, c.Dim, c.Heads, true))
	}
	g.Norm = NewLayerNorm(c.Dim)
	g.Head = NewLinear(rng, c.Dim, c.Vocab)
	for i := range g.pos {
		g.pos[i] = i
	}
	return g
}

// checkStack panics, in op, if the sizes of a Transformer stack with
// config c cannot work: a size below 1, or heads that do not divide dim.
func checkStack(op string, c any, vocab, context, dim, heads, layers int) {
	if vocab < 1 || context < 1 || dim < 1 || heads < 1 || layers < 1 {
		panic(fmt.Sprintf("nn: %s: config %+v; Vocab, Context, Dim, Heads and Layers must all be at least 1", op, c))
	}
	if dim%heads != 0 {
		panic(fmt.Sprintf("nn: %s: Dim=%d, Heads=%d; Heads must divide Dim", op, dim, heads))
	}
}

// Forward returns the logits [batch, t, Vocab] for token ids [batch, t],
// stored as float64, with 1 ≤ t ≤ Config.Context; it sets each block's
// Attn.Weights [batch, Heads, t, t]. It panics if ids is not 2-D, if t is
// not in 1..Context, or if an id is not an integer in [0, Vocab).
func (g *GPT) Forward(ids *dl.Tensor) *dl.Tensor {
	notNil("GPT", "ids", ids)
	if ids.Dim() != 2 || ids.Shape()[1] < 1 || ids.Shape()[1] > g.Config.Context {
		panic(fmt.Sprintf("nn: GPT: ids shape %v; want [batch, t] with t in 1..%d (Context)", ids.Shape(), g.Config.Context))
	}
	t := ids.Shape()[1]
	table := g.table
	if g.Pos != nil {
		table = g.Pos.Table
	}
	h := dl.Add(g.Tok.Forward(ids), dl.Gather(table, g.pos[:t])) // [b, t, d] + [t, d]
	for _, blk := range g.Blocks {
		h = blk.Forward(h)
	}
	return g.Head.Forward(g.Norm.Forward(h))
}

// Params returns the parameters of Tok, Pos (learned positions only), the
// blocks in order, Norm and Head.
func (g *GPT) Params() []*dl.Tensor {
	var ps []*dl.Tensor
	for _, m := range g.Parts().Modules {
		ps = append(ps, m.Module.Params()...)
	}
	return ps
}

// Parts names the layers "Tok", "Pos" (learned positions only),
// "Blocks.0", "Blocks.1", …, "Norm" and "Head", so that the first block's
// query weights are "Blocks.0.Attn.Wq.W" (see [Named]). The sinusoidal
// table is neither a parameter nor a buffer: NewGPT computes it from the
// config.
func (g *GPT) Parts() Parts {
	ms := []NamedModule{{"Tok", g.Tok}}
	if g.Pos != nil {
		ms = append(ms, NamedModule{"Pos", g.Pos})
	}
	for i, b := range g.Blocks {
		ms = append(ms, NamedModule{"Blocks." + strconv.Itoa(i), b})
	}
	return Parts{Modules: append(ms, NamedModule{"Norm", g.Norm}, NamedModule{"Head", g.Head})}
}

// SinusoidalTable returns the positional encodings of Vaswani et al.
// (2017), a constant tensor [n, d] whose row p encodes position p:
//
//	table[p, 2i]   = sin(p / 10000^(2i/d))
//	table[p, 2i+1] = cos(p / 10000^(2i/d))
//
// Each pair of columns turns at its own rate, from once per 2π positions
// (i = 0) to nearly once per 10000·2π, like the hands of a clock; the
// encoding of position p+k is that of p rotated, pair by pair, by angles
// that depend on k alone. For an
// odd d the last column is a sine. SinusoidalTable panics if n or d is
// below 1.
func SinusoidalTable(n, d int) *dl.Tensor {
	if n < 1 || d < 1 {
		panic(fmt.Sprintf("nn: SinusoidalTable: n=%d, d=%d; both must be at least 1", n, d))
	}
	v := make([]float64, n*d)
	for p := range n {
		for j := range d {
			angle := float64(p) / math.Pow(10000, float64(j/2*2)/float64(d))
			if j%2 == 0 {
				v[p*d+j] = math.Sin(angle)
			} else {
				v[p*d+j] = math.Cos(angle)
			}
		}
	}
	return dl.New(v, n, d)
}

// SequenceCrossEntropy returns the mean cross-entropy of logits
// [batch, t, vocab] against target ids [batch, t], over all batch·t
// positions: the loss of a language model such as [GPT], in nats per
// token (per character for a character model). It is [CrossEntropy] on
// logits [batch·t, vocab] and targets [batch·t], and can serve as
// train.Config's Loss. [NatsToBits] converts the value to bits.
//
// SequenceCrossEntropy panics if the shapes do not fit or if a target is
// not a whole number in 0..vocab-1.
func SequenceCrossEntropy(logits, targets *dl.Tensor) *dl.Tensor {
	notNil("SequenceCrossEntropy", "logits", logits)
	notNil("SequenceCrossEntropy", "targets", targets)
	ls, ts := logits.Shape(), targets.Shape()
	if logits.Dim() != 3 || targets.Dim() != 2 || ls[0] != ts[0] || ls[1] != ts[1] {
		panic(fmt.Sprintf("nn: SequenceCrossEntropy: logits %v and targets %v do not fit; want logits [batch, t, vocab] and targets [batch, t]", ls, ts))
	}
	return CrossEntropy(dl.Reshape(logits, ls[0]*ls[1], ls[2]), dl.Reshape(targets, ls[0]*ls[1]))
}

// NatsToBits converts a loss in nats (natural logarithms, as
// [CrossEntropy] gives it) to bits (base-2 logarithms): nats / ln 2.
// A character model's loss in bits per character is the number of bits
// per character that an arithmetic coder driven by the model would need
// (Shannon, 1948): 8 for a raw byte, log2(vocab) for a model that knows
// nothing, about 1 for the best models of English.
func NatsToBits(nats float64) float64 { return nats / math.Ln2 }

// Perplexity returns e^nats (= 2^bits), the perplexity of a language model
// whose mean loss is nats per token: the number of equally likely
// tokens that would leave the model as unsure. A model that knows nothing
// of a vocabulary of v tokens has perplexity v.
func Perplexity(nats float64) float64 { return math.Exp(nats) }
