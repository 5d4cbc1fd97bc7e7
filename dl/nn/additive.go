package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// Attender is the attention of a sequence-to-sequence decoder over the
// states of its encoder: at each output step the decoder's state, the
// query [batch, q], scores every encoder state, the keys [batch, time, k],
// and reads their weighted average, the context [batch, k]. Both
// [AdditiveAttention] and [DotAttention] are Attenders, so that a
// seq2seq model can take either.
//
// The keys stay the same for all the steps of a decoder, so their part of
// the score is computed once: ProjectKeys(keys) before the first step,
// then AttendProjected at every step. Attend does both at once.
type Attender interface {
	Module
	// Attend returns the context [batch, k] and the weights [batch, time]
	// of query [batch, q] over keys [batch, time, k]; mask [batch, time]
	// is 1 at an encoder state and 0 at padding, or nil for none.
	Attend(query, keys, mask *dl.Tensor) (context, weights *dl.Tensor)
	// ProjectKeys returns the part of the scores that depends on the keys
	// alone, [batch, time, hidden], for AttendProjected.
	ProjectKeys(keys *dl.Tensor) *dl.Tensor
	// AttendProjected is Attend with the keys projected by ProjectKeys.
	AttendProjected(query, keys, projected, mask *dl.Tensor) (context, weights *dl.Tensor)
}

// AdditiveAttention is the attention of Bahdanau, Cho and Bengio (2014),
// "Neural Machine Translation by Jointly Learning to Align and
// Translate": a small MLP scores how well the decoder's state s (the
// query) fits each encoder state hⱼ (the keys),
//
//	eⱼ = vᵀ tanh(W s + U hⱼ + b)
//
// the weights are the softmax of the scores over the encoder steps,
// αⱼ = exp(eⱼ) / Σₖ exp(eₖ), padded steps left out, and the context is
// Σⱼ αⱼ hⱼ. The decoder no longer has to squeeze the source into one
// vector: at each step it reads the part it needs, and the weights, drawn
// as a map of target against source tokens, show which part that was.
//
// It is built from dl's ops, so gradients reach the query, the keys and
// the parameters. It is an nn.Module so that train.Save, train.Cached and
// the optimizers take it, but it has no one-input Forward: call Attend.
type AdditiveAttention struct {
	W *Linear    // the query's part: [q, hidden], with the bias b [hidden]
	U *Linear    // the keys' part: [k, hidden], without bias
	V *dl.Tensor // [hidden, 1]: v, which turns the hidden units into a score
}

// NewAdditiveAttention returns additive attention for queries of queryDim
// features and keys of keyDim features, with hidden units in its MLP
// (Bahdanau et al. used 1000). W, U and v get Xavier initialization
// ([NewLinear]), the bias 0.
//
// NewAdditiveAttention panics if a size is below 1 or if rng is nil.
func NewAdditiveAttention(rng *rand.Rand, queryDim, keyDim, hidden int) *AdditiveAttention {
	if queryDim < 1 || keyDim < 1 || hidden < 1 {
		panic(fmt.Sprintf("nn: NewAdditiveAttention: sizes queryDim=%d, keyDim=%d, hidden=%d; all must be at least 1", queryDim, keyDim, hidden))
	}
	checkLinear("NewAdditiveAttention", rng, queryDim, hidden)
	return &AdditiveAttention{
		W: NewLinear(rng, queryDim, hidden),
		U: NewLinear(rng, keyDim, hidden).WithoutBias(),
		V: NewLinear(rng, hidden, 1).WithoutBias().W,
	}
}

// Attend returns the context [batch, k], Σⱼ αⱼ hⱼ, and the weights α
// [batch, time] of query [batch, q] over keys [batch, time, k]. mask
// [batch, time] is 1 at an encoder state and 0 at padding (as
// data.PadBatch makes it), or nil when no sequence is padded; a masked
// step gets weight exactly 0, so padding changes neither the context nor
// the gradients. Each row of the weights sums to 1; to draw them, Detach
// them or read their Data.
//
// Attend panics if query is not [batch, q], keys not [batch, time, k] or
// mask not [batch, time] for the layer's q and k, if a mask value is
// neither 0 nor 1, or if a row of the mask is all 0.
func (a *AdditiveAttention) Attend(query, keys, mask *dl.Tensor) (context, weights *dl.Tensor) {
	return a.AttendProjected(query, keys, a.ProjectKeys(keys), mask)
}

// ProjectKeys returns U hⱼ for every key, [batch, time, hidden], the part
// of the scores that does not change from one decoder step to the next.
// It panics if keys is not [batch, time, k] for the layer's k.
func (a *AdditiveAttention) ProjectKeys(keys *dl.Tensor) *dl.Tensor {
	notNil("AdditiveAttention", "keys", keys)
	checkKeys("AdditiveAttention", keys, a.U.W.Shape()[0])
	return dl.MatMul(keys, a.U.W)
}

