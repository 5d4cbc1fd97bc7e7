package plotting

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	stdfont "golang.org/x/image/font"
)

// Palette is the list of colours that every figure uses, in order: the
// first series or class gets Palette[0], the next Palette[1], and so on,
// wrapping around. It is the "tab10" palette that matplotlib users know.
var Palette = []color.Color{
	rgb(0x1f77b4), // blue
	rgb(0xff7f0e), // orange
	rgb(0x2ca02c), // green
	rgb(0xd62728), // red
	rgb(0x9467bd), // purple
	rgb(0x8c564b), // brown
	rgb(0xe377c2), // pink
	rgb(0x7f7f7f), // grey
	rgb(0xbcbd22), // olive
	rgb(0x17becf), // cyan
}

// Color returns the i-th colour of Palette, wrapping around; it is the
// colour of class i in Scatter and Boundary.
func Color(i int) color.Color {
	n := len(Palette)
	return Palette[((i%n)+n)%n]
}

// The house style. Sizes are in points; a figure of 640×400 CSS pixels is
// 480×300 points, so 1 px = 0.75 pt.
var (
	textColor  = rgb(0x222222)
	axisColor  = rgb(0x555555)
	gridColor  = rgb(0xe5e5e5)
	edgeColor  = rgb(0x333333)
	lineWidth  = vg.Points(1.75)
	titleSize  = vg.Points(13)
	labelSize  = vg.Points(11)
	tickSize   = vg.Points(9.5)
	legendSize = vg.Points(10)

	sans     = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: stdfont.WeightBold}
)

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}
}

// lighten mixes c with white: t=0 gives c, t=1 white.
func lighten(c color.Color, t float64) color.RGBA {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8(float64(v>>8)*(1-t) + 255*t + 0.5) }
	return color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 255}
}

// withAlpha returns c with opacity a in [0, 1] (premultiplied, as
// image/color expects).
func withAlpha(c color.Color, a float64) color.RGBA {
	r, g, b, _ := c.RGBA()
	return color.RGBA{R: uint8(float64(r>>8) * a), G: uint8(float64(g>>8) * a), B: uint8(float64(b>>8) * a), A: uint8(255 * a)}
}

// newPlot returns a plot in the house style: sans-serif text, a light grid,
// grey axes, and the legend in the top-right corner on a white box.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := newBarePlot(title, xlabel, ylabel)
	p.Add(gridLines(true))
	return p
}

// gridLines returns the light grid of the house style; vertical false
// leaves out the vertical lines (Bars draws only horizontal ones).
func gridLines(vertical bool) *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical = draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)}
	g.Horizontal = g.Vertical
	if !vertical {
		g.Vertical.Color = nil
	}
	return g
}

// newBarePlot is newPlot without the grid, for figures that draw their
// own (Bars) or cover the whole data area (Heatmap).
func newBarePlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = color.White
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sansBold, titleSize)
	p.Title.TextStyle.Color = textColor
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, labelSize)
		a.Label.TextStyle.Color = textColor
		a.Label.Padding = vg.Points(4)
		a.Tick.Label.Font = font.From(sans, tickSize)
		a.Tick.Label.Color = textColor
		a.Color = axisColor
		a.Width = vg.Points(0.75)
		a.Tick.Color = axisColor
		a.Tick.Width = vg.Points(0.75)
		a.Tick.Length = vg.Points(4)
		a.Padding = vg.Points(4)
		a.Tick.Marker = niceTicks{}
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.TextStyle.Font = font.From(sans, legendSize)
	p.Legend.TextStyle.Color = textColor
	setCorner(&p.Legend, true, false)
	p.Legend.Padding = vg.Points(2)
	p.Legend.ThumbnailWidth = vg.Points(18)
	return p
}

// legendLayer is a plotter, added last, that puts the legend in the corner
// where it covers the fewest of the points in avoid (data coordinates).
// The legend's white box is drawn by legendBox, just before the legend.
//
// A learner who moves the legend (p.Legend.Top, p.Legend.Left) keeps it
// where they put it: the layer only moves a legend that is where it last
// put it.
type legendLayer struct {
	avoid     plotter.XYs
	top, left bool // where the layer last put the legend
}

func (l *legendLayer) Plot(c draw.Canvas, p *plot.Plot) {
	if p.Legend.Top == l.top && p.Legend.Left == l.left {
		l.place(c, p)
	}
}

// addLegend adds a legend entry to p. The first entry gets a legendBox
// as its first thumbnail, which paints the legend's background.
func addLegend(p *plot.Plot, name string, thumbs ...plot.Thumbnailer) {
	if r := p.Legend.Rectangle(draw.Canvas{}); r.Max.Y == r.Min.Y { // no entries yet
		thumbs = append([]plot.Thumbnailer{legendBox{&p.Legend}}, thumbs...)
	}
	p.Legend.Add(name, thumbs...)
}

