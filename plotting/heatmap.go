package plotting

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap draws a table of numbers as coloured cells: values[i][j] is
// the cell in row i and column j, and rows go from the top down, as a
// table reads, so values[0] is the top row. Row i is labelled
// opts.YTicks[i] on the left and column j opts.XTicks[j] below; nil ticks
// label rows and columns 0, 1, 2, ...
//
// The colour of a cell runs from dark purple for the smallest value to
// yellow for the largest (the viridis map), and a colour bar on the right
// gives the scale. Each cell shows its value printed with opts.Format
// (such as "%.2f", or "%.0f" for counts; "" means "%.3g"), in white on dark
// cells and in black on light ones; when the cells are too small for the
// text, the values are left out. Non-finite values get a grey cell and
// read "n/a": NaN stands for a value that does not exist, such as the
// precision of a search with nothing to find.
//
// For signed values, such as a difference where plus means one thing wins
// and minus the other, set opts.Diverging: the colours then run from blue
// (negative) through white (0) to red (positive), on a range symmetric
// around 0, so that wins and losses look opposite and 0 looks neutral.
//
// It suits results over two experiment settings (accuracy for each
// amount of label noise and each training-set size), a confusion matrix
// (true classes as rows, predicted classes as columns) and attention
// weights (AttentionMap draws those with the tokens as labels):
//
//	plotting.Heatmap(acc, plotting.HeatmapOptions{Title: "test accuracy",
//		XLabel: "label noise", XTicks: []string{"0%", "10%", "20%"}, Format: "%.2f"}).Show()
//
// Heatmap panics if values has no rows or no columns, if its rows differ
// in length, if more than one HeatmapOptions is given, or if XTicks or
// YTicks is not nil and has another length than the columns or rows.
func Heatmap(values [][]float64, opts ...HeatmapOptions) *Figure {
	o := one("Heatmap", opts)
	checkSize("Heatmap", o.Width, o.Height)
	xticks, yticks, format := o.XTicks, o.YTicks, o.Format
	rows := len(values)
	if rows == 0 || len(values[0]) == 0 {
		panic(fmt.Sprintf("plotting: Heatmap: values has shape [%d %d]; want at least one row and column", rows, cols0(values)))
	}
	cols := len(values[0])
	for i, r := range values {
		if len(r) != cols {
			panic(fmt.Sprintf("plotting: Heatmap: row 0 has %d values but row %d has %d", cols, i, len(r)))
		}
	}
	if xticks != nil && len(xticks) != cols {
		panic(fmt.Sprintf("plotting: Heatmap: %d XTicks for %d columns", len(xticks), cols))
	}
	if yticks != nil && len(yticks) != rows {
		panic(fmt.Sprintf("plotting: Heatmap: %d YTicks for %d rows", len(yticks), rows))
	}
	if format == "" {
		format = "%.3g"
	}
	cells := newHeatCells(values, format, o.Diverging)
	p := heatPlot(cells, labelsOr(xticks, cols), labelsOr(yticks, rows), tickFit{most: 20, span: vg.Points(250)})
	p.Add(cells.bar())
	return single(finish(p), Options{Title: o.Title, XLabel: o.XLabel, YLabel: o.YLabel, Width: o.Width, Height: o.Height})
}

// newHeatCells returns the cells of values, printed with format, on the
// scale of their range, or with diverging on a range symmetric around 0.
func newHeatCells(values [][]float64, format string, diverging bool) *heatCells {
	lo, hi := valueRange(values)
	if diverging {
		m := math.Max(math.Abs(lo), math.Abs(hi))
		lo, hi = -m, m
	}
	return &heatCells{values: values, format: format, lo: lo, hi: hi, diverging: diverging}
}

