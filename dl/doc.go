// Package dl is a small deep-learning library: n-dimensional tensors of
// float64, the ops that neural networks are made of, and reverse-mode
// automatic differentiation (autograd) to train them. It works like
// PyTorch's core and reads like micrograd.
//
// # Overview
//
// A [Tensor] is an n-dimensional array of float64 in row-major order. It
// is made from values with [New], [Zeros], [Full], [Randn] or [Scalar],
// and ops such as [Add], [MatMul], [ReLU], [Sum] and [LogSoftmax] make new
// tensors from it:
//
//	x := dl.New([]float64{1, 2, 3, 4, 5, 6}, 2, 3) // shape [2 3]
//	y := dl.ReLU(dl.MatMul(x, w))                  // [2 3] × [3 n] → [2 n]
//
// Ops never change their inputs: every op returns a new tensor. Printing a
// tensor shows its values as NumPy does; [Tensor.Shape] gives its shape.
//
// Matrix products go through gonum's BLAS (gonum.org/v1/gonum/blas/blas64),
// never a triple loop, so that the library is fast enough to train real,
// if small, networks on a laptop.
//
// # Shapes and broadcasting
//
// A shape lists the size of each dimension, outermost first: a batch of 32
// rows of 10 features is [32 10], and a scalar has shape []. Doc comments
// give shapes in brackets, with names such as [batch, in].
//
// Element-wise ops on two tensors ([Add], [Sub], [Mul], [Div]) broadcast
// as NumPy does. Shapes are lined up from the last dimension; two sizes
// fit if they are equal or one of them is 1, and a missing dimension
// counts as 1. A size of 1 stretches to the other size:
//
//	h := dl.Add(dl.MatMul(x, w), b) // [batch out] + [out]: b is added to each row
//	t := dl.Mul(col, row)           // [3 1] × [1 4] → [3 4]
//
// Reductions ([Sum], [Mean], [Max]) and softmax take axes; an axis may be
// negative, counting from the end, so -1 is the last dimension.
//
// # Autograd
//
// [Param] marks a tensor as a parameter. An op whose inputs include a
// parameter records itself and its inputs, which builds a graph of the
// computation. [Tensor.Backward], called on a scalar such as a loss, walks
// that graph back from the loss to the parameters and fills in each
// parameter's gradient, read with [Tensor.Grad]:
//
//	w := dl.Param(dl.Randn(rng, 3, 1))
//	dl.Mean(dl.Pow(dl.Sub(dl.MatMul(x, w), y), 2)).Backward() // w.Grad() is dloss/dw
//
// Each op's backward rule is a small closure right after its forward
// code: read the source of an op to see its derivative.
//
// Gradients accumulate, as in PyTorch. A tensor used twice gets the sum of
// the gradients along both paths, and a second Backward adds to the
// parameters' gradients. Clear them with [ZeroGrad] before each training
// step:
//
//	dl.ZeroGrad(w, b)
//	loss.Backward()
//
// Tensors that are not parameters (data, targets, constants) cost nothing
// extra: ops on them record no graph, their [Tensor.Inputs] is nil, and
// they get no gradient. [Tensor.Detach] cuts a tensor out of the graph.
// [Argmax] and other functions that return Go values rather than tensors
// are not part of the graph.
//
// # Speed
//
// Besides the small ops, a few layers are single ops, each with its own
// backward rule, because built from small ops they would record many
// tensors and gradients that training never looks at: [Linear] (x·w + b),
// [Attention] (multi-head scaled dot-product attention), [Conv2D],
// [LayerNorm] and [BatchNormTrain]. Large element-wise ops, softmax rows,
// the images of a convolution, the channels of a batch norm and the
// products of a batched [MatMul] are split across the CPUs; small tensors
// stay on one goroutine, where starting others would cost more than it
// saves.
//
// # Determinism
//
// A program gives the very same bits on every run and on any number of
// CPUs: a student's 1-core laptop, a 16-core server and CI print the same
// losses and the same weights. Precisely: built with the same Go version,
// GOOS, GOARCH (and GOAMD64), build tags and module versions, and run on
// CPUs with the same architecture and the same features that dl uses
// (AVX2 and FMA on amd64), the same inputs and seeds give bit-identical
// results whatever runtime.GOMAXPROCS is. That holds because
//   - every random choice takes a *rand.Rand or a seed;
//   - work is split across the CPUs in chunks set by the size of the
//     problem, never by the number of CPUs or by timing, and one CPU
//     computes the same chunks one after the other;
//   - every sum over chunks (a bias gradient over the rows of a batch, a
//     convolution's weight gradient over the images, a matrix product's
//     inner dimension) adds its parts in chunk order; and each element of
//     a matrix product, and each channel's statistics in [BatchNormTrain],
//     are computed the same way whichever CPU computes them.
//
// Not promised: the same bits across CPU architectures (amd64 against
// arm64), across CPUs with and without AVX2 and FMA, between the default
// build and the purego or openblas build tags, or across Go versions. Each
// uses other instructions or another order of additions, and the results
// then differ, usually in the last digits. With the openblas tag, matrix
// products are OpenBLAS's, which does not promise the same bits on any
// number of threads. A program that uses one model from several goroutines
// at once, or that orders its work by ranging over a map, brings its own
// nondeterminism.
//
// # Errors
//
// Programmer errors panic, with a message that starts with "dl: ", names
// the op and shows the shapes involved, as in
//
//	dl.MatMul(dl.Zeros(32, 2), dl.Zeros(3, 16))
//	// panic: dl: MatMul: shapes [32 2] and [3 16] do not fit
//
// These are shapes that do not fit or broadcast, axes out of range,
// Backward or Item on a tensor of more than one element, and a shape that
// does not hold the values given to New. Each function's doc comment says
// when it panics. Nothing in dl reads files or other outside input, so
// nothing returns an error; numeric trouble such as log of a negative
// number gives NaN, as in IEEE arithmetic.
package dl
