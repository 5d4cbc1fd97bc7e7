package plotting

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/dlnb/dlnb/dl"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// samplesGrid is the number of grid points per axis at which Samples
// evaluates the density.
const samplesGrid = 200

// Samples draws 2-D samples, such as the output of a GAN's generator
// ([n, 2]), as small orange points over the target density, shaded from
// white (zero) to dark blue (the density's highest value in view; the
// shade follows its square root, so that the tails show). There is no
// legend, which would hide part of the target in the small panels of a
// Row; say in the text that the blue is the target. It shows at a glance
// which modes of the target the samples cover and which they miss (mode
// collapse):
//
//	target := data.RingDensity(8, 2, 0.05)
//	box := plotting.SamplesOptions{Range: [4]float64{-2.8, 2.8, -2.8, 2.8}}
//	var figs []*plotting.Figure
//	for _, step := range steps {
//		box.Title = fmt.Sprintf("step %d", step)
//		figs = append(figs, plotting.Samples(fake[step], target, box))
//	}
//	plotting.Row(figs...).Show()
//
// The density is evaluated at the centres of a 200×200 grid over the
// range of the axes; non-finite and negative values count as 0. A nil
// density draws the samples alone.
//
// The range is opts.Range when it is set: give the same Range to
// snapshots shown side by side, so that they can be compared. Otherwise
// it holds every sample and the region where the density is at least a
// thousandth of its peak, with a margin of a tenth on each side, so that
// modes that no sample reaches still show. The density is searched on a
// grid over the square [−s, s]², s the larger of 4 and 1.5 times the
// largest coordinate of a sample: a target centred near the origin, as
// the toy targets are, is found; set Range for any other.
//
// It uses every field of SamplesOptions; the axes are "x₁" and "x₂" unless
// opts sets them.
//
// Samples panics if samples is not [n, 2], if more than one
// SamplesOptions is given, or if Range is set with xlo ≥ xhi or
// ylo ≥ yhi.
func Samples(samples *dl.Tensor, density func(x, y float64) float64, opts ...SamplesOptions) *Figure {
	o := one("Samples", opts)
	checkSize("Samples", o.Width, o.Height)
	if samples == nil {
		panic("plotting: Samples: samples is nil; want a tensor [n, 2]")
	}
	if s := samples.Shape(); len(s) != 2 || s[1] != 2 {
		panic(fmt.Sprintf("plotting: Samples: samples has shape %v; want [n, 2] (two coordinates per sample)", s))
	}
	x := samples.Data()
	xlo, xhi, ylo, yhi := samplesRange(x, density)
	if o.Range != [4]float64{} {
		xlo, xhi, ylo, yhi = o.Range[0], o.Range[1], o.Range[2], o.Range[3]
		if !(xlo < xhi) || !(ylo < yhi) || !finite(xhi-xlo) || !finite(yhi-ylo) {
			panic(fmt.Sprintf("plotting: Samples: Range %v is empty; want {xlo, xhi, ylo, yhi} with xlo < xhi and ylo < yhi", o.Range))
		}
	}

	p := newPlot("", "x₁", "x₂")
	p.X.Padding, p.Y.Padding = 0, 0
	if density != nil {
		g, top := densityGrid(density, xlo, xhi, ylo, yhi)
		img := image.NewRGBA(image.Rect(0, 0, g.cols, g.rows))
		for r := range g.rows {
			for c := range g.cols {
				t := 0.0
				if top > 0 {
					t = math.Sqrt(g.z[r*g.cols+c] / top) // so that the tails show
				}
				img.SetRGBA(c, g.rows-1-r, blues(t)) // image rows go down, y goes up
			}
		}
		p.Add(plotter.NewImage(img, xlo, ylo, xhi, yhi))
	}
	radius := vg.Points(2)
	if len(x)/2 > 300 {
		radius = vg.Points(1.5)
	}
	s := scatter(nil, nil, Color(1), radius)
	s.XYs = pairs(x)
	s.GlyphStyle.Shape = edgeGlyph{edge: rgb(0x7a3b00)}
	p.Add(noRange{s})
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xlo, xhi, ylo, yhi
	return single(finish(p), Options{Title: o.Title, XLabel: o.XLabel, YLabel: o.YLabel, Width: o.Width, Height: o.Height})
}

// blues returns the colour of t in [0, 1] on a white-to-dark-blue ramp
// (matplotlib's "Blues"), the shading of a density behind points.
func blues(t float64) color.RGBA {
	return ramp([]uint32{0xffffff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c}, t)
}

// samplesRange returns the range of Samples when opts.Range is not set:
// the box of the samples x ([n, 2] data) and of the region where density
// is at least a thousandth of its peak on a grid over [−s, s]², s the
// larger of 4 and 1.5 times the largest coordinate of a sample, with a
// margin of a tenth on each side.
func samplesRange(x []float64, density func(x, y float64) float64) (xlo, xhi, ylo, yhi float64) {
	if density == nil {
		return bounds(x, 0.1)
	}
	s := 4.0
	for _, v := range x {
		if finite(v) {
			s = math.Max(s, 1.5*math.Abs(v))
		}
	}
	g, top := densityGrid(density, -s, s, -s, s)
	all := append([]float64(nil), x...)
	for r := range g.rows {
		for c := range g.cols {
			if top > 0 && g.z[r*g.cols+c] >= 1e-3*top {
				all = append(all, g.X(c), g.Y(r))
			}
		}
	}
	return bounds(all, 0.1)
}

// densityGrid evaluates density on a samplesGrid×samplesGrid grid over
// [xlo, xhi]×[ylo, yhi], with non-finite and negative values as 0, and
// returns it with its highest value.
func densityGrid(density func(x, y float64) float64, xlo, xhi, ylo, yhi float64) (g *grid, top float64) {
	g = newGrid(samplesGrid, samplesGrid, xlo, xhi, ylo, yhi)
	for r := range g.rows {
		for c := range g.cols {
			z := density(g.X(c), g.Y(r))
			if !finite(z) || z < 0 {
				z = 0
			}
			g.z[r*g.cols+c] = z
			top = math.Max(top, z)
		}
	}
	return g, top
}