// valueRange returns the range of the finite values of a table, widened
// to a range of 1 around a constant, and [0, 1] when none is finite.
func valueRange(values [][]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, r := range values {
		for _, v := range r {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	switch {
	case lo > hi: // no finite value
		lo, hi = 0, 1
	case hi-lo < 1e-12*math.Max(1, math.Abs(lo)):
		lo, hi = lo-0.5, hi+0.5
	}
	return lo, hi
}

// heatPlot returns a plot of the cells, without a title, axis labels or
// colour bar, with the columns labelled xticks from the left and the rows
// yticks from the top, as fit says; the caller calls finish.
func heatPlot(cells *heatCells, xticks, yticks []string, fit tickFit) *plot.Plot {
	rows, cols := len(cells.values), len(cells.values[0])
	p := newBarePlot("", "", "")
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Min, p.X.Max = -0.5, float64(cols)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(rows)-0.5
	fit.axis(&p.X, xticks, false)
	fit.axis(&p.Y, yticks, true)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Width = 0 // the cells are the frame
	}
	p.Add(cells)
	return p
}

// bar returns the colour bar of the cells' scale.
func (h *heatCells) bar() *colorBar {
	cmap := func(t float64) color.Color { return viridis(t) }
	if h.diverging {
		cmap = func(t float64) color.Color { return blueWhiteRed(t) }
	}
	return &colorBar{cmap: cmap, lo: h.lo, hi: h.hi, ticks: niceTicks{}}
}

// cols0 is the length of the first row of values, or 0.
func cols0(values [][]float64) int {
	if len(values) == 0 {
		return 0
	}
	return len(values[0])
}

// labelsOr returns labels, or "0", "1", ... n-1 when labels is nil.
func labelsOr(labels []string, n int) []string {
	if labels != nil {
		return labels
	}
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}

// categoryAxis labels the whole positions 0, 1, ... of axis a with
// labels, without tick marks: from the bottom up, or from the top down if
// topDown is set. Of more than 20 labels only every k-th is shown, so
// that about 12 remain (an attention map of 64 tokens). Long labels on a
// horizontal axis are slanted so that they do not run into each other.
func categoryAxis(a *plot.Axis, labels []string, topDown bool) {
	// A single plot's data area is about 420 points wide, a panel of a
	// row of three about 250; slant when the labels would not fit that.
	tickFit{most: 20, span: vg.Points(250)}.axis(a, labels, topDown)
}

// tickFit says how many category labels an axis shows and when they are
// slanted: all of them up to most labels, else every k-th, so that about
// 12 remain; labels on a horizontal axis are slanted when they would not
// fit side by side in span, the expected length of the axis.
type tickFit struct {
	most int
	span vg.Length
}

// axis labels the whole positions of a as categoryAxis does, as fit says.
func (fit tickFit) axis(a *plot.Axis, labels []string, topDown bool) {
	every := 1
	if len(labels) > fit.most {
		every = (len(labels) + 11) / 12
	}
	ticks := make(plot.ConstantTicks, 0, len(labels))
	widest := vg.Length(0)
	for i, l := range labels {
		if i%every != 0 {
			continue
		}
		v := float64(i)
		if topDown {
			v = float64(len(labels) - 1 - i)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: l})
		widest = max(widest, a.Tick.Label.Width(l))
	}
	a.Tick.Marker = ticks
	a.Tick.Width = 0 // no tick marks, only a small gap before the labels
	a.Tick.Length = vg.Points(3)
	if !topDown && fit.slanted(widest, len(ticks)) {
		a.Tick.Label.Rotation = math.Pi / 6
		a.Tick.Label.XAlign = draw.XRight
		a.Tick.Label.YAlign = draw.YTop
	}
}

// slanted reports whether n labels on a horizontal axis, the widest
// widest, are slanted: when they would not fit side by side in span.
func (fit tickFit) slanted(widest vg.Length, n int) bool {
	return n > 1 && widest+vg.Points(6) > fit.span/vg.Length(n)
}

// heatCells draws the cells of a Heatmap and their values; row 0 is at
// the top.
type heatCells struct {
	values [][]float64
	format string // prints a value; "" prints none
	lo, hi float64
	// diverging colours the cells blue–white–red instead of viridis.
	diverging bool
}

