package dl

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// MatMul returns the matrix product of a [m, k] and b [k, n], of shape
// [m, n], computed by gonum's BLAS. MatMul panics if the shapes do not fit.
func MatMul(a, b *Tensor) *Tensor {
	if a.Dim() != 2 || b.Dim() != 2 || a.shape[1] != b.shape[0] {
		panic(fmt.Sprintf("dl: MatMul: shapes %v and %v do not fit", a.shape, b.shape))
	}
	m, k, n := a.shape[0], a.shape[1], b.shape[1]
	data := make([]float64, m*n)
	gemm(blas.NoTrans, blas.NoTrans, m, n, k, a.data, b.data, data)
	out := result("MatMul", data, []int{m, n}, a, b)
	if out.requiresGrad {
		out.backward = func() {
			if a.requiresGrad { // dA = dOut · Bᵀ
				gemm(blas.NoTrans, blas.Trans, m, k, n, out.grad, b.data, gradFor(a))
			}
			if b.requiresGrad { // dB = Aᵀ · dOut
				gemm(blas.Trans, blas.NoTrans, k, n, m, a.data, out.grad, gradFor(b))
			}
		}
	}
	return out
}

// gemm adds op(x)·op(y) into c, where c is [m, n] and the inner size is k;
// x and y are row-major and are transposed when their flag says so.
func gemm(tx, ty blas.Transpose, m, n, k int, x, y, c []float64) {
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
