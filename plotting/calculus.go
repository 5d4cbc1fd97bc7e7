package plotting

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Tangent plots f on [lo, hi] with its tangent line at x0, the line that
// touches f at (x0, f(x0)) with slope f'(x0). The slope is estimated by a
// central difference and printed in the legend. The y axis spans f's
// values on [lo, hi]; the tangent is cut off where it leaves them.
//
//	plotting.Tangent(math.Sin, 1, -math.Pi, math.Pi).Show()
//
// It uses Title, XLabel, YLabel, Width and Height of Options; the title is
// "tangent at x = x0" and the axes "x" and "f(x)" unless opts sets them;
// the curve's legend entry is the y axis's label.
//
// Tangent panics unless lo < hi.
func Tangent(f func(float64) float64, x0, lo, hi float64, opts ...Options) *Figure {
	o := options("Tangent", opts, "LogY")
	if !(lo < hi) {
		panic(fmt.Sprintf("plotting: Tangent: empty range [%g, %g]", lo, hi))
	}
	const n = 201
	xs, ys := make([]float64, n), make([]float64, n)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for i := range xs {
		xs[i] = lo + (hi-lo)*float64(i)/(n-1)
		ys[i] = f(xs[i])
		if finite(ys[i]) {
			ymin, ymax = math.Min(ymin, ys[i]), math.Max(ymax, ys[i])
		}
	}
	y0, slope := f(x0), derivative(f, x0)

	p := newPlot(fmt.Sprintf("tangent at x = %.4g", x0), "x", "f(x)")
	curve := line(xs, ys, Color(0))
	tan := line([]float64{lo, hi}, []float64{y0 + slope*(lo-x0), y0 + slope*(hi-x0)}, Color(3))
	tan.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
	pt := scatter([]float64{x0}, []float64{y0}, Color(3), vg.Points(4.5))
	p.Add(curve, tan, pt)
	name := "f(x)"
	if o.YLabel != "" { // the curve is what the y axis shows
		name = o.YLabel
	}
	addLegend(p, name, curve)
	addLegend(p, fmt.Sprintf("tangent, slope %.3f", slope), tan)

	if finite(y0) {
		ymin, ymax = math.Min(ymin, y0), math.Max(ymax, y0)
	}
	if ymin < ymax {
		m := 0.06 * (ymax - ymin)
		p.Y.Min, p.Y.Max = ymin-m, ymax+m
	}
	p.X.Min, p.X.Max = lo, hi
	return single(finish(p, curve.XYs, dense([]float64{lo, hi}, []float64{y0 + slope*(lo-x0), y0 + slope*(hi-x0)})), o)
}

// derivative estimates f'(x) by the central difference
// (f(x+h) - f(x-h)) / 2h, with h scaled to x.
func derivative(f func(float64) float64, x float64) float64 {
	h := 1e-5 * math.Max(1, math.Abs(x))
	return (f(x+h) - f(x-h)) / (2 * h)
}

// scatter returns a scatter plotter of points of colour c with a dark
// edge.
func scatter(xs, ys []float64, c color.Color, radius vg.Length) *plotter.Scatter {
	s, err := plotter.NewScatter(xys(xs, ys))
	if err != nil {
		panic("plotting: " + err.Error())
	}
	s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: radius, Shape: edgeGlyph{edge: edgeColor}}
	return s
}

// contourGrid is the number of grid points per axis of Contour.
const contourGrid = 160

// Contour draws the function f(x, y), such as a loss over two weights, on
// [xlo, xhi]×[ylo, yhi]: filled colour bands (dark where f is low, light
// where it is high) and contour lines at levels spaced on a log scale
// above f's minimum, so that the rings stay visible close to the minimum.
// Add optimizer paths to it with Path.
//
// It uses Title, XLabel, YLabel, Width and Height of Options; the axes are
// "x" and "y" unless opts sets them.
//
// Contour panics unless xlo < xhi and ylo < yhi.
func Contour(f func(x, y float64) float64, xlo, xhi, ylo, yhi float64, opts ...Options) *Figure {
	o := options("Contour", opts, "LogY")
	if !(xlo < xhi) || !(ylo < yhi) {
		panic(fmt.Sprintf("plotting: Contour: empty range [%g, %g]×[%g, %g]", xlo, xhi, ylo, yhi))
	}
	g := newGrid(contourGrid, contourGrid, xlo, xhi, ylo, yhi)
	zmin, zmax := math.Inf(1), math.Inf(-1)
	for r := range g.rows {
		for c := range g.cols {
			z := f(g.X(c), g.Y(r))
			g.z[r*g.cols+c] = z
			if finite(z) {
				zmin, zmax = math.Min(zmin, z), math.Max(zmax, z)
			}
		}
	}

	p := newPlot("", "x", "y")
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xlo, xhi, ylo, yhi
	if zmin < zmax {
		// Bands: the colour of log10((z-zmin)/(zmax-zmin)), from -decades to 0.
		const decades = 3.0
		norm := func(z float64) float64 {
			s := (z - zmin) / (zmax - zmin)
			return 1 + math.Log10(math.Max(s, math.Pow(10, -decades)))/decades
		}
		img := image.NewRGBA(image.Rect(0, 0, g.cols, g.rows))
		for r := range g.rows {
			for c := range g.cols {
				z := g.z[r*g.cols+c]
				col := color.RGBA{R: 255, G: 255, B: 255, A: 255}
				if finite(z) {
					col = lighten(viridis(norm(z)), 0.25)
				}
				img.SetRGBA(c, g.rows-1-r, col) // image rows go down, y goes up
			}
		}
		p.Add(plotter.NewImage(img, xlo, ylo, xhi, yhi))

		const nLevels = 14
		levels := make([]float64, nLevels)
		for i := range levels {
			e := -decades + decades*float64(i)/nLevels
			levels[i] = zmin + (zmax-zmin)*math.Pow(10, e)
		}
		ct := plotter.NewContour(g, levels, nil)
		ct.LineStyles = []draw.LineStyle{{Color: withAlpha(color.White, 0.7), Width: vg.Points(0.75)}}
		p.Add(ct)
	}
	l := newLegendLayer(p)
	p.Add(l)
	pathMu.Lock()
	pathLayers[p] = l
	pathMu.Unlock()
	return single(p, o)
}