func (h *heatCells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(len(h.values[0])) - 0.5, -0.5, float64(len(h.values)) - 0.5
}

// color returns the colour of a cell of value v.
func (h *heatCells) color(v float64) color.RGBA {
	if !finite(v) {
		return rgb(0xd0d0d0)
	}
	if h.diverging {
		return blueWhiteRed((v - h.lo) / (h.hi - h.lo))
	}
	return viridis((v - h.lo) / (h.hi - h.lo))
}

// blueWhiteRed is a diverging colour map for t in [0, 1]: blue at 0, white
// at 0.5, red at 1 (ColorBrewer's RdBu, reversed).
func blueWhiteRed(t float64) color.RGBA {
	return ramp([]uint32{0x2166ac, 0x67a9cf, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xef8a62, 0xb2182b}, t)
}

// text returns the printed value of every cell, row by row.
func (h *heatCells) text() [][]string {
	out := make([][]string, len(h.values))
	for i, r := range h.values {
		out[i] = make([]string, len(r))
		for j, v := range r {
			out[i][j] = "n/a"
			if finite(v) {
				out[i][j] = fmt.Sprintf(h.format, v)
			}
		}
	}
	return out
}

func (h *heatCells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	rows := len(h.values)
	edge := draw.LineStyle{Color: color.White, Width: vg.Points(0.75)}
	cell := func(i, j int) vg.Rectangle {
		y := float64(rows - 1 - i)
		return vg.Rectangle{
			Min: vg.Point{X: trX(float64(j) - 0.5), Y: trY(y - 0.5)},
			Max: vg.Point{X: trX(float64(j) + 0.5), Y: trY(y + 0.5)},
		}
	}
	if cols := len(h.values[0]); rows > 40 || cols > 40 {
		// Many small cells: one picture, each cell a block of pixels, so
		// that no seams show between cells (an attention map).
		k := max(1, 480/max(rows, cols))
		img := image.NewRGBA(image.Rect(0, 0, cols*k, rows*k))
		for y := range rows * k {
			for x := range cols * k {
				img.SetRGBA(x, y, h.color(h.values[y/k][x/k]))
			}
		}
		all := vg.Rectangle{Min: cell(rows-1, 0).Min, Max: cell(0, cols-1).Max}
		c.DrawImage(all, img)
	} else {
		for i, r := range h.values {
			for j, v := range r {
				c.SetColor(h.color(v))
				c.Fill(cell(i, j).Path())
				c.SetLineStyle(edge)
				c.Stroke(cell(i, j).Path())
			}
		}
	}

	if h.format == "" {
		return
	}
	// The largest font, up to 11 points, at which every value fits its
	// cell; none below 6 points.
	labels := h.text()
	size := cell(0, 0).Size()
	sty := text.Style{Font: font.From(sans, vg.Points(11)), XAlign: draw.XCenter, YAlign: draw.YCenter,
		Handler: plot.DefaultTextHandler}
	widest := vg.Length(0)
	for _, r := range labels {
		for _, l := range r {
			widest = max(widest, sty.Width(l))
		}
	}
	pt := 11.0
	if widest > 0 {
		pt = math.Min(pt, 11*float64(size.X*0.86/widest))
	}
	pt = math.Min(pt, 11*float64(size.Y*0.7/sty.Height("0")))
	if pt < 6 {
		return
	}
	sty.Font = font.From(sans, vg.Points(pt))
	for i, r := range labels {
		for j, l := range r {
			sty.Color = contrastText(h.color(h.values[i][j]))
			r := cell(i, j)
			c.FillText(sty, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}, l)
		}
	}
}

// contrastText returns the colour of text on a background bg: white or
// the house's near-black, whichever contrasts more with bg (by the
// relative luminance of WCAG 2), so white on dark cells and black on
// light ones.
func contrastText(bg color.Color) color.Color {
	l := luminance(bg)
	dark := luminance(textColor)
	if 1.05/(l+0.05) > (l+0.05)/(dark+0.05) {
		return color.White
	}
	return textColor
}

