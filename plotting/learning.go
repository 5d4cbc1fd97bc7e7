package plotting

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Band is one series of a LearningCurve with its spread: Y[i] is the mean
// over runs (seeds) at X[i], and Lo[i] and Hi[i] the edges of the band
// drawn around it, such as the mean minus and plus one standard deviation
// (see MeanStd). Lo and Hi are optional: leave both nil for a plain line.
// A nil X means 1, 2, 3, ...; Name is the legend entry (unnamed bands are
// left out of the legend).
//
// MarkMin marks the band's lowest point on a LearningCurve: a large dark
// star at the point, a dashed line from it down to the x axis, and a
// legend entry such as "lowest test: 0.142 at 8". It is the point of the
// U-curve where a model is just large enough: smaller models underfit,
// larger ones overfit. MarkMax marks the highest point the same way
// ("highest test: 0.913 at 64"): use it for accuracy. Non-finite values
// are skipped.
type Band struct {
	Name             string
	X, Y, Lo, Hi     []float64
	MarkMin, MarkMax bool
}

// MeanStd returns, position by position, the mean of runs and the band one
// standard deviation around it: runs[r][i] is the value of run r (one seed)
// at position i (one training-set size, one model size), and
//
//	mean[i] = (runs[0][i] + ... + runs[R-1][i]) / R
//	lo[i], hi[i] = mean[i] - std[i], mean[i] + std[i]
//
// with the population standard deviation, std² = Σ (v - mean)² / R, as
// numpy's std computes by default; a single run gives a band of width 0.
// The results fit Band{Y: mean, Lo: lo, Hi: hi}.
//
// MeanStd panics if there are no runs or they differ in length.
func MeanStd(runs [][]float64) (mean, lo, hi []float64) {
	if len(runs) == 0 {
		panic("plotting: MeanStd: no runs")
	}
	n := len(runs[0])
	for r, run := range runs {
		if len(run) != n {
			panic(fmt.Sprintf("plotting: MeanStd: run 0 has %d values but run %d has %d", n, r, len(run)))
		}
	}
	mean, lo, hi = make([]float64, n), make([]float64, n), make([]float64, n)
	k := float64(len(runs))
	for i := range n {
		s := 0.0
		for _, run := range runs {
			s += run[i]
		}
		m := s / k
		v := 0.0
		for _, run := range runs {
			v += (run[i] - m) * (run[i] - m)
		}
		std := math.Sqrt(v / k)
		mean[i], lo[i], hi[i] = m, m-std, m+std
	}
	return mean, lo, hi
}

// LearningCurve plots experiment results against a setting: accuracy
// against the number of training examples (train and test), against the
// number of labels (active against random choice), or error against
// model size. Each band is a line with markers in the next colour of the
// palette, over a shaded band from Lo to Hi in a light shade of the same
// colour, with a legend of the names.
//
// When every x is positive and the largest is more than 20 times the
// smallest (training-set sizes 10, 100, 1000), the x axis is logarithmic,
// so that equal ratios get equal room; its ticks are the x values
// themselves when there are few of them. To get a linear axis back:
//
//	f.Plot().X.Scale, f.Plot().X.Tick.Marker = plot.LinearScale{}, plot.DefaultTicks{}
//
// Band.MarkMin and Band.MarkMax mark the best point of a band:
//
//	plotting.LearningCurve([]plotting.Band{
//		{Name: "train", Y: trainErr},
//		{Name: "test", Y: testErr, MarkMin: true},
//	}, plotting.Options{Title: "error against capacity", LogY: true}).Show()
//
// It uses every field of Options; there is no title or axis label unless
// opts sets them.
//
// LearningCurve panics if a band has X, Lo or Hi (when not nil) of another
// length than Y, or only one of Lo and Hi, or if a band to mark has no
// finite point.
func LearningCurve(bands []Band, opts ...Options) *Figure {
	o := options("LearningCurve", opts)
	p := newPlot("", "", "")
	if o.LogY {
		logY(p)
		bands = slices.Clone(bands) // the caller's bands stay as they are
		for i, b := range bands {
			b.Y, b.Lo, b.Hi = positive(b.Y, true), positive(b.Lo, true), positive(b.Hi, true)
			bands[i] = b
		}
	}
	xss := make([][]float64, len(bands))
	var all []float64
	for i, b := range bands {
		xss[i] = bandX("LearningCurve", b)
		all = append(all, xss[i]...)
	}
	logX := logSpan(all)
	if logX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTicks{at: all}
	} else {
		p.X.Tick.Marker = niceTicks{whole: whole(all)}
	}
	// How legend placement samples a line: evenly in log x on a log axis.
	denseAxis := func(xs, ys []float64) plotter.XYs { return denseScaled(xs, ys, logX, false) }

	var avoid []plotter.XYs
	for i, b := range bands {
		xs, c := xss[i], Color(i)
		var thumbs []plot.Thumbnailer
		if b.Lo != nil {
			if shade := bandPolygon(xs, b.Lo, b.Hi, c); shade != nil {
				p.Add(shade)
				thumbs = append(thumbs, bandThumb{withAlpha(c, 0.2)})
			}
			avoid = append(avoid, denseAxis(xs, b.Lo), denseAxis(xs, b.Hi))
		}
		l := line(xs, b.Y, c)
		p.Add(l)
		thumbs = append(thumbs, l)
		if len(b.Y) <= 50 {
			dots := scatter(xs, b.Y, c, vg.Points(3))
			dots.GlyphStyle.Shape = draw.CircleGlyph{}
			p.Add(dots)
			thumbs = append(thumbs, dots)
		}
		if b.Name != "" {
			addLegend(p, b.Name, thumbs...)
		}
		avoid = append(avoid, denseAxis(xs, b.Y))
	}
	for _, b := range bands { // the marks over every line
		if b.MarkMin {
			markBest(p, b, "lowest", -1)
		}
		if b.MarkMax {
			markBest(p, b, "highest", 1)
		}
	}
	return single(finish(p, avoid...), o)
}

