package loops

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// ulps returns how many float64 values lie between a and b, counting one
// of the ends: 0 if they are equal (or both NaN), 1 for neighbours, and
// the largest uint64 if one is NaN and the other not. ±0 are the same,
// +Inf is next after the largest finite value, and subnormal numbers are
// counted one by one.
func ulps(a, b float64) uint64 {
	if math.IsNaN(a) || math.IsNaN(b) {
		if math.IsNaN(a) && math.IsNaN(b) {
			return 0
		}
		return math.MaxUint64
	}
	ord := func(x float64) int64 { // the order of x among all float64
		b := int64(math.Float64bits(x))
		if b < 0 {
			return -(b & math.MaxInt64)
		}
		return b
	}
	d := ord(a) - ord(b)
	if d < 0 {
		return uint64(-d)
	}
	return uint64(d)
}

const bigPrec = 256

// bigLn2 is ln2 to more digits than bigPrec holds.
var bigLn2, _ = new(big.Float).SetPrec(bigPrec).SetString(
	"0.6931471805599453094172321214581765680755001343602552541206800094933936219696947156058633269964186875")

// expParts returns n and m = e^r - 1 to bigPrec bits, r = x - n·ln2,
// so that e^x = 2ⁿ·(1 + m): m by its Taylor series.
func expParts(x float64) (int, *big.Float) {
	nf := func() float64 { // n = round(x/ln2)
		q := new(big.Float).SetPrec(bigPrec).Quo(big.NewFloat(x), bigLn2)
		f, _ := q.Float64()
		return math.Round(f)
	}()
	r := new(big.Float).SetPrec(bigPrec).Mul(bigLn2, big.NewFloat(nf))
	r.Sub(new(big.Float).SetPrec(bigPrec).SetFloat64(x), r)
	m := new(big.Float).SetPrec(bigPrec)
	term := new(big.Float).SetPrec(bigPrec).SetInt64(1)
	for k := int64(1); k < 60; k++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetPrec(bigPrec).SetInt64(k))
		m.Add(m, term)
	}
	return int(nf), m
}

// expBig returns e^x to bigPrec bits.
func expBig(x float64) *big.Float {
	n, m := expParts(x)
	m.Add(m, big.NewFloat(1))
	return m.SetMantExp(m, n)
}

// expm1Big returns e^x - 1 to bigPrec bits, as 2ⁿ·m + (2ⁿ - 1): exact
// where it is small, for n near 0.
func expm1Big(x float64) *big.Float {
	n, m := expParts(x)
	m.SetMantExp(m, n)
	pow := new(big.Float).SetPrec(bigPrec).SetMantExp(big.NewFloat(1), n)
	return m.Add(m, pow.Sub(pow, big.NewFloat(1)))
}

// ulpsExact returns the error of y against the exact value e, in ulps of
// e's float64 neighbourhood (of 2⁻¹⁰⁷⁴ for subnormal numbers), as a
// fraction: 0.5 means correctly rounded.
func ulpsExact(y float64, e *big.Float) float64 {
	if e.Sign() == 0 {
		return math.Abs(y) / math.SmallestNonzeroFloat64
	}
	ef, _ := e.Float64()
	if math.IsInf(ef, 0) {
		if y == ef {
			return 0
		}
		return math.Inf(1)
	}
	_, ex := math.Frexp(ef)
	d := new(big.Float).SetPrec(bigPrec).Sub(new(big.Float).SetPrec(bigPrec).SetFloat64(y), e)
	d.SetMantExp(d, -max(ex-53, -1074))
	f, _ := d.Float64()
	return math.Abs(f)
}

// testInputs returns n values for the functions of exp.go: uniform over
// [-750, 750], [-40, 40] and [-1, 1], tiny ones, and the special values.
func testInputs(rng *rand.Rand, n int) []float64 {
	x := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(),
		709.78, 709.7827128933839, 709.782712893384, 709.7827128933841, 710, 1e300,
		-708.39, -708.4, -745.13, -745.1332191019411, -745.1332191019412, -746, -1e300,
		5e-324, -5e-324, 1e-300, 0.625, -0.625, math.Nextafter(0.625, 0), 44, 45, 1e-9, -1e-9}
	for len(x) < n {
		switch len(x) % 4 {
		case 0:
			x = append(x, (rng.Float64()*2-1)*750)
		case 1:
			x = append(x, (rng.Float64()*2-1)*40)
		case 2:
			x = append(x, rng.Float64()*2-1)
		default:
			x = append(x, (rng.Float64()*2-1)*math.Pow(10, -float64(rng.IntN(300))))
		}
	}
	return x[:n]
}