// grid is a plotter.GridXYZ of values on a regular grid; row r is at
// y = Y(r), from ylo up, and column c at x = X(c).
type grid struct {
	cols, rows         int
	xlo, xhi, ylo, yhi float64
	z                  []float64 // row-major
}

func newGrid(cols, rows int, xlo, xhi, ylo, yhi float64) *grid {
	return &grid{cols: cols, rows: rows, xlo: xlo, xhi: xhi, ylo: ylo, yhi: yhi, z: make([]float64, cols*rows)}
}

func (g *grid) Dims() (c, r int)   { return g.cols, g.rows }
func (g *grid) Z(c, r int) float64 { return g.z[r*g.cols+c] }
func (g *grid) X(c int) float64 {
	return g.xlo + (g.xhi-g.xlo)*(float64(c)+0.5)/float64(g.cols)
}
func (g *grid) Y(r int) float64 {
	return g.ylo + (g.yhi-g.ylo)*(float64(r)+0.5)/float64(g.rows)
}

// viridis returns the colour of t in [0, 1] on matplotlib's viridis map,
// interpolated between 9 stops.
func viridis(t float64) color.RGBA {
	return ramp([]uint32{0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaadc32, 0xfde725}, t)
}

// ramp returns the colour of t in [0, 1] on the colour map through the
// evenly spaced colours stops (0xRRGGBB), interpolated linearly.
func ramp(stops []uint32, t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t)) * float64(len(stops)-1)
	i := min(int(t), len(stops)-2)
	a, b := rgb(stops[i]), rgb(stops[i+1])
	u := t - float64(i)
	mix := func(x, y uint8) uint8 { return uint8(float64(x)*(1-u) + float64(y)*u + 0.5) }
	return color.RGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 255}
}

// Path adds to f, a figure from Contour (or any figure of one plot), the
// path of an optimizer: the points pts in order, joined by a line, with
// small markers, the start drawn as an open circle and the end as a filled
// one, and label in the legend. Each path on a plot gets the next colour.
// The path does not change the plot's ranges: parts outside them (a
// diverging run) are cut off.
//
//	f := plotting.Contour(loss, -2, 2, -1, 1)
//	plotting.Path(f, pts, "SGD")
//	f.Show()
//
// Path panics if f has several plots: add the paths before Row or Grid.
func Path(f *Figure, pts [][2]float64, label string) {
	p := onePlot("Path", f)
	c := nextPathColor(p)
	xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
	for i, pt := range pts {
		xs[i], ys[i] = pt[0], pt[1]
	}
	l := line(xs, ys, c)
	l.Width = vg.Points(1.5)
	dots := scatter(xs, ys, c, vg.Points(2))
	dots.GlyphStyle.Shape = draw.CircleGlyph{}
	p.Add(noRange{l})
	if len(pts) <= 300 {
		p.Add(noRange{dots})
	}
	if n := len(pts); n > 0 {
		start := scatter(xs[:1], ys[:1], color.White, vg.Points(4.5))
		start.GlyphStyle.Shape = edgeGlyph{edge: c}
		end := scatter(xs[n-1:], ys[n-1:], c, vg.Points(4.5))
		end.GlyphStyle.Shape = edgeGlyph{edge: color.White}
		p.Add(noRange{start}, noRange{end})
	}
	addLegend(p, label, l, dots)
	avoidLegend(p, xs, ys)
}

// noRange hides a plotter's data range and glyph boxes from the plot, so
// that adding it does not change the axes.
type noRange struct{ plot.Plotter }

// pathCounts counts the paths added to each plot, to give each the next
// colour, and pathLayers holds each plot's legend layer, which must avoid
// the paths. The path colours are chosen to stand out on viridis.
var (
	pathMu     sync.Mutex
	pathCounts = map[*plot.Plot]int{}
	pathLayers = map[*plot.Plot]*legendLayer{}
	pathColors = []color.Color{Color(3), Color(1), Color(6), rgb(0x111111), Color(9), Color(5)}
)

func nextPathColor(p *plot.Plot) color.Color {
	pathMu.Lock()
	defer pathMu.Unlock()
	i := pathCounts[p]
	pathCounts[p] = i + 1
	return pathColors[i%len(pathColors)]
}
