package nn

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dlnb/dlnb/dl"
)

// Sample draws a token id from the scores logits [vocab] of a language
// model's next token, with the given temperature and top-k:
//
//   - temperature T > 0 draws id i with probability softmax(logits/T)[i]:
//     T = 1 is the model's own distribution, T < 1 sharpens it toward the
//     most likely tokens, T > 1 flattens it toward uniform;
//   - temperature 0 is the limit T → 0: it returns the most likely id
//     (the first one on a tie) and draws nothing, which is greedy
//     decoding; rng may then be nil;
//   - topK k > 0 keeps only the k highest logits (on a tie, the lower ids)
//     and draws among them, renormalized (Fan, Lewis and Dauphin, 2018);
//     k = 0 keeps all.
//
// A logit of −Inf is a token that is never drawn. Sample panics if logits
// is not 1-D, if a logit is NaN or +Inf or all are −Inf, if temperature is
// negative, NaN or infinite, if topK is negative or above vocab, or if rng
// is nil while temperature is above 0.
func Sample(rng *rand.Rand, logits *dl.Tensor, temperature float64, topK int) int {
	notNil("Sample", "logits", logits)
	if logits.Dim() != 1 {
		panic(fmt.Sprintf("nn: Sample: logits shape %v; want [vocab]", logits.Shape()))
	}
	checkSampling("Sample", rng, temperature, topK, logits.Len())
	return sample("Sample", rng, logits.Data(), temperature, topK)
}

// GenerateOptions are the settings of [Generate]. The zero value decodes
// greedily, feeds the model a [GPT]'s Context tokens (any other model the
// whole sequence) and never stops early.
type GenerateOptions struct {
	// Temperature and TopK choose each token as [Sample] does: a
	// Temperature of 0 takes the most likely token; TopK 0 keeps all.
	Temperature float64
	TopK        int
	// Context is the most tokens fed to the model at each step, the last
	// ones of the sequence so far. 0 means Config.Context for a *GPT and
	// the whole sequence for any other model.
	Context int
	// Stop lists tokens that end the generation: once one is generated,
	// Generate returns it as the last token. nil never stops early.
	Stop []int
}

// Generate continues prompt by n tokens drawn from model, one at a time,
// and returns the new tokens (without the prompt): fewer than n if it
// generated one of opts.Stop. At each step it runs model.Forward on ids
// [1, w], the last w tokens of the sequence so far, w at most the context
// of [GenerateOptions], takes the scores of the next token from the output (the last
// position of [1, w, vocab], as a [GPT] returns it, or [1, vocab] from a
// model that predicts the next token only, such as an MLP over a fixed
// window) and chooses a token as [Sample] does with opts.Temperature and
// opts.TopK; rng may be nil when opts.Temperature is 0. Each step's graph is released after it (so the attention
// weights of the last step cannot be read afterwards).
//
// Cost: with no cache of keys and values, each step runs the whole model
// on up to Context tokens, so n tokens cost about n forward passes of a
// sequence of Context tokens, where a KV cache would cost n passes of one
// token each, attending to the cached keys. For the GPT that
// bench/workloads times (Context 64, about 110,000 parameters) that is
// about 2 ms a token.
//
// Like train.Predict, Generate first switches the model to evaluation
// mode ([SetTraining] with false), so that [Dropout] keeps every element,
// and leaves it there.
//
// Generate panics if model is nil, prompt is empty, n or opts.Context is
// negative, the output is not [1, vocab] or [1, w, vocab], or where
// [Sample] panics; and where the model panics, for example on an id that
// is not in its vocabulary or a window longer than it accepts.
func Generate(rng *rand.Rand, model Module, prompt []int, n int, opts GenerateOptions) []int {
	if model == nil {
		panic("nn: Generate: model is nil")
	}
	if len(prompt) == 0 {
		panic("nn: Generate: empty prompt; start with at least one token, such as a begin token")
	}
	if n < 0 || opts.Context < 0 {
		panic(fmt.Sprintf("nn: Generate: n=%d, opts.Context=%d; neither may be negative", n, opts.Context))
	}
	checkSampling("Generate", rng, opts.Temperature, opts.TopK, -1)
	SetTraining(model, false)
	window := opts.Context
	if g, ok := model.(*GPT); ok && window == 0 {
		window = g.Config.Context
	}
	seq := append(make([]int, 0, len(prompt)+n), prompt...)
	var scores []float64
	for range n {
		w := seq
		if window > 0 && len(w) > window {
			w = w[len(w)-window:]
		}
		ids := make([]float64, len(w))
		for i, id := range w {
			ids[i] = float64(id)
		}
		out := model.Forward(dl.New(ids, 1, len(w)))
		if out == nil {
			panic(fmt.Sprintf("nn: Generate: model (%T) returned nil", model))
		}
		s := out.Shape()
		var last []float64
		switch {
		case len(s) == 2 && s[0] == 1:
			last = out.Data()
		case len(s) == 3 && s[0] == 1 && s[1] == len(w):
			last = out.Data()[(len(w)-1)*s[2]:]
		default:
			panic(fmt.Sprintf("nn: Generate: model output shape %v for ids [1 %d]; want [1, vocab] or [1, %d, vocab]", s, len(w), len(w)))
		}
		scores = append(scores[:0], last...)
		out.Release()
		checkSampling("Generate", rng, opts.Temperature, opts.TopK, len(scores))
		tok := sample("Generate", rng, scores, opts.Temperature, opts.TopK)
		seq = append(seq, tok)
		if slices.Contains(opts.Stop, tok) {
			break
		}
	}
	return seq[len(prompt):]
}

