package data_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

func TestModeCoverage(t *testing.T) {
	centres := dl.New([]float64{0, 0, 10, 0, 0, 10}, 3, 2)
	tests := []struct {
		name    string
		samples []float64
		within  float64
		perMode []float64
		near    float64
		covered int // at min 0.2
	}{
		{"all on one mode (collapse)", []float64{0, 0, 0.1, 0, 0, -0.1, 0.05, 0.05}, 0.5,
			[]float64{1, 0, 0}, 1, 1},
		{"spread over all", []float64{0, 0, 10, 0.2, 0.1, 10, 5, 5}, 0.5,
			[]float64{0.25, 0.25, 0.25}, 0.75, 3},
		{"between modes", []float64{5, 0, 5, 5, 0, 5, 3, 3}, 0.5,
			[]float64{0, 0, 0}, 0, 0},
		{"on the boundary counts", []float64{0.5, 0, 10, 0.5, 9.5, 0, 1, 0}, 0.5,
			[]float64{0.25, 0.5, 0}, 0.75, 2},
		{"near two: the closer wins", []float64{4, 0, 6, 0, 5.5, 0, 0, 9}, 6,
			[]float64{0.25, 0.5, 0.25}, 1, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := dl.New(tc.samples, len(tc.samples)/2, 2)
			c := data.ModeCoverage(s, centres, tc.within)
			for k, want := range tc.perMode {
				if math.Abs(c.PerMode[k]-want) > 1e-12 {
					t.Errorf("PerMode[%d] = %v, want %v", k, c.PerMode[k], want)
				}
			}
			if math.Abs(c.Near-tc.near) > 1e-12 {
				t.Errorf("Near = %v, want %v", c.Near, tc.near)
			}
			if got := c.Covered(0.2); got != tc.covered {
				t.Errorf("Covered(0.2) = %d, want %d", got, tc.covered)
			}
		})
	}
}

// A ring's own samples cover every mode, with about 98.9% of them within
// 3 std of their centre (1 − e^{−9/2} for a 2-D Gaussian).
func TestModeCoverageOfGaussians(t *testing.T) {
	rng := newRNG(3)
	const n, modes, std = 20000, 4, 0.1
	centres := dl.New([]float64{2, 0, 0, 2, -2, 0, 0, -2}, modes, 2)
	x := make([]float64, 0, 2*n)
	c := centres.Data()
	for i := range n {
		k := i % modes
		x = append(x, c[2*k]+std*rng.NormFloat64(), c[2*k+1]+std*rng.NormFloat64())
	}
	cov := data.ModeCoverage(dl.New(x, n, 2), centres, 3*std)
	if want := 1 - math.Exp(-4.5); math.Abs(cov.Near-want) > 0.003 {
		t.Errorf("Near = %.4f, want %.4f", cov.Near, want)
	}
	if got := cov.Covered(0.2); got != modes {
		t.Errorf("Covered(0.2) = %d, want %d", got, modes)
	}
	if got := cov.Covered(0.26); got != 0 {
		t.Errorf("Covered(0.26) = %d, want 0: each mode holds a quarter", got)
	}
}

func TestModeCoveragePanics(t *testing.T) {
	c := dl.Zeros(2, 2)
	for _, tc := range []struct {
		want string
		f    func()
	}{
		{"data: ModeCoverage: samples [3 3] and centres [2 2] do not fit", func() { data.ModeCoverage(dl.Zeros(3, 3), c, 1) }},
		{"data: ModeCoverage: samples [0 2] and centres [2 2] do not fit", func() { data.ModeCoverage(dl.Zeros(0, 2), c, 1) }},
		{"data: ModeCoverage: samples [4] and centres [2 2] do not fit", func() { data.ModeCoverage(dl.Zeros(4), c, 1) }},
		{"data: ModeCoverage: within = -1, want a finite distance >= 0", func() { data.ModeCoverage(c, c, -1) }},
		{"data: ModeCoverage: within = NaN", func() { data.ModeCoverage(c, c, math.NaN()) }},
		{"data: ModeCoverage: within = +Inf", func() { data.ModeCoverage(c, c, math.Inf(1)) }},
	} {
		testutil.Panics(t, tc.want, tc.f)
	}
}

// A generator that puts all its samples on one mode of the ring has
// perfect quality and one mode: mode collapse.
func ExampleModeCoverage() {
	rng := rand.New(rand.NewPCG(1, 2))
	centres := data.RingModes(8, 2)
	ring := data.Ring(rng, 1000, 8, 2, 0.05)
	collapsed := data.Ring(rng, 1000, 1, 2, 0.05) // every point on the mode at (2, 0)
	for _, s := range []data.Set{ring, collapsed} {
		c := data.ModeCoverage(s.X, centres, 3*0.05)
		fmt.Printf("%d of 8 modes covered, %.3f near a mode\n", c.Covered(0.02), c.Near)
	}
	// Output:
	// 8 of 8 modes covered, 0.988 near a mode
	// 1 of 8 modes covered, 0.983 near a mode
}
