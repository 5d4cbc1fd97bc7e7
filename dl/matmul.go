package dl

import (
	"fmt"
	"slices"

	"github.com/dlnb/dlnb/dl/internal/parallel"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// MatMul returns the matrix product a·b, whose element (i, j) is
// Σₖ a[i, k]·b[k, j], computed by a packed, blocked GEMM (package
// dl/internal/gemm) rather than that triple loop. It takes three forms:
//
//	[m, k]        × [k, n]        → [m, n]
//	[batch, m, k] × [batch, k, n] → [batch, m, n]  one product per batch element
//	[batch, m, k] × [k, n]        → [batch, m, n]  one right matrix for all
//
// The batched forms allow more leading dimensions, as in [batch, heads,
// m, k] × [batch, heads, k, n] for attention; in the second form they must
// be the same for a and b.
//
// Derivative: for out = a·b and the gradient g = ∂L/∂out,
//
//	∂L/∂a = g·bᵀ    ∂L/∂b = aᵀ·g
//
// for each product of a batch; in the third form b's gradient is the sum
// over the batch, which one product of the stacked rows gives at once.
//
// MatMul panics if the shapes do not fit one of these forms.
func MatMul(a, b *Tensor) *Tensor {
	notNil("MatMul", "a", a)
	notNil("MatMul", "b", b)
	ra, rb := a.Dim(), b.Dim()
	if ra < 2 || rb < 2 || a.shape[ra-1] != b.shape[rb-2] ||
		rb > 2 && !slices.Equal(a.shape[:ra-2], b.shape[:rb-2]) {
		panic(fmt.Sprintf("dl: MatMul: shapes %v and %v do not fit", a.shape, b.shape))
	}
	k, n := b.shape[rb-2], b.shape[rb-1]
	batch, m := numel(a.shape[:ra-2]), a.shape[ra-2]
	if rb == 2 {
		// One right matrix for all: the rows of every batch element form
		// one [batch·m, k] matrix, and a single product does it all.
		batch, m = 1, numel(a.shape[:ra-1])
	}
	shape := append(slices.Clone(a.shape[:ra-1]), n)
	data := allocZeroed(numel(shape)) // gemm adds into it
	// The products of a batch are independent: they are split across the
	// CPUs, each writing its own part of the result.
	parallel.For(batch, batch*m*n*k, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			gemm(blas.NoTrans, blas.NoTrans, m, n, k, part(a.data, i, m*k), part(b.data, i, k*n), part(data, i, m*n))
		}
	})
	macs := batch * m * n * k
	out := product("MatMul", 2*macs, data, shape, a, b)
	out.bwdFLOPs = gradsWanted([]*Tensor{a, b}, 2*macs, 2*macs)
	if out.requiresGrad {
		out.backward = func() {
			ga, gb := gradFor(a), gradFor(b)
			parallel.For(batch, 2*batch*m*n*k, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					g := part(out.grad, i, m*n)
					if ga != nil { // ga += g·bᵀ
						gemm(blas.NoTrans, blas.Trans, m, k, n, g, part(b.data, i, k*n), part(ga, i, m*k))
					}
					if gb != nil { // gb += aᵀ·g
						gemm(blas.Trans, blas.NoTrans, k, n, m, part(a.data, i, m*k), g, part(gb, i, k*n))
					}
				}
			})
		}
	}
	return out
}

// part returns the i-th of the consecutive blocks of the given size in s:
// the i-th matrix of a batch.
func part(s []float64, i, size int) []float64 { return s[i*size : (i+1)*size] }

// gemm adds op(x)·op(y) into c, where c is [m, n] and the inner size is k;
// x and y are row-major and are transposed when their flag says so.
func gemm(tx, ty blas.Transpose, m, n, k int, x, y, c []float64) {
	if m == 0 || n == 0 || k == 0 {
		return // nothing to add; Dgemm would reject the zero strides
	}
	ldx, ldy := k, n // the row lengths of x and y as stored
	if tx == blas.Trans {
		ldx = m
	}
	if ty == blas.Trans {
		ldy = k
	}
	dgemm(tx, ty, m, n, k, 1, x, ldx, y, ldy, 1, c, n)
}

// gemmGeneral computes c = alpha·op(a)·op(b) + beta·c for matrices that may
// be views with rows further apart than their width (Stride > Cols), such
// as one head of attention inside [t, d]. blas64.General is only the type
// of such a view here: the product is dl's dgemm, not gonum's global BLAS.
func gemmGeneral(tA, tB blas.Transpose, alpha float64, a, b blas64.General, beta float64, c blas64.General) {
	k := a.Cols
	if tA == blas.Trans {
		k = a.Rows
	}
	dgemm(tA, tB, c.Rows, c.Cols, k, alpha, a.Data, a.Stride, b.Data, b.Stride, beta, c.Data, c.Stride)
}