// TestExpSpecial checks the exact results of Exp at 0, ±Inf, NaN and the
// ends of the range: +Inf above the overflow threshold, a finite value
// just below it, 0 below the underflow threshold, and the smallest
// subnormal number just above it.
func TestExpSpecial(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{
		{0, 1},
		{math.Copysign(0, -1), 1},
		{5e-324, 1},
		{1e-300, 1},
		{math.Inf(1), math.Inf(1)},
		{math.Inf(-1), 0},
		{710, math.Inf(1)},
		{709.7827128933841, math.Inf(1)},
		{1e300, math.Inf(1)},
		{-746, 0},
		{-745.1332191019412, 0},
		{-1e300, 0},
		{-745.1332191019411, 5e-324},
		{1, math.E},
	} {
		dst := make([]float64, 5) // 4 in the assembly, 1 in Go
		Exp(dst, []float64{c.x, c.x, c.x, c.x, c.x})
		for i, got := range dst {
			if got != c.want {
				t.Errorf("Exp(%v) = %v at %d; want %v", c.x, got, i, c.want)
			}
		}
	}
	got := make([]float64, 5)
	Exp(got, []float64{math.NaN(), 1, 1, 1, math.NaN()})
	if !math.IsNaN(got[0]) || !math.IsNaN(got[4]) {
		t.Errorf("Exp(NaN) = %v, %v; want NaN", got[0], got[4])
	}
	// Just below the threshold e^x is finite: ln(MaxFloat64) is
	// 709.782712893383996…, above this float64.
	Exp(got[:1], []float64{709.782712893384})
	if math.IsInf(got[0], 0) || got[0] < 1.79769313486e308 {
		t.Errorf("Exp(709.782712893384) = %v; want the finite 1.7976931348622e308", got[0])
	}
}

// TestExpExact checks that Exp is within 1 ulp of e^x computed to 256
// bits, over the whole range, subnormal results included, and correctly
// rounded (within 0.501 ulp) for 95% of them, which a loose polynomial or
// a plain 1 + r would miss.
func TestExpExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	x := testInputs(rng, n)
	for i := range 200 { // the ends of the range, densely
		x = append(x, 709.4+0.39*rng.Float64(), -708.5-36.7*rng.Float64(), float64(i-100)*0x1p-60)
	}
	y := make([]float64, len(x))
	Exp(y, x)
	worst, rounded, count := 0.0, 0, 0
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 746 {
			continue
		}
		u := ulpsExact(y[i], expBig(v))
		if u >= 1 {
			t.Errorf("Exp(%v) = %v: %.3f ulp from e^x", v, y[i], u)
		}
		worst = max(worst, u)
		if u <= 0.501 {
			rounded++
		}
		count++
	}
	t.Logf("worst %.3f ulp; correctly rounded %d of %d", worst, rounded, count)
	if rounded < 95*count/100 {
		t.Errorf("only %d of %d results within 0.501 ulp", rounded, count)
	}
}

// TestExpAgainstMath checks Exp against math.Exp, both within 1 ulp of
// the exact value, so at most 2 ulp apart, on a million values over the
// whole range. Above 709.4, math.Exp on amd64 returns +Inf for values
// whose e^x is finite (TestExpExact checks Exp there), so the comparison
// leaves out 709.4 to 709.79.
func TestExpAgainstMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 1 << 20
	if testing.Short() {
		n = 1 << 16
	}
	x := testInputs(rng, n)
	y := make([]float64, len(x))
	Exp(y, x)
	hist := map[uint64]int{}
	for i, v := range x {
		if v > 709.4 && v < 709.79 {
			continue
		}
		d := ulps(y[i], math.Exp(v))
		hist[d]++
		if d > 2 {
			t.Errorf("Exp(%v) = %v; math.Exp gives %v, %d ulp apart", v, y[i], math.Exp(v), d)
		}
	}
	t.Logf("ulp differences from math.Exp: %v", hist)
}

