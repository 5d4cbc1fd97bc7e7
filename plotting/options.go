package plotting

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
)

// Options are the settings that figures share. The zero value is fine: an
// empty or zero field keeps the figure's own choice (its default title and
// axis labels, 640×400 pixels for one plot, linear axes). Each figure
// function says which fields it uses; setting one that it does not use
// panics, so that no setting is silently ignored.
type Options struct {
	// Title is the title above the figure.
	Title string
	// XLabel and YLabel name the axes.
	XLabel, YLabel string
	// Width and Height are the figure's size in CSS pixels (shown at that
	// size in the notebook, saved at Scale times the pixels as PNG).
	Width, Height int
	// LogY draws the y axis on a log scale, for values that span several
	// powers of ten, such as errors; values ≤ 0 are left out.
	LogY bool
	// ClassName is the word that Clusters writes before each number in
	// its legend: "digit" gives "digit 0", "digit 1", ...; "" keeps
	// "cluster". Only Clusters uses it.
	ClassName string
}

// HeatmapOptions are the settings of a Heatmap: the title, axis labels
// and size, as in Options (a heatmap has no log axis), and the labels of
// the rows and columns and the format of the numbers in the cells. The
// zero value is fine.
type HeatmapOptions struct {
	Title          string
	XLabel, YLabel string
	Width, Height  int
	// XTicks labels the columns, from the left, and YTicks the rows, from
	// the top; nil numbers them 0, 1, 2, ...
	XTicks, YTicks []string
	// Format prints each cell's value, as in fmt: "%.2f", or "%.0f" for
	// counts; "" means "%.3g".
	Format string
	// Diverging colours signed values on a scale centred at 0: blue
	// below, white at 0, red above (see Heatmap).
	Diverging bool
}

// ImageOptions are the settings of Images. The zero value is fine. (The
// size of the figure follows from the images and the columns.)
type ImageOptions struct {
	// Title is the title above the grid.
	Title string
	// Captions holds one caption per image, written below it, such as
	// "true 3 / pred 8"; nil means no captions.
	Captions []string
	// Columns is the number of images per row; 0 means up to 10.
	Columns int
}

// SamplesOptions are the settings of Samples: the title, axis labels and
// size, as in Options (its axes are not logarithmic), and the range of
// the axes. The zero value is fine.
type SamplesOptions struct {
	Title          string
	XLabel, YLabel string
	Width, Height  int
	// Range fixes the axes to [xlo, xhi]×[ylo, yhi], given as {xlo, xhi,
	// ylo, yhi} (the order of Contour's arguments), so that snapshots
	// taken at different steps and shown side by side with Row share
	// their axes. The zero value chooses the range from the samples (see
	// Samples).
	Range [4]float64
}

// options returns the one Options that a figure function was given, or
// the zero Options. It panics if opts has more than one, if a size is
// negative, or if a field is set that the figure fig does not use (named
// in unused: "XLabel", "YLabel", "Width", "Height", "LogY").
func options(fig string, opts []Options, unused ...string) Options {
	o := one(fig, opts)
	checkSize(fig, o.Width, o.Height)
	if o.ClassName != "" && fig != "Clusters" {
		panic(fmt.Sprintf("plotting: %s: Options.ClassName is not used by this figure (only by Clusters); leave it unset", fig))
	}
	for _, name := range unused {
		set := false
		switch name {
		case "XLabel":
			set = o.XLabel != ""
		case "YLabel":
			set = o.YLabel != ""
		case "Width":
			set = o.Width != 0
		case "Height":
			set = o.Height != 0
		case "LogY":
			set = o.LogY
		default:
			panic("plotting: options: unknown field " + name)
		}
		if set {
			panic(fmt.Sprintf("plotting: %s: Options.%s is not used by this figure; leave it unset", fig, name))
		}
	}
	return o
}

// one returns the one options value of opts, or the zero value; it panics,
// naming the figure fig, if opts has more than one.
func one[T any](fig string, opts []T) T {
	var o T
	if len(opts) > 1 {
		panic(fmt.Sprintf("plotting: %s: %d %T values; pass at most one", fig, len(opts), o))
	}
	if len(opts) == 1 {
		o = opts[0]
	}
	return o
}

// checkSize panics if a figure size is negative.
func checkSize(fig string, w, h int) {
	if w < 0 || h < 0 {
		panic(fmt.Sprintf("plotting: %s: size %d×%d; want 0 (chosen for you) or a size in CSS pixels", fig, w, h))
	}
}

// label sets the title and axis labels of p that o sets, keeping p's own
// where o leaves them empty.
func label(p *plot.Plot, o Options) {
	if o.Title != "" {
		p.Title.Text = o.Title
	}
	if o.XLabel != "" {
		p.X.Label.Text = o.XLabel
	}
	if o.YLabel != "" {
		p.Y.Label.Text = o.YLabel
	}
}

// single returns the figure of one plot p, with o's title, labels and
// size.
func single(p *plot.Plot, o Options) *Figure {
	label(p, o)
	return &Figure{Plots: [][]*plot.Plot{{p}}, Width: o.Width, Height: o.Height}
}

// logY puts p's y axis on a log scale, with the ticks of logTicks.
func logY(p *plot.Plot) {
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = logTicks{}
}

// positive returns ys with every value ≤ 0, which a log axis cannot show,
// replaced by NaN, which the figures leave out; with log false it returns
// ys.
func positive(ys []float64, log bool) []float64 {
	if !log || ys == nil {
		return ys
	}
	out := make([]float64, len(ys))
	for i, v := range ys {
		out[i] = v
		if !(v > 0) {
			out[i] = math.NaN()
		}
	}
	return out
}

// withOptions sets the title and size of f, a figure of several plots, that
// o sets.
func withOptions(f *Figure, o Options) *Figure {
	if o.Title != "" {
		f.Title = o.Title
	}
	f.Width, f.Height = o.Width, o.Height
	return f
}
