package loops

import "math"

// The exponential and the functions built on it: GELU's tanh, Sigmoid,
// Tanh and the rows of Softmax and LogSoftmax.
//
// math.Exp does one value at a time and took a fifth of a Transformer's
// training step. Exp here does four at a time with AVX2 and FMA on amd64
// (exp_amd64.s), and the functions on top of it are fused into the same
// loop, so a GELU reads x once and writes its two outputs once.
//
// # The method
//
// e^x = 2ⁿ·e^r, with n = round(x·log₂e) and r = x - n·ln2, so that
// |r| ≤ ln2/2 (Cody and Waite's range reduction, with ln2 split into a
// high part, whose product with n is exact, and a low part). e^r is
// 1 + r + r²·q(r), with q the Taylor series of (e^r - 1 - r)/r² to the
// term r¹¹/13!: the first term left out, r¹²/14!, is below 5·10⁻¹⁸ for
// |r| ≤ ln2/2, a twentieth of an ulp. The sum 1 + r is the one rounding
// that matters: what it loses is found exactly and added back with the
// small terms, so that e^r is nearly correctly rounded. Then 2ⁿ
// multiplies it, in two
// steps 2^(n/2) and 2^(n-n/2), so that both factors are normal numbers
// for every n from -1077 to 1025: results that overflow become +Inf, and
// results below 2⁻¹⁰²² become subnormal numbers, rounded once, as they
// should be (they are not flushed to 0).
//
// # Accuracy
//
// Against e^x computed exactly, the result is off by less than 0.75 ulp
// (0.65 measured, 0.71 for subnormal results), and is the correctly
// rounded value 99 times in 100, which tests check on a sample against
// big.Float; against math.Exp, which is within 1 ulp, by at most 2 ulp
// (tested on a million values over the whole range; they agree on most). Exp(0) = 1, Exp(+Inf) = +Inf,
// Exp(-Inf) = 0 and Exp(NaN) = NaN; above 709.78 the result is +Inf and
// below -745.14 it is 0.
//
// # Determinism
//
// The assembly and the portable Go below do the very same operations in
// the same order (math.FMA where the assembly has an FMA), so they give
// the same bits, which a test checks; an element's result does not depend
// on where it falls in a slice, on the length of the slice or on the CPU
// count. The sums of the softmax rows are taken in four lanes, element i
// in lane i mod 4, and the lanes added as (0+2)+(1+3), by both.

// The constants of the exponential. shifter is 1.5·2⁵² + 2046: adding it
// to x·log₂e rounds that to the integer n and leaves n + 2046 in the low
// bits of the sum.
const (
	log2e   = 1.44269504088896340735992468100189214
	ln2Hi   = 6.93147180369123816490e-01 // ln2 to 32 bits: n·ln2Hi is exact
	ln2Lo   = 1.90821492927058770002e-10 // ln2 - ln2Hi
	shifter = 1<<52 + 1<<51 + 2046
	expLo   = -746 // below, e^x is 0 in float64
	expHi   = 710  // above, e^x is +Inf
)

// expPoly holds the coefficients of q(r), 1/k! for k = 2…13.
var expPoly = [...]float64{1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720,
	1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800,
	1.0 / 479001600, 1.0 / 6227020800}

// exp returns e^x, as the assembly does for four values at a time.
func exp(x float64) float64 {
	x = min(max(x, expLo), expHi) // NaN stays NaN
	t := math.FMA(x, log2e, shifter)
	n := t - shifter             // round(x·log₂e)
	rh := math.FMA(-n, ln2Hi, x) // exact
	rl := n * ln2Lo
	r := rh - rl // x - n·ln2, |r| ≤ ln2/2
	q := expPoly[len(expPoly)-1]
	for i := len(expPoly) - 2; i >= 0; i-- {
		q = math.FMA(q, r, expPoly[i])
	}
	// e^r = 1 + r + r²·q, with 1 + rh rounded to s, and what s lost (found
	// exactly, since |rh| < 1) added back with the small terms.
	s := 1 + rh
	lo := rh - (s - 1) - rl
	p := s + math.FMA(q, r*r, lo)
	// 2ⁿ as 2^(k1-1023)·2^(k2-1023), with k1 + k2 = n + 2046, the low bits
	// of t, and each k an exponent of a normal float64.
	k := math.Float64bits(t) & 0xfff
	k1 := k >> 1
	return p * math.Float64frombits(k1<<52) * math.Float64frombits((k-k1)<<52)
}