// bandX checks the lengths of b's slices and returns its x values.
func bandX(op string, b Band) []float64 {
	n := len(b.Y)
	check := func(name string, v []float64) {
		if v != nil && len(v) != n {
			panic(fmt.Sprintf("plotting: %s: band %q has %d %s values and %d y values", op, b.Name, len(v), name, n))
		}
	}
	check("x", b.X)
	check("lo", b.Lo)
	check("hi", b.Hi)
	if (b.Lo == nil) != (b.Hi == nil) {
		panic(fmt.Sprintf("plotting: %s: band %q has only one of Lo and Hi", op, b.Name))
	}
	if b.X == nil {
		return epochs(n)
	}
	return b.X
}

// logSpan reports whether the finite values xs are all positive and the
// largest is more than 20 times the smallest: then a log axis shows them
// better.
func logSpan(xs []float64) bool {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range xs {
		if finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return lo > 0 && hi > 20*lo
}

// bandPolygon returns the area between lo and hi over xs, filled with a
// light, see-through shade of c, or nil if fewer than two points are
// finite.
func bandPolygon(xs, lo, hi []float64, c color.Color) *plotter.Polygon {
	var top, bottom plotter.XYs
	for i := range xs {
		if finite(xs[i]) && finite(lo[i]) && finite(hi[i]) {
			top = append(top, plotter.XY{X: xs[i], Y: hi[i]})
			bottom = append(bottom, plotter.XY{X: xs[i], Y: lo[i]})
		}
	}
	if len(top) < 2 {
		return nil
	}
	slices.Reverse(bottom)
	poly, err := plotter.NewPolygon(append(top, bottom...))
	if err != nil {
		panic("plotting: " + err.Error())
	}
	poly.Color = withAlpha(c, 0.2)
	poly.LineStyle.Width = 0
	return poly
}

// bandThumb is the legend icon of a band: a shaded strip behind the line.
type bandThumb struct{ c color.Color }

func (b bandThumb) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	h := r.Max.Y - r.Min.Y
	r.Min.Y += h * 0.15
	r.Max.Y -= h * 0.15
	c.SetColor(b.c)
	c.Fill(r.Path())
}

// markBest marks the lowest (sign -1) or highest (sign 1) point of b on
// p, as Band.MarkMin and Band.MarkMax say.
func markBest(p *plot.Plot, b Band, word string, sign float64) {
	xs := bandX("LearningCurve", b)
	best := -1
	for i, y := range b.Y {
		if finite(xs[i]) && finite(y) && (best < 0 || sign*y > sign*b.Y[best]) {
			best = i
		}
	}
	if best < 0 {
		panic(fmt.Sprintf("plotting: LearningCurve: band %q has no finite point to mark as the %s", b.Name, word))
	}
	x, y := xs[best], b.Y[best]
	drop := vline{x: x, y: y, style: draw.LineStyle{Color: rgb(0x444444), Width: vg.Points(1),
		Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}}
	star := scatter([]float64{x}, []float64{y}, rgb(0x222222), vg.Points(7.5))
	star.GlyphStyle.Shape = starGlyph{edge: color.White}
	p.Add(drop, star)
	label := word
	if b.Name != "" {
		label += " " + b.Name
	}
	addLegend(p, fmt.Sprintf("%s: %s at %s", label, strconv.FormatFloat(y, 'g', 3, 64), strconv.FormatFloat(x, 'g', 4, 64)), star)
}

// vline is a vertical line at x, from y down to the bottom of the data
// area, to read off the x of a marked point.
type vline struct {
	x, y  float64
	style draw.LineStyle
}

