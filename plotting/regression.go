package plotting

import (
	"fmt"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Regression draws data points (xs[i], ys[i]) with model curves over
// them, such as candidate lines y = w·x + b and the one that gradient
// descent fitted: the picture of a regression, a model that predicts a
// number. The points are dots named "data" in the legend; each Series is a
// line through its points (X and Y, both set), named by its Name.
//
//	guess := plotting.Series{Name: "w = 1, b = 1", X: []float64{0, 2}, Y: []float64{1, 3}}
//	plotting.Regression(xs, ys, []plotting.Series{guess}).Show()
//
// For points that are already a data.Set, Scatter with Curve draws the
// same picture; Regression takes plain slices, as a first notebook has them.
//
// It uses Title, XLabel, YLabel, Width and Height of Options; the axes are
// "x" and "y" unless opts sets them.
//
// Regression panics if xs and ys differ in length, or a Series has no X
// or a different number of X and Y values.
func Regression(xs, ys []float64, curves []Series, opts ...Options) *Figure {
	o := options("Regression", opts, "LogY")
	if len(xs) != len(ys) {
		panic(fmt.Sprintf("plotting: Regression: %d x values and %d y values", len(xs), len(ys)))
	}
	p := newPlot("", "x", "y")
	dots := scatter(xs, ys, Color(0), pointRadius(len(xs)))
	addLegend(p, "data", dots)
	avoid := []plotter.XYs{dense(xs, ys)}
	for i, s := range curves {
		if s.X == nil || len(s.X) != len(s.Y) {
			panic(fmt.Sprintf("plotting: Regression: curve %q has %d x values and %d y values; want the same number, at least one",
				s.Name, len(s.X), len(s.Y)))
		}
		l := line(s.X, s.Y, Color(i+1))
		l.Width = vg.Points(2)
		p.Add(l)
		if s.Name != "" {
			addLegend(p, s.Name, l)
		}
		avoid = append(avoid, dense(s.X, s.Y))
	}
	p.Add(dots) // over the lines
	return single(finish(p, avoid...), o)
}