// TestLoopsMatchGo checks that the slice functions (the assembly where
// the CPU has AVX2 and FMA, the portable Go on the last len%4 elements)
// give the bits of the scalar Go functions for every element, whatever
// the length of the slice and wherever the element falls in it.
func TestLoopsMatchGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := testInputs(rng, 40000)
	rng.Shuffle(len(x), func(i, j int) { x[i], x[j] = x[j], x[i] })
	same := func(a, b float64) bool {
		return ulps(a, b) == 0 && math.Signbit(a) == math.Signbit(b) || math.IsNaN(a) && math.IsNaN(b)
	}
	for _, n := range []int{0, 1, 3, 4, 5, 7, 8, 9, 13, 64, 65, len(x)} {
		for off := 0; off < 4 && off+n <= len(x); off++ {
			src := x[off : off+n]
			dst, th := make([]float64, n), make([]float64, n)
			check := func(name string, got []float64, f func(float64) float64) {
				for i, v := range src {
					if want := f(v); !same(got[i], want) {
						t.Fatalf("%s(%v) = %v at %d of %d; the Go function gives %v", name, v, got[i], i, n, want)
					}
				}
			}
			Exp(dst, src)
			check("Exp", dst, exp)
			Sigmoid(dst, src)
			check("Sigmoid", dst, sigmoid)
			Tanh(dst, src)
			check("Tanh", dst, tanh)
			GELU(dst, th, src)
			check("GELU", dst, func(v float64) float64 { y, _ := gelu(v); return y })
			check("GELU tanh", th, func(v float64) float64 { _, t := gelu(v); return t })
			g := x[len(x)-n:]
			gx := make([]float64, n)
			for i := range gx {
				gx[i] = float64(i)
			}
			GELUGrad(gx, g, src, th)
			for i, v := range src {
				if want := float64(i) + g[i]*geluGrad(v, th[i]); !same(gx[i], want) {
					t.Fatalf("GELUGrad at %v: %v at %d of %d; the Go function gives %v", v, gx[i], i, n, want)
				}
			}
			shift := x[n%len(x)]
			got := expShift(dst, src, shift)
			check("expShift", dst, func(v float64) float64 { return exp(v - shift) })
			var acc [4]float64
			for i, v := range src {
				acc[i%4] += exp(v - shift)
			}
			if want := (acc[0] + acc[2]) + (acc[1] + acc[3]); !same(got, want) || !same(expShift(nil, src, shift), want) {
				t.Fatalf("expShift of %d values: sum %v (%v without dst); want %v", n, got, expShift(nil, src, shift), want)
			}
			inf := math.Inf(-1)
			m := [4]float64{inf, inf, inf, inf}
			for i, v := range src {
				m[i%4] = max2(m[i%4], v)
			}
			if got, want := maxOf(src), max2(max2(m[0], m[2]), max2(m[1], m[3])); !same(got, want) {
				t.Fatalf("maxOf of %d values = %v; want %v", n, got, want)
			}
			copy(dst, src)
			scale(dst, shift)
			check("scale", dst, func(v float64) float64 { return v * shift })
		}
	}
}

// TestSigmoidTanhExact checks Sigmoid and Tanh within 2 ulp of the exact
// values, and their signs, ends and special values.
func TestSigmoidTanhExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	n := 10000
	if testing.Short() {
		n = 1000
	}
	x := testInputs(rng, n)
	sg, th := make([]float64, len(x)), make([]float64, len(x))
	Sigmoid(sg, x)
	Tanh(th, x)
	one := big.NewFloat(1)
	worstS, worstT := 0.0, 0.0
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 700 {
			continue
		}
		// σ(x) = 1/(1 + e^-x); tanh x = m/(m + 2), m = e^(2x) - 1.
		s := new(big.Float).SetPrec(bigPrec).Quo(one, new(big.Float).SetPrec(bigPrec).Add(one, expBig(-v)))
		m := expm1Big(2 * v)
		th2 := new(big.Float).SetPrec(bigPrec).Quo(m, new(big.Float).SetPrec(bigPrec).Add(m, big.NewFloat(2)))
		if u := ulpsExact(th[i], th2); u > 2 {
			t.Errorf("Tanh(%v) = %v: %.3f ulp from tanh x", v, th[i], u)
		} else {
			worstT = max(worstT, u)
		}
		if u := ulpsExact(sg[i], s); u > 2 {
			t.Errorf("Sigmoid(%v) = %v: %.3f ulp from σ(x)", v, sg[i], u)
		} else {
			worstS = max(worstS, u)
		}
	}
	t.Logf("worst: Sigmoid %.3f ulp, Tanh %.3f ulp", worstS, worstT)

	specials := []float64{math.Inf(1), math.Inf(-1), math.NaN(), 0, math.Copysign(0, -1), 1e-300, -1e-300, 800, -800}
	sg, th = make([]float64, len(specials)), make([]float64, len(specials))
	Sigmoid(sg, specials)
	Tanh(th, specials)
	for i, want := range []struct{ s, t float64 }{
		{1, 1}, {0, -1}, {math.NaN(), math.NaN()}, {0.5, 0}, {0.5, math.Copysign(0, -1)},
		{0.5, 1e-300}, {0.5, -1e-300}, {1, 1}, {0, -1},
	} {
		if ulps(sg[i], want.s) != 0 {
			t.Errorf("Sigmoid(%v) = %v; want %v", specials[i], sg[i], want.s)
		}
		if ulps(th[i], want.t) != 0 || math.Signbit(th[i]) != math.Signbit(want.t) && !math.IsNaN(want.t) {
			t.Errorf("Tanh(%v) = %v; want %v", specials[i], th[i], want.t)
		}
	}
}

