package plotting

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"github.com/dlnb/dlnb/dl/train"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ScalingPoint is one point of a ScalingLaw: a model, say, with its size
// X (such as its non-embedding parameters) and its loss Y, the Label
// written beside it, and whether it was HeldOut of the fit (to see how
// well the law predicts it).
type ScalingPoint struct {
	Label   string
	X, Y    float64
	HeldOut bool
}

// ScalingLaw draws points and a power law fitted to them on log-log axes,
// as Kaplan et al. (2020) draw the loss of language models against their
// size, data or compute: each point labelled with its Label, the points
// used for the fit as filled circles, those held out as open diamonds
// (marked "held out" in the legend), and the law as a line across the
// points, solid where it was fitted and dashed beyond (extrapolation). A
// law with a floor C > 0 also gets a dotted line at C, the loss that no
// size removes. The zero PowerLaw draws no law.
//
//	law, _ := train.FitPowerLaw(params[:4], losses[:4])
//	plotting.ScalingLaw([]plotting.ScalingPoint{
//		{Label: "2k", X: 2e3, Y: 2.52}, ..., {Label: "150k", X: 1.5e5, Y: 2.11, HeldOut: true},
//	}, law, plotting.Options{XLabel: "non-embedding parameters", YLabel: "loss (nats/char)"}).Show()
//
// The legend gives the law as its String writes it. Both axes are always
// logarithmic: LogY may be set, and changes nothing. It uses every field
// of Options; the axes are "x" and "y" unless opts sets them.
//
// ScalingLaw panics if a point's X or Y is not a finite number > 0, which
// a log axis cannot show (the message names the point), or if the law's
// numbers are not finite.
func ScalingLaw(points []ScalingPoint, law train.PowerLaw, opts ...Options) *Figure {
	o := options("ScalingLaw", opts)
	for i, pt := range points {
		if !(pt.X > 0) || !(pt.Y > 0) || math.IsInf(pt.X, 0) || math.IsInf(pt.Y, 0) {
			panic(fmt.Sprintf("plotting: ScalingLaw: point %d (%q) is (%v, %v); want finite x > 0 and y > 0 (a log-log plot cannot show it)",
				i, pt.Label, pt.X, pt.Y))
		}
	}
	if !finite(law.A) || !finite(law.Alpha) || !finite(law.C) {
		panic(fmt.Sprintf("plotting: ScalingLaw: law with A = %v, Alpha = %v, C = %v; want finite numbers", law.A, law.Alpha, law.C))
	}
	p := newPlot("", "x", "y")
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = logTicks{}, logTicks{}

	var fitX, fitY, outX, outY []float64
	labels := &pointLabels{}
	for _, pt := range points {
		if pt.HeldOut {
			outX, outY = append(outX, pt.X), append(outY, pt.Y)
		} else {
			fitX, fitY = append(fitX, pt.X), append(fitY, pt.Y)
		}
		labels.add(pt.X, pt.Y, pt.Label)
	}
	var avoid []plotter.XYs
	if law != (train.PowerLaw{}) && len(points) > 0 {
		all := append(slices.Clone(fitX), outX...)
		lo, hi := slices.Min(all)/1.25, slices.Max(all)*1.25
		flo, fhi := lo, hi // the fitted range: the points used for the fit
		if len(fitX) > 0 {
			flo, fhi = slices.Min(fitX), slices.Max(fitX)
		}
		c := Color(0)
		var first *plotter.Line
		for _, seg := range [][2]float64{{lo, flo}, {flo, fhi}, {fhi, hi}} {
			if !(seg[1] > seg[0]) {
				continue
			}
			xs, ys := lawCurve(law, seg[0], seg[1])
			l := line(xs, positive(ys, true), withAlpha(c, 0.85))
			if seg != [2]float64{flo, fhi} {
				l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
			} else if first == nil {
				first = l
			}
			p.Add(l)
			avoid = append(avoid, xys(xs, ys))
		}
		if first != nil {
			addLegend(p, "fit: "+law.String(), first)
		}
		if law.C > 0 {
			fl := line([]float64{lo, hi}, []float64{law.C, law.C}, rgb(0x777777))
			fl.Width = vg.Points(1)
			fl.Dashes = []vg.Length{vg.Points(1.5), vg.Points(2)}
			p.Add(fl)
			addLegend(p, fmt.Sprintf("floor c = %.3g", law.C), fl)
		}
	}
	if len(fitX) > 0 {
		s := scatter(fitX, fitY, Color(0), vg.Points(4.5))
		s.GlyphStyle.Shape = edgeGlyph{edge: edgeColor}
		p.Add(s)
		name := "used for the fit"
		if law == (train.PowerLaw{}) {
			name = "points"
		}
		if len(outX) > 0 || law != (train.PowerLaw{}) {
			addLegend(p, name, s)
		}
		avoid = append(avoid, xys(fitX, fitY))
	}
	if len(outX) > 0 {
		s := scatter(outX, outY, Color(3), vg.Points(5))
		s.GlyphStyle.Shape = openDiamond{}
		p.Add(s)
		addLegend(p, "held out", s)
		avoid = append(avoid, xys(outX, outY))
	}
	p.Add(labels)
	if len(points) > 0 {
		xs, ys := make([]float64, len(points)), make([]float64, len(points))
		for i, pt := range points {
			xs[i], ys[i] = pt.X, pt.Y
		}
		// Room for the labels: a fifth of a decade or a tenth of the
		// span, on each side, on both axes.
		p.X.Min, p.X.Max = logRoom(slices.Min(xs), slices.Max(xs))
		p.Y.Min, p.Y.Max = logRoom(slices.Min(ys), slices.Max(ys))
	} else {
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 1, 10, 1, 10 // empty log-log axes
	}
	return single(finish(p, avoid...), o)
}

