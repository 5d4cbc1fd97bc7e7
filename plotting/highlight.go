package plotting

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// noiseColor is the colour of points in no cluster (label < 0) and of
// the points that Ordered does not order.
var noiseColor = rgb(0xb0b0b0)

// Clusters plots 2-D points x ([n, 2]) coloured by their cluster:
// labels[i] is the cluster of row i, and cluster k gets Color(k), with a
// legend "cluster 0", "cluster 1", ... (opts.ClassName replaces the word
// "cluster": with labels that are classes, such as the true digits or the
// digit that most of a cluster's points show, "digit" gives "digit 0",
// "digit 1", ...). A label below 0 (a point in no
// cluster, as DBSCAN marks noise) is drawn grey as "noise". A nil labels
// puts every point in cluster 0.
//
// centers, if not nil, holds one centre per row ([k, 2]), such as the
// means of k-means: centre k is drawn as a large cross in the colour of
// cluster k, with a dark outline, and a legend entry "centre".
//
//	plotting.Clusters(x, labels, centers, plotting.Options{Title: "k-means, k = 3"}).Show()
//
// It uses Title, XLabel, YLabel, Width, Height and ClassName of Options;
// the axes are "x₁" and "x₂" unless opts sets them.
//
// Clusters panics if x or centers is not [n, 2], or if labels is not nil
// and does not have one label per point.
func Clusters(x *dl.Tensor, labels []int, centers *dl.Tensor, opts ...Options) *Figure {
	o := options("Clusters", opts, "LogY")
	xs := points("Clusters", x)
	n := len(xs) / 2
	if labels == nil {
		labels = make([]int, n)
	}
	if len(labels) != n {
		panic(fmt.Sprintf("plotting: Clusters: %d labels for %d points", len(labels), n))
	}
	var cs []float64
	if centers != nil {
		if s := centers.Shape(); len(s) != 2 || s[1] != 2 {
			panic(fmt.Sprintf("plotting: Clusters: centers has shape %v; want [k, 2] (one 2-D centre per row)", s))
		}
		cs = centers.Data()
	}

	p := newPlot("", "x₁", "x₂")
	ids := make([]int, n) // the clusters, with all noise as -1, drawn first
	for i, l := range labels {
		ids[i] = max(l, -1)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	radius := pointRadius(n)
	for _, k := range ids {
		var px, py []float64
		for i, l := range labels {
			if l == k || (k < 0 && l < 0) {
				px, py = append(px, xs[2*i]), append(py, xs[2*i+1])
			}
		}
		word := "cluster"
		if o.ClassName != "" {
			word = o.ClassName
		}
		col, name := Color(k), fmt.Sprintf("%s %d", word, k)
		if k < 0 {
			col, name = noiseColor, "noise"
		}
		s := scatter(px, py, col, radius)
		p.Add(s)
		addLegend(p, name, s)
	}
	entries := len(ids)
	if k := len(cs) / 2; k > 0 {
		var cx, cy []float64
		for i := range k {
			cx, cy = append(cx, cs[2*i]), append(cy, cs[2*i+1])
		}
		cross := scatter(cx, cy, Color(0), vg.Points(8))
		cross.GlyphStyleFunc = func(i int) draw.GlyphStyle {
			return draw.GlyphStyle{Color: Color(i), Radius: vg.Points(9), Shape: crossGlyph{edge: rgb(0x111111)}}
		}
		p.Add(cross)
		thumb := scatter(nil, nil, rgb(0x555555), vg.Points(5))
		thumb.GlyphStyle.Shape = crossGlyph{edge: rgb(0x111111)}
		addLegend(p, "centre", thumb)
		entries++
	}
	all := append(slices.Clone(xs), cs...)
	xlo, xhi, ylo, yhi := bounds(all, 0.08)
	yhi = legendRoom(all, xlo, xhi, ylo, yhi, entries)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xlo, xhi, ylo, yhi
	return single(finish(p, pairs(all)), o)
}

// crossGlyph is a thick diagonal cross in the glyph's colour with a dark
// outline and a white halo, the mark of a cluster centre: it stands out
// over points of its own colour.
type crossGlyph struct{ edge color.Color }

func (g crossGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius / vg.Length(math.Sqrt2)
	arms := [][]vg.Point{
		{{X: pt.X - r, Y: pt.Y - r}, {X: pt.X + r, Y: pt.Y + r}},
		{{X: pt.X - r, Y: pt.Y + r}, {X: pt.X + r, Y: pt.Y - r}},
	}
	w := max(sty.Radius/3, vg.Points(2))
	c.StrokeLines(draw.LineStyle{Color: color.White, Width: w + vg.Points(5)}, arms...) // a halo over the points
	c.StrokeLines(draw.LineStyle{Color: g.edge, Width: w + vg.Points(2.5)}, arms...)
	c.StrokeLines(draw.LineStyle{Color: sty.Color, Width: w}, arms...)
}

// ringGlyph is an open circle with a thick line, drawn around a point to
// mark it.
type ringGlyph struct{ width vg.Length }

func (g ringGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: g.width})
	c.Stroke(p)
}