// TestGELU checks GELU's tanh against math.Tanh, within 3.5e-16 (near ±1,
// 2/(e^(2u) + 1) is rounded to an ulp of 2, and math.Tanh has its own
// error), and its output against 0.5·x·(1 + tanh) from math.Tanh, within
// 4e-16 relative plus the tanh's error times 0.5·|x| (1 + tanh cancels
// for large negative x), or 1e-300; at +Inf, -Inf and NaN the output is
// +Inf, NaN (-Inf·0) and NaN, as the formula's.
func TestGELU(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	x := testInputs(rng, 100000)
	y, th := make([]float64, len(x)), make([]float64, len(x))
	GELU(y, th, x)
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		want := math.Tanh(GELUK * (v + GELUC*v*v*v))
		if math.IsNaN(want) { // v³ overflowed: the tanh is ±1
			want = math.Copysign(1, v)
		}
		if math.Abs(th[i]-want) > 3.5e-16 {
			t.Fatalf("GELU(%v): tanh %v; math.Tanh gives %v", v, th[i], want)
		}
		wy := 0.5 * v * (1 + want)
		if d := math.Abs(y[i] - wy); d > 4e-16*math.Abs(wy)+3.5e-16*math.Abs(0.5*v) && d > 1e-300 {
			t.Fatalf("GELU(%v) = %v; want %v", v, y[i], wy)
		}
	}
	GELU(y[:3], th[:3], []float64{math.Inf(1), math.Inf(-1), math.NaN()})
	if y[0] != math.Inf(1) || th[0] != 1 || !math.IsNaN(y[1]) || th[1] != -1 || !math.IsNaN(y[2]) {
		t.Errorf("GELU(+Inf, -Inf, NaN) = %v, tanh %v", y[:3], th[:3])
	}
}

// TestSoftmaxRows checks Softmax and LogSoftmax against the plain
// formulas with math.Exp and math.Log, within 1e-15 relative
// (log-probabilities within 2e-15 times the largest of 1, |x| and the
// result, the scale of x - log Σ e^x), on rows of
// every length up to 70 (the assembly's blocks of 4 and the Go tail), in
// place and not; a row with a NaN or +Inf, or all -Inf, is all NaN, and
// -Inf elements get 0 and -Inf.
func TestSoftmaxRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for n := 1; n <= 70; n++ {
		x := randSlice(rng, n)
		for i := range x {
			x[i] *= 10
		}
		if n > 2 {
			x[n/2] = math.Inf(-1) // a masked score
		}
		mx := math.Inf(-1)
		for _, v := range x {
			mx = max(mx, v)
		}
		sum := 0.0
		for _, v := range x {
			sum += math.Exp(v - mx)
		}
		got, logGot := make([]float64, n), make([]float64, n)
		Softmax(got, x)
		LogSoftmax(logGot, x)
		inPlace := append([]float64(nil), x...)
		Softmax(inPlace, inPlace)
		logInPlace := append([]float64(nil), x...)
		LogSoftmax(logInPlace, logInPlace)
		for i, v := range x {
			want, logWant := math.Exp(v-mx)/sum, v-mx-math.Log(sum)
			if math.Abs(got[i]-want) > 1e-15*want || got[i] != inPlace[i] {
				t.Fatalf("Softmax of %d values: %v at %d (in place %v); want %v", n, got[i], i, inPlace[i], want)
			}
			if math.Abs(logGot[i]-logWant) > 2e-15*max(1, math.Abs(v), math.Abs(logWant)) && logGot[i] != logWant || logGot[i] != logInPlace[i] {
				t.Fatalf("LogSoftmax of %d values: %v at %d (in place %v); want %v", n, logGot[i], i, logInPlace[i], logWant)
			}
		}
	}
	inf := math.Inf(1)
	for _, row := range [][]float64{{1, math.NaN(), 2, 3, 4}, {1, inf, 2, 3, 4}, {-inf, -inf, -inf, -inf, -inf}, {math.NaN()}} {
		got, logGot := make([]float64, len(row)), make([]float64, len(row))
		Softmax(got, row)
		LogSoftmax(logGot, row)
		for i := range row {
			if !math.IsNaN(got[i]) || !math.IsNaN(logGot[i]) {
				t.Errorf("Softmax of %v = %v, LogSoftmax %v; want all NaN", row, got, logGot)
				break
			}
		}
	}
	Softmax(nil, nil) // no panic on an empty row
	LogSoftmax(nil, nil)
}

