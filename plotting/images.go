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
	labels, cols := o.Captions, o.Columns
	var images [][]float64
	w, h := 1, 1
	if x != nil {
		var n int
		n, h, w = imageShape(x.Shape())
		for i := range n {
			images = append(images, x.Data()[i*w*h:(i+1)*w*h])
		}
	}
	if labels != nil && len(labels) != len(images) {
		panic(fmt.Sprintf("plotting: Images: %d captions for %d images", len(labels), len(images)))
	}
	if cols <= 0 {
		cols = min(len(images), 10)
	}
	cols = max(cols, 1)
	rows := max((len(images)+cols-1)/cols, 1)

	// Lay out in CSS pixels, then use data units of one image width.
	cellPx := max(48, min(96, 900/cols)) // image width
	capPx, gapPx := 0, 10
	if labels != nil {
		capPx = 18
	}
	u := func(px int) float64 { return float64(px) / float64(cellPx) }
	imgH := float64(h) / float64(w)
	cellW, cellH := 1+u(gapPx), imgH+u(capPx)+u(gapPx)

	p := plot.New()
	p.BackgroundColor = color.White
	p.HideAxes()
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Min, p.X.Max = 0, float64(cols)*cellW-u(gapPx)
	p.Y.Min, p.Y.Max = -float64(rows)*cellH+u(gapPx), 0
	var caps plotter.XYLabels
	for i, im := range images {
		x0, top := float64(i%cols)*cellW, -float64(i/cols)*cellH
		p.Add(noRange{plotter.NewImage(grayImage(im, w, h), x0, top-imgH, x0+1, top)},
			frame{x0, top - imgH, x0 + 1, top})
		if labels != nil {
			caps.XYs = append(caps.XYs, plotter.XY{X: x0 + 0.5, Y: top - imgH - u(3)})
			caps.Labels = append(caps.Labels, labels[i])
		}
	}
	if len(caps.XYs) > 0 {
		l, err := plotter.NewLabels(caps)
		if err != nil {
			panic("plotting: " + err.Error())
		}
		for i := range l.TextStyle {
			l.TextStyle[i] = text.Style{Color: textColor, Font: font.From(sans, vg.Points(9)),
				XAlign: draw.XCenter, YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
		}
		p.Add(noRange{l})
	}
	f := &Figure{Title: o.Title, Plots: [][]*plot.Plot{{p}}}
	f.Width = cols*(cellPx+gapPx) - gapPx + 20
	f.Height = int(math.Round(float64(rows)*float64(cellPx)*cellH)) - gapPx + 20
	return f
}

// imageShape returns the number of images and their height and width for
// a tensor of the given shape, as Images reads it. It panics for a shape
// that Images does not take.
func imageShape(s []int) (n, h, w int) {
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
	panic(fmt.Sprintf("plotting: Images: x has shape %v; want [n, h, w], [n, 1, h, w], or [n, k] with k a square such as 64 for 8×8 images (reshape with dl.Reshape)", s))
}

// grayImage scales im from its min (white) to its max (black) and
// enlarges each pixel to a block, so that small images stay sharp when
// scaled up.
func grayImage(im []float64, w, h int) image.Image {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range im {
		if finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	k := max(1, 96/w) // block size
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
