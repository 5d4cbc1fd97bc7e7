package dl

import (
	"fmt"
	"slices"

	"github.com/dlnb/dlnb/dl/internal/mem"
)

// Gather returns the rows of table [v, d] picked by idx, as a tensor
// [len(idx), d]: an embedding lookup, where row i of the result is row
// idx[i] of table.
//
// Derivative: row i of the result is row idx[i] of table, so that row of
// table gets row i of the gradient; an index that repeats gets the sum of
// the gradients of its rows, and rows not picked get 0.
//
// Gather panics if table is not 2-D or an index is out of range.
func Gather(table *Tensor, idx []int) *Tensor {
	notNil("Gather", "table", table)
	if table.Dim() != 2 {
		panic(fmt.Sprintf("dl: Gather: table of shape %v is not [v, d]", table.shape))
	}
	return index("Gather", table, 0, idx)
}

// Index returns the slices of x at positions idx along axis, in that
// order, as torch.index_select does: for x [a, b, c], axis 1 and k
// indices the result is [a, k, c]. A negative axis counts from the end.
//
// Derivative: as for Gather, each picked slice of x gets the gradient of
// the slice of the result it became; an index that repeats gets the sum.
//
// Index panics if axis or an index is out of range.
func Index(x *Tensor, axis int, idx []int) *Tensor { return index("Index", x, axis, idx) }

// index does the work of Index, with op naming the caller in panics.
func index(op string, x *Tensor, axis int, idx []int) *Tensor {
	notNil(op, "x", x)
	a := normAxis(op, axis, x.shape)
	n := x.shape[a]
	for _, k := range idx {
		if k < 0 || k >= n {
			panic(fmt.Sprintf("dl: %s: index %d out of range [0, %d) for axis %d of shape %v", op, k, n, axis, x.shape))
		}
	}
	outer, inner := numel(x.shape[:a]), numel(x.shape[a+1:])
	shape := slices.Clone(x.shape)
	shape[a] = len(idx)
	// Each picked slice is a block of inner elements, copied whole. A run
	// of consecutive indices, as Slice gives, is one block: for the last
	// axis, where inner is 1, that is one copy per row, not per element.
	block, span, run := inner, idx, isRun(idx)
	if run {
		block, span = len(idx)*inner, idx[:min(len(idx), 1)]
	}
	data := alloc(numel(shape))
	at := 0
	for o := range outer {
		for _, k := range span {
			at += copy(data[at:], x.data[(o*n+k)*inner:(o*n+k)*inner+block])
		}
	}
	out := result(op, data, shape, x)
	if out.requiresGrad {
		// The graph keeps the indices; the caller may reuse its slice.
		span = append(mem.Ints(len(span))[:0], span...)
		out.keepInts(span)
		out.backward = func() {
			gx := gradFor(x)
			g := out.grad
			for o := range outer {
				for _, k := range span {
					dst := gx[(o*n+k)*inner : (o*n+k)*inner+block]
					for j, v := range g[:block] {
						dst[j] += v
					}
					g = g[block:]
				}
			}
		}
	}
	return out
}

// isRun reports whether idx counts up by one, as from, from+1, ..., to-1.
func isRun(idx []int) bool {
	for i := 1; i < len(idx); i++ {
		if idx[i] != idx[i-1]+1 {
			return false
		}
	}
	return true
}

// Slice returns the elements of x at positions from to to-1 along axis,
// as x[..., from:to, ...] does in NumPy: for x [a, b] and axis 1 the
// result is [a, to-from]. A negative axis counts from the end.
//
// Derivative: the elements in the slice get the gradient of the result,
// and the others 0.
//
// Slice panics if axis is out of range or not 0 ≤ from ≤ to ≤ the size of
// axis.
func Slice(x *Tensor, axis, from, to int) *Tensor {
	notNil("Slice", "x", x)
	a := normAxis("Slice", axis, x.shape)
	if from < 0 || from > to || to > x.shape[a] {
		panic(fmt.Sprintf("dl: Slice: range [%d, %d) out of range for axis %d of shape %v", from, to, axis, x.shape))
	}
	idx := make([]int, to-from)
	for i := range idx {
		idx[i] = from + i
	}
	return index("Slice", x, a, idx)
}

// Concat joins xs along axis, as torch.cat does: all must have the same
// shape except along axis, where the sizes add up, so [2, 3] and [2, 5]
// along axis 1 give [2, 8]. A negative axis counts from the end.
//
// Derivative: each input gets the part of the gradient where its elements
// went.
//
// Concat panics if xs is empty, axis is out of range, or the shapes differ
// other than along axis.
func Concat(axis int, xs ...*Tensor) *Tensor {
	if len(xs) == 0 {
		panic("dl: Concat: no tensors to join")
	}
	notNils("Concat", "xs", xs)
	xs = slices.Clone(xs) // the graph keeps them; the caller may reuse its slice
	first := xs[0].shape
	a := normAxis("Concat", axis, first)
	shape := slices.Clone(first)
	shape[a] = 0
	for _, x := range xs {
		ok := len(x.shape) == len(first)
		for d := 0; ok && d < len(first); d++ {
			ok = d == a || x.shape[d] == first[d]
		}
		if !ok {
			panic(fmt.Sprintf("dl: Concat: shapes %v and %v do not fit along axis %d", first, x.shape, axis))
		}
		shape[a] += x.shape[a]
	}
	outer := numel(first[:a])
	inner := numel(first[a+1:])
	data := alloc(numel(shape))
	at := 0
	for o := range outer {
		for _, x := range xs {
			m := x.shape[a] * inner // one block of x for each o
			at += copy(data[at:], x.data[o*m:(o+1)*m])
		}
	}
	out := result("Concat", data, shape, xs...)
	if out.requiresGrad {
		out.backward = func() {
			at := 0
			for o := range outer {
				for _, x := range xs {
					m := x.shape[a] * inner
					if gx := gradFor(x); gx != nil {
						for j, g := range out.grad[at : at+m] {
							gx[o*m+j] += g
						}
					}
					at += m
				}
			}
		}
	}
	return out
}
