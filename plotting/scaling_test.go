package plotting

import (
	"math"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/internal/testutil"
	"gonum.org/v1/plot"
)

// modelSizes are five model sizes with losses on the law 3.2·N^−0.037, the
// largest a little below it, as notebook 21 measures them.
func modelSizes() ([]ScalingPoint, train.PowerLaw) {
	law := train.PowerLaw{A: 3.2, Alpha: 0.037}
	var pts []ScalingPoint
	for i, n := range []float64{1760, 6592, 14496, 39520, 155840} {
		y := law.Predict(n)
		if i == 4 {
			y -= 0.04
		}
		pts = append(pts, ScalingPoint{Label: "size " + string(rune('1'+i)), X: n, Y: y, HeldOut: i == 4})
	}
	return pts, law
}

// computeRuns are the loss curves of three runs against compute: the
// loss falls as a power of the steps towards a floor, lower for larger
// runs, which cost 4 times as much per step as the one before.
func computeRuns() []Series {
	var runs []Series
	for i, perStep := range []float64{1e7, 4e7, 1.6e8} {
		r := Series{Name: []string{"small", "medium", "large"}[i]}
		for step := 10.0; step <= 1000; step *= 1.2 {
			r.X = append(r.X, perStep*step)
			r.Y = append(r.Y, 1.5-0.2*float64(i)+2*math.Pow(step, -0.3))
		}
		runs = append(runs, r)
	}
	return runs
}

