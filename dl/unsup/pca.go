package unsup

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/dlnb/dlnb/dl"
)

// PCAResult holds the principal components that [PCA] found.
type PCAResult struct {
	Mean       *dl.Tensor // [d]: the mean row, subtracted before projecting
	Components *dl.Tensor // [k, d]: orthonormal directions, by decreasing variance
	Variance   []float64  // [k]: the variance of the data along each component
	Ratio      []float64  // [k]: Variance over the total variance; the scree plot
}

// PCA returns the first k principal components of the rows of x [n, d]:
// the orthonormal directions along which the rows vary most, the first
// along the largest variance, the next along the largest variance left,
// and so on (Pearson, 1901; Hotelling, 1933).
//
// PCA centres the rows on their mean, X − mean, and takes the eigenvectors
// of their covariance matrix C = (X − mean)ᵀ·(X − mean)/(n−1), [d, d], with
// gonum's mat.EigenSym: the components are the eigenvectors of the k
// largest eigenvalues, and each eigenvalue is the sample variance along
// its component. Ratio sums to 1 when k = d and to less otherwise.
//
// The product that makes C, n·d² multiply-adds, is the big step; it goes
// through dl.MatMul and its fast GEMM, and only the eigenvalue problem of
// size d is left to gonum. (The singular value decomposition of X − mean
// gives the same directions without forming C, and keeps small variances
// more precisely: through C, a variance r times the largest has a
// relative error of about 1e-16/r. That makes no difference to the few
// largest components that PCA is used for, and the SVD of a large X costs
// several times as much.)
//
// The sign of a component is arbitrary: PCA makes the largest entry (in
// absolute value) of each component positive, so results are stable.
//
// PCA panics if x is not [n, d] with n ≥ 2, if k < 1 or k > d, or if x
// holds NaN or Inf.
func PCA(x *dl.Tensor, k int) PCAResult {
	if x.Dim() != 2 || x.Shape()[0] < 2 {
		panic(fmt.Sprintf("unsup: PCA: x has shape %v; want [n, d] with n ≥ 2", x.Shape()))
	}
	n, d := x.Shape()[0], x.Shape()[1]
	if k < 1 || k > d {
		panic(fmt.Sprintf("unsup: PCA: k = %d for %d features; want 1 ≤ k ≤ d", k, d))
	}
	for i, v := range x.Data() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			panic(fmt.Sprintf("unsup: PCA: x %v holds %v at index %d; remove or replace it first", x.Shape(), v, i))
		}
	}
	mean := make([]float64, d)
	for i, v := range x.Data() {
		mean[i%d] += v / float64(n)
	}
	centred := slices.Clone(x.Data())
	for i := range centred {
		centred[i] -= mean[i%d]
	}
	xc := dl.New(centred, n, d)
	cov := dl.MatMul(dl.Transpose(xc), xc).Data() // [d, d]; divided by n−1 below

	var eig mat.EigenSym
	if !eig.Factorize(mat.NewSymDense(d, cov), true) {
		panic(fmt.Sprintf("unsup: PCA: the eigenvalues of the covariance of x %v did not converge", x.Shape()))
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs) // [d, d]: the eigenvectors are its columns

	var total float64
	for _, l := range vals {
		total += max(l, 0) / float64(n-1)
	}
	p := PCAResult{Variance: make([]float64, k), Ratio: make([]float64, k)}
	comps := make([]float64, k*d)
	for i := range k {
		j := d - 1 - i // the i-th largest eigenvalue
		c := comps[i*d : (i+1)*d]
		mat.Col(c, j, &vecs)
		flipSign(c)
		// A direction without variance can come out as −1e-16 or so.
		p.Variance[i] = max(vals[j], 0) / float64(n-1)
		if total > 0 {
			p.Ratio[i] = p.Variance[i] / total
		}
	}
	p.Mean = dl.New(mean, d)
	p.Components = dl.New(comps, k, d)
	return p
}

// flipSign negates c if its entry of largest absolute value is negative.
func flipSign(c []float64) {
	big := 0
	for j, v := range c {
		if math.Abs(v) > math.Abs(c[big]) {
			big = j
		}
	}
	if c[big] < 0 {
		for j := range c {
			c[j] = -c[j]
		}
	}
}

// Project returns the coordinates of the rows of x [n, d] along the
// components, (x − Mean)·Componentsᵀ, of shape [n, k]: each row
// compressed to k numbers. It panics if x is not [n, d].
func (p PCAResult) Project(x *dl.Tensor) *dl.Tensor {
	d := p.Mean.Len()
	if x.Dim() != 2 || x.Shape()[1] != d {
		panic(fmt.Sprintf("unsup: Project: x has shape %v; want [n %d] for components %v", x.Shape(), d, p.Components.Shape()))
	}
	return dl.MatMul(dl.Sub(x, p.Mean), dl.Transpose(p.Components))
}

// Reconstruct maps coordinates z [n, k] back to rows [n, d],
// z·Components + Mean: the inverse of [PCAResult.Project] when k = d, and
// otherwise the nearest point to the original row in the k-dimensional
// subspace of the components. It panics if z is not [n, k].
func (p PCAResult) Reconstruct(z *dl.Tensor) *dl.Tensor {
	k := p.Components.Shape()[0]
	if z.Dim() != 2 || z.Shape()[1] != k {
		panic(fmt.Sprintf("unsup: Reconstruct: z has shape %v; want [n %d] for components %v", z.Shape(), k, p.Components.Shape()))
	}
	return dl.Add(dl.MatMul(z, p.Components), p.Mean)
}
