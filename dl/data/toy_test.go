package data_test

import (
	"math"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl/data"
)

func TestTruthTables(t *testing.T) {
	wantX := []float64{0, 0, 0, 1, 1, 0, 1, 1}
	for _, tc := range []struct {
		name  string
		set   data.Set
		wantY []float64
	}{
		{"AND", data.AND(), []float64{0, 0, 0, 1}},
		{"OR", data.OR(), []float64{0, 1, 1, 1}},
		{"XOR", data.XOR(), []float64{0, 1, 1, 0}},
		{"XNOR", data.XNOR(), []float64{1, 0, 0, 1}},
	} {
		s := tc.set
		if !slices.Equal(s.X.Shape(), []int{4, 2}) || !slices.Equal(s.Y.Shape(), []int{4}) {
			t.Errorf("%s: shapes X %v Y %v, want [4 2] [4]", tc.name, s.X.Shape(), s.Y.Shape())
			continue
		}
		if !slices.Equal(s.X.Data(), wantX) || !slices.Equal(s.Y.Data(), tc.wantY) {
			t.Errorf("%s: X %v Y %v, want %v %v", tc.name, s.X.Data(), s.Y.Data(), wantX, tc.wantY)
		}
	}
	// Each call returns its own tensors.
	a := data.XOR()
	a.Y.Data()[0] = 5
	if data.XOR().Y.Data()[0] != 0 {
		t.Errorf("changing one XOR() changed the next")
	}
}

// generators lists the point-set generators with the number of classes each
// makes, for the tests they share.
var generators = []struct {
	name    string
	classes int
	gen     func(seed uint64, n int) data.Set
}{
	{"Blobs3", 3, func(seed uint64, n int) data.Set { return data.Blobs(newRNG(seed), n, 3, 0.5) }},
	{"Blobs1", 1, func(seed uint64, n int) data.Set { return data.Blobs(newRNG(seed), n, 1, 0.5) }},
	{"Moons", 2, func(seed uint64, n int) data.Set { return data.Moons(newRNG(seed), n, 0.1) }},
	{"Circles", 2, func(seed uint64, n int) data.Set { return data.Circles(newRNG(seed), n, 0.05, 0.5) }},
	{"Spirals", 3, func(seed uint64, n int) data.Set { return data.Spirals(newRNG(seed), n, 3, 0.05) }},
	{"Spirals5", 5, func(seed uint64, n int) data.Set { return data.Spirals(newRNG(seed), n, 5, 0.05) }},
	{"Ring8", 8, func(seed uint64, n int) data.Set { return data.Ring(newRNG(seed), n, 8, 2, 0.05) }},
}

func TestGeneratorShapesAndBalance(t *testing.T) {
	for _, g := range generators {
		for _, n := range []int{0, 1, 7, 100, 301} {
			s := g.gen(1, n)
			if !slices.Equal(s.X.Shape(), []int{n, 2}) || !slices.Equal(s.Y.Shape(), []int{n}) {
				t.Errorf("%s(n=%d): shapes X %v Y %v, want [%d 2] [%d]", g.name, n, s.X.Shape(), s.Y.Shape(), n, n)
				continue
			}
			counts := make([]int, g.classes)
			for _, y := range s.Y.Data() {
				c := int(y)
				if float64(c) != y || c < 0 || c >= g.classes {
					t.Fatalf("%s(n=%d): label %v, want 0..%d", g.name, n, y, g.classes-1)
				}
				counts[c]++
			}
			if slices.Max(counts)-slices.Min(counts) > 1 {
				t.Errorf("%s(n=%d): class counts %v are not balanced", g.name, n, counts)
			}
			for _, v := range s.X.Data() {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s(n=%d): X holds %v", g.name, n, v)
				}
			}
		}
	}
}

func TestGeneratorDeterminism(t *testing.T) {
	for _, g := range generators {
		a, b, c := g.gen(1, 60), g.gen(1, 60), g.gen(2, 60)
		if !slices.Equal(a.X.Data(), b.X.Data()) || !slices.Equal(a.Y.Data(), b.Y.Data()) {
			t.Errorf("%s: the same seed gave different data", g.name)
		}
		if slices.Equal(a.X.Data(), c.X.Data()) {
			t.Errorf("%s: different seeds gave the same data", g.name)
		}
		if g.classes > 1 && slices.IsSorted(a.Y.Data()) {
			t.Errorf("%s: rows are sorted by class, want them shuffled", g.name)
		}
	}
}

