package loops

// Sums along a row, and the normalization of a row, for dl's LayerNorm.
// Each sum is taken in four lanes, element i in lane i mod 4, and the
// lanes added as (0+2)+(1+3): four additions that do not wait on each
// other, where one running sum waits on the last addition at every
// element.

// Sum returns the sum of the elements of x.
func Sum(x []float64) float64 {
	var s0, s1, s2, s3 float64 // four variables, not an array, stay in registers
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i]
		s1 += x[i+1]
		s2 += x[i+2]
		s3 += x[i+3]
	}
	t := x[i:] // the last len(x) mod 4, into lanes 0, 1, 2
	if len(t) > 0 {
		s0 += t[0]
	}
	if len(t) > 1 {
		s1 += t[1]
	}
	if len(t) > 2 {
		s2 += t[2]
	}
	return (s0 + s2) + (s1 + s3)
}

// SumSquaredDiff returns Σ (x[i] - m)², the sum of the squared deviations
// of x from m.
func SumSquaredDiff(x []float64, m float64) float64 {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		d0, d1, d2, d3 := x[i]-m, x[i+1]-m, x[i+2]-m, x[i+3]-m
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	t := x[i:]
	if len(t) > 0 {
		s0 += (t[0] - m) * (t[0] - m)
	}
	if len(t) > 1 {
		s1 += (t[1] - m) * (t[1] - m)
	}
	if len(t) > 2 {
		s2 += (t[2] - m) * (t[2] - m)
	}
	return (s0 + s2) + (s1 + s3)
}

// Normalize sets dst[i] = (x[i] - mean)·rstd·gamma[i] + beta[i]; a nil
// gamma counts as ones and a nil beta as zeros. x, and gamma and beta if
// not nil, have dst's length.
func Normalize(dst, x []float64, mean, rstd float64, gamma, beta []float64) {
	x = x[:len(dst)]
	if gamma != nil && beta != nil { // the usual case, without a test per element
		gamma, beta = gamma[:len(dst)], beta[:len(dst)]
		for i, v := range x {
			dst[i] = (v-mean)*rstd*gamma[i] + beta[i]
		}
		return
	}
	for i, v := range x {
		h := (v - mean) * rstd
		if gamma != nil {
			h *= gamma[i]
		}
		if beta != nil {
			h += beta[i]
		}
		dst[i] = h
	}
}
