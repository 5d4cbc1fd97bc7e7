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
// PCA centres the rows on their mean and takes the singular value
// decomposition X − mean = U·S·Vᵀ with gonum's mat.SVD. The components are
// the first k rows of Vᵀ, and the variance along component i is
// S[i]²/(n−1), the sample variance. (Taking the eigenvectors of the
// covariance matrix gives the same directions, but squares the condition
// number on the way.) Ratio sums to 1 when k = d and to less otherwise.
//
// The sign of a component is arbitrary: PCA makes the largest entry (in
// absolute value) of each component positive, so results are stable.
//
// PCA panics if x is not [n, d] with n ≥ 2, if k < 1 or k > d, or if the
// SVD fails, which happens when x holds NaN or Inf.
func PCA(x *dl.Tensor, k int) PCAResult {
	if x.Dim() != 2 || x.Shape()[0] < 2 {
		panic(fmt.Sprintf("unsup: PCA: x has shape %v; want [n, d] with n ≥ 2", x.Shape()))
	}
	n, d := x.Shape()[0], x.Shape()[1]
	if k < 1 || k > d {
		panic(fmt.Sprintf("unsup: PCA: k = %d for %d features; want 1 ≤ k ≤ d", k, d))
	}
	mean := make([]float64, d)
	for i, v := range x.Data() {
		mean[i%d] += v / float64(n)
	}
	centred := slices.Clone(x.Data())
	for i := range centred {
		centred[i] -= mean[i%d]
	}

	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(n, d, centred), mat.SVDFullV) {
		panic(fmt.Sprintf("unsup: PCA: the SVD of x %v failed; does x hold NaN or Inf?", x.Shape()))
	}
	s := svd.Values(nil) // min(n, d) singular values, largest first
	var v mat.Dense
	svd.VTo(&v) // [d, d]: the components are its columns

	var total float64
	for _, si := range s {
		total += si * si / float64(n-1)
	}
	p := PCAResult{Variance: make([]float64, k), Ratio: make([]float64, k)}
	comps := make([]float64, k*d)
	for i := range k {
		c := comps[i*d : (i+1)*d]
		mat.Col(c, i, &v)
		flipSign(c)
		if i < len(s) { // with n < d, the last d − n components have no variance
			p.Variance[i] = s[i] * s[i] / float64(n-1)
		}
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