// FuzzExp checks, for any x, that Exp is within 1 ulp of e^x computed to
// 256 bits (+Inf above 710, 0 below -746, NaN for NaN), and that the slice
// functions give the scalar Go functions' bits for x in every lane of the
// assembly and in the tail.
func FuzzExp(f *testing.F) {
	for _, x := range []float64{0, 1, -1, 709.78, -745.13, 0.625, 1e-300, math.Inf(1), math.NaN()} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		src := []float64{x, -x, x / 3, 2 * x, x}
		dst, th := make([]float64, 5), make([]float64, 5)
		Exp(dst, src)
		switch {
		case math.IsNaN(x):
			if !math.IsNaN(dst[0]) {
				t.Errorf("Exp(NaN) = %v", dst[0])
			}
		case x > 710 || x < -746:
			if want := math.Exp(x); dst[0] != want {
				t.Errorf("Exp(%v) = %v; want %v", x, dst[0], want)
			}
		default:
			if u := ulpsExact(dst[0], expBig(x)); u >= 1 {
				t.Errorf("Exp(%v) = %v: %.3f ulp from e^x", x, dst[0], u)
			}
		}
		for name, c := range map[string]struct {
			loop func(dst, src []float64)
			f    func(float64) float64
		}{
			"Exp":     {Exp, exp},
			"Sigmoid": {Sigmoid, sigmoid},
			"Tanh":    {Tanh, tanh},
			"GELU": {func(dst, src []float64) { GELU(dst, th, src) },
				func(v float64) float64 { y, _ := gelu(v); return y }},
		} {
			c.loop(dst, src)
			for i, v := range src {
				if want := c.f(v); ulps(dst[i], want) != 0 {
					t.Errorf("%s(%v) = %v at %d; the Go function gives %v", name, v, dst[i], i, want)
				}
			}
		}
	})
}

// ExampleExp shows e^x at a few values, the ends of the range included.
func ExampleExp() {
	x := []float64{0, 1, -1, 710, -746}
	y := make([]float64, len(x))
	Exp(y, x)
	fmt.Println(y)
	// Output: [1 2.718281828459045 0.36787944117144233 +Inf 0]
}

// BenchmarkExp times the loops of exp.go on 4096 values of N(0, 3²)
// against the same loops with the math package, one value at a time.
func BenchmarkExp(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := randSlice(rng, 4096)
	for i := range x {
		x[i] *= 3
	}
	y, th := make([]float64, len(x)), make([]float64, len(x))
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"Exp", func() { Exp(y, x) }},
		{"Exp=math", func() {
			for i, v := range x {
				y[i] = math.Exp(v)
			}
		}},
		{"GELU", func() { GELU(y, th, x) }},
		{"GELU=math", func() {
			for i, v := range x {
				t := 1 - 2/(math.Exp(2*GELUK*(v+GELUC*v*v*v))+1)
				th[i], y[i] = t, 0.5*v*(1+t)
			}
		}},
		{"Sigmoid", func() { Sigmoid(y, x) }},
		{"Sigmoid=math", func() {
			for i, v := range x {
				y[i] = 1 / (1 + math.Exp(-v))
			}
		}},
		{"Tanh", func() { Tanh(y, x) }},
		{"Tanh=math", func() {
			for i, v := range x {
				y[i] = math.Tanh(v)
			}
		}},
		{"Softmax64", func() {
			for r := 0; r < len(x); r += 64 {
				Softmax(y[r:r+64], x[r:r+64])
			}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.f()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/value")
		})
	}
}