// luminance is the relative luminance of c, from 0 (black) to 1 (white).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// colorBar draws, to the right of the data area, a vertical bar of the
// colours cmap(t) for t from 0 (bottom, value lo) to 1 (top, value hi),
// with ticks and an optional label along its right side. Its glyph box
// makes the plot leave room for it.
type colorBar struct {
	cmap   func(t float64) color.Color
	lo, hi float64
	ticks  plot.Ticker
	label  string
}

// Sizes of a colour bar.
var (
	barGap   = vg.Points(12) // between the data area and the bar
	barWidth = vg.Points(11)
	barTick  = vg.Points(3.5)
)

func (b *colorBar) tickStyle() text.Style {
	return text.Style{Color: textColor, Font: font.From(sans, tickSize), XAlign: draw.XLeft, YAlign: draw.YCenter,
		Handler: plot.DefaultTextHandler}
}

func (b *colorBar) labelStyle() text.Style {
	return text.Style{Color: textColor, Font: font.From(sans, labelSize), XAlign: draw.XCenter, YAlign: draw.YTop,
		Rotation: math.Pi / 2, Handler: plot.DefaultTextHandler}
}

// width is the room the bar takes to the right of the data area.
func (b *colorBar) width() vg.Length {
	w := barGap + barWidth + barTick + vg.Points(3)
	sty := b.tickStyle()
	widest := vg.Length(0)
	for _, t := range b.ticks.Ticks(b.lo, b.hi) {
		widest = max(widest, sty.Width(t.Label))
	}
	w += widest
	if b.label != "" {
		w += vg.Points(6) + b.labelStyle().Height(b.label)
	}
	return w + vg.Points(2)
}

func (b *colorBar) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	return []plot.GlyphBox{{X: 1, Y: 0.5, Rectangle: vg.Rectangle{Max: vg.Point{X: b.width()}}}}
}

func (b *colorBar) Plot(c draw.Canvas, p *plot.Plot) {
	x0 := c.Max.X + barGap
	x1 := x0 + barWidth
	y0, h := c.Min.Y, c.Max.Y-c.Min.Y
	const strips = 64
	for k := range strips {
		lo := y0 + h*vg.Length(k)/strips
		hi := y0 + h*vg.Length(k+1)/strips
		if k < strips-1 {
			hi += vg.Points(0.5) // overlap, so that no seam shows
		}
		r := vg.Rectangle{Min: vg.Point{X: x0, Y: lo}, Max: vg.Point{X: x1, Y: hi}}
		c.SetColor(b.cmap((float64(k) + 0.5) / strips))
		c.Fill(r.Path())
	}
	frame := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: c.Max.Y}}
	c.SetLineStyle(draw.LineStyle{Color: axisColor, Width: vg.Points(0.5)})
	c.Stroke(frame.Path())

	sty := b.tickStyle()
	line := draw.LineStyle{Color: axisColor, Width: vg.Points(0.75)}
	widest := vg.Length(0)
	for _, t := range b.ticks.Ticks(b.lo, b.hi) {
		if t.Value < b.lo-1e-9*(b.hi-b.lo) || t.Value > b.hi+1e-9*(b.hi-b.lo) {
			continue
		}
		y := y0 + h*vg.Length((t.Value-b.lo)/(b.hi-b.lo))
		length := barTick
		if t.IsMinor() {
			length /= 2
		}
		c.StrokeLine2(line, x1, y, x1+length, y)
		if !t.IsMinor() {
			c.FillText(sty, vg.Point{X: x1 + barTick + vg.Points(3), Y: y}, t.Label)
			widest = max(widest, sty.Width(t.Label))
		}
	}
	if b.label != "" {
		x := x1 + barTick + vg.Points(3) + widest + vg.Points(6)
		c.FillText(b.labelStyle(), vg.Point{X: x, Y: y0 + h/2}, b.label)
	}
}
