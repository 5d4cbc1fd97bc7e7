package plotting

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/dlnb/dlnb/dl"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Images draws grayscale images in a grid, each with its caption below it
// (opts.Captions), such as "true 3 / pred 8". The size of the images comes
// from the shape of x:
//   - [n, h, w] or [n, 1, h, w]: n images of h×w pixels, such as a batch
//     for Conv2D or its learned filters;
//   - [n, k] with k a square: n square images of √k×√k pixels, one per
//     row, in row-major order (8×8 digits: [n, 64]);
//   - [k] with k a square: one square image.
//
// Each image is scaled on its own from its lowest value (white) to its
// highest (black), so that digits show as dark ink on paper and learned
// filters show their pattern whatever their scale.
//
//	plotting.Images(digits.X, plotting.ImageOptions{Captions: labels, Columns: 10}).Show()
//
// opts.Columns ≤ 0 chooses up to 10 columns. The figure is sized so that
// each image is about 96 pixels wide (less with more than 9 columns).
//
// Images panics if x has another shape (reshape it first, e.g. with
// dl.Reshape(x, n, h, w)), if more than one ImageOptions is given, or if
// Captions is not nil and does not have one caption per image.
func Images(x *dl.Tensor, opts ...ImageOptions) *Figure {
	o := one("Images", opts)
	g := imageGrid{title: o.Title, captions: o.Captions, w: 1, h: 1}
	if x != nil {
		var n int
		n, g.h, g.w = imageShape("Images: x", x.Shape())
		for i := range n {
			g.images = append(g.images, x.Data()[i*g.w*g.h:(i+1)*g.w*g.h])
		}
	}
	if o.Captions != nil && len(o.Captions) != len(g.images) {
		panic(fmt.Sprintf("plotting: Images: %d captions for %d images", len(o.Captions), len(g.images)))
	}
	g.cols = o.Columns
	if g.cols <= 0 {
		g.cols = min(len(g.images), 10)
	}
	return g.figure()
}