// AttendProjected is [AdditiveAttention.Attend] with projected =
// ProjectKeys(keys), computed once for all the steps of a decoder. It
// panics as Attend does, and if projected is not [batch, time, hidden].
func (a *AdditiveAttention) AttendProjected(query, keys, projected, mask *dl.Tensor) (context, weights *dl.Tensor) {
	const op = "AdditiveAttention"
	q, hidden := a.W.W.Shape()[0], a.W.W.Shape()[1]
	batch, time := checkProjected(op, query, keys, projected, q, a.U.W.Shape()[0], hidden)
	ws := dl.Reshape(a.W.Forward(query), batch, 1, hidden)                            // [batch, 1, hidden]
	scores := dl.Reshape(dl.MatMul(dl.Tanh(dl.Add(projected, ws)), a.V), batch, time) // [batch, time]
	return attendScores(op, scores, keys, mask)
}

// Forward panics: attention takes a query, keys and a mask, so call
// [AdditiveAttention.Attend]. It is there so that an AdditiveAttention is
// an nn.Module, as train.Save and train.Cached take.
func (a *AdditiveAttention) Forward(x *dl.Tensor) *dl.Tensor {
	panic("nn: AdditiveAttention: Forward takes one tensor, attention needs a query and keys; call Attend(query, keys, mask)")
}

// Params returns W's weights and bias, U's weights and v, in that order.
func (a *AdditiveAttention) Params() []*dl.Tensor {
	return []*dl.Tensor{a.W.W, a.W.B, a.U.W, a.V}
}

// Parts names the query's projection "W", the keys' "U" and the score
// vector "V", so that the bias is "W.B" (see [Named]).
func (a *AdditiveAttention) Parts() Parts {
	return Parts{
		Params:  []NamedTensor{{"V", a.V}},
		Modules: []NamedModule{{"W", a.W}, {"U", a.U}},
	}
}

// DotAttention is the multiplicative attention of Luong, Pham and Manning
// (2015), "Effective Approaches to Attention-based Neural Machine
// Translation": the score of the decoder's state s (the query) and an
// encoder state hⱼ (a key) is their product through a matrix,
//
//	eⱼ = sᵀ W hⱼ     ("general")
//
// or, with W nil, the plain dot product sᵀ hⱼ ("dot", for queries and
// keys of the same size). The weights and the context are those of
// [AdditiveAttention]: a softmax over the encoder steps, padding left
// out, and Σⱼ αⱼ hⱼ. It costs one product per score instead of an MLP.
// The Transformer's attention (dl.Attention) is this score divided by √d.
//
// Like AdditiveAttention it is an nn.Module without a one-input Forward:
// call Attend.
type DotAttention struct {
	W *Linear // [k, q] without bias, which maps a key to the query's space; nil for the plain dot product
}

// NewDotAttention returns Luong's "general" attention for queries of
// queryDim features and keys of keyDim features, W with Xavier
// initialization ([NewLinear]). For the parameter-free "dot" score use
// &DotAttention{} (queries and keys of the same size).
//
// NewDotAttention panics if a size is below 1 or if rng is nil.
func NewDotAttention(rng *rand.Rand, queryDim, keyDim int) *DotAttention {
	if queryDim < 1 || keyDim < 1 {
		panic(fmt.Sprintf("nn: NewDotAttention: sizes queryDim=%d, keyDim=%d; both must be at least 1", queryDim, keyDim))
	}
	checkLinear("NewDotAttention", rng, keyDim, queryDim)
	return &DotAttention{W: NewLinear(rng, keyDim, queryDim).WithoutBias()}
}

// Attend returns the context [batch, k] and the weights [batch, time] of
// query [batch, q] over keys [batch, time, k], as
// [AdditiveAttention.Attend] does, with mask [batch, time] (1 at a state, 0
// at padding) or nil.
//
// Attend panics if the shapes do not fit (with W nil, q must equal k), if
// a mask value is neither 0 nor 1, or if a row of the mask is all 0.
func (a *DotAttention) Attend(query, keys, mask *dl.Tensor) (context, weights *dl.Tensor) {
	return a.AttendProjected(query, keys, a.ProjectKeys(keys), mask)
}

// ProjectKeys returns W hⱼ for every key, [batch, time, q]; with W nil it
// returns keys. It panics if keys is not [batch, time, k] for W's k.
func (a *DotAttention) ProjectKeys(keys *dl.Tensor) *dl.Tensor {
	notNil("DotAttention", "keys", keys)
	if a.W == nil {
		checkKeys("DotAttention", keys, -1)
		return keys
	}
	checkKeys("DotAttention", keys, a.W.W.Shape()[0])
	return dl.MatMul(keys, a.W.W)
}

