package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// This file holds the encoder–decoder of Sutskever, Vinyals and Le (2014)
// and Cho et al. (2014), with the attention of Bahdanau, Cho and Bengio
// (2014) as an option, greedy decoding for any model that implements
// [Seq2SeqModel], and the ids of the decoder's special tokens.

// BeginID and EndID are the ids of the decoder's special tokens that
// [GreedyDecode] uses: it feeds BeginID first and stops at EndID. They are
// those of dl/data's tokenizers (data.Begin and data.End; data.Pad is 0),
// which this package does not import.
const (
	BeginID = 1
	EndID   = 2
)

// Seq2SeqModel is an encoder–decoder as [GreedyDecode] runs it: Encode
// reads a batch of sources once and returns the decoder, which then
// predicts one token per Step. [Seq2Seq] is one; a Transformer
// encoder–decoder can be another.
type Seq2SeqModel interface {
	// Encode reads the sources src [batch, S], token ids as float64, of
	// lengths srcLen (nil: all S long), and returns the decoder ready for
	// its first step.
	Encode(src *dl.Tensor, srcLen []int) Decoding
}

// Decoding is a decoder running over a batch, one step at a time.
type Decoding interface {
	// Step feeds prev [batch], the previous token of each sequence (BeginID
	// at the first step), and returns the logits [batch, vocab] of the next
	// one and the attention weights [batch, S] over the source, or nil
	// for a model without attention.
	Step(prev *dl.Tensor) (logits, weights *dl.Tensor)
}

// Seq2SeqConfig gives the sizes of a [Seq2Seq] and its attention.
type Seq2SeqConfig struct {
	SrcVocab, TgtVocab int // the number of source and target ids, special tokens included
	Embed              int // the size of the token embeddings
	Hidden             int // the GRU units of the encoder and of the decoder
	// Attention is "none" (or "") for one context vector, "additive"
	// (Bahdanau et al., 2014), "dot" (Luong et al., 2015, sᵀh, no
	// parameters) or "general" (Luong's sᵀWh).
	Attention string
	// AttentionHidden is the size of the additive attention's MLP; 0
	// means Hidden. Other attentions ignore it.
	AttentionHidden int
}

// Seq2Seq is a GRU encoder–decoder for sequence-to-sequence tasks, such as
// reversing a string or normalising a date. The encoder reads the embedded
// source; the decoder starts from the encoder's last state and, fed the
// embedded previous target token (teacher forcing in training, its own
// prediction when decoding), predicts the next one:
//
//	without attention (Sutskever et al., 2014; Cho et al., 2014): the whole
//	source reaches the decoder through one vector, the encoder's last state
//	    hₜ = GRU(embed(yₜ₋₁), hₜ₋₁),      logitsₜ = Head(hₜ)
//	with attention (Bahdanau, Cho and Bengio, 2014): at every step the
//	decoder reads the context cₜ, the encoder states weighted by attention
//	from its previous state hₜ₋₁ (padding masked out)
//	    cₜ = Σⱼ αₜⱼ encⱼ,  hₜ = GRU([embed(yₜ₋₁); cₜ], hₜ₋₁),  logitsₜ = Head([hₜ; cₜ])
//
// The encoder runs one way (Bahdanau et al. read the source both ways; a
// "Try this"). A seq2seq model takes a source and a target, so it does not
// fit the one-input [Module]: its teacher-forced forward pass is
// [Seq2Seq.Run], and [GreedyDecode] decodes with it. It is a Module all
// the same, so that train.Cached, train.Save and the optimizers take it,
// but its Forward panics.
type Seq2Seq struct {
	SrcEmbed  *Embedding // [SrcVocab, Embed]
	TgtEmbed  *Embedding // [TgtVocab, Embed]
	Encoder   *GRU       // Embed → Hidden
	Decoder   *GRUCell   // Embed → Hidden; Embed+Hidden → Hidden with attention
	Attention Attender   // nil: no attention
	Head      *Linear    // Hidden → TgtVocab; 2·Hidden → TgtVocab with attention
}

