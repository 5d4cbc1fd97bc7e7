package train_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/internal/testutil"
)

// logspace returns n values from lo to hi, evenly spaced on a log axis.
func logspace(lo, hi float64, n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = lo * math.Pow(hi/lo, float64(i)/float64(n-1))
	}
	return xs
}

// sample returns law's values at xs, each times e^(noise·z), z drawn from
// N(0, 1) by rng: relative noise of about noise.
func sample(law train.PowerLaw, xs []float64, noise float64, rng *rand.Rand) []float64 {
	ys := make([]float64, len(xs))
	for i, x := range xs {
		ys[i] = law.Predict(x)
		if noise > 0 {
			ys[i] *= math.Exp(noise * rng.NormFloat64())
		}
	}
	return ys
}

// Noise-free points give back the law they came from, with and without a
// floor, falling and growing, over few and many decades, with 3 points
// (the law through them) and more.
func TestFitPowerLawExact(t *testing.T) {
	tests := []struct {
		name   string
		law    train.PowerLaw
		lo, hi float64
		n      int
	}{
		{"Kaplan's L(N), no floor", train.PowerLaw{A: math.Pow(8.8e13, 0.076), Alpha: 0.076}, 1e3, 1e9, 8},
		{"with a floor", train.PowerLaw{A: 3, Alpha: 0.35, C: 1.2}, 1e3, 1e6, 6},
		{"steep, small x", train.PowerLaw{A: 0.5, Alpha: 2.5, C: 0.01}, 0.5, 20, 10},
		{"three points", train.PowerLaw{A: 12, Alpha: 0.5, C: 1.5}, 100, 1e5, 3},
		{"growing", train.PowerLaw{A: 0.5, Alpha: -0.2, C: 1}, 1, 1e4, 7},
		{"four points, as the notebook", train.PowerLaw{A: 8, Alpha: 0.3, C: 1.4}, 2e3, 4e4, 4},
	}
	for _, tt := range tests {
		xs := logspace(tt.lo, tt.hi, tt.n)
		got, err := train.FitPowerLaw(xs, sample(tt.law, xs, 0, nil))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if math.Abs(got.Alpha-tt.law.Alpha) > 1e-6*math.Abs(tt.law.Alpha) ||
			math.Abs(got.A-tt.law.A) > 1e-5*math.Abs(tt.law.A) || math.Abs(got.C-tt.law.C) > 1e-6 {
			t.Errorf("%s: fitted %+v, want %+v", tt.name, got, tt.law)
		}
		// The fitted law predicts beyond the points it saw.
		if p, want := got.Predict(10*tt.hi), tt.law.Predict(10*tt.hi); math.Abs(p-want) > 1e-6*want {
			t.Errorf("%s: predicts %v at 10× the last x, want %v", tt.name, p, want)
		}
	}
}

// With relative noise of 0.5%, the exponent comes back within a tolerance
// that the spread over 20 seeds supports, and is never of the wrong sign;
// its error shrinks with more points.
func TestFitPowerLawNoise(t *testing.T) {
	tests := []struct {
		law train.PowerLaw
		tol float64 // on α: about 5 times the root-mean-square error over 200 seeds with 10 points
	}{
		{train.PowerLaw{A: 5, Alpha: 0.076}, 0.015},       // rms error 0.0027, largest 0.012
		{train.PowerLaw{A: 3, Alpha: 0.35, C: 1.2}, 0.05}, // rms error 0.011, largest 0.033
	}
	for _, tt := range tests {
		var sq [2]float64
		for seed := range uint64(20) {
			rng := rand.New(rand.NewPCG(seed, 7))
			for k, n := range []int{10, 40} {
				xs := logspace(1e2, 1e7, n)
				got, err := train.FitPowerLaw(xs, sample(tt.law, xs, 0.005, rng))
				if err != nil {
					t.Fatalf("law %v, seed %d, %d points: %v", tt.law, seed, n, err)
				}
				if d := got.Alpha - tt.law.Alpha; math.Abs(d) > tt.tol || got.Alpha <= 0 {
					t.Errorf("law %v, seed %d, %d points: α = %.4f, want %.4f ± %.3f", tt.law, seed, n, got.Alpha, tt.law.Alpha, tt.tol)
				}
				sq[k] += (got.Alpha - tt.law.Alpha) * (got.Alpha - tt.law.Alpha)
			}
		}
		if !(sq[1] < sq[0]) {
			t.Errorf("law %v: mean squared error of α %.3g with 40 points, not below %.3g with 10", tt.law, sq[1]/20, sq[0]/20)
		}
	}
}

