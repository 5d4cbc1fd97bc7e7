package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/dlnb/dlnb/dl"
)

// Masking holds the settings of BERT's masked-language-model corruption
// (Devlin et al., 2018, §3.1, "Task #1: Masked LM"), which [MaskTokens]
// applies. [NewMasking] gives the paper's values; every field means its
// value.
//
// Of the positions whose id is an ordinary token, an id in [Lo, Hi), each
// is chosen independently with probability Rate; every other id (padding,
// [CLS], [SEP], the [MASK] id itself) is never chosen. A chosen position
// is replaced by MaskID with probability MaskShare, by an ordinary token
// drawn uniformly from [Lo, Hi) with probability RandomShare (which may
// happen to be the token itself), and is left unchanged otherwise. The
// model must predict the original token at every chosen position, and
// only there: it cannot tell which unchanged tokens it will be asked
// about, so it must keep a good guess for every token, not only for the
// [MASK]s, and the fine-tuned model, which never sees [MASK], is not
// thrown by its absence.
type Masking struct {
	Rate        float64 // share of ordinary positions chosen, in (0, 1]; BERT: 0.15
	MaskShare   float64 // share of chosen positions set to MaskID; BERT: 0.8
	RandomShare float64 // share set to a random ordinary token; BERT: 0.1 (the rest, 0.1, unchanged)
	MaskID      int     // the [MASK] token's id, outside [Lo, Hi)
	Lo, Hi      int     // the ordinary tokens: ids Lo..Hi-1
}

// NewMasking returns BERT's masking: Rate 0.15, MaskShare 0.8 and
// RandomShare 0.1, for the [MASK] id maskID and the ordinary tokens
// lo..hi-1. With data.CharTokenizer.WithSpecials, whose Pad, Begin and End
// are ids 0, 1 and 2, the characters are ids 3..Size()-1 and a [MASK] id
// can be Size(), one past the tokenizer's ids:
//
//	m := nn.NewMasking(tok.Size(), 3, tok.Size()) // the model's Vocab is tok.Size()+1
func NewMasking(maskID, lo, hi int) Masking {
	return Masking{Rate: 0.15, MaskShare: 0.8, RandomShare: 0.1, MaskID: maskID, Lo: lo, Hi: hi}
}

// check panics, in op, if a setting cannot work.
func (m Masking) check(op string) {
	bad := func(msg string) { panic(fmt.Sprintf("nn: %s: Masking %+v: %s", op, m, msg)) }
	switch {
	case !(m.Rate > 0 && m.Rate <= 1):
		bad("Rate must be in (0, 1], e.g. 0.15 (NewMasking)")
	case !(m.MaskShare >= 0 && m.RandomShare >= 0 && m.MaskShare+m.RandomShare <= 1):
		bad("MaskShare and RandomShare must be at least 0 with a sum of at most 1, e.g. 0.8 and 0.1 (NewMasking)")
	case m.Lo < 0 || m.Lo >= m.Hi:
		bad("the ordinary tokens Lo..Hi-1 must be a non-empty range of ids from 0")
	case m.MaskID < 0 || (m.MaskID >= m.Lo && m.MaskID < m.Hi):
		bad("MaskID must be an id of its own, at least 0 and outside Lo..Hi-1")
	}
}