// logRoom returns lo and hi widened on a log axis by a tenth of their
// span, and by at least a factor of 1.25 (1.02 for a span of less than
// 20%, as losses close together are), on each side.
func logRoom(lo, hi float64) (float64, float64) {
	f := math.Max(1.25, math.Pow(hi/lo, 0.1))
	if hi < 1.2*lo {
		f = math.Max(1.02, math.Pow(hi/lo, 0.15))
	}
	return lo / f, hi * f
}

// lawCurve returns 64 points of law from x = lo to hi, evenly spaced on a
// log axis.
func lawCurve(law train.PowerLaw, lo, hi float64) (xs, ys []float64) {
	const n = 64
	for k := range n {
		x := lo * math.Pow(hi/lo, float64(k)/(n-1))
		xs, ys = append(xs, x), append(ys, law.Predict(x))
	}
	return xs, ys
}

// openDiamond is a diamond outline, for points held out of a fit.
type openDiamond struct{}

func (openDiamond) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 1.25
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Line(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y})
	p.Close()
	c.SetColor(withAlpha(color.White, 0.9))
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.75)})
	c.Stroke(p)
}

// ComputeCurves draws the loss of several training runs against the
// compute spent so far, on log-log axes, as Kaplan et al. (2020, Figure
// 1, left) draw language models of several sizes: one line per run, in
// the palette's colours, named in the legend, and over them the
// compute-efficient frontier (see Frontier), the lowest loss that any of
// the runs had reached with each amount of compute, as a dark dashed
// line.
// Where the frontier passes from one run to a larger one, a larger model
// has become the better use of that compute.
//
//	plotting.ComputeCurves([]plotting.Series{
//		{Name: "2k params", X: flops1, Y: loss1}, {Name: "150k params", X: flops5, Y: loss5},
//	}, plotting.Options{XLabel: "training FLOPs", YLabel: "loss (nats/char)"}).Show()
//
// Each run's X is the compute (such as the FLOPs counted by
// dl.CountFLOPs after each logged step) and Y the loss there; a run with
// one point is drawn as a point. Both axes are always logarithmic: LogY
// may be set, and changes nothing. It uses every field of Options; the
// axes are "compute (FLOPs)" and "loss" unless opts sets them.
//
// ComputeCurves panics as Frontier does.
func ComputeCurves(runs []Series, opts ...Options) *Figure {
	o := options("ComputeCurves", opts)
	front, _ := frontier("ComputeCurves", runs)
	p := newPlot("", "compute (FLOPs)", "loss")
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = logTicks{}, logTicks{}
	var avoid []plotter.XYs
	for i, r := range runs {
		l := line(r.X, r.Y, Color(i))
		p.Add(l)
		thumbs := []plot.Thumbnailer{l}
		if len(r.X) == 1 {
			s := scatter(r.X, r.Y, Color(i), vg.Points(3))
			p.Add(s)
			thumbs = append(thumbs, s)
		}
		if r.Name != "" {
			addLegend(p, r.Name, thumbs...)
		}
		avoid = append(avoid, denseScaled(r.X, r.Y, true, true))
	}
	if len(front.X) > 1 {
		l := line(front.X, front.Y, withAlpha(rgb(0x111111), 0.8))
		l.Width = vg.Points(2.5)
		l.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		p.Add(l)
		addLegend(p, "compute-efficient frontier", l)
	}
	if len(runs) == 0 {
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 1, 10, 1, 10 // empty log-log axes
	}
	return single(finish(p, avoid...), o)
}