func (v vline) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x := trX(v.x)
	c.StrokeLine2(v.style, x, trY(v.y), x, c.Min.Y)
}

// starGlyph is a five-pointed star with an edge, the mark of a best point.
type starGlyph struct{ edge color.Color }

func (g starGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	drawShape(c, pt, 10, func(k int) (vg.Length, float64) {
		r := sty.Radius
		if k%2 == 1 {
			r *= 0.45
		}
		return r, math.Pi/2 + float64(k)*math.Pi/5
	}, sty.Color, g.edge, vg.Points(1))
}

// logTicks marks a logarithmic axis. With few values in at (at most 10,
// well spread, such as training-set sizes 10, 30, 100, 300, 1000) it
// labels those values; on an axis whose top is less than 5 times its
// bottom it labels the ticks of a linear axis; otherwise it labels 1, 2
// and 5 times the powers of ten (only the powers beyond three decades,
// and only every k-th power beyond eight, so that at most eight are
// labelled). Other whole multiples of the powers of ten (up to four
// decades) and the unlabelled powers get minor ticks.
type logTicks struct{ at []float64 }

func (t logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) || !finite(hi) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	var major, minor []float64
	if vs := t.values(lo, hi); vs != nil {
		major = vs
	} else if hi < 5*lo {
		// Less than a decade or so, with few powers of ten to mark: the
		// ticks of a linear axis.
		var ticks []plot.Tick
		for _, tk := range (niceTicks{}).Ticks(lo, hi) {
			if tk.Value > 0 {
				ticks = append(ticks, tk)
			}
		}
		return ticks
	} else {
		mantissas := []float64{1, 2, 5}
		if math.Log10(hi/lo) > 3 {
			mantissas = []float64{1}
		}
		// Over many decades, every k-th power, so that at most 8 are
		// labelled (1e0, 1e3, 1e6, ... over 24 decades); the other powers
		// get minor ticks.
		every := math.Ceil(math.Log10(hi/lo) / 8)
		for e := math.Floor(math.Log10(lo)); math.Pow(10, e) <= hi; e++ {
			for _, m := range mantissas {
				v := m * math.Pow(10, e)
				if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
					continue
				}
				if math.Mod(e, every) == 0 {
					major = append(major, v)
				} else {
					minor = append(minor, v)
				}
			}
		}
	}
	var ticks []plot.Tick
	wide := math.Log10(hi/lo) > 6 // powers of ten as 1e3, 1e6, not 1000
	for _, v := range major {
		label := logLabel(v)
		if wide && (v >= 1e3 || v < 1e-2) {
			label = compactExp(strconv.FormatFloat(v, 'e', -1, 64))
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	for _, v := range minor {
		ticks = append(ticks, plot.Tick{Value: v})
	}
	if math.Log10(hi/lo) <= 4 {
		for e := math.Floor(math.Log10(lo)); math.Pow(10, e) <= hi; e++ {
			for m := 1.0; m <= 9; m++ {
				v := m * math.Pow(10, e)
				if v >= lo && v <= hi && !slices.ContainsFunc(major, func(u float64) bool { return math.Abs(u-v) < 1e-9*v }) {
					ticks = append(ticks, plot.Tick{Value: v})
				}
			}
		}
	}
	return ticks
}

// values returns the distinct values of t.at in [lo, hi], sorted, if
// there are 2 to 10 of them and no two are closer than a tenth of the
// axis (in log units); else nil.
func (t logTicks) values(lo, hi float64) []float64 {
	var vs []float64
	for _, v := range t.at {
		if finite(v) && v >= lo && v <= hi {
			vs = append(vs, v)
		}
	}
	slices.Sort(vs)
	vs = slices.Compact(vs)
	if len(vs) < 2 || len(vs) > 10 {
		return nil
	}
	span := math.Log10(hi / lo)
	for i := 1; i < len(vs); i++ {
		if math.Log10(vs[i]/vs[i-1]) < span/10 {
			return nil
		}
	}
	return vs
}

// logLabel prints a tick value of a log axis with up to six significant
// digits: 0.001, 0.3, 20, 5000, or 1e6 (and 1e-5, 2.5e12: without Go's +
// and leading zeros in the exponent).
func logLabel(v float64) string { return compactExp(strconv.FormatFloat(v, 'g', 6, 64)) }

// compactExp writes the exponent of a number printed by strconv without
// its + and leading zeros: 1e+06 as 1e6, 2.5e-05 as 2.5e-5.
func compactExp(s string) string {
	m, e, ok := strings.Cut(s, "e")
	if !ok {
		return s
	}
	sign := ""
	if e[0] == '-' {
		sign = "-"
	}
	return m + "e" + sign + strings.TrimLeft(e[1:], "0")
}