func TestScalingFigures(t *testing.T) {
	pts, law := modelSizes()
	tests := []struct {
		name string
		fig  *Figure
		w, h int
		has  []string
		lack []string
	}{
		{"scaling-law", ScalingLaw(pts, law, Options{Title: "loss against size", XLabel: "non-embedding parameters", YLabel: "nats per character"}), 640, 400,
			[]string{"loss against size", "non-embedding parameters", "nats per character", "fit: 3.2·x^-0.037", "used for the fit", "held out", ">size 1<", ">size 5<"},
			[]string{"floor c"}},
		{"scaling-law-floor", ScalingLaw(pts, train.PowerLaw{A: 8, Alpha: 0.3, C: 1.4}, Options{Width: 500, Height: 360, LogY: true}), 500, 360,
			[]string{"fit: 8·x^-0.3 + 1.4", "floor c = 1.4", ">x<", ">y<"}, nil},
		{"scaling-law-no-law", ScalingLaw(pts[:4], train.PowerLaw{}), 640, 400, []string{">size 4<"}, []string{"fit:", "held out", "used for the fit"}},
		{"compute-curves", ComputeCurves(computeRuns(), Options{Title: "loss against compute", YLabel: "loss"}), 640, 400,
			[]string{"loss against compute", "compute (FLOPs)", "small", "large", "compute-efficient frontier"}, nil},
	}
	for _, tt := range tests {
		checkSaved(t, tt.name, tt.fig, tt.w, tt.h, 4, tt.has, tt.lack)
	}
	// Both axes logarithmic; the axes cover every point.
	for _, f := range []*Figure{tests[0].fig, tests[3].fig} {
		p := f.Plot()
		if _, ok := p.X.Scale.(plot.LogScale); !ok {
			t.Errorf("%q: the x axis is not logarithmic", p.Title.Text)
		}
		if _, ok := p.Y.Scale.(plot.LogScale); !ok {
			t.Errorf("%q: the y axis is not logarithmic", p.Title.Text)
		}
	}
	p := tests[0].fig.Plot()
	for _, pt := range pts {
		if pt.X <= p.X.Min || pt.X >= p.X.Max || pt.Y <= p.Y.Min || pt.Y >= p.Y.Max {
			t.Errorf("point %+v outside the axes [%v, %v]×[%v, %v]", pt, p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
		}
	}
	// Empty: drawn, no panic.
	saved(t, "scaling-law-empty", ScalingLaw(nil, train.PowerLaw{}))
	saved(t, "compute-curves-empty", ComputeCurves(nil))
}

// The frontier by hand: two runs that cross.
func TestFrontier(t *testing.T) {
	runs := []Series{
		{Name: "small", X: []float64{1, 10, 100}, Y: []float64{4, 2, 1.5}},
		{Name: "large", X: []float64{10, 100, 1000}, Y: []float64{3, 1, 0.5}},
	}
	front, best := Frontier(runs)
	// At x = 1 only small counts; at 10 small (2 < 3); at 100 large (1 <
	// 1.5); at 1000 only large.
	wantX, wantY, wantBest := []float64{1, 10, 100, 1000}, []float64{4, 2, 1, 0.5}, []int{0, 0, 1, 1}
	if front.Name != "frontier" || len(front.X) != 4 {
		t.Fatalf("frontier %+v", front)
	}
	for i := range wantX {
		if front.X[i] != wantX[i] || math.Abs(front.Y[i]-wantY[i]) > 1e-12 || best[i] != wantBest[i] {
			t.Errorf("point %d: (%v, %v) from run %d, want (%v, %v) from run %d", i, front.X[i], front.Y[i], best[i], wantX[i], wantY[i], wantBest[i])
		}
	}
	// Between points a run is interpolated on log-log axes: small at
	// x = √10 is √(4·2).
	runs[1].X[0] = math.Sqrt(10) // large starts at √10, with loss 3 > √8
	front, best = Frontier(runs)
	if front.X[1] != math.Sqrt(10) || math.Abs(front.Y[1]-math.Sqrt(8)) > 1e-12 || best[1] != 0 {
		t.Errorf("at √10: (%v, %v) from run %d, want (%v, %v) from run 0", front.X[1], front.Y[1], best[1], math.Sqrt(10), math.Sqrt(8))
	}
	// Where a run ends, the frontier keeps its loss until another run goes
	// below it: a run that starts later, higher, does not raise it.
	runs = append(runs[:1], Series{Name: "late", X: []float64{200, 1000}, Y: []float64{2.5, 1.2}})
	front, best = Frontier(runs)
	wantX, wantY, wantBest = []float64{1, 10, 100, 200, 1000}, []float64{4, 2, 1.5, 1.5, 1.2}, []int{0, 0, 0, 0, 1}
	for i := range wantX {
		if front.X[i] != wantX[i] || math.Abs(front.Y[i]-wantY[i]) > 1e-12 || best[i] != wantBest[i] {
			t.Errorf("with a late run, point %d: (%v, %v) from run %d, want (%v, %v) from run %d", i, front.X[i], front.Y[i], best[i], wantX[i], wantY[i], wantBest[i])
		}
	}
	// The frontier never rises, and is never above any run where that
	// run is defined.
	for _, r := range computeRuns() {
		front, _ := Frontier(computeRuns())
		for j, x := range front.X {
			if j > 0 && front.Y[j] > front.Y[j-1] {
				t.Errorf("frontier rises from %v to %v at x = %v", front.Y[j-1], front.Y[j], x)
			}
			if x >= r.X[0] && x <= r.X[len(r.X)-1] && front.Y[j] > logInterpolate(r.X, r.Y, x)+1e-12 {
				t.Errorf("frontier %v above run %q at x = %v", front.Y[j], r.Name, x)
			}
		}
	}
}

func TestScalingPanics(t *testing.T) {
	pts, law := modelSizes()
	bad := append([]ScalingPoint(nil), pts...)
	bad[2].X = 0
	for _, tt := range []struct {
		want string
		f    func()
	}{
		{`plotting: ScalingLaw: point 2 ("size 3") is (0, `, func() { ScalingLaw(bad, law) }},
		{"plotting: ScalingLaw: law with A = NaN, Alpha = 0.037, C = 0; want finite numbers", func() { ScalingLaw(pts, train.PowerLaw{A: math.NaN(), Alpha: 0.037}) }},
		{`plotting: Frontier: run 0 ("a") has 2 x values and 1 y values`, func() { Frontier([]Series{{Name: "a", X: []float64{1, 2}, Y: []float64{1}}}) }},
		{`plotting: Frontier: run 0 ("a") has 0 x values and 0 y values`, func() { Frontier([]Series{{Name: "a"}}) }},
		{`plotting: Frontier: run 1 ("b") has the point (1, -1); want finite x > 0 and y > 0`, func() {
			Frontier([]Series{{Name: "a", X: []float64{1}, Y: []float64{1}}, {Name: "b", X: []float64{1}, Y: []float64{-1}}})
		}},
		{`plotting: Frontier: run 0 ("a") has x 1 after 2; want increasing x`, func() { Frontier([]Series{{Name: "a", X: []float64{2, 1}, Y: []float64{1, 1}}}) }},
		{`plotting: ComputeCurves: run 0 ("a") has x 2 after 2`, func() { ComputeCurves([]Series{{Name: "a", X: []float64{2, 2}, Y: []float64{1, 1}}}) }},
	} {
		testutil.Panics(t, tt.want, tt.f)
	}
	if !strings.Contains(law.String(), "x^-0.037") {
		t.Errorf("law %v", law)
	}
}