// ImageRows draws rows of grayscale images, one row per tensor of rows,
// with labels[i] written at the left of row i: images generated at
// chosen training steps, say, with the labels "step 0", "step 500", ...
// Each tensor holds images as Images reads them ([n, h, w], [n, 1, h, w],
// or [n, k] with k a square), and each image is scaled on its own, as in
// Images. The rows may hold different numbers of images; the grid is as
// wide as the longest row.
//
//	plotting.ImageRows([]*dl.Tensor{fake0, fake500, fake2000},
//		[]string{"step 0", "step 500", "step 2000"}).Show()
//
// It uses Title and Captions of ImageOptions, with one caption per image,
// row by row; not Columns (each tensor is one row). labels may be nil:
// no labels.
//
// ImageRows panics if labels is not nil and does not have one label per
// row, if a row is nil or has a shape that Images does not take, if the
// rows hold images of different sizes, if Captions does not have one
// caption per image, or if Columns is set.
func ImageRows(rows []*dl.Tensor, labels []string, opts ...ImageOptions) *Figure {
	o := one("ImageRows", opts)
	if o.Columns != 0 {
		panic("plotting: ImageRows: ImageOptions.Columns is not used by this figure (each tensor is one row); leave it unset")
	}
	if labels != nil && len(labels) != len(rows) {
		panic(fmt.Sprintf("plotting: ImageRows: %d labels for %d rows; want one label per row (or nil)", len(labels), len(rows)))
	}
	g := imageGrid{title: o.Title, rowLabels: labels, w: 1, h: 1}
	counts := make([]int, len(rows))
	for i, x := range rows {
		if x == nil {
			panic(fmt.Sprintf("plotting: ImageRows: row %d is nil", i))
		}
		n, h, w := imageShape(fmt.Sprintf("ImageRows: row %d", i), x.Shape())
		if i > 0 && (h != g.h || w != g.w) {
			panic(fmt.Sprintf("plotting: ImageRows: row %d (shape %v) holds %d×%d images but row 0 holds %d×%d; every row must hold images of one size",
				i, x.Shape(), h, w, g.h, g.w))
		}
		counts[i], g.h, g.w = n, h, w
		g.cols = max(g.cols, n)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if o.Captions != nil && len(o.Captions) != total {
		panic(fmt.Sprintf("plotting: ImageRows: %d captions for %d images; want one caption per image, row by row", len(o.Captions), total))
	}
	k := 0
	for i, x := range rows {
		for j := range g.cols {
			var im []float64
			caption := ""
			if j < counts[i] {
				im = x.Data()[j*g.w*g.h : (j+1)*g.w*g.h]
				if o.Captions != nil {
					caption = o.Captions[k]
				}
				k++
			}
			g.images = append(g.images, im)
			if o.Captions != nil {
				g.captions = append(g.captions, caption)
			}
		}
	}
	return g.figure()
}

// imageGrid is the layout of Images, ImageRows, Frame and Frames: images
// of w×h pixels in rows of cols cells, row by row (a nil image leaves its
// cell empty), with a caption below each image (when captions is not nil)
// and a label at the left of each row (when rowLabels is not nil).
type imageGrid struct {
	title     string
	images    [][]float64
	w, h      int
	cols      int
	captions  []string
	rowLabels []string
	// unit draws values in [0, 1] as they are, 0 white and 1 black, rather
	// than scaling each image from its own lowest to its highest value.
	unit bool
	// cellPx is the width of an image in CSS pixels; 0 chooses 48 to 96
	// by the number of columns.
	cellPx int
}

// figure draws the grid.
func (g imageGrid) figure() *Figure {
	cols := max(g.cols, 1)
	rows := max((len(g.images)+cols-1)/cols, 1)

	// Lay out in CSS pixels, then use data units of one image width.
	cellPx := g.cellPx // image width
	if cellPx <= 0 {
		cellPx = max(48, min(96, 900/cols))
	}
	capPx, gapPx, labelPx := 0, 10, 0
	if g.captions != nil {
		capPx = 18
	}
	labelStyle := text.Style{Color: textColor, Font: font.From(sans, vg.Points(10)),
		XAlign: draw.XRight, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	if g.rowLabels != nil {
		widest := vg.Length(0)
		for _, l := range g.rowLabels {
			widest = max(widest, labelStyle.Width(l))
		}
		labelPx = int(math.Ceil(float64(widest)/0.75)) + gapPx
	}
	u := func(px int) float64 { return float64(px) / float64(cellPx) }
	imgH := float64(g.h) / float64(g.w)
	cellW, cellH := 1+u(gapPx), imgH+u(capPx)+u(gapPx)

	p := plot.New()
	p.BackgroundColor = color.White
	p.HideAxes()
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Min, p.X.Max = -u(labelPx), float64(cols)*cellW-u(gapPx)
	p.Y.Min, p.Y.Max = -float64(rows)*cellH+u(gapPx), 0
	var caps, rowLabels plotter.XYLabels
	for i, im := range g.images {
		x0, top := float64(i%cols)*cellW, -float64(i/cols)*cellH
		if im != nil {
			p.Add(noRange{plotter.NewImage(grayImage(im, g.w, g.h, g.unit, Scale*cellPx), x0, top-imgH, x0+1, top)},
				frame{x0, top - imgH, x0 + 1, top})
		}
		if g.captions != nil && im != nil {
			caps.XYs = append(caps.XYs, plotter.XY{X: x0 + 0.5, Y: top - imgH - u(3)})
			caps.Labels = append(caps.Labels, g.captions[i])
		}
	}
	for r, l := range g.rowLabels {
		rowLabels.XYs = append(rowLabels.XYs, plotter.XY{X: -u(gapPx), Y: -float64(r)*cellH - imgH/2})
		rowLabels.Labels = append(rowLabels.Labels, l)
	}
	captionStyle := text.Style{Color: textColor, Font: font.From(sans, vg.Points(9)),
		XAlign: draw.XCenter, YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
	addLabels(p, caps, captionStyle)
	addLabels(p, rowLabels, labelStyle)
	f := &Figure{Title: g.title, Plots: [][]*plot.Plot{{p}}}
	f.Width = cols*(cellPx+gapPx) - gapPx + labelPx + 20
	f.Height = int(math.Round(float64(rows)*float64(cellPx)*cellH)) - gapPx + 20
	return f
}

// addLabels adds the texts of l to p in the style sty, without changing
// p's ranges; it adds nothing for no texts.
func addLabels(p *plot.Plot, l plotter.XYLabels, sty text.Style) {
	if len(l.XYs) == 0 {
		return
	}
	labels, err := plotter.NewLabels(l)
	if err != nil {
		panic("plotting: " + err.Error())
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i] = sty
	}
	p.Add(noRange{labels})
}

// imageShape returns the number of images and their height and width for
// a tensor of the given shape, as Images reads it. It panics for a shape
// that Images does not take, naming the tensor with what ("Images: x").
func imageShape(what string, s []int) (n, h, w int) {
	square := func(k int) int { // √k if k is a square > 0, else 0
		r := int(math.Round(math.Sqrt(float64(k))))
		if k > 0 && r*r == k {
			return r
		}
		return 0
	}
	switch {
	case len(s) == 3:
		n, h, w = s[0], s[1], s[2]
	case len(s) == 4 && s[1] == 1:
		n, h, w = s[0], s[2], s[3]
	case len(s) == 2:
		n, h, w = s[0], square(s[1]), square(s[1])
	case len(s) == 1:
		n, h, w = 1, square(s[0]), square(s[0])
	}
	if h > 0 && w > 0 {
		return n, h, w
	}
	panic(fmt.Sprintf("plotting: %s has shape %v; want [n, h, w], [n, 1, h, w], or [n, k] with k a square such as 64 for 8×8 images (reshape with dl.Reshape)", what, s))
}

// grayImage scales im from its min (white) to its max (black), or with
// unit set from 0 (white) to 1 (black), and enlarges each pixel to a
// block, so that the image is at least px pixels wide and small images
// stay sharp when they are drawn px pixels wide.
func grayImage(im []float64, w, h int, unit bool, px int) image.Image {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range im {
		if finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if unit {
		lo, hi = 0, 1
	}
	k := max(1, (px+w-1)/w) // block size
	img := image.NewGray(image.Rect(0, 0, w*k, h*k))
	for y := range h * k {
		for x := range w * k {
			v := im[(y/k)*w+x/k]
			g := uint8(255)
			if hi > lo && finite(v) {
				g = uint8(255 - 255*(v-lo)/(hi-lo) + 0.5)
			}
			img.SetGray(x, y, color.Gray{Y: g})
		}
	}
	return img
}

// frame draws a thin grey rectangle around an image, from (x0, y0) to
// (x1, y1) in data coordinates, so that white edges do not vanish into the
// page.
type frame struct{ x0, y0, x1, y1 float64 }

func (f frame) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	r := vg.Rectangle{Min: vg.Point{X: trX(f.x0), Y: trY(f.y0)}, Max: vg.Point{X: trX(f.x1), Y: trY(f.y1)}}
	c.SetLineStyle(draw.LineStyle{Color: rgb(0xbbbbbb), Width: vg.Points(0.5)})
	c.Stroke(r.Path())
}
