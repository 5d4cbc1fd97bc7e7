package dl

import "sync/atomic"

// flops counts the floating-point operations of every op since the
// program started; a FLOPCounter reads it at two moments.
var flops atomic.Uint64

// A FLOPCounter measures the work that the ops of package dl do between
// CountFLOPs and a call of its FLOPs method: the compute of a training run,
// as the compute literature counts it.
//
// What is counted: FLOPs, floating-point operations, where a
// multiply-add counts as two, as in the compute estimates of papers
// (Amodei and Hernandez 2018; Sevilla et al. 2022):
//
//   - MatMul of [m, k]·[k, n]: 2·m·k·n forward, and as much again backward
//     for each input that gets a gradient (g·bᵀ for a, aᵀ·g for b);
//   - Linear: the product 2·rows·in·out plus rows·out for the bias,
//     forward; backward 2·rows·in·out for x, the same for w, and rows·out
//     for b, each only if it gets a gradient;
//   - Conv2D: 2·batch·cout·OH·OW·(cin/groups)·kh·kw, plus one per output
//     element for the bias, counted like Linear (x, w, b);
//   - Attention of q, k, v [b, t, d]: 4·b·t²·d forward (the scores q·kᵀ
//     and the weighted sum of v), plus one per weight for the softmax;
//     the full t×t square even when causal, as the literature counts it;
//     backward 2·b·t²·d for v, 4·b·t²·d for q (the weights' gradient
//     g·vᵀ and ds·k) and 2·b·t²·d for k;
//   - every other op that computes (Add, Exp, GELU, Softmax, Sum,
//     LayerNorm, MaxPool2D, ...): one FLOP per element of its output or
//     of its first input, whichever is larger, forward, and as much
//     backward for each input that gets a gradient. This undercounts an
//     exp or a division, but the products dominate the compute of every
//     model in the course;
//   - ops that only move data count nothing: Reshape, Transpose,
//     Permute, Index, Gather, Slice, Concat, Where and MaskedFill.
//
// Optimizer steps are not counted, as the literature's estimates
// (6·parameters·tokens for a Transformer) leave them out too.
//
// An op counts its forward work when it runs and its backward work when
// Backward reaches it, with one atomic addition to a counter of the whole
// program per op, not per element. So a FLOPCounter counts the work of
// every goroutine between its start and its read: two regions that
// overlap in time each count the work of both. To measure one model,
// train it without another training running at the same time.
type FLOPCounter struct{ start uint64 }

// CountFLOPs starts a FLOPCounter:
//
//	c := dl.CountFLOPs()
//	loss := nn.CrossEntropy(model.Forward(x), y)
//	loss.Backward()
//	fmt.Printf("%.3g FLOPs\n", c.FLOPs())
func CountFLOPs() FLOPCounter { return FLOPCounter{start: flops.Load()} }

// FLOPs returns the FLOPs counted since c started (see FLOPCounter for
// what counts). It can be read any number of times.
func (c FLOPCounter) FLOPs() float64 { return float64(flops.Load() - c.start) }

// countFLOPs adds n to the program's count.
func countFLOPs(n int) {
	if n > 0 {
		flops.Add(uint64(n))
	}
}

// movesData lists the ops that copy or select elements without computing.
var movesData = map[string]bool{
	"Reshape": true, "Transpose": true, "Permute": true, "Index": true, "Gather": true,
	"Slice": true, "Concat": true, "Where": true, "MaskedFill": true,
}

// elementFLOPs is the forward count of an op that is not a product: one per
// element of its output or of its first input, whichever is larger.
func elementFLOPs(op string, out int, inputs []*Tensor) int {
	if movesData[op] {
		return 0
	}
	if len(inputs) > 0 {
		out = max(out, len(inputs[0].data))
	}
	return out
}

// gradsWanted returns, for each of the costs, the sum of those whose input
// requires a gradient: the backward FLOPs of an op with per-input costs.
func gradsWanted(inputs []*Tensor, costs ...int) int {
	n := 0
	for i, in := range inputs {
		if in != nil && in.requiresGrad {
			n += costs[i]
		}
	}
	return n
}