// AttendProjected is [DotAttention.Attend] with projected =
// ProjectKeys(keys). It panics as Attend does, and if projected is not
// [batch, time, q].
func (a *DotAttention) AttendProjected(query, keys, projected, mask *dl.Tensor) (context, weights *dl.Tensor) {
	const op = "DotAttention"
	notNil(op, "keys", keys)
	q, k := -1, -1
	if a.W != nil {
		k, q = a.W.W.Shape()[0], a.W.W.Shape()[1]
	} else if keys.Dim() == 3 {
		q = keys.Shape()[2] // the plain dot product wants queries of the keys' size
	}
	batch, time := checkProjected(op, query, keys, projected, q, k, q)
	scores := dl.Reshape(dl.MatMul(projected, dl.Reshape(query, batch, q, 1)), batch, time) // [batch, time]
	return attendScores(op, scores, keys, mask)
}

// Forward panics: call [DotAttention.Attend]. It is there so that a
// DotAttention is an nn.Module, as train.Save and train.Cached take.
func (a *DotAttention) Forward(x *dl.Tensor) *dl.Tensor {
	panic("nn: DotAttention: Forward takes one tensor, attention needs a query and keys; call Attend(query, keys, mask)")
}

// Params returns W's weights, or nil for the plain dot product.
func (a *DotAttention) Params() []*dl.Tensor {
	if a.W == nil {
		return nil
	}
	return a.W.Params()
}

// Parts names the projection "W" (see [Named]).
func (a *DotAttention) Parts() Parts {
	if a.W == nil {
		return Parts{}
	}
	return Parts{Modules: []NamedModule{{"W", a.W}}}
}

// checkKeys panics, naming op, if keys is not [batch, time, k]; k < 0
// takes any size.
func checkKeys(op string, keys *dl.Tensor, k int) {
	if s := keys.Shape(); keys.Dim() != 3 || k >= 0 && s[2] != k {
		want := "[batch, time, k]"
		if k >= 0 {
			want = fmt.Sprintf("[batch, time, %d]", k)
		}
		panic(fmt.Sprintf("nn: %s: keys %v; want %s", op, s, want))
	}
}

// checkProjected panics, naming op, unless query is [batch, q], keys
// [batch, time, k] and projected [batch, time, width], and returns batch
// and time; k < 0 takes keys of any size.
func checkProjected(op string, query, keys, projected *dl.Tensor, q, k, width int) (batch, time int) {
	notNil(op, "query", query)
	notNil(op, "keys", keys)
	notNil(op, "projected", projected)
	checkKeys(op, keys, k)
	batch, time = keys.Shape()[0], keys.Shape()[1]
	if s := query.Shape(); query.Dim() != 2 || s[0] != batch || s[1] != q {
		panic(fmt.Sprintf("nn: %s: query %v and keys %v; want query [%d, %d], one row per sequence of keys", op, s, keys.Shape(), batch, q))
	}
	if s := projected.Shape(); projected.Dim() != 3 || s[0] != batch || s[1] != time || s[2] != width {
		panic(fmt.Sprintf("nn: %s: projected keys %v; want [%d, %d, %d] from ProjectKeys(keys)", op, s, batch, time, width))
	}
	return batch, time
}

// attendScores turns scores [batch, time] into weights, a softmax over
// the steps with the masked ones at −∞ (so exactly 0), and returns the
// context Σⱼ αⱼ hⱼ [batch, k] and the weights.
func attendScores(op string, scores, keys, mask *dl.Tensor) (context, weights *dl.Tensor) {
	batch, time, k := keys.Shape()[0], keys.Shape()[1], keys.Shape()[2]
	if mask != nil {
		scores = dl.MaskedFill(scores, padding(op, mask, batch, time), math.Inf(-1))
	}
	weights = dl.Softmax(scores, 1)
	context = dl.Reshape(dl.MatMul(dl.Reshape(weights, batch, 1, time), keys), batch, k)
	return context, weights
}

// padding returns the flags of the padded steps of mask [batch, time], 1
// at a step and 0 at padding. It panics, naming op, if mask has another
// shape, a value other than 0 and 1, or a row without a step.
func padding(op string, mask *dl.Tensor, batch, time int) []bool {
	if s := mask.Shape(); mask.Dim() != 2 || s[0] != batch || s[1] != time {
		panic(fmt.Sprintf("nn: %s: mask %v; want [%d, %d], one flag per key", op, s, batch, time))
	}
	pad := make([]bool, batch*time)
	for b := range batch {
		n := 0
		for t := range time {
			switch v := mask.Data()[b*time+t]; v {
			case 0:
				pad[b*time+t] = true
			case 1:
				n++
			default:
				panic(fmt.Sprintf("nn: %s: mask value %v at [%d, %d]; want 1 at a key and 0 at padding", op, v, b, t))
			}
		}
		if n == 0 {
			panic(fmt.Sprintf("nn: %s: row %d of the mask is all 0; every sequence needs at least one key", op, b))
		}
	}
	return pad
}
