package plotting

import (
	"fmt"
	"image"
	"math"
	"slices"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Scatter plots a 2-D data set: one point per row of set.X ([n, 2]),
// coloured by its class in set.Y, with a legend "class 0", "class 1", ...
// set.Y may hold class numbers ([n] or [n, 1]) or one-hot rows ([n, k]);
// with a nil set.Y all points get the first colour and there is no
// legend.
//
//	plotting.Scatter(moons, plotting.Options{Title: "two moons"}).Show()
//
// It uses Title, XLabel, YLabel, Width and Height of Options; the axes are
// "x₁" and "x₂" unless opts sets them.
//
// Scatter panics if set.X is not [n, 2] or set.Y does not have n rows.
func Scatter(set data.Set, opts ...Options) *Figure {
	o := options("Scatter", opts, "LogY")
	x := points("Scatter", set.X)
	p := newPlot("", "x₁", "x₂")
	addPoints(p, x, classes("Scatter", set.Y, len(x)/2), set.Y != nil)
	cls := classes("Scatter", set.Y, len(x)/2)
	xlo, xhi, ylo, yhi := bounds(x, 0.08)
	if set.Y != nil {
		yhi = legendRoom(x, xlo, xhi, ylo, yhi, distinct(cls))
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xlo, xhi, ylo, yhi
	return single(finish(p, pairs(x)), o)
}

// Model is anything with a forward pass, such as an nn.Module: Boundary
// calls Forward on a batch of points [n, 2].
type Model interface {
	Forward(x *dl.Tensor) *dl.Tensor
}

// boundaryGrid is the number of grid points per axis of Boundary.
const boundaryGrid = 150

// Boundary shows how model m splits the plane into classes: it colours a
// 150×150 grid over the bounding box of set.X (plus a margin) by the class
// that m predicts there, and draws the points of set on top, coloured by
// their true class, with a dark edge.
//
// The predicted class is read from the model's output [n, k] for the grid
// points [n, 2]:
//
//   - k ≥ 2: the column with the largest value (logits or probabilities);
//
//   - k = 1 or output [n]: a single logit, class 1 where it is > 0; when
//     the output was made by Sigmoid it is a probability, and the
//     threshold is 0.5.
//
//     plotting.Boundary(model, testSet).Show()
//
// It uses Title, XLabel, YLabel, Width and Height of Options; the title is
// "decision boundary" and the axes "x₁" and "x₂" unless opts sets them.
//
// Boundary panics if set.X is not [n, 2] or the output does not have one
// row per grid point.
func Boundary(m Model, set data.Set, opts ...Options) *Figure {
	o := options("Boundary", opts, "LogY")
	x := points("Boundary", set.X)
	cls := classes("Boundary", set.Y, len(x)/2)
	xlo, xhi, ylo, yhi := bounds(x, 0.15)
	if set.Y != nil {
		yhi = legendRoom(x, xlo, xhi, ylo, yhi, distinct(cls))
	}
	p := newPlot("decision boundary", "x₁", "x₂")
	addRegions(p, m, xlo, xhi, ylo, yhi)
	addPoints(p, x, cls, set.Y != nil)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xlo, xhi, ylo, yhi
	return single(finish(p, pairs(x)), o)
}

// addRegions shades [xlo, xhi]×[ylo, yhi] of p by the class that m
// predicts there, on a boundaryGrid×boundaryGrid grid, and removes p's
// padding so that the shading fills the data area.
func addRegions(p *plot.Plot, m Model, xlo, xhi, ylo, yhi float64) {
	pred := predictGrid(m, boundaryGrid, xlo, xhi, ylo, yhi)
	img := image.NewRGBA(image.Rect(0, 0, boundaryGrid, boundaryGrid))
	for r := range boundaryGrid {
		for c := range boundaryGrid {
			// Grid row r is at y from ylo up; image rows go down.
			img.SetRGBA(c, boundaryGrid-1-r, lighten(Color(pred[r*boundaryGrid+c]), 0.6))
		}
	}
	p.X.Padding, p.Y.Padding = 0, 0
	p.Add(plotter.NewImage(img, xlo, ylo, xhi, yhi))
}

// predictGrid returns the class that m predicts at each point of an n×n
// grid over [xlo, xhi]×[ylo, yhi], row by row from ylo up; cell centres
// as in grid.
func predictGrid(m Model, n int, xlo, xhi, ylo, yhi float64) []int {
	g := newGrid(n, n, xlo, xhi, ylo, yhi)
	in := make([]float64, 0, 2*n*n)
	for r := range n {
		for c := range n {
			in = append(in, g.X(c), g.Y(r))
		}
	}
	out := m.Forward(dl.New(in, n*n, 2))
	return argmaxRows("Boundary", out, n*n)
}

// argmaxRows returns the class of each of the n rows of a model's output:
// the largest column, or for a single column the sign of a logit (0.5 for
// a Sigmoid output).
func argmaxRows(op string, out *dl.Tensor, n int) []int {
	shape := out.Shape()
	k := 0
	switch {
	case len(shape) == 1 && shape[0] == n:
		k = 1
	case len(shape) == 2 && shape[0] == n && shape[1] >= 1:
		k = shape[1]
	default:
		panic(fmt.Sprintf("plotting: %s: model output has shape %v for %d points; want [%d], [%d, 1] or [%d, classes]",
			op, shape, n, n, n, n))
	}
	v := out.Data()
	cls := make([]int, n)
	if k == 1 {
		threshold := 0.0
		if out.Op() == "Sigmoid" {
			threshold = 0.5
		}
		for i := range cls {
			if v[i] > threshold {
				cls[i] = 1
			}
		}
		return cls
	}
	for i := range cls {
		row := v[i*k : (i+1)*k]
		best := 0
		for j, x := range row {
			if x > row[best] {
				best = j
			}
		}
		cls[i] = best
	}
	return cls
}

// Hidden draws the points of a data set twice, side by side: in the input
// space (in.X [n, 2]) and where a hidden layer maps them (hidden.X
// [n, 2]), coloured by the same classes (in.Y, or hidden.Y when in.Y is
// nil). This is the picture of why XNOR needs a hidden layer: points that
// no line separates in the input space become separable in the hidden one.
// The panels are titled "input space" and "hidden space".
//
// With a non-nil out, the layer after the hidden one (taking [n, 2]
// hidden points), the hidden space is shaded by the class that out
// predicts, as in Boundary: for a Linear output layer the border between
// the shades is its decision line. With up to 16 points, each point is
// labelled with its input, such as "(0, 1)", in both panels; points that
// land on the same spot in the hidden space share one label.
//
//	plotting.Hidden(xnor, hidden, mlp.Layers[2]).Show()
//
// It uses Title (above both panels), Width and Height of Options.
//
// Hidden panics if in.X or hidden.X is not [n, 2], or they differ in n.
func Hidden(in, hidden data.Set, out Model, opts ...Options) *Figure {
	o := options("Hidden", opts, "XLabel", "YLabel", "LogY")
	xi := points("Hidden", in.X)
	xh := points("Hidden", hidden.X)
	if len(xi) != len(xh) {
		panic(fmt.Sprintf("plotting: Hidden: %d input points but %d hidden points", len(xi)/2, len(xh)/2))
	}
	y := in.Y
	if y == nil {
		y = hidden.Y
	}
	cls := classes("Hidden", y, len(xi)/2)
	left := newPlot("input space", "x₁", "x₂")
	right := newPlot("hidden space", "h₁", "h₂")
	for _, panel := range []struct {
		p *plot.Plot
		x []float64
	}{{left, xi}, {right, xh}} {
		p, x := panel.p, panel.x
		xlo, xhi, ylo, yhi := bounds(x, 0.12)
		if y != nil {
			yhi = legendRoom(x, xlo, xhi, ylo, yhi, distinct(cls))
		}
		if p == right && out != nil {
			addRegions(p, out, xlo, xhi, ylo, yhi)
		}
		addPoints(p, x, cls, y != nil)
		if len(xi)/2 <= 16 {
			labelPoints(p, x, inputNames(xi), xlo, xhi, ylo, yhi)
		}
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xlo, xhi, ylo, yhi
	}
	return withOptions(&Figure{Plots: [][]*plot.Plot{{finish(left, pairs(xi)), finish(right, pairs(xh))}}}, o)
}

// inputNames names each point of x ([n, 2] data) by its coordinates,
// such as "(0, 1)".
func inputNames(x []float64) []string {
	names := make([]string, len(x)/2)
	for i := range names {
		names[i] = fmt.Sprintf("(%.3g, %.3g)", x[2*i], x[2*i+1])
	}
	return names
}

// labelPoints writes names[i] next to point i of x ([n, 2] data) on p,
// whose axes span [xlo, xhi]×[ylo, yhi]: right of the point in the left
// half, left of it in the right half, so that the text stays inside.
// Points closer than 2% of the span share one label, the names joined by
// " and ".
func labelPoints(p *plot.Plot, x []float64, names []string, xlo, xhi, ylo, yhi float64) {
	n := len(x) / 2
	done := make([]bool, n)
	sty := text.Style{Color: textColor, Font: font.From(sans, vg.Points(9)), Handler: plot.DefaultTextHandler, YAlign: draw.YCenter}
	for i := range n {
		if done[i] || !finite(x[2*i]) || !finite(x[2*i+1]) {
			continue
		}
		label := names[i]
		for j := i + 1; j < n; j++ {
			if math.Abs(x[2*j]-x[2*i]) < 0.02*(xhi-xlo) && math.Abs(x[2*j+1]-x[2*i+1]) < 0.02*(yhi-ylo) {
				label += " and " + names[j]
				done[j] = true
			}
		}
		l, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x[2*i], Y: x[2*i+1]}}, Labels: []string{label}})
		if err != nil {
			panic("plotting: " + err.Error())
		}
		l.TextStyle[0] = sty
		l.Offset = vg.Point{X: vg.Points(8)}
		if x[2*i] > (xlo+xhi)/2 {
			l.TextStyle[0].XAlign = draw.XRight
			l.Offset.X = -vg.Points(8)
		}
		p.Add(noRange{l})
	}
}