// Exp sets dst[i] = e^src[i] for every i: within 0.75 ulp of the exact
// value, +Inf above 709.78 and 0 below -745.14 (see the accuracy notes
// above). dst and src have the same length; they may be the same slice.
func Exp(dst, src []float64) {
	src = src[:len(dst)]
	i := 0
	if useAVX2 && len(dst) >= 4 {
		i = len(dst) &^ 3
		expAVX2(&dst[0], &src[0], i)
	}
	for ; i < len(dst); i++ {
		dst[i] = exp(src[i])
	}
}

// The constants of GELU's tanh approximation (Hendrycks and Gimpel, 2016):
// u = GELUK·(x + GELUC·x³), with GELUK = √(2/π).
const (
	GELUK = 0.7978845608028654
	GELUC = 0.044715
)

// gelu returns 0.5·x·(1 + t) and t = tanh(u), u = GELUK·(x + GELUC·x³),
// as the assembly does. It takes tanh(u) as 1 - 2/(e^(2u) + 1), which is
// within 3e-16 of it (an ulp of 1, what 1 + t needs, rather than the
// relative accuracy of Tanh near 0) and gives ±1 where e^(2u) is +Inf or
// 0.
func gelu(x float64) (y, t float64) {
	u := math.FMA(x*x*GELUC, x, x) * (2 * GELUK) // 2u
	t = 1 - 2/(exp(u)+1)
	return 0.5 * x * (1 + t), t
}

// GELU sets dst[i] to the GELU of x = src[i] in its tanh form,
// 0.5·x·(1 + t), and th[i] to t = tanh(GELUK·(x + GELUC·x³)), which the
// backward pass needs. t is within 3e-16 of the exact tanh. The
// three slices have the same length; dst may be src.
func GELU(dst, th, src []float64) {
	src, th = src[:len(dst)], th[:len(dst)]
	i := 0
	if useAVX2 && len(dst) >= 4 {
		i = len(dst) &^ 3
		geluAVX2(&dst[0], &th[0], &src[0], i)
	}
	for ; i < len(dst); i++ {
		dst[i], th[i] = gelu(src[i])
	}
}

// GELUGrad adds g[i]·y'(x[i]) into gx[i], y' being the derivative of
// GELU's tanh form computed from t = th[i], the tanh that GELU stored:
//
//	y' = 0.5·(1 + t) + 0.5·x·(1 - t²)·GELUK·(1 + 3·GELUC·x²)
//
// The four slices have the same length.
func GELUGrad(gx, g, x, th []float64) {
	g, x, th = g[:len(gx)], x[:len(gx)], th[:len(gx)]
	i := 0
	if useAVX2 && len(gx) >= 4 {
		i = len(gx) &^ 3
		geluGradAVX2(&gx[0], &g[0], &x[0], &th[0], i)
	}
	for ; i < len(gx); i++ {
		gx[i] += g[i] * geluGrad(x[i], th[i])
	}
}

// geluGrad returns GELU's derivative at x from t = tanh(u), as the
// assembly does.
func geluGrad(x, t float64) float64 {
	return 0.5*(1+t) + 0.5*x*(1-t*t)*GELUK*(1+3*GELUC*x*x)
}

// sigmoid returns 1/(1 + e⁻ˣ), as the assembly does: with e = e^-|x|, it
// is 1/(1 + e) for x ≥ 0 and e/(1 + e) for x < 0, so that nothing
// overflows and small results keep their relative accuracy.
func sigmoid(x float64) float64 {
	e := exp(-math.Abs(x))
	if x < 0 {
		return e / (1 + e)
	}
	return 1 / (1 + e)
}

// Sigmoid sets dst[i] = 1/(1 + e^-src[i]) for every i, within 2 ulp of
// the exact value. dst and src have the same length; they may be the same
// slice.
func Sigmoid(dst, src []float64) {
	src = src[:len(dst)]
	i := 0
	if useAVX2 && len(dst) >= 4 {
		i = len(dst) &^ 3
		sigmoidAVX2(&dst[0], &src[0], i)
	}
	for ; i < len(dst); i++ {
		dst[i] = sigmoid(src[i])
	}
}

// The rational function of math.Tanh (from Cephes) for |x| < 0.625:
// tanh x = x + x·s·P(s)/Q(s), s = x².
var tanhP = [...]float64{
	-9.64399179425052238628e-1,
	-9.92877231001918586564e1,
	-1.61468768441708447952e3,
}
var tanhQ = [...]float64{
	1.12811678491632931402e2,
	2.23548839060100448583e3,
	4.84406305325125486048e3,
}

