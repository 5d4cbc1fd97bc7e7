package plotting

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TimelinePoint is one point of a Timeline: a model, say, with the Year it
// appeared (fractions allowed: 2012.75 is October 2012), its Value (such
// as its training compute in FLOPs), the Label written beside it, and the
// Group it belongs to (such as "milestones" or "this course"), which
// gives it its colour, its marker and its fitted line.
type TimelinePoint struct {
	Label       string
	Year, Value float64
	Group       string
}

// Timeline draws values that grow by orders of magnitude over the years,
// such as the training compute of milestone models: Year on the x axis,
// Value on a logarithmic y axis (ticks at powers of ten: 1e12, 1e15,
// ...), each point labelled with its Label in small text beside it (put
// where it overlaps no other label, when there is such a place).
//
// Each Group gets a colour and a marker shape, in the order of the
// groups' first points, and a legend entry. A group of at least two points
// in different years also gets its least-squares line through
// log10(Value) against Year, an exponential trend, drawn across the
// group's years; its legend entry gives the doubling time of that trend,
// as DoublingTime computes it. Points with the Group "" are drawn and
// fitted as one group without a legend entry.
//
//	plotting.Timeline([]plotting.TimelinePoint{
//		{Label: "AlexNet", Year: 2012.4, Value: 4.7e17, Group: "milestones"},
//		{Label: "AlphaGo Zero", Year: 2017.8, Value: 3.4e23, Group: "milestones"},
//		{Label: "our CNN", Year: 2012.4, Value: 2.1e13, Group: "this course"},
//	}, plotting.Options{Title: "training compute", YLabel: "FLOPs"}).Show()
//
// It uses every field of Options; the axes are "year" and "value" unless
// opts sets them. The y axis is always logarithmic: LogY may be set, and
// changes nothing.
//
// Timeline panics if a point's Year is not finite or its Value is not a
// finite number > 0, which a log axis cannot show; the message names the
// point.
func Timeline(points []TimelinePoint, opts ...Options) *Figure {
	o := options("Timeline", opts)
	p := newPlot("", "year", "value")
	logY(p)
	p.X.Tick.Marker = niceTicks{whole: true}
	labels := &pointLabels{}
	var avoid []plotter.XYs
	for g, grp := range timelineGroups(points) {
		for i, pt := range grp.points {
			labels.add(grp.years[i], grp.values[i], pt.Label)
		}
		entry := grp.name
		var thumbs []plot.Thumbnailer
		if grp.fitted {
			xs := []float64{slices.Min(grp.years), slices.Max(grp.years)}
			ys := []float64{math.Pow(10, grp.alpha+grp.beta*xs[0]), math.Pow(10, grp.alpha+grp.beta*xs[1])}
			l := line(xs, ys, withAlpha(Color(g), 0.8))
			l.Width = vg.Points(1.25)
			l.Dashes = []vg.Length{vg.Points(5), vg.Points(2.5)}
			p.Add(l)
			thumbs = append(thumbs, l)
			entry += ", " + doublingText(grp.beta)
			avoid = append(avoid, denseScaled(xs, ys, false, true))
		}
		s := scatter(grp.years, grp.values, Color(g), vg.Points(4))
		s.GlyphStyle.Shape = marker(g)
		p.Add(s)
		thumbs = append(thumbs, s)
		if grp.name != "" {
			addLegend(p, entry, thumbs...)
		}
		avoid = append(avoid, xys(grp.years, grp.values))
	}
	p.Add(labels)

	if len(points) > 0 {
		ylo := slices.MinFunc(points, func(a, b TimelinePoint) int { return cmp.Compare(a.Value, b.Value) }).Value
		yhi := slices.MaxFunc(points, func(a, b TimelinePoint) int { return cmp.Compare(a.Value, b.Value) }).Value
		xlo := slices.MinFunc(points, func(a, b TimelinePoint) int { return cmp.Compare(a.Year, b.Year) }).Year
		xhi := slices.MaxFunc(points, func(a, b TimelinePoint) int { return cmp.Compare(a.Year, b.Year) }).Year
		// Room around the points for their labels: a tenth of the span
		// (at least half a year, and a third of a decade) on each side.
		mx := math.Max(0.5, 0.1*(xhi-xlo))
		my := math.Max(1.0/3, 0.1*math.Log10(yhi/ylo))
		p.X.Min, p.X.Max = xlo-mx, xhi+mx
		p.Y.Min, p.Y.Max = ylo/math.Pow(10, my), yhi*math.Pow(10, my)
	}
	return single(finish(p, avoid...), o)
}

// timelineGroup is one group of a Timeline: its points, and the
// least-squares line log10(value) = alpha + beta·year when it is fitted
// (at least two points, in different years).
type timelineGroup struct {
	name          string
	points        []TimelinePoint
	years, values []float64
	fitted        bool
	alpha, beta   float64
}

