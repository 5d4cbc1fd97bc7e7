package plotting

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bars draws a grouped bar chart for small comparisons: one cluster of
// bars per category, labelled below, with one bar per group in the
// group's colour of the palette and a legend of the group names (unnamed
// groups are left out of it). groups[g].Y[k] is the height of group g's
// bar for categories[k]; X is not used. For example, a bandit's
// estimated value of each arm against the true mean:
//
//	plotting.Bars([]string{"arm 0", "arm 1", "arm 2"},
//		[]plotting.Series{{Name: "estimate", Y: est}, {Name: "true mean", Y: mean}},
//		plotting.Options{Title: "arms", YLabel: "value"}).Show()
//
// or one group of accuracies for "clean", "collect more" and "do nothing".
// Each bar shows its value above it (below a negative bar) while the bars
// are wide enough for the text.
//
// It uses Title, XLabel, YLabel, Width and Height of Options (not LogY: a
// bar stands on 0).
//
// Bars panics if a group does not have one value per category.
func Bars(categories []string, groups []Series, opts ...Options) *Figure {
	o := options("Bars", opts, "LogY")
	k := len(categories)
	for _, g := range groups {
		if len(g.Y) != k {
			panic(fmt.Sprintf("plotting: Bars: group %q has %d values for %d categories", g.Name, len(g.Y), k))
		}
	}
	p := newBarePlot("", "", "")
	p.Add(gridLines(false))
	categoryAxis(&p.X, categories, false)
	p.X.Padding = 0
	p.X.Min, p.X.Max = -0.5, math.Max(float64(k)-0.5, 0.5)

	ylo, yhi := 0.0, 0.0
	for _, g := range groups {
		for _, v := range g.Y {
			if finite(v) {
				ylo, yhi = math.Min(ylo, v), math.Max(yhi, v)
			}
		}
	}
	span := yhi - ylo // before the room for the values printed on the bars
	if span == 0 {
		span = 1
	}
	ylo, yhi = barRange(ylo, yhi, 0.08)

	var all []*bars
	var avoid []float64 // points inside the bars, as [n, 2] data, for the legend
	entries := 0
	for gi, g := range groups {
		b := &bars{y: g.Y, group: gi, groups: len(groups), color: Color(gi)}
		p.Add(b)
		all = append(all, b)
		if g.Name != "" {
			addLegend(p, g.Name, b)
			entries++
		}
		for c, v := range g.Y {
			if !finite(v) {
				continue
			}
			x0, x1 := b.span(c)
			for i := range 5 {
				for j := range 11 {
					avoid = append(avoid, x0+(x1-x0)*float64(i)/4, v*float64(j)/10)
				}
			}
			avoid = append(avoid, (x0+x1)/2, v+math.Copysign(0.06*span, v))
		}
	}
	p.Add(&barValues{bars: all})
	if ylo == 0 {
		p.Y.Padding = 0 // the bars stand on the x axis
	} else {
		p.Add(zeroLine{})
	}
	if entries > 0 {
		yhi = legendRoom(avoid, p.X.Min, p.X.Max, ylo, yhi, entries)
	}
	p.Y.Min, p.Y.Max = ylo, yhi
	return single(finish(p, pairs(avoid)), o)
}

// bars is one group of a Bars chart: the bar of category c stands at
// first + c - 0.4 + (group+0.5)·0.8/groups, 0.8/groups wide less a small
// gap. first is 0 in Bars and 1 in LayerBars (layer 1, 2, ...). On a log
// y axis the bars stand on the bottom of the axis, and values ≤ 0 are
// left out.
type bars struct {
	y             []float64
	group, groups int
	color         color.Color
	first         float64
}

// span returns the left and right edge of the bar of category c.
func (b *bars) span(c int) (x0, x1 float64) {
	w := 0.8 / float64(b.groups)
	x0 = b.first + float64(c) - 0.4 + float64(b.group)*w
	gap := math.Min(0.1*w, 0.03)
	if b.groups == 1 {
		gap = 0
	}
	return x0 + gap/2, x0 + w - gap/2
}

func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	c.SetColor(b.color)
	base := 0.0
	_, log := p.Y.Scale.(plot.LogScale)
	if log {
		base = p.Y.Min
	}
	for k, v := range b.y {
		if !finite(v) || (log && !(v > 0)) {
			continue
		}
		x0, x1 := b.span(k)
		r := vg.Rectangle{Min: vg.Point{X: trX(x0), Y: trY(math.Min(base, v))}, Max: vg.Point{X: trX(x1), Y: trY(math.Max(base, v))}}
		c.Fill(r.Path())
	}
}

func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = 0, 0
	for _, v := range b.y {
		if finite(v) {
			ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
		}
	}
	return b.first - 0.5, b.first + float64(len(b.y)) - 0.5, ymin, ymax
}

// Thumbnail draws a square of the group's colour for the legend.
func (b *bars) Thumbnail(c *draw.Canvas) { swatch{b.color}.Thumbnail(c) }

// swatch is a legend thumbnail: a square of one colour.
type swatch struct{ c color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	h := r.Max.Y - r.Min.Y
	mid := (r.Min.X + r.Max.X) / 2
	sq := vg.Rectangle{Min: vg.Point{X: mid - h/2, Y: r.Min.Y}, Max: vg.Point{X: mid + h/2, Y: r.Max.Y}}
	c.SetColor(s.c)
	c.Fill(sq.Path())
}

// barValues prints the value of each bar above it (below a negative
// bar), after all bars are drawn so that none covers a value. All values
// get the same number of decimals (see barDecimals), so that 8.3 and 0.1
// read as the same scale. It prints nothing if a value is wider than
// its bar's share of the axis.
type barValues struct{ bars []*bars }

