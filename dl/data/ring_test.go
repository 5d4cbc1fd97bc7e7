package data_test

import (
	"math"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

func TestRingGeometry(t *testing.T) {
	const n, modes, radius, std = 8000, 8, 2.0, 0.1
	s := data.Ring(newRNG(1), n, modes, radius, std)
	centres := data.RingModes(modes, radius)
	if !slices.Equal(centres.Shape(), []int{modes, 2}) {
		t.Fatalf("RingModes shape %v, want [%d 2]", centres.Shape(), modes)
	}
	c := centres.Data()
	cx, cy, _ := classMeans(s, modes)
	// Mode k's sample mean is near its centre, which is at angle 2πk/modes
	// on the circle; each mode has 1000 points, so the mean's standard
	// error is std/√1000 ≈ 0.003.
	for k := range modes {
		a := 2 * math.Pi * float64(k) / modes
		if !near(c[2*k], radius*math.Cos(a), 1e-12) || !near(c[2*k+1], radius*math.Sin(a), 1e-12) {
			t.Errorf("RingModes: mode %d at (%v, %v), want angle %v on radius %v", k, c[2*k], c[2*k+1], a, radius)
		}
		if !near(cx[k], c[2*k], 0.015) || !near(cy[k], c[2*k+1], 0.015) {
			t.Errorf("mode %d: sample mean (%.4f, %.4f), want (%.4f, %.4f)", k, cx[k], cy[k], c[2*k], c[2*k+1])
		}
	}
	// The spread around each centre is std in each coordinate.
	var sum2 [modes][2]float64
	var count [modes]float64
	x := s.X.Data()
	for i, y := range s.Y.Data() {
		k := int(y)
		sum2[k][0] += (x[2*i] - cx[k]) * (x[2*i] - cx[k])
		sum2[k][1] += (x[2*i+1] - cy[k]) * (x[2*i+1] - cy[k])
		count[k]++
	}
	for k := range modes {
		for d := range 2 {
			if sd := math.Sqrt(sum2[k][d] / (count[k] - 1)); !near(sd, std, 0.01) {
				t.Errorf("mode %d coordinate %d: std %.4f, want %v", k, d, sd, std)
			}
		}
	}
	// Blobs is the ring of radius 3: the same points for the same seed.
	a, b := data.Ring(newRNG(4), 50, 3, 3, 0.5), data.Blobs(newRNG(4), 50, 3, 0.5)
	if !slices.Equal(a.X.Data(), b.X.Data()) || !slices.Equal(a.Y.Data(), b.Y.Data()) {
		t.Errorf("Ring(radius 3) and Blobs differ for the same seed")
	}
}

func TestRingDensity(t *testing.T) {
	const modes, radius, std = 8, 2.0, 0.05
	p := data.RingDensity(modes, radius, std)
	// At a centre the other modes are far (0.77 apart, 15 std): the
	// density is that of one Gaussian over the number of modes.
	c := data.RingModes(modes, radius).Data()
	peak := 1 / (modes * 2 * math.Pi * std * std)
	for k := range modes {
		if got := p(c[2*k], c[2*k+1]); !near(got, peak, 1e-9*peak) {
			t.Errorf("density at mode %d: %v, want %v", k, got, peak)
		}
	}
	if got := p(0, 0); got > 1e-100 {
		t.Errorf("density at the origin: %v, want about 0", got)
	}
	// One std from a centre it falls by exp(-1/2).
	if got, want := p(radius+std, 0), peak*math.Exp(-0.5); !near(got, want, 1e-6*want) {
		t.Errorf("density one std out: %v, want %v", got, want)
	}
	// It integrates to 1: a sum over a fine grid.
	const h = 0.01
	sum := 0.0
	for x := -3.0; x < 3; x += h {
		for y := -3.0; y < 3; y += h {
			sum += p(x+h/2, y+h/2) * h * h
		}
	}
	if !near(sum, 1, 1e-3) {
		t.Errorf("the density integrates to %v, want 1", sum)
	}
}

func TestRingPanics(t *testing.T) {
	rng := newRNG(1)
	for _, tc := range []struct {
		want string
		f    func()
	}{
		{"data: Ring: rng is nil", func() { data.Ring(nil, 10, 8, 2, 0.1) }},
		{"data: Ring: n = -1", func() { data.Ring(rng, -1, 8, 2, 0.1) }},
		{"data: Ring: 0 classes", func() { data.Ring(rng, 10, 0, 2, 0.1) }},
		{"data: Ring: std = -0.1", func() { data.Ring(rng, 10, 8, 2, -0.1) }},
		{"data: Ring: radius = -2, want a finite radius >= 0", func() { data.Ring(rng, 10, 8, -2, 0.1) }},
		{"data: Ring: radius = NaN", func() { data.Ring(rng, 10, 8, math.NaN(), 0.1) }},
		{"data: RingModes: 0 modes", func() { data.RingModes(0, 2) }},
		{"data: RingModes: radius = +Inf", func() { data.RingModes(8, math.Inf(1)) }},
		{"data: RingDensity: std = 0, want a finite standard deviation > 0", func() { data.RingDensity(8, 2, 0) }},
		{"data: RingDensity: 0 modes", func() { data.RingDensity(0, 2, 0.1) }},
	} {
		testutil.Panics(t, tc.want, tc.f)
	}
}