// classMeans returns, for each class, the mean point and the mean distance
// from the origin.
func classMeans(s data.Set, classes int) (cx, cy, r []float64) {
	cx, cy, r = make([]float64, classes), make([]float64, classes), make([]float64, classes)
	count := make([]float64, classes)
	x := s.X.Data()
	for i, y := range s.Y.Data() {
		c := int(y)
		px, py := x[2*i], x[2*i+1]
		cx[c] += px
		cy[c] += py
		r[c] += math.Hypot(px, py)
		count[c]++
	}
	for c := range classes {
		cx[c] /= count[c]
		cy[c] /= count[c]
		r[c] /= count[c]
	}
	return cx, cy, r
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestBlobsGeometry(t *testing.T) {
	s := data.Blobs(newRNG(1), 3000, 4, 0.3)
	cx, cy, _ := classMeans(s, 4)
	want := [][2]float64{{3, 0}, {0, 3}, {-3, 0}, {0, -3}}
	for c, w := range want {
		if !near(cx[c], w[0], 0.05) || !near(cy[c], w[1], 0.05) {
			t.Errorf("blob %d centre (%.3f, %.3f), want (%v, %v)", c, cx[c], cy[c], w[0], w[1])
		}
	}
	// With std 0 every point is its centre.
	s = data.Blobs(newRNG(1), 10, 2, 0)
	for i, y := range s.Y.Data() {
		x := s.X.Data()[2*i : 2*i+2]
		if !near(x[0], 3-6*y, 1e-12) || !near(x[1], 0, 1e-12) {
			t.Errorf("std 0: class %v point %v, want its centre", y, x)
		}
	}
}

func TestMoonsGeometry(t *testing.T) {
	// Without noise, class 0 lies on the unit circle's upper half around
	// (0, 0) and class 1 on the lower half around (1, 0.5).
	s := data.Moons(newRNG(1), 101, 0)
	x := s.X.Data()
	for i, y := range s.Y.Data() {
		px, py := x[2*i], x[2*i+1]
		ox, oy, up := 0.0, 0.0, true
		if y == 1 {
			ox, oy, up = 1, 0.5, false
		}
		if r := math.Hypot(px-ox, py-oy); !near(r, 1, 1e-9) {
			t.Errorf("moon %v point (%v, %v): radius %v around (%v, %v), want 1", y, px, py, r, ox, oy)
		}
		if up && py < -1e-12 || !up && py > 0.5+1e-12 {
			t.Errorf("moon %v point (%v, %v) is on the wrong half", y, px, py)
		}
	}
	// With noise the class means stay where sklearn's are: (0, 2/π) and
	// (1, 0.5-2/π).
	s = data.Moons(newRNG(1), 4000, 0.1)
	cx, cy, _ := classMeans(s, 2)
	if !near(cx[0], 0, 0.02) || !near(cy[0], 2/math.Pi, 0.02) || !near(cx[1], 1, 0.02) || !near(cy[1], 0.5-2/math.Pi, 0.02) {
		t.Errorf("moon means (%.3f, %.3f) and (%.3f, %.3f), want (0, 0.637) and (1, -0.137)", cx[0], cy[0], cx[1], cy[1])
	}
}

func TestCirclesGeometry(t *testing.T) {
	for _, factor := range []float64{0.3, 0.5, 0.8} {
		s := data.Circles(newRNG(1), 2000, 0.05, factor)
		cx, cy, r := classMeans(s, 2)
		if !near(r[0], 1, 0.02) || !near(r[1], factor, 0.02) {
			t.Errorf("factor %v: mean radii %.3f (outer) and %.3f (inner), want 1 and %v", factor, r[0], r[1], factor)
		}
		if !near(r[1]/r[0], factor, 0.03) {
			t.Errorf("factor %v: inner/outer radius %.3f", factor, r[1]/r[0])
		}
		for c := range 2 {
			if !near(cx[c], 0, 0.01) || !near(cy[c], 0, 0.01) {
				t.Errorf("factor %v: class %d centred at (%.3f, %.3f), want (0, 0)", factor, c, cx[c], cy[c])
			}
		}
	}
}

func TestSpiralsGeometry(t *testing.T) {
	// Without noise, the radii along each arm are evenly spaced from 0 to 1.
	const n, classes = 90, 3
	s := data.Spirals(newRNG(1), n, classes, 0)
	radii := make([][]float64, classes)
	x := s.X.Data()
	for i, y := range s.Y.Data() {
		radii[int(y)] = append(radii[int(y)], math.Hypot(x[2*i], x[2*i+1]))
	}
	for c, rs := range radii {
		slices.Sort(rs)
		for i, r := range rs {
			if want := float64(i) / float64(len(rs)-1); !near(r, want, 1e-9) {
				t.Fatalf("arm %d: radius %d is %v, want %v", c, i, r, want)
			}
		}
	}
	// The arms are rotations of each other: the outer end of arm c is arm
	// 0's outer end turned by 2πc/classes.
	ends := make([][2]float64, classes)
	for i, y := range s.Y.Data() {
		if near(math.Hypot(x[2*i], x[2*i+1]), 1, 1e-9) {
			ends[int(y)] = [2]float64{x[2*i], x[2*i+1]}
		}
	}
	a0 := math.Atan2(ends[0][1], ends[0][0])
	for c := 1; c < classes; c++ {
		d := math.Atan2(ends[c][1], ends[c][0]) - a0
		d = math.Mod(d+4*math.Pi, 2*math.Pi)
		want := 2 * math.Pi * float64(classes-c) / classes // sin/cos order turns clockwise
		if !near(d, want, 1e-9) && !near(d, 2*math.Pi-want, 1e-9) {
			t.Errorf("arm %d end is turned %v from arm 0's, want ±%v", c, d, want)
		}
	}
}
