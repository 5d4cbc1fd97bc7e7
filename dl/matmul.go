package dl

import (
	"fmt"
	"slices"

	"github.com/dlnb/dlnb/dl/internal/parallel"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// MatMul returns the matrix product of a and b, computed by gonum's BLAS.
// It takes three forms:
//
//	[m, k]        × [k, n]        → [m, n]
//	[batch, m, k] × [batch, k, n] → [batch, m, n]  one product per batch element
//	[batch, m, k] × [k, n]        → [batch, m, n]  one right matrix for all
//
// The batched forms allow more leading dimensions, as in [batch, heads,
// m, k] × [batch, heads, k, n] for attention; in the second form they must
// be the same for a and b. MatMul panics if the shapes do not fit one of these forms.
func MatMul(a, b *Tensor) *Tensor {
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
	data := make([]float64, numel(shape))
	// The products of a batch are independent: they are split across the
	// CPUs, each writing its own part of the result.
	parallel.For(batch, batch*m*n*k, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			gemm(blas.NoTrans, blas.NoTrans, m, n, k, part(a.data, i, m*k), part(b.data, i, k*n), part(data, i, m*n))
		}
	})
	out := result("MatMul", data, shape, a, b)
	if out.requiresGrad {
		out.backward = func() {
			ga, gb := gradFor(a), gradFor(b)
			parallel.For(batch, 2*batch*m*n*k, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					g := part(out.grad, i, m*n)
					if ga != nil { // dA = dOut · Bᵀ
						gemm(blas.NoTrans, blas.Trans, m, k, n, g, part(b.data, i, k*n), part(ga, i, m*k))
					}
					if gb != nil { // dB = Aᵀ · dOut
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
		return // nothing to add; gonum would reject the zero strides
	}
	xr, xc := m, k
	if tx == blas.Trans {
		xr, xc = k, m
	}
	yr, yc := k, n
	if ty == blas.Trans {
		yr, yc = n, k
	}
	blas64.Gemm(tx, ty, 1,
		blas64.General{Rows: xr, Cols: xc, Stride: xc, Data: x},
		blas64.General{Rows: yr, Cols: yc, Stride: yc, Data: y},
		1, blas64.General{Rows: m, Cols: n, Stride: n, Data: c})
}