// Highlight plots a 2-D data set as Scatter does, points coloured by class,
// and rings the rows marked (indices into set) with a black circle, named
// name in the legend ("marked" if empty), such as "flagged as wrong" for
// the labels a cleaning method doubts, or "queried" for the points an
// active learner asked about. An index may appear more than once.
//
//	plotting.Highlight(moons, flagged, "flagged as wrong", plotting.Options{Title: "label noise"}).Show()
//
// It uses Title, XLabel, YLabel, Width and Height of Options; the axes are
// "x₁" and "x₂" unless opts sets them.
//
// Highlight panics if set.X is not [n, 2], set.Y does not have n rows, or
// a marked index is out of range.
func Highlight(set data.Set, marked []int, name string, opts ...Options) *Figure {
	o := options("Highlight", opts, "LogY")
	x := points("Highlight", set.X)
	n := len(x) / 2
	checkRows("Highlight", "marked", marked, n)
	cls := classes("Highlight", set.Y, n)
	if name == "" {
		name = "marked"
	}
	p := newPlot("", "x₁", "x₂")
	addPoints(p, x, cls, set.Y != nil)
	var mx, my []float64
	for _, i := range marked {
		mx, my = append(mx, x[2*i]), append(my, x[2*i+1])
	}
	ring := scatter(mx, my, rgb(0x111111), pointRadius(n)+vg.Points(3.5))
	ring.GlyphStyle.Shape = ringGlyph{width: vg.Points(1.6)}
	p.Add(ring)
	thumb := scatter(nil, nil, rgb(0x111111), vg.Points(4.5))
	thumb.GlyphStyle.Shape = ringGlyph{width: vg.Points(1.6)}
	addLegend(p, name, thumb)

	xlo, xhi, ylo, yhi := bounds(x, 0.08)
	entries := 1
	if set.Y != nil {
		entries += distinct(cls)
	}
	yhi = legendRoom(x, xlo, xhi, ylo, yhi, entries)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xlo, xhi, ylo, yhi
	return single(finish(p, pairs(x)), o)
}

// checkRows panics if an index of idx is not a row of a set of n rows.
func checkRows(op, name string, idx []int, n int) {
	for _, i := range idx {
		if i < 0 || i >= n {
			panic(fmt.Sprintf("plotting: %s: %s row %d out of range for a set of %d rows", op, name, i, n))
		}
	}
}

// orderRamp is the colour of the k-th of m ordered points, t = k/(m-1):
// viridis from light yellow (early, t = 0) to dark purple (late, t = 1).
func orderRamp(t float64) color.Color { return viridis(1 - t) }