// MaskTokens corrupts token ids [batch, t] for masked-language-model
// training as BERT does, by the rules of m ([Masking], [NewMasking]), with
// every random choice drawn from rng. It returns
//
//	inputs  [batch, t]: ids with the chosen positions replaced (MaskID, a random token, or kept)
//	targets [batch, t]: the original ids, a copy of ids
//	mask    [batch, t]: 1 at the chosen positions, the ones the loss counts, 0 elsewhere
//
// so that the loss is [CrossEntropyMasked](model.Forward(inputs), targets,
// mask) and the accuracy [MaskedAccuracy] of the same. Each call draws a
// new corruption, as RoBERTa's dynamic masking does (Liu et al., 2019);
// BERT itself corrupted its corpus 10 times once, before training.
// Positions are chosen independently, so a short sequence may have none
// chosen, and a small batch too: check that mask has a 1 before the loss.
//
// MaskTokens panics if ids is not 2-D or holds a value that is not a
// whole number of at least 0, if a setting of m cannot work (naming it),
// or if rng is nil.
func MaskTokens(rng *rand.Rand, ids *dl.Tensor, m Masking) (inputs, targets, mask *dl.Tensor) {
	notNil("MaskTokens", "ids", ids)
	if ids.Dim() != 2 {
		panic(fmt.Sprintf("nn: MaskTokens: ids shape %v; want [batch, t]", ids.Shape()))
	}
	m.check("MaskTokens")
	if rng == nil {
		panic("nn: MaskTokens: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	src := ids.Data()
	in, chosen := make([]float64, len(src)), make([]float64, len(src))
	for i, v := range src {
		if v < 0 || v != math.Trunc(v) {
			panic(fmt.Sprintf("nn: MaskTokens: ids holds %v at flat index %d; ids must be whole numbers of at least 0", v, i))
		}
		in[i] = v
		id := int(v)
		if id < m.Lo || id >= m.Hi || rng.Float64() >= m.Rate {
			continue
		}
		chosen[i] = 1
		switch u := rng.Float64(); {
		case u < m.MaskShare:
			in[i] = float64(m.MaskID)
		case u < m.MaskShare+m.RandomShare:
			in[i] = float64(m.Lo + rng.IntN(m.Hi-m.Lo))
		}
	}
	shape := ids.Shape()
	return dl.New(in, shape...), dl.New(append([]float64(nil), src...), shape...), dl.New(chosen, shape...)
}

// MaskedAccuracy returns the share of the positions where mask is 1 at
// which the highest of logits [batch, t, vocab] is at targets [batch, t]:
// the masked-token accuracy of a masked language model, with the inputs,
// targets and mask of [MaskTokens]. It returns NaN if mask has no 1.
// MaskedAccuracy panics if the shapes do not fit.
func MaskedAccuracy(logits, targets, mask *dl.Tensor) float64 {
	notNil("MaskedAccuracy", "logits", logits)
	notNil("MaskedAccuracy", "targets", targets)
	notNil("MaskedAccuracy", "mask", mask)
	ls, ts := logits.Shape(), targets.Shape()
	if logits.Dim() != 3 || targets.Dim() != 2 || ls[0] != ts[0] || ls[1] != ts[1] || !equalShapes(ts, mask.Shape()) {
		panic(fmt.Sprintf("nn: MaskedAccuracy: logits %v, targets %v and mask %v do not fit; want [batch, t, vocab], [batch, t] and [batch, t]", ls, ts, mask.Shape()))
	}
	v, lg, tg := ls[2], logits.Data(), targets.Data()
	hit, n := 0, 0
	for i, w := range mask.Data() {
		if w == 0 {
			continue
		}
		row, best := lg[i*v:(i+1)*v], 0
		for j := range row {
			if row[j] > row[best] {
				best = j
			}
		}
		n++
		if float64(best) == tg[i] {
			hit++
		}
	}
	return float64(hit) / float64(n)
}

func equalShapes(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// BERTConfig holds the sizes of a [BERT]; all are required.
type BERTConfig struct {
	Vocab   int // tokens: ids 0..Vocab-1, the [MASK] id among them
	Context int // the most tokens the model reads at once
	Dim     int // features per token, d
	Heads   int // attention heads per block; must divide Dim
	Layers  int // TransformerBlocks
}

// BERT is a bidirectional Transformer encoder with a masked-language-model
// head (Devlin et al., 2018, "BERT: Pre-training of Deep Bidirectional
// Transformers for Language Understanding"). For token ids [batch, t],
// with t at most Config.Context,
//
//	h = Tok(ids) + Pos[0:t]            // [batch, t, d], learned positions
//	h = Blocks[i](h), i = 0..Layers-1  // pre-norm TransformerBlocks, NOT causal
//	h = Norm(h)                        // Encode's output [batch, t, d]
//	logits = MLM(h)                    // Forward's output [batch, t, vocab]
//
// The only difference from [GPT] is that attention is not causal: every
// position sees the whole sequence, before and after it. So the model
// cannot be trained to predict the next token (it would read it); it is
// trained instead to restore tokens hidden by [MaskTokens], from both
// sides. [BERT.Pooled] gives one vector per sequence, the output at
// position 0 (BERT's [CLS] token) or the mean of all positions, for a
// [BERTClassifier] to fine-tune.
//
// Simplifications against the paper, for a small model: pre-norm blocks
// (BERT is post-norm), GELU as BERT; no segment embeddings and no
// next-sentence task (RoBERTa, Liu et al. 2019, showed it is not needed);
// no dropout; the MLM head is one Linear layer, not tied to Tok; and no
// attention mask for padding: padded positions are ordinary tokens the
// encoder sees (never masked and never in the loss), which costs little
// when sequences of a batch have similar lengths.
type BERT struct {
	Config BERTConfig
	Tok    *Embedding // [Vocab, Dim]
	Pos    *Embedding // [Context, Dim]
	Blocks []*TransformerBlock
	Norm   *LayerNorm // [Dim]
	MLM    *Linear    // [Dim, Vocab]: the masked-token head, used in pretraining only

	pos []int // 0, 1, …, Context-1
}

// NewBERT returns a BERT of the given sizes, its weights drawn from rng in
// this order: Tok, Pos, the blocks, MLM. NewBERT panics if a size is below
// 1, if Heads does not divide Dim, or if rng is nil.
func NewBERT(rng *rand.Rand, c BERTConfig) *BERT {
	checkStack("NewBERT", c, c.Vocab, c.Context, c.Dim, c.Heads, c.Layers)
	if rng == nil {
		panic("nn: NewBERT: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	b := &BERT{Config: c, Tok: NewEmbedding(rng, c.Vocab, c.Dim), Pos: NewEmbedding(rng, c.Context, c.Dim)}
	for range c.Layers {
		b.Blocks = append(b.Blocks, NewTransformerBlock(rng, c.Dim, c.Heads, false))
	}
	b.Norm, b.MLM = NewLayerNorm(c.Dim), NewLinear(rng, c.Dim, c.Vocab)
	b.pos = make([]int, c.Context)
	for i := range b.pos {
		b.pos[i] = i
	}
	return b
}

// Encode returns the encoder's output [batch, t, Dim] for token ids
// [batch, t], 1 ≤ t ≤ Config.Context: one vector per token, each computed
// from the whole sequence. It sets each block's Attn.Weights. It panics if
// ids is not 2-D, if t is not in 1..Context, or if an id is not an integer
// in [0, Vocab).
func (b *BERT) Encode(ids *dl.Tensor) *dl.Tensor {
	notNil("BERT", "ids", ids)
	if ids.Dim() != 2 || ids.Shape()[1] < 1 || ids.Shape()[1] > b.Config.Context {
		panic(fmt.Sprintf("nn: BERT: ids shape %v; want [batch, t] with t in 1..%d (Context)", ids.Shape(), b.Config.Context))
	}
	t := ids.Shape()[1]
	h := dl.Add(b.Tok.Forward(ids), dl.Gather(b.Pos.Table, b.pos[:t]))
	for _, blk := range b.Blocks {
		h = blk.Forward(h)
	}
	return b.Norm.Forward(h)
}

// Forward returns the masked-token logits [batch, t, Vocab] for token ids
// [batch, t], MLM(Encode(ids)): at each position, scores for the token
// that belongs there. It panics as [BERT.Encode] does.
func (b *BERT) Forward(ids *dl.Tensor) *dl.Tensor { return b.MLM.Forward(b.Encode(ids)) }

// Pooling says how [BERT.Pooled] makes one vector of a sequence's
// vectors.
type Pooling int

const (
	// CLSPooling takes the encoder's output at position 0, where BERT puts
	// its [CLS] token (with data.CharTokenizer's specials, Begin plays
	// that part). Since attention is bidirectional, position 0 sees the
	// whole sequence, and fine-tuning teaches it to gather what the task
	// needs. It is the zero value, as in BERT. BERT adds a Linear layer
	// and tanh on top (its "pooler", pretrained by next-sentence
	// prediction); there is no such task here, so the pooled vector is
	// the position's output itself.
	CLSPooling Pooling = iota
	// MeanPooling averages the encoder's outputs over all t positions,
	// padding included (there is no attention mask: see [BERT]), as
	// Sentence-BERT does (Reimers and Gurevych, 2019). The masked-token
	// task never trains position 0's output, since [CLS] is never masked;
	// the mean starts from outputs that pretraining did train, which
	// helps when there are few labels to fine-tune with.
	MeanPooling
)

// String returns "cls" or "mean".
func (p Pooling) String() string {
	switch p {
	case CLSPooling:
		return "cls"
	case MeanPooling:
		return "mean"
	}
	return "Pooling(" + strconv.Itoa(int(p)) + ")"
}

// Pooled returns one vector per sequence, [batch, Dim], from the
// encoder's outputs [batch, t, Dim] for token ids [batch, t], by pooling
// p: [CLSPooling] or [MeanPooling]. Pooled panics as [BERT.Encode] does,
// or if p is neither.
func (b *BERT) Pooled(ids *dl.Tensor, p Pooling) *dl.Tensor {
	if p != CLSPooling && p != MeanPooling {
		panic(fmt.Sprintf("nn: BERT: Pooled: pooling %v; want CLSPooling or MeanPooling", p))
	}
	h := b.Encode(ids)
	if p == MeanPooling {
		return dl.Mean(h, 1)
	}
	return dl.Reshape(dl.Slice(h, 1, 0, 1), h.Shape()[0], b.Config.Dim)
}

// EncoderParams returns the parameters of the encoder alone, without the
// MLM head: Tok, Pos, the blocks in order, and Norm. These are what
// fine-tuning keeps, and what an optimizer freezes
// (optim.Freezer) to train a new head on a fixed encoder.
func (b *BERT) EncoderParams() []*dl.Tensor {
	var ps []*dl.Tensor
	for _, m := range b.encoderParts() {
		ps = append(ps, m.Module.Params()...)
	}
	return ps
}

// Params returns [BERT.EncoderParams] followed by MLM's weight and bias.
func (b *BERT) Params() []*dl.Tensor { return append(b.EncoderParams(), b.MLM.Params()...) }

func (b *BERT) encoderParts() []NamedModule {
	ms := []NamedModule{{"Tok", b.Tok}, {"Pos", b.Pos}}
	for i, blk := range b.Blocks {
		ms = append(ms, NamedModule{"Blocks." + strconv.Itoa(i), blk})
	}
	return append(ms, NamedModule{"Norm", b.Norm})
}

// Parts names the layers "Tok", "Pos", "Blocks.0", "Blocks.1", …, "Norm"
// and "MLM" (see [Named]).
func (b *BERT) Parts() Parts {
	return Parts{Modules: append(b.encoderParts(), NamedModule{"MLM", b.MLM})}
}

// BERTClassifier is a [BERT] encoder fine-tuned to classify whole
// sequences (Devlin et al., 2018, §3.2 and Figure 4): a Linear head on the
// pooled vector,
//
//	logits = Head(Encoder.Pooled(ids, Pooling))   // [batch, classes]
//
// for [CrossEntropy] against class labels [batch]. Fine-tuning trains the
// head and, unless an optimizer freezes them (optim.Freezer), the
// encoder's parameters too. The encoder's MLM head is not used and is not
// among the classifier's Params.
type BERTClassifier struct {
	Encoder *BERT
	Head    *Linear // [Dim, classes]
	Pooling Pooling // CLSPooling (the zero value, as BERT) or MeanPooling
}

// NewBERTClassifier returns a classifier into the given number of classes
// on the encoder enc, which it shares (not copies): fine-tuning changes
// enc. Its head is a new Linear layer drawn from rng, and its Pooling is
// [CLSPooling]; set it to [MeanPooling] for the mean. NewBERTClassifier
// panics if enc or rng is nil or if classes is below 2.
func NewBERTClassifier(rng *rand.Rand, enc *BERT, classes int) *BERTClassifier {
	if enc == nil {
		panic("nn: NewBERTClassifier: enc is nil; pass the encoder from NewBERT")
	}
	if classes < 2 {
		panic(fmt.Sprintf("nn: NewBERTClassifier: %d classes; want at least 2", classes))
	}
	checkLinear("NewBERTClassifier", rng, enc.Config.Dim, classes)
	return &BERTClassifier{Encoder: enc, Head: NewLinear(rng, enc.Config.Dim, classes)}
}

// Forward returns the class logits [batch, classes] for token ids
// [batch, t]. It panics as [BERT.Pooled] does.
func (c *BERTClassifier) Forward(ids *dl.Tensor) *dl.Tensor {
	notNil("BERTClassifier", "ids", ids)
	return c.Head.Forward(c.Encoder.Pooled(ids, c.Pooling))
}

// Params returns the encoder's [BERT.EncoderParams], then the head's
// weight and bias.
func (c *BERTClassifier) Params() []*dl.Tensor {
	return append(c.Encoder.EncoderParams(), c.Head.Params()...)
}

// Parts names the encoder's layers as [BERT.Parts] does, without "MLM",
// and the head "Head".
func (c *BERTClassifier) Parts() Parts {
	return Parts{Modules: append(c.Encoder.encoderParts(), NamedModule{"Head", c.Head})}
}