// timelineGroups splits points into their groups, in the order of the
// groups' first points, and fits each group's line. It panics as Timeline
// does.
func timelineGroups(points []TimelinePoint) []*timelineGroup {
	var groups []*timelineGroup
	byName := map[string]*timelineGroup{}
	for i, pt := range points {
		if !finite(pt.Year) || !(pt.Value > 0) || math.IsInf(pt.Value, 0) {
			panic(fmt.Sprintf("plotting: Timeline: point %d (%q) has year %v and value %v; want a finite year and a finite value > 0 (a log axis cannot show %v)",
				i, pt.Label, pt.Year, pt.Value, pt.Value))
		}
		g := byName[pt.Group]
		if g == nil {
			g = &timelineGroup{name: pt.Group}
			byName[pt.Group] = g
			groups = append(groups, g)
		}
		g.points = append(g.points, pt)
		g.years, g.values = append(g.years, pt.Year), append(g.values, pt.Value)
	}
	for _, g := range groups {
		if slices.Min(g.years) < slices.Max(g.years) {
			g.fitted = true
			g.alpha, g.beta = logFit(g.years, g.values)
		}
	}
	return groups
}

// DoublingTime returns the doubling time, in months, of the exponential
// trend through values against years: the least-squares line through
// log10(values) against years (stat.LinearRegression) has a slope of b
// decades per year, so the values double every 12·log10(2)/b months. It
// is the trend that Timeline draws, and the number of Amodei and
// Hernandez's "AI and Compute" (2018): the compute of the largest training
// runs doubled every 3.4 months from 2012 to 2018.
//
//	months := plotting.DoublingTime([]float64{2012, 2013, 2014}, []float64{1e17, 1e18, 1e19}) // 3.6
//
// A falling trend gives a negative time (the values halve every −months
// months), and a flat one +Inf.
//
// DoublingTime panics if years and values differ in length, if there are
// fewer than two points, if a year is not finite or a value not a finite
// number > 0, or if all years are the same (no trend over time).
func DoublingTime(years, values []float64) (months float64) {
	if len(years) != len(values) {
		panic(fmt.Sprintf("plotting: DoublingTime: %d years but %d values", len(years), len(values)))
	}
	if len(years) < 2 {
		panic(fmt.Sprintf("plotting: DoublingTime: %d points; want at least 2 to fit a trend", len(years)))
	}
	for i := range years {
		if !finite(years[i]) || !(values[i] > 0) || math.IsInf(values[i], 0) {
			panic(fmt.Sprintf("plotting: DoublingTime: point %d has year %v and value %v; want a finite year and a finite value > 0",
				i, years[i], values[i]))
		}
	}
	if slices.Min(years) == slices.Max(years) {
		panic(fmt.Sprintf("plotting: DoublingTime: every point is in year %v; want points in at least two different years", years[0]))
	}
	_, beta := logFit(years, values)
	return 12 * math.Log10(2) / beta
}

// logFit returns the least-squares line log10(value) = alpha + beta·year.
func logFit(years, values []float64) (alpha, beta float64) {
	logs := make([]float64, len(values))
	for i, v := range values {
		logs[i] = math.Log10(v)
	}
	return stat.LinearRegression(years, logs, nil, false)
}

// doublingText describes a trend of beta decades per year for a legend:
// "doubles every 3.4 months", "halves every 12 months", or in years beyond
// two years.
func doublingText(beta float64) string {
	if beta == 0 {
		return "flat"
	}
	months := 12 * math.Log10(2) / math.Abs(beta)
	verb := "doubles"
	if beta < 0 {
		verb = "halves"
	}
	switch {
	case months > 24:
		return fmt.Sprintf("%s every %.1f years", verb, months/12)
	case months >= 10:
		return fmt.Sprintf("%s every %.0f months", verb, months)
	}
	return fmt.Sprintf("%s every %.1f months", verb, months)
}

// marker returns the marker shape of group g: a circle, square, triangle,
// diamond, downward triangle or star, each filled with a dark edge, then
// again from the circle.
func marker(g int) draw.GlyphDrawer {
	edge := edgeColor
	switch g % 6 {
	case 1:
		return polygonGlyph{sides: 4, turn: math.Pi / 4, edge: edge}
	case 2:
		return polygonGlyph{sides: 3, turn: math.Pi / 2, edge: edge}
	case 3:
		return polygonGlyph{sides: 4, edge: edge}
	case 4:
		return polygonGlyph{sides: 3, turn: -math.Pi / 2, edge: edge}
	case 5:
		return starGlyph{edge: edge}
	}
	return edgeGlyph{edge: edge}
}

// polygonGlyph is a regular polygon of the given number of sides, with a
// corner at the angle turn, filled and with a thin edge. Its corners lie
// a little beyond the glyph's radius, so that it looks as big as a circle
// of that radius.
type polygonGlyph struct {
	sides int
	turn  float64
	edge  color.Color
}