// Ordered shows the order in which rows of a 2-D data set were picked,
// such as the queries of an active learner: the rows order[0], order[1],
// ... are drawn with a colour ramp from light yellow (first) to dark
// purple (last), the other points small and faint grey, and a colour bar
// "query order" gives the scale from 1 to len(order). Up to 25 picked
// points are also numbered. Classes are not shown: put Highlight or
// Scatter beside it (Row) for them.
//
//	plotting.Ordered(pool, queries, plotting.Options{Title: "the order of the queries"}).Show()
//
// It uses Title, XLabel, YLabel, Width and Height of Options; the axes are
// "x₁" and "x₂" unless opts sets them.
//
// Ordered panics if set.X is not [n, 2], or an index of order is out of
// range.
func Ordered(set data.Set, order []int, opts ...Options) *Figure {
	o := options("Ordered", opts, "LogY")
	x := points("Ordered", set.X)
	n := len(x) / 2
	checkRows("Ordered", "order", order, n)
	p := newPlot("", "x₁", "x₂")

	picked := make([]bool, n)
	for _, i := range order {
		picked[i] = true
	}
	var gx, gy []float64
	for i := range n {
		if !picked[i] {
			gx, gy = append(gx, x[2*i]), append(gy, x[2*i+1])
		}
	}
	if len(gx) > 0 {
		rest := scatter(gx, gy, lighten(noiseColor, 0.35), pointRadius(n)*0.75)
		rest.GlyphStyle.Shape = draw.CircleGlyph{}
		p.Add(rest)
	}
	m := len(order)
	if m > 0 {
		ox, oy := make([]float64, m), make([]float64, m)
		for k, i := range order {
			ox[k], oy[k] = x[2*i], x[2*i+1]
		}
		t := func(k int) float64 {
			if m == 1 {
				return 1
			}
			return float64(k) / float64(m-1)
		}
		radius := pointRadius(m) + vg.Points(0.5)
		s := scatter(ox, oy, orderRamp(0), radius)
		s.GlyphStyleFunc = func(k int) draw.GlyphStyle {
			return draw.GlyphStyle{Color: orderRamp(t(k)), Radius: radius, Shape: edgeGlyph{edge: edgeColor}}
		}
		p.Add(s)
		if m <= 25 {
			p.Add(&orderNumbers{x: ox, y: oy, offset: radius})
		}
		lo, hi := 1.0, float64(m)
		if m == 1 {
			lo, hi = 0.5, 1.5
		}
		p.Add(&colorBar{cmap: func(u float64) color.Color {
			if m == 1 {
				return orderRamp(1)
			}
			return orderRamp(u)
		}, lo: lo, hi: hi, ticks: firstTicks{}, label: "query order"})
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = bounds(x, 0.08)
	return single(finish(p, pairs(x)), o)
}

// orderNumbers writes 1, 2, 3, ... next to the points (x[k], y[k]): above
// and to the right of each, offset by about a point's radius, or in
// another corner if that would cover another point or an earlier number.
type orderNumbers struct {
	x, y   []float64
	offset vg.Length
}

func (o *orderNumbers) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	d := o.offset*0.7 + vg.Points(0.5) // the text's corner just off the circle, at 45°
	// The points and the numbers so far, which a number should not cover.
	var taken []vg.Rectangle
	for k := range o.x {
		if finite(o.x[k]) && finite(o.y[k]) {
			x, y, r := trX(o.x[k]), trY(o.y[k]), o.offset*0.8
			taken = append(taken, vg.Rectangle{Min: vg.Point{X: x - r, Y: y - r}, Max: vg.Point{X: x + r, Y: y + r}})
		}
	}
	for k := range o.x {
		if !finite(o.x[k]) || !finite(o.y[k]) {
			continue
		}
		label := strconv.Itoa(k + 1)
		x, y := trX(o.x[k]), trY(o.y[k])
		// Up right, up left, down right, down left: the first free one.
		type place struct {
			sty text.Style
			pt  vg.Point
			box vg.Rectangle
		}
		var places []place
		for _, dx := range []vg.Length{1, -1} {
			for _, dy := range []vg.Length{1, -1} {
				sty := text.Style{Color: textColor, Font: font.From(sansBold, vg.Points(8)), XAlign: draw.XLeft,
					YAlign: draw.YBottom, Handler: plot.DefaultTextHandler}
				if dx < 0 {
					sty.XAlign = draw.XRight
				}
				if dy < 0 {
					sty.YAlign = draw.YTop
				}
				pt := vg.Point{X: x + dx*d, Y: y + dy*d}
				box := sty.Rectangle(label)
				box.Min, box.Max = box.Min.Add(pt), box.Max.Add(pt)
				places = append(places, place{sty, pt, box})
			}
		}
		places[1], places[2] = places[2], places[1] // up left before down right
		best := places[0]
		for _, pl := range places {
			if !slices.ContainsFunc(taken, func(t vg.Rectangle) bool {
				return pl.box.Min.X < t.Max.X && t.Min.X < pl.box.Max.X && pl.box.Min.Y < t.Max.Y && t.Min.Y < pl.box.Max.Y
			}) {
				best = pl
				break
			}
		}
		c.FillText(best.sty, best.pt, label)
		taken = append(taken, best.box)
	}
}

// firstTicks marks whole numbers as niceTicks does, and labels 1 as well,
// so that the colour bar of Ordered shows where the order starts.
type firstTicks struct{}

func (firstTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := niceTicks{whole: true}.Ticks(lo, hi)
	if lo <= 1 && len(ticks) > 1 && ticks[0].Value >= 1+(ticks[1].Value-ticks[0].Value)/2 {
		ticks = append([]plot.Tick{{Value: 1, Label: "1"}}, ticks...)
	}
	return ticks
}
