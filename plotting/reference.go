package plotting

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// referenceColor is the colour of reference lines and curves: a dark grey
// that stands apart from the palette of the data.
var referenceColor = rgb(0x444444)

// referenceDashes is the dash pattern of reference lines and curves.
var referenceDashes = []vg.Length{vg.Points(6), vg.Points(3)}

// Curve adds to f, a figure of one plot such as Scatter returns, the curve
// through the points pts in order: a function drawn as a plain line with
// no markers, since its points are not data (Path marks the steps of an
// optimizer instead). It gets the next colour of Path's colours, and label
// in the legend. The curve does not change the plot's ranges: parts
// outside them (a polynomial that shoots off) are cut off.
//
//	f := plotting.Scatter(points, plotting.Options{XLabel: "x", YLabel: "y"})
//	plotting.Curve(f, pts, "degree 4")
//	f.Show()
//
// Curve panics if f has several plots: add the curves before Row or Grid.
func Curve(f *Figure, pts [][2]float64, label string) {
	p := onePlot("Curve", f)
	addCurveLine(p, pts, label, draw.LineStyle{Color: nextPathColor(p), Width: vg.Points(1.5)})
}

// Reference adds to f, a figure of one plot, a reference curve through
// the points pts, such as the true function that the models on the plot
// try to find: a dark grey dashed line with label in the legend. Like
// Curve it does not change the plot's ranges.
//
// Reference panics if f has several plots.
func Reference(f *Figure, pts [][2]float64, label string) {
	p := onePlot("Reference", f)
	addCurveLine(p, pts, label, draw.LineStyle{Color: referenceColor, Width: vg.Points(1.5), Dashes: referenceDashes})
}

// addCurveLine adds the line through pts to p with style sty, named label
// in the legend, which then avoids the line.
func addCurveLine(p *plot.Plot, pts [][2]float64, label string, sty draw.LineStyle) {
	xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
	for i, pt := range pts {
		xs[i], ys[i] = pt[0], pt[1]
	}
	l := line(xs, ys, sty.Color)
	l.LineStyle = sty
	p.Add(noRange{l})
	addLegend(p, label, l)
	avoidLegend(p, xs, ys)
}

// avoidLegend makes the legend of p keep clear of the polyline xs, ys,
// which was added after the plot was made.
func avoidLegend(p *plot.Plot, xs, ys []float64) {
	pathMu.Lock()
	defer pathMu.Unlock()
	if layer := pathLayers[p]; layer != nil {
		layer.avoid = append(layer.avoid, dense(xs, ys)...)
	} else {
		pathLayers[p] = newLegendLayer(p, dense(xs, ys))
		p.Add(pathLayers[p])
	}
}

// HLine adds to f, a figure of one plot, a horizontal reference line at y
// across the whole plot: a dark grey dashed line with label in the legend,
// such as the accuracy of guessing ("chance, 1 in 10") or a coin flip
// (50%). The y axis grows to show it, so that a drop is seen against that
// baseline.
//
//	f := plotting.LearningCurve(bands)
//	plotting.HLine(f, 0.1, "chance: 1 in 10")
//	f.Show()
//
// HLine panics if y is not finite, or if f has several plots.
func HLine(f *Figure, y float64, label string) {
	p := onePlot("HLine", f)
	if !finite(y) {
		panic(fmt.Sprintf("plotting: HLine: y is %v; want a finite value", y))
	}
	h := hline{y: y, style: draw.LineStyle{Color: referenceColor, Width: vg.Points(1.25), Dashes: referenceDashes}}
	p.Add(h)
	addLegend(p, label, h)
}

// hline is a horizontal line at y across the data area. Its data range is
// y alone, so that the y axis includes it and the x axis is left alone.
type hline struct {
	y     float64
	style draw.LineStyle
}

func (h hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(h.y)
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

func (h hline) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), h.y, h.y
}

func (h hline) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}