// NewSeq2Seq returns an encoder–decoder of the sizes in cfg, each layer
// initialized as its constructor does (the embeddings N(0, 1), the GRUs
// as PyTorch's, the head and the attention Xavier).
//
// NewSeq2Seq panics if rng is nil, if a size is below 1 (AttentionHidden
// below 0), or if cfg.Attention is none of "", "none", "additive", "dot"
// and "general".
func NewSeq2Seq(rng *rand.Rand, cfg Seq2SeqConfig) *Seq2Seq {
	if rng == nil {
		panic("nn: NewSeq2Seq: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	if cfg.SrcVocab < 1 || cfg.TgtVocab < 1 || cfg.Embed < 1 || cfg.Hidden < 1 || cfg.AttentionHidden < 0 {
		panic(fmt.Sprintf("nn: NewSeq2Seq: sizes SrcVocab=%d, TgtVocab=%d, Embed=%d, Hidden=%d, AttentionHidden=%d; want at least 1 (AttentionHidden 0 for Hidden)",
			cfg.SrcVocab, cfg.TgtVocab, cfg.Embed, cfg.Hidden, cfg.AttentionHidden))
	}
	h := cfg.Hidden
	m := &Seq2Seq{
		SrcEmbed: NewEmbedding(rng, cfg.SrcVocab, cfg.Embed),
		TgtEmbed: NewEmbedding(rng, cfg.TgtVocab, cfg.Embed),
		Encoder:  NewGRU(rng, cfg.Embed, h),
	}
	switch cfg.Attention {
	case "", "none":
	case "additive":
		ah := cfg.AttentionHidden
		if ah == 0 {
			ah = h
		}
		m.Attention = NewAdditiveAttention(rng, h, h, ah)
	case "dot":
		m.Attention = &DotAttention{}
	case "general":
		m.Attention = NewDotAttention(rng, h, h)
	default:
		panic(fmt.Sprintf("nn: NewSeq2Seq: Attention %q; want \"none\", \"additive\", \"dot\" or \"general\"", cfg.Attention))
	}
	if m.Attention == nil {
		m.Decoder = NewGRUCell(rng, cfg.Embed, h)
		m.Head = NewLinear(rng, h, cfg.TgtVocab)
	} else {
		m.Decoder = NewGRUCell(rng, cfg.Embed+h, h)
		m.Head = NewLinear(rng, 2*h, cfg.TgtVocab)
	}
	return m
}

// Run is the forward pass with teacher forcing: it encodes the sources
// src [batch, S] of lengths srcLen and feeds the decoder tgtIn
// [batch, T], the targets shifted right behind BeginID, as
// data.Seq2SeqBatch's Src, SrcLen and TgtIn are. It returns the logits
// [batch, T, TgtVocab] of each next token, for [CrossEntropyMasked]
// against TgtOut and TgtMask, and with attention the weights
// [batch, T, S] (0 at padding), nil without:
//
//	logits, _ := m.Run(b.Src, b.SrcLen, b.TgtIn)
//	loss := nn.CrossEntropyMasked(logits, b.TgtOut, b.TgtMask)
//
// Ids are float64, as nn.Embedding takes them. srcLen nil means every
// source is S long. Each step computes what [Seq2Seq.Encode]'s decoder
// computes, so decoding gives the same logits for the same inputs.
//
// Run panics if src is not [batch, S] or tgtIn not [batch, T] with S and
// T at least 1, if srcLen does not hold one length in [1, S] per source,
// or if an id is outside its vocabulary.
func (m *Seq2Seq) Run(src *dl.Tensor, srcLen []int, tgtIn *dl.Tensor) (logits, weights *dl.Tensor) {
	notNil("Seq2Seq", "src", src)
	notNil("Seq2Seq", "tgtIn", tgtIn)
	d := m.encode(src, srcLen)
	if s := tgtIn.Shape(); tgtIn.Dim() != 2 || s[0] != d.batch || s[1] < 1 {
		panic(fmt.Sprintf("nn: Seq2Seq: tgtIn %v for src %v; want [%d, T] with T at least 1", s, src.Shape(), d.batch))
	}
	T := tgtIn.Shape()[1]
	emb := m.TgtEmbed.Forward(tgtIn) // [batch, T, Embed], all steps at once
	if m.Attention == nil {
		out, _ := (&GRU{Cell: m.Decoder}).Run(emb, d.h, nil) // the cell's steps, with the input part at once
		return m.Head.Forward(out), nil
	}
	hs := make([]*dl.Tensor, T)
	ws := make([]*dl.Tensor, T)
	E := emb.Shape()[2]
	for t := range T {
		e := dl.Reshape(dl.Slice(emb, 1, t, t+1), d.batch, E)
		hc, w := d.step(e)
		hs[t] = dl.Reshape(hc, d.batch, 1, hc.Shape()[1])
		ws[t] = dl.Reshape(w, d.batch, 1, d.time)
	}
	return m.Head.Forward(dl.Concat(1, hs...)), dl.Concat(1, ws...)
}

// Encode reads the sources src [batch, S] of lengths srcLen (nil: all S
// long) and returns the decoder, which starts from the encoder's last
// state, for [GreedyDecode] or a decoder of your own (beam search). It
// makes a Seq2Seq a [Seq2SeqModel]. Each Step takes prev [batch], the
// previous tokens, and returns the logits [batch, TgtVocab] and, with
// attention, the weights [batch, S].
//
// Encode panics as Run does; Step panics if prev is not [batch].
func (m *Seq2Seq) Encode(src *dl.Tensor, srcLen []int) Decoding {
	notNil("Seq2Seq", "src", src)
	return m.encode(src, srcLen)
}

// encode runs the encoder and returns the decoder's starting point.
func (m *Seq2Seq) encode(src *dl.Tensor, srcLen []int) *seq2seqDecoding {
	batch, time := checkSource("Seq2Seq", src, srcLen)
	out, last := m.Encoder.Run(m.SrcEmbed.Forward(src), nil, srcLen)
	d := &seq2seqDecoding{m: m, batch: batch, time: time, h: last, keys: out}
	if m.Attention != nil {
		d.projected = m.Attention.ProjectKeys(out)
		if srcLen != nil {
			mask := make([]float64, batch*time)
			for b, n := range srcLen {
				for t := range n {
					mask[b*time+t] = 1
				}
			}
			d.mask = dl.New(mask, batch, time)
		}
	}
	return d
}

// checkSource panics, naming op, unless src is [batch, S] with S ≥ 1 and
// srcLen is nil or holds one length in [1, S] per source. It returns
// batch and S.
func checkSource(op string, src *dl.Tensor, srcLen []int) (batch, time int) {
	s := src.Shape()
	if src.Dim() != 2 || s[0] < 1 || s[1] < 1 {
		panic(fmt.Sprintf("nn: %s: src %v; want ids [batch, S] with batch and S at least 1", op, s))
	}
	batch, time = s[0], s[1]
	if srcLen == nil {
		return batch, time
	}
	if len(srcLen) != batch {
		panic(fmt.Sprintf("nn: %s: %d source lengths for a batch of %d sources; give one length per source", op, len(srcLen), batch))
	}
	for b, n := range srcLen {
		if n == 0 {
			panic(fmt.Sprintf("nn: %s: source %d is empty (srcLen[%d] = 0); every source needs at least one token", op, b, b))
		}
		if n < 0 || n > time {
			panic(fmt.Sprintf("nn: %s: srcLen[%d] = %d is outside [1, %d], the length of src %v", op, b, n, time, s))
		}
	}
	return batch, time
}

// seq2seqDecoding is a Seq2Seq's decoder over one batch: its state and
// what attention reads.
type seq2seqDecoding struct {
	m           *Seq2Seq
	batch, time int
	h           *dl.Tensor // the decoder's state [batch, Hidden]
	keys        *dl.Tensor // the encoder's states [batch, S, Hidden]
	projected   *dl.Tensor // the keys' part of the scores; nil without attention
	mask        *dl.Tensor // [batch, S]; nil when no source is padded
}

// step advances the state by one step for the embedded previous tokens
// e [batch, Embed] and returns the head's input, hₜ or [hₜ; cₜ], and the
// weights (nil without attention).
func (d *seq2seqDecoding) step(e *dl.Tensor) (hc, weights *dl.Tensor) {
	m := d.m
	if m.Attention == nil {
		d.h = m.Decoder.Step(e, d.h)
		return d.h, nil
	}
	ctx, w := m.Attention.AttendProjected(d.h, d.keys, d.projected, d.mask)
	d.h = m.Decoder.Step(dl.Concat(1, e, ctx), d.h)
	return dl.Concat(1, d.h, ctx), w
}

// Step feeds the previous tokens prev [batch] and returns the logits
// [batch, TgtVocab] of the next and the weights [batch, S] or nil.
func (d *seq2seqDecoding) Step(prev *dl.Tensor) (logits, weights *dl.Tensor) {
	notNil("Seq2Seq", "prev", prev)
	if s := prev.Shape(); prev.Dim() != 1 || s[0] != d.batch {
		panic(fmt.Sprintf("nn: Seq2Seq: prev %v; want the previous token of each sequence, [%d]", s, d.batch))
	}
	hc, w := d.step(d.m.TgtEmbed.Forward(prev))
	return d.m.Head.Forward(hc), w
}

// Forward panics: a seq2seq model takes a source and a target, so call
// [Seq2Seq.Run] (training) or [GreedyDecode]. It is there so that a
// Seq2Seq is an nn.Module, as train.Save and train.Cached take.
func (m *Seq2Seq) Forward(x *dl.Tensor) *dl.Tensor {
	panic("nn: Seq2Seq: Forward takes one tensor, a seq2seq model needs a source and a target; call Run(src, srcLen, tgtIn), or GreedyDecode to decode")
}

// Params returns the parameters of SrcEmbed, TgtEmbed, Encoder, Decoder,
// Attention (if any) and Head, in that order.
func (m *Seq2Seq) Params() []*dl.Tensor {
	var ps []*dl.Tensor
	for _, p := range m.Parts().Modules {
		ps = append(ps, p.Module.Params()...)
	}
	return ps
}

// Parts names the layers "SrcEmbed", "TgtEmbed", "Encoder", "Decoder",
// "Attention" (if any) and "Head", so that the decoder's recurrent
// weights are "Decoder.Wh" (see [Named]).
func (m *Seq2Seq) Parts() Parts {
	p := Parts{Modules: []NamedModule{
		{"SrcEmbed", m.SrcEmbed}, {"TgtEmbed", m.TgtEmbed},
		{"Encoder", m.Encoder}, {"Decoder", m.Decoder},
	}}
	if m.Attention != nil {
		p.Modules = append(p.Modules, NamedModule{"Attention", m.Attention})
	}
	p.Modules = append(p.Modules, NamedModule{"Head", m.Head})
	return p
}

// GreedyDecode decodes the sources src [batch, S] (ids as float64, of
// lengths srcLen, nil for all S) with model, one token at a time: it
// feeds [BeginID], then at each step the most likely token (the argmax of
// the logits), until the model predicts [EndID] or maxLen tokens are out.
// It returns each sequence's ids, End left out, and for a model with
// attention the weights of each returned token over the sequence's own
// source tokens, weights[b][t] of length srcLen[b], to draw as a map of
// target against source tokens (nil without attention).
//
// Greedy decoding picks the best token at each step, not the best
// sequence; beam search (Sutskever et al., 2014, used a beam of 2 to 12)
// keeps several candidates.
//
// GreedyDecode panics if model is nil, if src is not [batch, S] with S at
// least 1, if a source is empty or srcLen does not fit src, if maxLen is
// below 1, or if the model's logits are not [batch, vocab].
func GreedyDecode(model Seq2SeqModel, src *dl.Tensor, srcLen []int, maxLen int) (ids [][]int, weights [][][]float64) {
	const op = "GreedyDecode"
	if model == nil {
		panic("nn: GreedyDecode: model is nil")
	}
	notNil(op, "src", src)
	if maxLen < 1 {
		panic(fmt.Sprintf("nn: GreedyDecode: maxLen %d; want at least 1 token out", maxLen))
	}
	batch, time := checkSource(op, src, srcLen)
	dec := model.Encode(src, srcLen)
	ids = make([][]int, batch)
	weights = make([][][]float64, batch)
	done := make([]bool, batch)
	left, attention := batch, false
	prev := make([]float64, batch)
	for b := range prev {
		prev[b] = BeginID
	}
	for step := 0; step < maxLen && left > 0; step++ {
		logits, w := dec.Step(dl.New(prev, batch))
		if s := logits.Shape(); logits.Dim() != 2 || s[0] != batch || s[1] < 1 {
			panic(fmt.Sprintf("nn: GreedyDecode: the model's logits %v; want [%d, vocab]", s, batch))
		}
		if w != nil && (w.Dim() != 2 || w.Shape()[0] != batch || w.Shape()[1] != time) {
			panic(fmt.Sprintf("nn: GreedyDecode: the model's weights %v; want [%d, %d], or nil", w.Shape(), batch, time))
		}
		attention = attention || w != nil
		next := dl.Argmax(logits, 1)
		prev = make([]float64, batch) // dl.New may keep the slice
		for b, id := range next {
			prev[b] = float64(id)
			if done[b] {
				continue
			}
			if id == EndID {
				done[b] = true
				left--
				continue
			}
			ids[b] = append(ids[b], id)
			if w != nil {
				n := time
				if srcLen != nil {
					n = srcLen[b]
				}
				row := make([]float64, n)
				copy(row, w.Data()[b*time:b*time+n])
				weights[b] = append(weights[b], row)
			}
		}
	}
	if !attention {
		weights = nil
	}
	return ids, weights
}