// A floor below 0 is clamped to 0: then FitPowerLaw returns the pure
// power law that FitPowerLawFloor fits with c = 0. FitPowerLawFloor with
// the true floor gives back the law.
func TestFitPowerLawFloor(t *testing.T) {
	xs := logspace(10, 1e5, 9)
	ys := sample(train.PowerLaw{A: 5, Alpha: 0.1, C: -0.4}, xs, 0, nil)
	free, err := train.FitPowerLaw(xs, ys)
	if err != nil {
		t.Fatal(err)
	}
	pure, err := train.FitPowerLawFloor(xs, ys, 0)
	if err != nil {
		t.Fatal(err)
	}
	if free.C != 0 || math.Abs(free.Alpha-pure.Alpha) > 1e-9 || math.Abs(free.A-pure.A) > 1e-8*pure.A {
		t.Errorf("free fit %+v, want c = 0 and the pure law %+v", free, pure)
	}
	// The pure law is the best line on log-log axes: close to the
	// points, but not through them.
	if pure.Alpha <= 0.1 || pure.C != 0 {
		t.Errorf("pure law %+v: want α above 0.1 (the points bend down) and c = 0", pure)
	}
	law := train.PowerLaw{A: 2, Alpha: 0.4, C: 1.7}
	ys = sample(law, xs, 0, nil)
	got, err := train.FitPowerLawFloor(xs, ys, 1.7)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got.Alpha-0.4) > 1e-8 || math.Abs(got.A-2) > 1e-7 || got.C != 1.7 {
		t.Errorf("with the true floor: %+v, want %+v", got, law)
	}
}

// Points that follow no power law give an error that says so: flat
// points, and a step down after the first point (a power law that falls
// ever faster as α grows).
func TestFitPowerLawNoFit(t *testing.T) {
	xs := logspace(10, 1e5, 8)
	flat := make([]float64, len(xs))
	step := make([]float64, len(xs))
	for i := range xs {
		flat[i] = 2
		step[i] = 1
	}
	step[0] = 3
	for name, ys := range map[string][]float64{"flat": flat, "step": step} {
		law, err := train.FitPowerLaw(xs, ys)
		if err == nil || !strings.HasPrefix(err.Error(), "train: FitPowerLaw: no power law fits") {
			t.Errorf("%s: law %+v, error %v; want an error that says no power law fits", name, law, err)
		}
	}
}

func TestPowerLawString(t *testing.T) {
	for _, tt := range []struct {
		law  train.PowerLaw
		want string
	}{
		{train.PowerLaw{A: 2.5, Alpha: 0.3, C: 1.2}, "2.5·x^-0.3 + 1.2"},
		{train.PowerLaw{A: 11.2345, Alpha: 0.076}, "11.2·x^-0.076"},
		{train.PowerLaw{A: 0.5, Alpha: -0.2, C: 1}, "0.5·x^0.2 + 1"},
	} {
		if got := tt.law.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.law, got, tt.want)
		}
	}
}

func TestPowerLawPanics(t *testing.T) {
	xs := []float64{1, 10, 100, 1000}
	ys := []float64{3, 2, 1.5, 1.2}
	fit := func(x, y []float64) func() { return func() { train.FitPowerLaw(x, y) } }
	testutil.Panics(t, "train: FitPowerLaw: 4 x values but 3 y values", fit(xs, ys[:3]))
	testutil.Panics(t, "train: FitPowerLaw: 2 points at 2 distinct x; want at least 3", fit(xs[:2], ys[:2]))
	testutil.Panics(t, "train: FitPowerLaw: 4 points at 2 distinct x", fit([]float64{1, 1, 10, 10}, ys))
	testutil.Panics(t, "train: FitPowerLaw: point 0 is (0, 3); want finite x > 0", fit([]float64{0, 10, 100, 1000}, ys))
	testutil.Panics(t, "train: FitPowerLaw: point 1 is (-10, 2)", fit([]float64{1, -10, 100, 1000}, ys))
	testutil.Panics(t, "train: FitPowerLaw: point 3 is (+Inf, 1.2)", fit([]float64{1, 10, 100, math.Inf(1)}, ys))
	testutil.Panics(t, "train: FitPowerLaw: point 2 is (100, NaN)", fit(xs, []float64{3, 2, math.NaN(), 1}))
	testutil.Panics(t, "train: FitPowerLaw: point 3 is (1000, 0)", fit(xs, []float64{3, 2, 1, 0}))
	testutil.Panics(t, "train: FitPowerLawFloor: 1 points at 1 distinct x; want at least 2", func() { train.FitPowerLawFloor(xs[:1], ys[:1], 0) })
	testutil.Panics(t, "train: FitPowerLawFloor: floor c = 1.2 and y[3] = 1.2; want 0 ≤ c < every y", func() { train.FitPowerLawFloor(xs, ys, 1.2) })
	testutil.Panics(t, "train: FitPowerLawFloor: floor c = -1", func() { train.FitPowerLawFloor(xs, ys, -1) })
	testutil.Panics(t, "train: FitPowerLawFloor: floor c = NaN", func() { train.FitPowerLawFloor(xs, ys, math.NaN()) })
	testutil.Panics(t, "train: PowerLaw.Predict: x = 0; want a finite x > 0", func() { train.PowerLaw{A: 1, Alpha: 1}.Predict(0) })
	testutil.Panics(t, "train: PowerLaw.Predict: x = NaN", func() { train.PowerLaw{A: 1, Alpha: 1}.Predict(math.NaN()) })
}