// Frontier returns the compute-efficient frontier of training runs: for
// each amount of compute, the lowest loss that any run had reached with
// at most that much compute (Kaplan et al., 2020). It is the lower
// envelope of the runs' curves of loss Y against compute X, each run
// counting between its first and its last X (linear between its points
// on log-log axes), kept from rising where a run ends: a run stopped
// there is still at hand. It is evaluated at every X of every run, in
// increasing order, and best[i] is the index of the run that reached
// front.Y[i]. The Name of front is "frontier".
//
// Frontier panics if a run's X and Y differ in length or are empty, if an
// X or a Y is not a finite number > 0, or if a run's X is not increasing
// (compute only accumulates).
func Frontier(runs []Series) (front Series, best []int) {
	return frontier("Frontier", runs)
}

func frontier(fn string, runs []Series) (Series, []int) {
	var xs []float64
	for i, r := range runs {
		if len(r.X) != len(r.Y) || len(r.X) == 0 {
			panic(fmt.Sprintf("plotting: %s: run %d (%q) has %d x values and %d y values; want the same number, at least one",
				fn, i, r.Name, len(r.X), len(r.Y)))
		}
		for j := range r.X {
			if !(r.X[j] > 0) || !(r.Y[j] > 0) || math.IsInf(r.X[j], 0) || math.IsInf(r.Y[j], 0) {
				panic(fmt.Sprintf("plotting: %s: run %d (%q) has the point (%v, %v); want finite x > 0 and y > 0 (a log-log plot cannot show it)",
					fn, i, r.Name, r.X[j], r.Y[j]))
			}
			if j > 0 && !(r.X[j] > r.X[j-1]) {
				panic(fmt.Sprintf("plotting: %s: run %d (%q) has x %v after %v; want increasing x (compute only accumulates)",
					fn, i, r.Name, r.X[j], r.X[j-1]))
			}
		}
		xs = append(xs, r.X...)
	}
	slices.Sort(xs)
	xs = slices.Compact(xs)
	front := Series{Name: "frontier"}
	var best []int
	lowest, who := math.Inf(1), -1
	for _, x := range xs {
		for i, r := range runs {
			if x < r.X[0] || x > r.X[len(r.X)-1] {
				continue
			}
			if y := logInterpolate(r.X, r.Y, x); y < lowest {
				lowest, who = y, i
			}
		}
		front.X, front.Y = append(front.X, x), append(front.Y, lowest)
		best = append(best, who)
	}
	return front, best
}

// logInterpolate returns the value at x of the polyline xs, ys drawn on
// log-log axes (xs increasing, x within them).
func logInterpolate(xs, ys []float64, x float64) float64 {
	j, found := slices.BinarySearch(xs, x)
	if found {
		return ys[j]
	}
	t := math.Log(x/xs[j-1]) / math.Log(xs[j]/xs[j-1])
	return ys[j-1] * math.Pow(ys[j]/ys[j-1], t)
}
