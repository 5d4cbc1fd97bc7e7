package train

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// PowerLaw is the law L(x) = A·x^(−Alpha) + C: a quantity L, such as a
// language model's loss, that falls as a power of x, such as the model's
// size, its data or its compute, towards a floor C. On log-log axes, L − C
// against x is a straight line of slope −Alpha.
//
// Kaplan et al., "Scaling Laws for Neural Language Models" (2020), found
// the test loss of Transformer language models to follow such laws over
// seven orders of magnitude, with C = 0: L(N) = (N_c/N)^0.076 in the
// non-embedding parameters N (A = N_c^0.076), L(D) = (D_c/D)^0.095 in the
// tokens D, and L(C_min) = (C_c/C_min)^0.050 in the compute. Hoffmann et
// al. (2022, "Chinchilla") fitted L(N, D) = E + A/N^α + B/D^β, with a floor
// E = 1.69 nats per token: the entropy of text, which no model removes.
type PowerLaw struct {
	A, Alpha, C float64
}

// Predict returns A·x^(−Alpha) + C. It panics if x is not a finite number
// above 0.
func (p PowerLaw) Predict(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 1) {
		panic(fmt.Sprintf("train: PowerLaw.Predict: x = %v; want a finite x > 0", x))
	}
	return p.A*math.Pow(x, -p.Alpha) + p.C
}

// String writes the law with 3 significant digits, as
// "2.5·x^-0.3 + 1.2", or "2.5·x^-0.3" when C is 0 (the exponent is −Alpha).
func (p PowerLaw) String() string {
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }
	s := g(p.A) + "·x^" + g(-p.Alpha)
	if p.C != 0 {
		s += " + " + g(p.C)
	}
	return s
}

// FitPowerLaw fits the law y = a·x^(−α) + c to the points (x[i], y[i])
// and returns it, with a ≥ 0 and the floor c ≥ 0 (for a loss, the part
// that no model removes), so that the sign of α says which way the law
// goes: α > 0 falls towards c as x grows, α < 0 grows away from it. It
// needs at least 3 points at 3 different x, for 3 numbers; with exactly 3
// the law goes through them. When the points do not bend towards a floor
// on log-log axes, the best floor is c = 0: a pure power law, the law
// that [FitPowerLawFloor] fits with c = 0.
//
//	law, err := train.FitPowerLaw(params, losses)
//	fmt.Printf("L(N) = %v, predicted at 1e6: %.3f\n", law, law.Predict(1e6))
//
// What it minimizes is the sum of the squared relative errors,
// Σ ((y[i] − ŷ[i]) / y[i])², which is least squares on log y to first
// order: points at small and at large values count alike, as they look
// on log-log axes, and a percent is a percent at every scale.
//
// How: for a fixed α the law is a straight line, y = a·u + c in
// u = x^(−α), so the best a and c follow exactly from a weighted linear
// least-squares fit (with c = 0 when that line's c is negative). What is
// left is a search over α alone (variable projection): on a log-spaced
// grid of α from ±1e-4 to ±10, then by golden-section search around the
// best grid point. Unlike a general optimizer over (a, α, c), such as
// gonum/optimize's, it needs no starting guess and cannot stop in a local
// minimum of a or c; noise-free points give back the law they came from.
//
// FitPowerLaw returns an error when no power law fits: when every y is
// the same, or when the best α is at the edge of the search (|α| = 1e-4
// or 10), because the points follow another law, such as a step.
//
// FitPowerLaw panics if x and y differ in length, if there are fewer than
// 3 points or fewer than 3 distinct x, or if an x or a y is not a finite
// number above 0 (a log axis cannot show it; losses are above 0).
func FitPowerLaw(x, y []float64) (PowerLaw, error) {
	checkPowerLaw("FitPowerLaw", x, y, 3)
	return fitPowerLaw("FitPowerLaw", x, y, math.NaN())
}

// FitPowerLawFloor fits the law y = a·x^(−α) + c with the floor c given,
// and returns it: c = 0 is the pure power law of Kaplan et al. (2020), a
// straight line on log-log axes; another c is a floor known beforehand.
// It minimizes the same squared relative errors as [FitPowerLaw], so
// that FitPowerLaw, when its best c is 0, returns the same law as
// FitPowerLawFloor(x, y, 0). It needs at least 2 points at 2 different x.
//
// FitPowerLawFloor returns an error when no power law fits, as
// FitPowerLaw does. It panics as FitPowerLaw does (with 2 points and 2
// distinct x as the least), and if c is not finite, below 0, or not below
// every y.
func FitPowerLawFloor(x, y []float64, c float64) (PowerLaw, error) {
	checkPowerLaw("FitPowerLawFloor", x, y, 2)
	for i, v := range y {
		if !(c >= 0) || !(c < v) || math.IsInf(c, 1) {
			panic(fmt.Sprintf("train: FitPowerLawFloor: floor c = %v and y[%d] = %v; want 0 ≤ c < every y", c, i, v))
		}
	}
	return fitPowerLaw("FitPowerLawFloor", x, y, c)
}