// points checks that x is [n, 2] and returns its data.
func points(op string, x *dl.Tensor) []float64 {
	if x == nil {
		panic(fmt.Sprintf("plotting: %s: the set has no X", op))
	}
	if s := x.Shape(); len(s) != 2 || s[1] != 2 {
		panic(fmt.Sprintf("plotting: %s: X has shape %v; want [n, 2] (two features per point)", op, s))
	}
	return x.Data()
}

// classes returns the class of each of n rows from y: class numbers [n]
// or [n, 1], or one-hot rows [n, k]. A nil y puts every row in class 0.
func classes(op string, y *dl.Tensor, n int) []int {
	cls := make([]int, n)
	if y == nil {
		return cls
	}
	s := y.Shape()
	switch {
	case len(s) == 1 && s[0] == n, len(s) == 2 && s[0] == n && s[1] == 1:
		for i, v := range y.Data() {
			cls[i] = int(math.Round(v))
		}
	case len(s) == 2 && s[0] == n && s[1] > 1:
		return argmaxRows(op, y, n)
	default:
		panic(fmt.Sprintf("plotting: %s: Y has shape %v for %d points; want [%d] class labels", op, s, n, n))
	}
	return cls
}

// addPoints adds the points x ([n, 2] data) to p, one scatter per class
// in increasing order, with a legend entry "class c" if legend is set.
// Class c gets Color(c), except that labels −1 and +1 (for the perceptron
// and the hinge loss) get the colours of classes 0 and 1, as Boundary
// colours a single logit ≤ 0 and > 0.
func addPoints(p *plot.Plot, x []float64, cls []int, legend bool) {
	radius := pointRadius(len(cls))
	labels := slices.Clone(cls)
	slices.Sort(labels)
	labels = slices.Compact(labels)
	signs := labels[0] == -1 && !slices.ContainsFunc(labels, func(c int) bool { return c != -1 && c != 1 })
	for _, c := range labels {
		var xs, ys []float64
		for i, ci := range cls {
			if ci == c {
				xs, ys = append(xs, x[2*i]), append(ys, x[2*i+1])
			}
		}
		col := Color(c)
		if signs {
			col = Color((c + 1) / 2)
		}
		s := scatter(xs, ys, col, radius)
		p.Add(s)
		if legend {
			addLegend(p, fmt.Sprintf("class %d", c), s)
		}
	}
}