// legendBox paints a white, slightly see-through box behind a legend, so
// that it stays readable over lines and points. It is the first thumbnail
// of the first entry: Legend.Draw draws it first, on the canvas of the
// first entry's icon, from which it finds the whole legend.
type legendBox struct{ l *plot.Legend }

func (b legendBox) Thumbnail(c *draw.Canvas) {
	r := b.l.Rectangle(draw.Canvas{})
	w, h := r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
	var box vg.Rectangle
	box.Max.Y = c.Max.Y // the top of the first entry
	box.Min.Y = box.Max.Y - h
	if b.l.Left {
		box.Min.X = c.Min.X
		box.Max.X = c.Min.X + w
	} else {
		box.Max.X = c.Max.X
		box.Min.X = c.Max.X - w
	}
	m := vg.Points(4)
	box.Min.X -= m
	box.Max.X += m
	box.Min.Y -= m
	box.Max.Y += m
	c.SetColor(withAlpha(color.White, 0.85))
	c.Fill(box.Path())
	c.SetLineStyle(draw.LineStyle{Color: rgb(0xcccccc), Width: vg.Points(0.5)})
	c.Stroke(box.Path())
}

// place moves the legend to the corner that covers the fewest points,
// preferring top right, top left, bottom right, bottom left on ties.
func (l *legendLayer) place(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	best, bestN := 0, -1
	corners := [4][2]bool{{true, false}, {true, true}, {false, false}, {false, true}}
	for i, k := range corners {
		setCorner(&p.Legend, k[0], k[1])
		r, ok := legendRect(c, p)
		if !ok {
			return
		}
		n, m := 0, vg.Points(4) // m: about a glyph's radius
		for _, pt := range l.avoid {
			x, y := trX(pt.X), trY(pt.Y)
			if x >= r.Min.X-m && x <= r.Max.X+m && y >= r.Min.Y-m && y <= r.Max.Y+m {
				n++
			}
		}
		if bestN < 0 || n < bestN {
			best, bestN = i, n
		}
	}
	setCorner(&p.Legend, corners[best][0], corners[best][1])
	l.top, l.left = corners[best][0], corners[best][1]
}

// setCorner puts the legend in a corner, inset from the edges. (Tick
// labels at the ends of an axis can widen the legend's canvas by a few
// points beyond the data area, hence the generous inset.)
func setCorner(l *plot.Legend, top, left bool) {
	const inset = 8
	l.Top, l.Left = top, left
	l.XOffs, l.YOffs = -vg.Points(inset), -vg.Points(inset)
	if left {
		l.XOffs = vg.Points(inset)
	}
	if !top {
		l.YOffs = vg.Points(inset)
	}
}

// legendRect returns where p's legend is drawn, with a margin around the
// entries, from the data canvas c. (The legend is drawn on the same
// rectangle, except for padding that keeps big glyphs from being clipped.)
// It reports false for an empty legend.
func legendRect(c draw.Canvas, p *plot.Plot) (vg.Rectangle, bool) {
	l := &p.Legend
	full := c
	r := l.Rectangle(full)
	w, h := r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
	if w <= l.ThumbnailWidth || h <= 0 {
		return vg.Rectangle{}, false
	}
	// Legend.Rectangle puts a right-hand legend at the left edge; place the
	// box the way Legend.Draw places the entries.
	var box vg.Rectangle
	em := l.TextStyle.Rectangle(" ").Max.X
	if l.Left {
		box.Min.X = full.Min.X
	} else {
		box.Min.X = full.Max.X - w - em
	}
	box.Max.X = box.Min.X + w + em
	if l.Top {
		box.Max.Y = full.Max.Y
	} else {
		box.Max.Y = full.Min.Y + h
	}
	box.Min.Y = box.Max.Y - h
	box.Min.X += l.XOffs
	box.Max.X += l.XOffs
	box.Min.Y += l.YOffs
	box.Max.Y += l.YOffs
	m := vg.Points(4)
	box.Min.X -= m
	box.Max.X += m
	box.Min.Y -= m
	box.Max.Y += m
	return box, true
}

