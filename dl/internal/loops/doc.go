// Package loops holds the fast loops behind package dl's ops, so that
// dl's own files can show each op's math: its forward formula and its
// derivative, in a backward closure that reads like the rule
// (ga += g·b). The loops here are the mechanics that make those rules
// fast, and nothing in them is about derivatives but GELUGrad, GELU's
// derivative as one vectorized loop, whose formula dl's GELU states too:
//
//   - [Broadcast] walks two tensors broadcast to a common shape in blocks
//     of the data, in parallel for large tensors, and sums an input's
//     gradient over the dimensions it was stretched along.
//   - [AddWhereNonzero] is the branch-free mask of ReLU's backward pass.
//   - [Pool.Argmax] finds the largest element of each pooling window
//     without a branch per element.
//   - [Conv.Im2col] and [Conv.Col2im] copy a convolution's patches to and
//     from the columns of a matrix, for one GEMM.
//   - [Strides], [Offsets] and [Runs] turn shapes into positions in the
//     row-major data.
//   - [Exp] computes e^x four values at a time (AVX2 and FMA on amd64,
//     the same bits in portable Go elsewhere), within 0.75 ulp; [GELU],
//     [GELUGrad], [Sigmoid], [Tanh], and the rows of [Softmax] and
//     [LogSoftmax] are built on it (exp.go says how, and how accurate).
//   - [Sum], [SumSquaredDiff] and [Normalize] are LayerNorm's row loops,
//     with sums in four lanes.
//
// The package knows nothing of dl's Tensor: it works on []float64 and
// shapes that dl has already checked, so it does not panic with dl's
// messages; a call that breaks its documented conditions may index out of
// range.
//
// Matrix products are in the sibling package gemm, and the splitting of
// loops across the CPUs in parallel.
package loops