// pointRadius is the radius of the points of a scatter plot of n points:
// smaller as there are more, so that they do not merge into a blot.
func pointRadius(n int) vg.Length {
	switch {
	case n > 2000:
		return vg.Points(2)
	case n > 500:
		return vg.Points(2.75)
	case n > 100:
		return vg.Points(3.5)
	}
	return vg.Points(4.5)
}

// bounds returns the bounding box of the points x ([n, 2] data), widened
// by frac of its size on each side (and to at least 1 wide).
func bounds(x []float64, frac float64) (xlo, xhi, ylo, yhi float64) {
	xlo, ylo = math.Inf(1), math.Inf(1)
	xhi, yhi = math.Inf(-1), math.Inf(-1)
	for i := 0; i+1 < len(x); i += 2 {
		if finite(x[i]) && finite(x[i+1]) {
			xlo, xhi = math.Min(xlo, x[i]), math.Max(xhi, x[i])
			ylo, yhi = math.Min(ylo, x[i+1]), math.Max(yhi, x[i+1])
		}
	}
	if xlo > xhi { // no points
		return -1, 1, -1, 1
	}
	widen := func(lo, hi float64) (float64, float64) {
		if hi-lo < 1e-9 {
			lo, hi = lo-0.5, hi+0.5
		}
		m := frac * (hi - lo)
		return lo - m, hi + m
	}
	xlo, xhi = widen(xlo, xhi)
	ylo, yhi = widen(ylo, yhi)
	return xlo, xhi, ylo, yhi
}

