package plotting

import (
	"image/color"
	"math"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"
)

// TestReferenceLines checks Curve, Reference and HLine: curves leave the
// plot's ranges alone, HLine widens the y axis to its y, and each adds a
// legend entry.
func TestReferenceLines(t *testing.T) {
	f := Scatter(halves())
	p := f.Plot()
	ylo, yhi := p.Y.Min, p.Y.Max
	Curve(f, [][2]float64{{0, -100}, {1, 100}}, "fit")
	Reference(f, [][2]float64{{0, 0}, {1, 1}}, "truth")
	if p.Y.Min != ylo || p.Y.Max != yhi {
		t.Errorf("Curve and Reference changed the y range from [%g, %g] to [%g, %g]", ylo, yhi, p.Y.Min, p.Y.Max)
	}
	HLine(f, yhi+5, "chance")
	if p.Y.Max != yhi+5 || p.Y.Min != ylo {
		t.Errorf("HLine at %g: y range [%g, %g]; want [%g, %g]", yhi+5, p.Y.Min, p.Y.Max, ylo, yhi+5)
	}
	saved(t, "reference_lines", f)
	testutil.Panics(t, "plotting: HLine: y is NaN; want a finite value", func() { HLine(Scatter(halves()), math.NaN(), "x") })
	testutil.Panics(t, "plotting: Curve: the figure has 2 plots; want 1", func() { Curve(Row(f, f), nil, "c") })
	testutil.Panics(t, "plotting: Reference: the figure has 2 plots; want 1", func() { Reference(Row(f, f), nil, "c") })
	testutil.Panics(t, "plotting: HLine: the figure has 2 plots; want 1", func() { HLine(Row(f, f), 0, "c") })
}

// TestHLineOnBars checks that a reference line on a bar chart draws.
func TestHLineOnBars(t *testing.T) {
	f := Bars([]string{"a", "b"}, []Series{{Y: []float64{56.25, 70}}})
	HLine(f, 50, "coin flip")
	saved(t, "hline_bars", f)
}

func TestBarDecimals(t *testing.T) {
	for _, c := range []struct {
		vs   []float64
		want int
		text string // barLabel of vs[len-1]
	}{
		{[]float64{8.31, 0.223, 0.0742}, 1, "0.1"},
		{[]float64{56.25, 70.5}, 0, "70"},
		{[]float64{3, 12, -4}, 0, "-4"},
		{[]float64{0.5, 0.25}, 2, "0.25"},
		{[]float64{-0.03, 0.012}, 3, "0.012"},
		{[]float64{1234.5, 1}, 0, "1"},
		{[]float64{0, math.NaN()}, 0, "NaN"},
	} {
		d := barDecimals(c.vs)
		if got := barLabel(c.vs[len(c.vs)-1], d); d != c.want || got != c.text {
			t.Errorf("barDecimals(%v) = %d, label %q; want %d, %q", c.vs, d, got, c.want, c.text)
		}
	}
}

// TestHeatmapDiverging checks the diverging scale: symmetric around 0,
// white at 0, blue below and red above; and "n/a" for NaN cells.
func TestHeatmapDiverging(t *testing.T) {
	values := [][]float64{{-1, 0}, {3, math.NaN()}}
	cells := newHeatCells(values, "%.1f", true)
	if cells.lo != -3 || cells.hi != 3 {
		t.Errorf("range [%g, %g]; want [-3, 3]", cells.lo, cells.hi)
	}
	if c := cells.color(0); c != (color.RGBA{0xf7, 0xf7, 0xf7, 0xff}) {
		t.Errorf("colour of 0: %v; want white", c)
	}
	if c := cells.color(-1); !(c.B > c.R) {
		t.Errorf("colour of -1: %v; want blue", c)
	}
	if c := cells.color(3); !(c.R > c.B) {
		t.Errorf("colour of 3: %v; want red", c)
	}
	if got := cells.text(); got[0][0] != "-1.0" || got[1][1] != "n/a" {
		t.Errorf("cell texts %v; want -1.0 and n/a", got)
	}
	saved(t, "heatmap_diverging", Heatmap(values, HeatmapOptions{Diverging: true, Format: "%+.1f"}))
	// The default scale is viridis over the values' own range.
	if h := newHeatCells([][]float64{{1, 2}}, "", false); h.lo != 1 || h.hi != 2 || h.color(2) != viridis(1) {
		t.Errorf("default scale: range [%g, %g], colour of 2 %v; want [1, 2] and viridis", h.lo, h.hi, h.color(2))
	}
}

// TestClassName checks Options.ClassName: Clusters takes it, any other
// figure panics.
func TestClassName(t *testing.T) {
	x := halves().X
	saved(t, "clusters_classname", Clusters(x, []int{0, 0, 1, 1}, nil, Options{ClassName: "digit", XLabel: "PC1", YLabel: "PC2"}))
	testutil.Panics(t, "plotting: Scatter: Options.ClassName is not used by this figure (only by Clusters); leave it unset",
		func() { Scatter(halves(), Options{ClassName: "digit"}) })
}