// tanh returns tanh x as math.Tanh does, with exp, and as the assembly
// does: for z = |x| < 0.625, z + z·s·P(s)/Q(s) with s = z², which keeps
// the relative accuracy of small values; above, 1 - 2/(e^(2z) + 1); then
// the sign of x (so tanh(-0) = -0).
func tanh(x float64) float64 {
	z := math.Abs(x)
	var y float64
	if z < 0.625 {
		s := z * z
		p := math.FMA(math.FMA(tanhP[0], s, tanhP[1]), s, tanhP[2])
		q := math.FMA(math.FMA(s+tanhQ[0], s, tanhQ[1]), s, tanhQ[2])
		y = math.FMA(z*s, p/q, z)
	} else {
		y = 1 - 2/(exp(2*z)+1)
	}
	return math.Copysign(y, x)
}

// Tanh sets dst[i] = tanh(src[i]) for every i, within 2 ulp of the exact
// value. dst and src have the same length; they may be the same slice.
func Tanh(dst, src []float64) {
	src = src[:len(dst)]
	i := 0
	if useAVX2 && len(dst) >= 4 {
		i = len(dst) &^ 3
		tanhAVX2(&dst[0], &src[0], i)
	}
	for ; i < len(dst); i++ {
		dst[i] = tanh(src[i])
	}
}

// Softmax sets dst to the softmax of src, e^(x-m)/Σ e^(x-m) with m the
// largest element (so nothing overflows): one row of dl's Softmax. A NaN
// or +Inf in src, or a src that is all -Inf, makes every element NaN.
// dst and src have the same length; they may be the same slice.
func Softmax(dst, src []float64) {
	if len(dst) == 0 {
		return
	}
	scale(dst, 1/expShift(dst, src, maxOf(src)))
}

// LogSoftmax sets dst to the log of the softmax of src, x - m - log Σ e^(x-m)
// with m the largest element: one row of dl's LogSoftmax. dst and src have
// the same length; they may be the same slice.
func LogSoftmax(dst, src []float64) {
	if len(dst) == 0 {
		return
	}
	src = src[:len(dst)]
	m := maxOf(src)
	lse := m + math.Log(expShift(nil, src, m))
	for i, v := range src {
		dst[i] = v - lse
	}
}

// scale multiplies every element of x by c.
func scale(x []float64, c float64) {
	i := 0
	if useAVX2 && len(x) >= 4 {
		i = len(x) &^ 3
		scaleAVX2(&x[0], i, c)
	}
	for ; i < len(x); i++ {
		x[i] *= c
	}
}

// maxOf returns the largest element of x, or -Inf if x is empty, as the
// assembly finds it: element i in lane i mod 4, each lane keeping
// max2(lane, x[i]), and the lanes compared as (0 vs 2) vs (1 vs 3). A NaN
// is not always kept, but a softmax row with a NaN is NaN anyway, through
// its own e^(NaN - m).
func maxOf(x []float64) float64 {
	inf := math.Inf(-1)
	m := [4]float64{inf, inf, inf, inf}
	i := 0
	if useAVX2 && len(x) >= 4 {
		i = len(x) &^ 3
		maxAVX2(&x[0], i, &m)
	}
	for ; i < len(x); i++ {
		m[i%4] = max2(m[i%4], x[i])
	}
	return max2(max2(m[0], m[2]), max2(m[1], m[3]))
}

// max2 returns a if a > b and b otherwise (so b if either is NaN), as the
// instruction VMAXPD does; Go's max differs for NaN and for ±0.
func max2(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

// expShift sets dst[i] = e^(src[i] - shift), unless dst is nil, and
// returns their sum, taken in four lanes, element i in lane i mod 4, and
// the lanes added as (0+2)+(1+3), as the assembly does.
func expShift(dst, src []float64, shift float64) float64 {
	if dst != nil {
		src = src[:len(dst)]
	}
	var acc [4]float64
	i := 0
	if useAVX2 && len(src) >= 4 {
		i = len(src) &^ 3
		var d *float64 // nil: the assembly only sums
		if dst != nil {
			d = &dst[0]
		}
		expShiftAVX2(d, &src[0], i, shift, &acc)
	}
	for ; i < len(src); i++ {
		e := exp(src[i] - shift)
		if dst != nil {
			dst[i] = e
		}
		acc[i%4] += e
	}
	return (acc[0] + acc[2]) + (acc[1] + acc[3])
}