// checkPowerLaw panics unless x and y hold at least least points, at
// least least distinct x, every x and y finite and above 0.
func checkPowerLaw(fn string, x, y []float64, least int) {
	if len(x) != len(y) {
		panic(fmt.Sprintf("train: %s: %d x values but %d y values; want one y per x", fn, len(x), len(y)))
	}
	distinct := map[float64]bool{}
	for i := range x {
		if !(x[i] > 0) || math.IsInf(x[i], 1) || !(y[i] > 0) || math.IsInf(y[i], 1) {
			panic(fmt.Sprintf("train: %s: point %d is (%v, %v); want finite x > 0 and y > 0 (a power law lives on log-log axes)",
				fn, i, x[i], y[i]))
		}
		distinct[x[i]] = true
	}
	if len(distinct) < least {
		panic(fmt.Sprintf("train: %s: %d points at %d distinct x; want at least %d distinct x to fit %d numbers",
			fn, len(x), len(distinct), least, least))
	}
}

// The search range of |α|: a law with |α| below minAlpha is a logarithm
// for any x we can fit; one above maxAlpha is a step.
const (
	minAlpha = 1e-4
	maxAlpha = 10
)

// fitPowerLaw finds the law with the floor c (free, c ≥ 0, when c is
// NaN) by the search that FitPowerLaw describes.
func fitPowerLaw(fn string, x, y []float64, c float64) (PowerLaw, error) {
	if slices.Min(y) == slices.Max(y) {
		return PowerLaw{}, fmt.Errorf("train: %s: no power law fits these %d points: every y is %v, so no exponent is better than another", fn, len(x), y[0])
	}
	// Measure x in units of its geometric mean, so that x^(−α) stays near
	// 1 for every α of the search; a changes by that unit's power at the
	// end.
	logUnit := 0.0
	for _, v := range x {
		logUnit += math.Log(v)
	}
	logUnit /= float64(len(x))
	lx := make([]float64, len(x))
	for i, v := range x {
		lx[i] = math.Log(v) - logUnit
	}
	cost := func(alpha float64) float64 {
		_, _, rss := linearFit(lx, y, alpha, c)
		return rss
	}

	// The grid: 200 values of |α| per sign, log-spaced.
	const n = 200
	grid := make([]float64, 0, 2*n)
	for _, sign := range []float64{1, -1} {
		for k := range n {
			grid = append(grid, sign*minAlpha*math.Pow(maxAlpha/minAlpha, float64(k)/(n-1)))
		}
	}
	best := 0
	costs := make([]float64, len(grid))
	for k, a := range grid {
		costs[k] = cost(a)
		if costs[k] < costs[best] {
			best = k
		}
	}
	if k := best % n; k == 0 || k == n-1 {
		return PowerLaw{}, fmt.Errorf("train: %s: no power law fits these %d points: the best exponent lies at the edge of the search, α = %.3g; "+
			"the points may follow another law, such as a step", fn, len(x), grid[best])
	}
	// Golden-section search between the best grid point's neighbours.
	lo, hi := grid[best-1], grid[best+1]
	phi := (math.Sqrt(5) - 1) / 2
	m1, m2 := hi-phi*(hi-lo), lo+phi*(hi-lo)
	f1, f2 := cost(m1), cost(m2)
	for range 200 {
		if math.Abs(hi-lo) <= 1e-13*math.Abs(lo+hi) {
			break
		}
		if f1 < f2 {
			hi, m2, f2 = m2, m1, f1
			m1 = hi - phi*(hi-lo)
			f1 = cost(m1)
		} else {
			lo, m1, f1 = m1, m2, f2
			m2 = lo + phi*(hi-lo)
			f2 = cost(m2)
		}
	}
	alpha := (lo + hi) / 2
	a, cc, _ := linearFit(lx, y, alpha, c)
	return PowerLaw{A: a * math.Exp(alpha*logUnit), Alpha: alpha, C: cc}, nil
}

// linearFit returns the a and c of y ≈ a·u + c, u = e^(−α·lx), that
// minimize Σ ((y − a·u − c)/y)² with a ≥ 0, and that sum: with c free
// (fixed is NaN) and c ≥ 0, or with c fixed.
func linearFit(lx, y []float64, alpha, fixed float64) (a, c, rss float64) {
	var sw, su, sy, suu, suy float64
	u := make([]float64, len(lx))
	for i := range lx {
		u[i] = math.Exp(-alpha * lx[i])
		w := 1 / (y[i] * y[i])
		sw += w
		su += w * u[i]
		sy += w * y[i]
		suu += w * u[i] * u[i]
		suy += w * u[i] * y[i]
	}
	c = fixed
	if math.IsNaN(fixed) {
		c = -1
		if det := sw*suu - su*su; det > 0 {
			a = (sw*suy - su*sy) / det
			c = (suu*sy - su*suy) / det
		}
	}
	if c < 0 {
		c = 0
	}
	if !math.IsNaN(fixed) || c == 0 {
		a = (suy - c*su) / suu // the best a for this c
	}
	if a <= 0 {
		// Not a power law that falls (α > 0) or grows (α < 0) from the
		// floor: the best with a ≥ 0 is a = 0, a constant.
		a = 0
		if math.IsNaN(fixed) {
			c = sy / sw
		}
	}
	for i := range lx {
		r := (y[i] - a*u[i] - c) / y[i]
		rss += r * r
	}
	return a, c, rss
}
