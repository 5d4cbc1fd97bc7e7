package data

import (
	"fmt"
	"math"

	"github.com/dlnb/dlnb/dl"
)

// Coverage says how well samples cover the modes of a mixture, as
// ModeCoverage measures it.
type Coverage struct {
	// PerMode holds, for each mode, the fraction of all samples that lie
	// near it (within the distance given to ModeCoverage). A fair share of
	// k modes is 1/k each.
	PerMode []float64
	// Near is the fraction of samples near some mode: the sum of PerMode.
	// The others fell between the modes (or far from all of them).
	Near float64
}

// Covered returns the number of modes that hold at least the fraction min
// of the samples, as PerMode counts them.
func (c Coverage) Covered(min float64) int {
	n := 0
	for _, f := range c.PerMode {
		if f >= min {
			n++
		}
	}
	return n
}

// ModeCoverage measures mode collapse in 2-D or any other dimension: how
// many of a mixture's modes the samples ([n, d], e.g. a GAN generator's
// output) reach, and how many samples are of good quality, that is near a
// mode. A sample is near mode k if its Euclidean distance to centres row
// k ([modes, d], e.g. RingModes) is at most within; a sample near two
// modes counts for the closer one. The usual choice of within for
// Gaussian modes of standard deviation std is 3·std, which holds 98.9% of
// a 2-D Gaussian's own samples (1 − e^{−9/2}):
//
//	c := data.ModeCoverage(fake, data.RingModes(8, 2), 3*0.05)
//	fmt.Println(c.Covered(0.02), c.Near) // modes with ≥ 2% of the samples; share near a mode
//
// This is the measure of the GAN papers that use a ring of Gaussians
// (e.g. Metz et al., 2017, Unrolled GANs; Srivastava et al., 2017,
// VEEGAN): modes covered, and the fraction of high-quality samples.
//
// ModeCoverage panics if samples or centres is nil, if they are not
// matrices with the same number of columns, if samples or centres has no
// rows, or if within is not a finite number ≥ 0.
func ModeCoverage(samples, centres *dl.Tensor, within float64) Coverage {
	if samples == nil {
		panic("data: ModeCoverage: samples is nil; want a tensor [n, d]")
	}
	if centres == nil {
		panic("data: ModeCoverage: centres is nil; want a tensor [modes, d]")
	}
	s, c := samples.Shape(), centres.Shape()
	if len(s) != 2 || len(c) != 2 || s[1] != c[1] || s[0] == 0 || c[0] == 0 {
		panic(fmt.Sprintf("data: ModeCoverage: samples %v and centres %v do not fit; want [n, d] and [modes, d], n and modes > 0", s, c))
	}
	if !(within >= 0) || math.IsInf(within, 0) {
		panic(fmt.Sprintf("data: ModeCoverage: within = %v, want a finite distance >= 0", within))
	}
	x, m := samples.Data(), centres.Data()
	n, modes, d := s[0], c[0], s[1]
	counts, near := make([]int, modes), 0
	for i := range n {
		best, bestK := math.Inf(1), -1
		for k := range modes {
			sq := 0.0
			for j := range d {
				diff := x[i*d+j] - m[k*d+j]
				sq += diff * diff
			}
			if sq < best {
				best, bestK = sq, k
			}
		}
		if math.Sqrt(best) <= within {
			counts[bestK]++
			near++
		}
	}
	cov := Coverage{PerMode: make([]float64, modes), Near: float64(near) / float64(n)}
	for k, c := range counts {
		cov.PerMode[k] = float64(c) / float64(n)
	}
	return cov
}