func (g polygonGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * vg.Length(1+0.5/float64(g.sides))
	drawShape(c, pt, g.sides, func(k int) (vg.Length, float64) {
		return r, g.turn + 2*math.Pi*float64(k)/float64(g.sides)
	}, sty.Color, g.edge, vg.Points(0.6))
}

// drawShape fills a closed polygon of n corners around pt, corner k at
// distance and angle corner(k), in fill, and strokes its edge.
func drawShape(c *draw.Canvas, pt vg.Point, n int, corner func(k int) (vg.Length, float64), fill, edge color.Color, width vg.Length) {
	var p vg.Path
	for k := range n {
		r, a := corner(k)
		q := vg.Point{X: pt.X + r*vg.Length(math.Cos(a)), Y: pt.Y + r*vg.Length(math.Sin(a))}
		if k == 0 {
			p.Move(q)
		} else {
			p.Line(q)
		}
	}
	p.Close()
	c.SetColor(fill)
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: edge, Width: width})
	c.Stroke(p)
}

// pointLabels writes a small label beside each of its points, in data
// coordinates. It places the labels one by one, from the left, each at the
// first of eight places around its point (right, left, above, below, then
// the diagonals) where it overlaps no label placed before, no point, and
// stays inside the data area; when there is no such place, it takes the
// place with the least overlap.
type pointLabels struct {
	xs, ys []float64
	text   []string
}

// add adds a point with its label; an empty label is not written, but
// other labels still keep clear of its point.
func (l *pointLabels) add(x, y float64, label string) {
	l.xs, l.ys, l.text = append(l.xs, x), append(l.ys, y), append(l.text, label)
}

// labelStyle is the style of the labels of a Timeline.
func labelStyle() text.Style {
	return text.Style{Color: rgb(0x333333), Font: font.From(sans, vg.Points(7.5)), Handler: plot.DefaultTextHandler}
}

func (l *pointLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := labelStyle()
	pts := make([]vg.Point, len(l.xs))
	for i := range l.xs {
		pts[i] = vg.Point{X: trX(l.xs[i]), Y: trY(l.ys[i])}
	}
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(pts[a].X, pts[b].X) })

	const pad = 1         // points between boxes that count as touching
	gap := vg.Points(5.5) // from a point's centre to its label
	mark := vg.Points(4.5)
	var placed []vg.Rectangle
	for _, i := range order {
		if l.text[i] == "" {
			continue
		}
		w, h := sty.Width(l.text[i]), sty.Height(l.text[i])
		at := pts[i]
		// Lower-left corners of the eight candidate boxes.
		d := gap * 0.75
		candidates := []vg.Point{
			{X: at.X + gap, Y: at.Y - h/2},
			{X: at.X - gap - w, Y: at.Y - h/2},
			{X: at.X - w/2, Y: at.Y + gap},
			{X: at.X - w/2, Y: at.Y - gap - h},
			{X: at.X + d, Y: at.Y + d},
			{X: at.X + d, Y: at.Y - d - h},
			{X: at.X - d - w, Y: at.Y + d},
			{X: at.X - d - w, Y: at.Y - d - h},
		}
		best, bestCost := 0, math.Inf(1)
		for k, ll := range candidates {
			r := vg.Rectangle{Min: ll, Max: vg.Point{X: ll.X + w, Y: ll.Y + h}}
			cost := 0.0
			if r.Min.X < c.Min.X || r.Max.X > c.Max.X || r.Min.Y < c.Min.Y || r.Max.Y > c.Max.Y {
				cost += 1e6
			}
			for _, q := range placed {
				cost += overlap(r, q, pad)
			}
			for j, q := range pts {
				if j != i {
					cost += overlap(r, vg.Rectangle{Min: vg.Point{X: q.X - mark, Y: q.Y - mark}, Max: vg.Point{X: q.X + mark, Y: q.Y + mark}}, 0)
				}
			}
			if cost < bestCost {
				best, bestCost = k, cost
			}
			if cost == 0 {
				break
			}
		}
		ll := candidates[best]
		placed = append(placed, vg.Rectangle{Min: ll, Max: vg.Point{X: ll.X + w, Y: ll.Y + h}})
		c.FillText(sty, ll, l.text[i])
	}
}

// overlap returns the area (in square points) where a and b, each grown
// by pad, overlap.
func overlap(a, b vg.Rectangle, pad vg.Length) float64 {
	w := min(a.Max.X, b.Max.X) - max(a.Min.X, b.Min.X) + 2*pad
	h := min(a.Max.Y, b.Max.Y) - max(a.Min.Y, b.Min.Y) + 2*pad
	if w <= 0 || h <= 0 {
		return 0
	}
	return float64(w * h)
}