// finish adds the legend's layer, which places the legend away from the
// points in avoid and paints its background. Every figure function calls
// it after adding its last plotter; plotters added later are drawn over
// the legend's box, which is harmless.
//
// On a log y axis (Options.LogY) it also widens a range that a log scale
// cannot draw: a single value, or no value at all.
func finish(p *plot.Plot, avoid ...plotter.XYs) *plot.Plot {
	p.Add(newLegendLayer(p, avoid...))
	if _, ok := p.Y.Scale.(plot.LogScale); ok {
		switch {
		case !(p.Y.Min > 0) || !finite(p.Y.Max): // no value
			p.Y.Min, p.Y.Max = 1, 10
		case p.Y.Min == p.Y.Max: // one value: a decade around it
			p.Y.Min, p.Y.Max = p.Y.Min/math.Sqrt(10), p.Y.Max*math.Sqrt(10)
		}
	}
	return p
}

func newLegendLayer(p *plot.Plot, avoid ...plotter.XYs) *legendLayer {
	l := &legendLayer{top: p.Legend.Top, left: p.Legend.Left}
	for _, a := range avoid {
		l.avoid = append(l.avoid, a...)
	}
	return l
}

// dense returns the points of the polyline xs, ys with points added along
// each segment, so that a legend is not placed across a long segment.
func dense(xs, ys []float64) plotter.XYs {
	pts := xys(xs, ys)
	if len(pts) >= 200 || len(pts) < 2 {
		return pts
	}
	k := 200 / (len(pts) - 1)
	out := make(plotter.XYs, 0, k*len(pts))
	for i := 0; i+1 < len(pts); i++ {
		a, b := pts[i], pts[i+1]
		for j := range k {
			t := float64(j) / float64(k)
			out = append(out, plotter.XY{X: a.X + t*(b.X-a.X), Y: a.Y + t*(b.Y-a.Y)})
		}
	}
	return append(out, pts[len(pts)-1])
}

// denseScaled is dense for a line drawn on a log x axis (logX) or a log
// y axis (logY): the points in between are spaced evenly in log10 of the
// values on a log axis, so that they lie on the line as it is drawn.
func denseScaled(xs, ys []float64, logX, logY bool) plotter.XYs {
	scale := func(vs []float64, log bool) []float64 {
		if !log {
			return vs
		}
		out := make([]float64, len(vs))
		for i, v := range vs {
			out[i] = math.Log10(v)
		}
		return out
	}
	pts := dense(scale(xs, logX), scale(ys, logY))
	for i := range pts {
		if logX {
			pts[i].X = math.Pow(10, pts[i].X)
		}
		if logY {
			pts[i].Y = math.Pow(10, pts[i].Y)
		}
	}
	return pts
}

// line returns a line plotter of xs against ys in colour c.
func line(xs, ys []float64, c color.Color) *plotter.Line {
	l, err := plotter.NewLine(xys(xs, ys))
	if err != nil {
		panic("plotting: " + err.Error())
	}
	l.LineStyle = draw.LineStyle{Color: c, Width: lineWidth}
	return l
}

// xys pairs xs with ys, dropping pairs that are not finite (a diverged
// loss), which gonum/plot refuses.
func xys(xs, ys []float64) plotter.XYs {
	pts := make(plotter.XYs, 0, len(xs))
	for i := range xs {
		if finite(xs[i]) && finite(ys[i]) {
			pts = append(pts, plotter.XY{X: xs[i], Y: ys[i]})
		}
	}
	return pts
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// edgeGlyph is a filled circle with a thin dark edge, so that points stay
// visible on a coloured background.
type edgeGlyph struct{ edge color.Color }

func (g edgeGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.SetColor(sty.Color)
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: g.edge, Width: vg.Points(0.6)})
	c.Stroke(p)
}

// niceTicks labels about five to seven ticks at a step of 1, 2, 2.5 or 5
// times a power of ten, with as few decimals as the step needs. With whole
// set it marks whole numbers only (epochs, steps).
type niceTicks struct{ whole bool }

func (t niceTicks) Ticks(lo, hi float64) []plot.Tick {
	span := hi - lo
	if !(span > 0) || !finite(span) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	mag := math.Pow(10, math.Floor(math.Log10(span/6)))
	step, decimals := 10*mag, 0
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if t.whole && m == 2.5 && mag < 10 {
			continue // 2.5 or 0.25 is not a whole step
		}
		if span/(m*mag) <= 6.5 {
			step = m * mag
			break
		}
	}
	if t.whole && step < 1 {
		step = 1
	}
	decimals = max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	if s := step / math.Pow(10, -float64(decimals)); math.Abs(s-math.Round(s)) > 1e-6 {
		decimals++ // 2.5, 0.25, ...
	}
	var ticks []plot.Tick
	first := math.Ceil(lo/step - 1e-9)
	for k := first; k*step <= hi+step*1e-9; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0 // not -0
		}
		label := strconv.FormatFloat(v, 'f', decimals, 64)
		if a := math.Abs(v); v != 0 && (a >= 1e6 || a < 1e-4) {
			label = strconv.FormatFloat(v, 'g', 3, 64)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}