// checkSampling panics, naming op, if the settings of a draw cannot work;
// vocab < 0 skips the check of topK against the vocabulary.
func checkSampling(op string, rng *rand.Rand, temperature float64, topK, vocab int) {
	if !(temperature >= 0) || math.IsInf(temperature, 1) {
		panic(fmt.Sprintf("nn: %s: temperature %v; want 0 (greedy) or a finite positive value such as 1", op, temperature))
	}
	if topK < 0 || (vocab >= 0 && topK > vocab) {
		panic(fmt.Sprintf("nn: %s: topK %d for a vocabulary of %d; want 0 (all) up to the vocabulary size", op, topK, vocab))
	}
	if rng == nil && temperature > 0 {
		panic(fmt.Sprintf("nn: %s: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2)), or temperature 0 for greedy decoding", op))
	}
}

// sample returns an id drawn from the scores z with the temperature and
// top-k of Sample, whose arguments the caller checked; it panics, naming
// op, on NaN or +Inf scores, or if all are −Inf.
func sample(op string, rng *rand.Rand, z []float64, temperature float64, topK int) int {
	best := -1
	for i, v := range z {
		if math.IsNaN(v) || math.IsInf(v, 1) {
			panic(fmt.Sprintf("nn: %s: logit %v at %d; want finite logits (or −Inf for a token never drawn)", op, v, i))
		}
		if !math.IsInf(v, -1) && (best < 0 || v > z[best]) {
			best = i
		}
	}
	if best < 0 {
		panic(fmt.Sprintf("nn: %s: all %d logits are −Inf; no token can be drawn", op, len(z)))
	}
	if temperature == 0 {
		return best
	}
	ids := make([]int, len(z))
	for i := range ids {
		ids[i] = i
	}
	if topK > 0 && topK < len(z) {
		slices.SortStableFunc(ids, func(a, b int) int { return cmp.Compare(z[b], z[a]) })
		ids = ids[:topK]
	}
	// Weights exp((z−max)/T) are at most 1, so none overflows.
	w := make([]float64, len(ids))
	sum := 0.0
	for j, i := range ids {
		w[j] = math.Exp((z[i] - z[best]) / temperature)
		sum += w[j]
	}
	u := rng.Float64() * sum
	chosen := best // if rounding leaves u at the very top
	for j, i := range ids {
		if u < w[j] {
			return i
		}
		u -= w[j]
		if w[j] > 0 {
			chosen = i
		}
	}
	return chosen
}
