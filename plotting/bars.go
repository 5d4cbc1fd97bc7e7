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
	if yhi-ylo == 0 {
		yhi = 1
	}
	// Room for the values printed on the bars.
	span := yhi - ylo
	if yhi > 0 {
		yhi += 0.08 * span
	}
	if ylo < 0 {
		ylo -= 0.08 * span
	}

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
// c - 0.4 + (group+0.5)·0.8/groups, 0.8/groups wide less a small gap.
type bars struct {
	y             []float64
	group, groups int
	color         color.Color
}

// span returns the left and right edge of the bar of category c.
func (b *bars) span(c int) (x0, x1 float64) {
	w := 0.8 / float64(b.groups)
	x0 = float64(c) - 0.4 + float64(b.group)*w
	gap := math.Min(0.1*w, 0.03)
	if b.groups == 1 {
		gap = 0
	}
	return x0 + gap/2, x0 + w - gap/2
}

func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	c.SetColor(b.color)
	for k, v := range b.y {
		if !finite(v) {
			continue
		}
		x0, x1 := b.span(k)
		r := vg.Rectangle{Min: vg.Point{X: trX(x0), Y: trY(math.Min(0, v))}, Max: vg.Point{X: trX(x1), Y: trY(math.Max(0, v))}}
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
	return -0.5, float64(len(b.y)) - 0.5, ymin, ymax
}

// Thumbnail draws a square of the group's colour for the legend.
func (b *bars) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	h := r.Max.Y - r.Min.Y
	mid := (r.Min.X + r.Max.X) / 2
	sq := vg.Rectangle{Min: vg.Point{X: mid - h/2, Y: r.Min.Y}, Max: vg.Point{X: mid + h/2, Y: r.Max.Y}}
	c.SetColor(b.color)
	c.Fill(sq.Path())
}

// barValues prints the value of each bar above it (below a negative
// bar), after all bars are drawn so that none covers a value. It prints
// nothing if a value is wider than its bar's share of the axis.
type barValues struct{ bars []*bars }

func (v *barValues) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := text.Style{Color: textColor, Font: font.From(sans, vg.Points(8.5)), XAlign: draw.XCenter,
		Handler: plot.DefaultTextHandler}
	for _, b := range v.bars {
		for k, y := range b.y {
			x0, x1 := b.span(k)
			if sty.Width(barLabel(y)) > (trX(x1)-trX(x0))*1.15 {
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
			c.FillText(sty, pt, barLabel(y))
		}
	}
}

// barLabel prints a bar's value with three significant digits.
func barLabel(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }

// zeroLine draws the line y = 0 across the data area, the base of bars
// that go below it.
type zeroLine struct{}

func (zeroLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(0)
	c.StrokeLine2(draw.LineStyle{Color: axisColor, Width: vg.Points(0.75)}, c.Min.X, y, c.Max.X, y)
}