func (v *barValues) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := text.Style{Color: textColor, Font: font.From(sans, vg.Points(8.5)), XAlign: draw.XCenter,
		Handler: plot.DefaultTextHandler}
	var all []float64
	for _, b := range v.bars {
		all = append(all, b.y...)
	}
	d := barDecimals(all)
	for _, b := range v.bars {
		for k, y := range b.y {
			x0, x1 := b.span(k)
			if sty.Width(barLabel(y, d)) > (trX(x1)-trX(x0))*1.15 {
				return
			}
		}
	}
	for _, b := range v.bars {
		for k, y := range b.y {
			if !finite(y) {
				continue
			}
			x0, x1 := b.span(k)
			pt := vg.Point{X: trX((x0 + x1) / 2), Y: trY(y)}
			if y >= 0 {
				sty.YAlign = draw.YBottom
				pt.Y += vg.Points(2)
			} else {
				sty.YAlign = draw.YTop
				pt.Y -= vg.Points(2)
			}
			c.FillText(sty, pt, barLabel(y, d))
		}
	}
}

// barLabel prints a bar's value with d decimals.
func barLabel(v float64, d int) string { return strconv.FormatFloat(v, 'f', d, 64) }

// barDecimals returns the decimals that bar values vs share: none if
// every finite value is whole, else enough for two significant digits of
// the largest magnitude (8.31 gives 1, so 0.0742 prints as 0.1), and at
// most 6.
func barDecimals(vs []float64) int {
	largest := 0.0
	for _, v := range vs {
		if finite(v) {
			largest = math.Max(largest, math.Abs(v))
		}
	}
	if whole(vs) || largest == 0 {
		return 0
	}
	return min(6, max(0, 1-int(math.Floor(math.Log10(largest)))))
}

// zeroLine draws the line y = 0 across the data area, the base of bars
// that go below it.
type zeroLine struct{}

func (zeroLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(0)
	c.StrokeLine2(draw.LineStyle{Color: axisColor, Width: vg.Points(0.75)}, c.Min.X, y, c.Max.X, y)
}

// LayerBars draws one bar per layer of a network, such as the norm of the
// gradient that reaches each layer: a panel per series, side by side, with
// the layers 1, 2, ..., len(Y) on the x axis and the series' Name as the
// panel's title. The panels share their y axis, so that series of
// different lengths compare at a glance: the gradient norms of a plain
// network of depth 4 beside those of depth 32, where they vanish towards
// the first layers. Use LogY when the values span several powers of ten;
// the bars then stand on the bottom of the axis, and values ≤ 0 are left
// out.
//
//	plotting.LayerBars([]plotting.Series{{Name: "depth 4", Y: norms4}, {Name: "depth 32", Y: norms32}},
//		plotting.Options{Title: "gradient norm per layer at initialization", YLabel: "‖∇W‖", LogY: true}).Show()
//
// It uses every field of Options: Title goes above all panels, YLabel
// beside each, and the x axis is "layer" unless XLabel sets it. A single
// series gives a figure of one plot.
//
// LayerBars panics if a series has X set (the layers number the bars).
func LayerBars(series []Series, opts ...Options) *Figure {
	o := options("LayerBars", opts)
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for i, s := range series {
		if s.X != nil {
			panic(fmt.Sprintf("plotting: LayerBars: series %d (%q) has X; leave it nil, the bars are layers 1, 2, ..., len(Y)", i, s.Name))
		}
		for _, v := range positive(s.Y, o.LogY) {
			if finite(v) {
				ylo, yhi = math.Min(ylo, v), math.Max(yhi, v)
			}
		}
	}
	switch {
	case ylo > yhi: // no values
		ylo, yhi = 0, 1
		if o.LogY {
			ylo, yhi = 1, 10
		}
	case o.LogY:
		// A fifth of a decade of room above the highest bar and below
		// the lowest, which would otherwise not show.
		m := math.Max(0.2*math.Log10(yhi/ylo), 0.2)
		ylo, yhi = ylo/math.Pow(10, m), yhi*math.Pow(10, 0.5*m)
	default:
		ylo, yhi = barRange(math.Min(ylo, 0), math.Max(yhi, 0), 0.05)
	}
	xlabel := "layer"
	if o.XLabel != "" {
		xlabel = o.XLabel
	}
	var plots []*plot.Plot
	for i, s := range series {
		p := newBarePlot(s.Name, xlabel, o.YLabel)
		p.Add(gridLines(false))
		p.Add(&bars{y: s.Y, groups: 1, color: Color(i), first: 1})
		if !o.LogY && ylo < 0 {
			p.Add(zeroLine{})
		}
		p.X.Tick.Marker = niceTicks{whole: true}
		p.X.Padding = 0
		p.X.Min, p.X.Max = 0.5, math.Max(float64(len(s.Y)), 1)+0.5
		if o.LogY {
			logY(p)
		} else if ylo == 0 {
			p.Y.Padding = 0 // the bars stand on the x axis
		}
		p.Y.Min, p.Y.Max = ylo, yhi
		plots = append(plots, finish(p))
	}
	return withOptions(&Figure{Plots: [][]*plot.Plot{plots}}, o)
}

// barRange returns the y range of bars whose values span [ylo, yhi], a
// range that holds 0: at least 1 wide, and widened by frac of its span at
// each end away from 0.
func barRange(ylo, yhi, frac float64) (lo, hi float64) {
	if yhi-ylo == 0 {
		yhi = 1
	}
	span := yhi - ylo
	if yhi > 0 {
		yhi += frac * span
	}
	if ylo < 0 {
		ylo -= frac * span
	}
	return ylo, yhi
}
