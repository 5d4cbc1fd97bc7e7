package plotting

import (
	"fmt"
	"image/color"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/dlnb/dlnb/dl/train"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Curves plots a training history per epoch: metric "loss" draws
// h.Loss and h.ValLoss, any other name the metric of that name in
// h.Metrics and h.ValMetrics (such as "accuracy"). The training curve is
// labelled "train" and the validation curve, drawn when there is one,
// "validation".
//
//	plotting.Curves(h, "accuracy").Show()
//
// It uses every field of Options; the title and the y label are the
// metric's name, and the x label "epoch", unless opts sets them.
//
// Curves panics if h is nil or has no metric of that name.
func Curves(h *train.History, metric string, opts ...Options) *Figure {
	o := options("Curves", opts)
	if h == nil {
		panic("plotting: Curves: nil history")
	}
	tr, val := h.Loss, h.ValLoss
	if metric != "loss" {
		var ok bool
		if tr, ok = h.Metrics[metric]; !ok {
			names := append([]string{"loss"}, slices.Sorted(maps.Keys(h.Metrics))...)
			panic(fmt.Sprintf("plotting: Curves: the history has no metric %q; it has %s", metric, strings.Join(names, ", ")))
		}
		val = h.ValMetrics[metric]
	}
	tr, val = positive(tr, o.LogY), positive(val, o.LogY)
	p := newPlot(metric, "epoch", metric)
	p.X.Tick.Marker = niceTicks{whole: true}
	if o.LogY {
		logY(p)
	}
	n := max(len(tr), len(val))
	addCurve(p, tr, "train", Color(0), n <= 30)
	addCurve(p, val, "validation", Color(1), n <= 30)
	if n <= 1 {
		p.X.Min, p.X.Max = 0.5, 1.5
	} else {
		p.X.Min, p.X.Max = 1, float64(n)
	}
	return single(finish(p, dense(epochs(len(tr)), tr), dense(epochs(len(val)), val)), o)
}

// addCurve adds the values ys, one per epoch from 1, as a line, with
// markers if dots is set, and a legend entry. It adds nothing for no
// values.
func addCurve(p *plot.Plot, ys []float64, label string, c color.Color, dots bool) {
	if len(ys) == 0 {
		return
	}
	xs := epochs(len(ys))
	l := line(xs, ys, c)
	p.Add(l)
	if !dots && len(ys) > 1 {
		addLegend(p, label, l)
		return
	}
	s := scatter(xs, ys, c, vg.Points(3))
	s.GlyphStyle.Shape = draw.CircleGlyph{}
	p.Add(s)
	addLegend(p, label, l, s)
}

// epochs returns 1, 2, ..., n.
func epochs(n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i + 1)
	}
	return xs
}

// Series is one line of a Lines plot: the values Y at X, or at 1, 2, 3, ...
// when X is nil, named Name in the legend.
type Series struct {
	Name string
	X, Y []float64
}

// IntSeries returns a Series of whole numbers at 1, 2, 3, ..., such as the
// mistakes of a perceptron in each epoch.
func IntSeries(name string, ys []int) Series {
	s := Series{Name: name, Y: make([]float64, len(ys))}
	for i, v := range ys {
		s.Y[i] = float64(v)
	}
	return s
}

// Lines plots each series as a line in the next colour of the palette,
// with a legend of their names (unnamed series are left out of it). An
// axis whose values are all whole numbers gets whole-number ticks.
//
//	plotting.Lines([]plotting.Series{{Name: "loss", Y: losses}}, plotting.Options{Title: "loss per step"}).Show()
//
// It uses every field of Options; there is no title or axis label unless
// opts sets them.
//
// Lines panics if a series has X of another length than Y.
func Lines(series []Series, opts ...Options) *Figure {
	o := options("Lines", opts)
	p := newPlot("", "", "")
	wholeX, wholeY := true, true
	var avoid []plotter.XYs
	for i, s := range series {
		s.Y = positive(s.Y, o.LogY)
		xs := s.X
		if xs == nil {
			xs = epochs(len(s.Y))
		} else if len(xs) != len(s.Y) {
			panic(fmt.Sprintf("plotting: Lines: series %q has %d x values and %d y values", s.Name, len(xs), len(s.Y)))
		}
		wholeX = wholeX && whole(xs)
		wholeY = wholeY && whole(s.Y)
		l := line(xs, s.Y, Color(i))
		p.Add(l)
		if len(s.Y) <= 30 {
			dots := scatter(xs, s.Y, Color(i), vg.Points(3))
			dots.GlyphStyle.Shape = draw.CircleGlyph{}
			p.Add(dots)
			if s.Name != "" {
				addLegend(p, s.Name, l, dots)
			}
		} else if s.Name != "" {
			addLegend(p, s.Name, l)
		}
		avoid = append(avoid, dense(xs, s.Y))
	}
	p.X.Tick.Marker = niceTicks{whole: wholeX}
	p.Y.Tick.Marker = niceTicks{whole: wholeY}
	if o.LogY {
		logY(p)
	}
	return single(finish(p, avoid...), o)
}

// whole reports whether every finite value of vs is a whole number.
func whole(vs []float64) bool {
	for _, v := range vs {
		if finite(v) && v != math.Trunc(v) {
			return false
		}
	}
	return true
}