// pairs returns the points of [n, 2] data as XYs.
func pairs(x []float64) plotter.XYs {
	pts := make(plotter.XYs, 0, len(x)/2)
	for i := 0; i+1 < len(x); i += 2 {
		if finite(x[i]) && finite(x[i+1]) {
			pts = append(pts, plotter.XY{X: x[i], Y: x[i+1]})
		}
	}
	return pts
}

// legendRoom returns a new top for the y axis that leaves room for a
// legend of n entries above the points x ([n, 2] data), if every corner
// of the box [xlo, xhi]×[ylo, yhi] has a point where the legend would go.
// (With four points at the corners, as in the truth tables, the legend
// would otherwise hide one.) It returns yhi if a corner is free. The
// legend's size is estimated for a plot of the default size.
func legendRoom(x []float64, xlo, xhi, ylo, yhi float64, entries int) float64 {
	// The legend is about 95 pt wide and 13 pt per entry plus 20 pt high,
	// in a data area of about 420×230 pt; a point's radius adds about 2%.
	fw := 95.0/420 + 0.02
	fh := (13*float64(entries)+20)/230 + 0.03
	if fh >= 0.8 {
		return yhi
	}
	for _, top := range []bool{true, false} {
		for _, left := range []bool{false, true} {
			free := true
			for i := 0; i+1 < len(x) && free; i += 2 {
				u, v := (x[i]-xlo)/(xhi-xlo), (x[i+1]-ylo)/(yhi-ylo)
				inX := (left && u < fw) || (!left && u > 1-fw)
				inY := (top && v > 1-fh) || (!top && v < fh)
				free = !(inX && inY)
			}
			if free {
				return yhi
			}
		}
	}
	// Raise the top so that the legend fits above the highest point.
	return yhi + (yhi-ylo)*fh/(1-fh)
}

// distinct counts the distinct values of cls.
func distinct(cls []int) int {
	seen := map[int]bool{}
	for _, c := range cls {
		seen[c] = true
	}
	return len(seen)
}
