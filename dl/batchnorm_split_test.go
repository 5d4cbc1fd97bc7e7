package dl

import (
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// TestBatchNormTrainSplit checks that BatchNormTrain, split across the
// CPUs by channel, gives under GOMAXPROCS 1, 2 and 4 the very bits of a
// plain loop over the elements in order (the serial code it replaced):
// output, statistics and the gradients of x, gamma and beta.
func TestBatchNormTrainSplit(t *testing.T) {
	for _, shape := range [][]int{{4096, 16}, {64, 8, 12, 12}, {3, 40, 1, 300}} {
		rng := rand.New(rand.NewPCG(12, uint64(shape[1])))
		c := shape[1]
		inner := numel(shape) / shape[0] / c
		x := Randn(rng, shape...)
		for i := range x.data { // far from 0, so that the order of the sums shows
			x.data[i] = 1e3*float64(i/inner%c) + x.data[i]
		}
		gamma, beta, g := Randn(rng, c), Randn(rng, c), Randn(rng, shape...)
		want := batchNormSerial(x.data, gamma.data, beta.data, g.data, c, inner, 1e-5)
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
		for _, procs := range []int{1, 2, 4} {
			runtime.GOMAXPROCS(procs)
			xp, gp, bp := Param(x.Clone()), Param(gamma.Clone()), Param(beta.Clone())
			stop := parallel.CountSplits()
			out, mean, variance := BatchNormTrain(xp, gp, bp, 1e-5)
			Sum(Mul(out, g)).Backward()
			split := false
			for site := range stop() {
				split = split || strings.HasPrefix(site, "For dl/norm.go:")
			}
			if !split {
				t.Errorf("%v: BatchNormTrain did not split across the CPUs", shape)
			}
			got := [][]float64{out.data, mean, variance, xp.grad, gp.grad, bp.grad}
			for i, name := range []string{"output", "mean", "variance", "dx", "dgamma", "dbeta"} {
				for j := range got[i] {
					if math.Float64bits(got[i][j]) != math.Float64bits(want[i][j]) {
						t.Errorf("%v, GOMAXPROCS %d: %s[%d] = %v, the serial loop gives %v", shape, procs, name, j, got[i][j], want[i][j])
						break
					}
				}
			}
		}
	}
}

// batchNormSerial is batch normalization as a plain loop over the elements
// in order, with upstream gradient g: it returns the output, the means and
// variances, and the gradients of x, gamma and beta.
func batchNormSerial(x, gamma, beta, g []float64, c, inner int, eps float64) [][]float64 {
	count := make([]float64, c)
	mean := make([]float64, c)
	for i, v := range x {
		count[i/inner%c]++
		mean[i/inner%c] += v
	}
	for k := range mean {
		mean[k] /= count[k]
	}
	variance := make([]float64, c)
	for i, v := range x {
		dv := v - mean[i/inner%c]
		variance[i/inner%c] += dv * dv
	}
	rstd := make([]float64, c)
	for k := range variance {
		variance[k] /= count[k]
		rstd[k] = 1 / math.Sqrt(variance[k]+eps)
	}
	xhat := make([]float64, len(x))
	out := make([]float64, len(x))
	for i, v := range x {
		k := i / inner % c
		xhat[i] = (v - mean[k]) * rstd[k]
		out[i] = xhat[i]*gamma[k] + beta[k]
	}
	dgamma, dbeta := make([]float64, c), make([]float64, c)
	mdx, mdxx := make([]float64, c), make([]float64, c)
	dxhat := make([]float64, len(x))
	for i, gi := range g {
		k := i / inner % c
		dgamma[k] += gi * xhat[i]
		dbeta[k] += gi
		dxhat[i] = gi * gamma[k]
		mdx[k] += dxhat[i]
		mdxx[k] += dxhat[i] * xhat[i]
	}
	dx := make([]float64, len(x))
	for i, d := range dxhat {
		k := i / inner % c
		dx[i] += rstd[k] * (d - mdx[k]/count[k] - xhat[i]*mdxx[k]/count[k])
	}
	return [][]float64{out, mean, variance, dx, dgamma, dbeta}
}
