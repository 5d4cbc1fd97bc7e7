package plotting

import (
	"fmt"
	"math"
)

// Frame draws one frame of an environment, such as the screen of Catch,
// as a crisp image of square pixels: frame[r][c] is the pixel in row r,
// from the top, and column c, from the left, a gray value in [0, 1] drawn
// from white (0, the empty background) to black (1, the ball and the
// paddle), as Images draws ink on paper. Unlike Images, the values are
// not rescaled, so that frames of one episode compare.
//
//	plotting.Frame(env.Render(), plotting.ImageOptions{Title: "Catch"}).Show()
//
// The frame's longer side is drawn about 240 pixels long. It uses Title
// and Captions of ImageOptions, with one caption (below the frame) or
// none; not Columns.
//
// Frame panics if the frame has no pixels, if its rows differ in length,
// if a value is outside [0, 1] (divide 0–255 pixels by 255 first), if
// Captions does not hold one caption, or if Columns is set.
func Frame(frame [][]float64, opts ...ImageOptions) *Figure {
	o := one("Frame", opts)
	if o.Columns != 0 {
		panic("plotting: Frame: ImageOptions.Columns is not used by this figure (it draws one frame); leave it unset")
	}
	if o.Captions != nil && len(o.Captions) != 1 {
		panic(fmt.Sprintf("plotting: Frame: %d captions for 1 frame; want one caption (or nil)", len(o.Captions)))
	}
	g := frameGrid("Frame", [][][]float64{frame})
	g.title, g.captions, g.cols = o.Title, o.Captions, 1
	g.cellPx = int(math.Round(240 * float64(g.w) / float64(max(g.w, g.h))))
	return g.figure()
}

// Frames draws a strip of frames, such as the frames of one episode of a
// trained agent, each with its caption below it (captions[i], such as
// "step 3" or "reward +1"; nil means no captions). Each frame is drawn as
// Frame draws it, with gray values in [0, 1] from white (0) to black (1),
// not rescaled, in rows of up to 10 frames (opts.Columns sets another
// number), laid out as Images lays out images.
//
//	plotting.Frames(frames, captions, plotting.ImageOptions{Title: "the trained agent catches the ball"}).Show()
//
// It uses Title and Columns of ImageOptions; the captions are the second
// argument, not Captions.
//
// Frames panics if a frame has no pixels, has rows of different lengths
// or has a value outside [0, 1], if the frames differ in size, if captions
// is not nil and does not have one caption per frame, or if Captions is
// set.
func Frames(frames [][][]float64, captions []string, opts ...ImageOptions) *Figure {
	o := one("Frames", opts)
	if o.Captions != nil {
		panic("plotting: Frames: ImageOptions.Captions is not used by this figure; pass the captions as the second argument")
	}
	if captions != nil && len(captions) != len(frames) {
		panic(fmt.Sprintf("plotting: Frames: %d captions for %d frames; want one caption per frame (or nil)", len(captions), len(frames)))
	}
	g := frameGrid("Frames", frames)
	g.title, g.captions, g.cols = o.Title, captions, o.Columns
	if g.cols <= 0 {
		g.cols = min(len(frames), 10)
	}
	return g.figure()
}

// frameGrid returns the image grid of frames, each flattened row by row,
// drawn with values in [0, 1] as they are. It panics, naming the figure
// fig, for a frame without pixels, a ragged frame, a value outside
// [0, 1], or frames of different sizes.
func frameGrid(fig string, frames [][][]float64) imageGrid {
	g := imageGrid{unit: true, w: 1, h: 1}
	for i, f := range frames {
		what := "the frame"
		if fig == "Frames" {
			what = fmt.Sprintf("frame %d", i)
		}
		h, w := len(f), cols0(f)
		if h == 0 || w == 0 {
			panic(fmt.Sprintf("plotting: %s: %s has %d rows of %d pixels; want at least one pixel", fig, what, h, w))
		}
		if i > 0 && (h != g.h || w != g.w) {
			panic(fmt.Sprintf("plotting: %s: %s is %d×%d (rows×columns) but frame 0 is %d×%d; every frame must have one size",
				fig, what, h, w, g.h, g.w))
		}
		g.h, g.w = h, w
		im := make([]float64, 0, h*w)
		for r, row := range f {
			if len(row) != w {
				panic(fmt.Sprintf("plotting: %s: row 0 of %s has %d pixels but row %d has %d; want a rectangular frame", fig, what, w, r, len(row)))
			}
			for c, v := range row {
				if !(v >= 0 && v <= 1) {
					panic(fmt.Sprintf("plotting: %s: %s has %v at row %d, column %d; want gray values in [0, 1], 0 white and 1 black (divide 0–255 pixels by 255)",
						fig, what, v, r, c))
				}
			}
			im = append(im, row...)
		}
		g.images = append(g.images, im)
	}
	return g
}
