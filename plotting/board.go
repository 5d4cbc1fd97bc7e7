package plotting

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Board draws a position of a board game, such as tic-tac-toe (3×3) or
// Connect Four (6×7), with a number on each empty square: the visits that
// MCTS gave each move, or a policy's probabilities. values[r][c] is the
// number of the square in row r, from the top, and column c, from the
// left; labels[r][c] is what stands on it: "X" and "O" are drawn as a
// cross and a ring, any other text as it is, and "" is an empty square.
//
//	plotting.Board(visits, marks, plotting.Options{Title: "MCTS visits, 200 simulations", XLabel: "X to move"}).Show()
//
// Each empty square is shaded by its number, from white (0) to blue (the
// largest magnitude), or to red for a negative number (such as a value
// from the point of view of the player to move), and shows the number:
// whole numbers as they are, others with two decimals (or three
// significant digits beyond ±1). The square with the largest number, the
// move that MCTS plays at temperature 0, has an orange outline (every
// square that ties for it; none when all empty squares are equal). A
// square with a mark is white and shows the mark only: its number, which
// is not a move, is not drawn. A non-finite number (NaN) leaves its square
// blank: use it for squares that are not moves.
//
// For Connect Four, where a move is a column, put each column's number on
// the square where its stone would land, and NaN on the empty squares
// above it. values
// may be nil to draw the position alone, and labels may be nil for a board
// without marks. The squares stay square whatever the figure's size, so
// boards compare side by side in a Row (say, after 25 and 400
// simulations).
//
// It uses Title, XLabel (a caption below the board, such as "X to move"),
// Width and Height of Options; not YLabel or LogY.
//
// Board panics if both values and labels are nil, if either has no rows
// or no columns or rows of different lengths, or if labels does not have
// the shape of values.
func Board(values [][]float64, labels [][]string, opts ...Options) *Figure {
	o := options("Board", opts, "YLabel", "LogY")
	rows, cols := boardShape(values, labels)
	b := &boardCells{values: values, labels: labels, rows: rows, cols: cols}
	b.scale()

	p := newBarePlot("", "", "")
	p.HideAxes()
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.Add(b)
	f := single(p, o)
	if o.Width == 0 && o.Height == 0 {
		cell := max(48, min(96, 480/cols))
		f.Width, f.Height = cols*cell+24, rows*cell+24
		if o.Title != "" {
			f.Height += 30
		}
		if o.XLabel != "" {
			f.Height += 24
		}
	}
	return f
}

// boardShape returns the rows and columns of a board; it panics if the
// values and labels are nil, empty, ragged, or of different shapes.
func boardShape(values [][]float64, labels [][]string) (rows, cols int) {
	if values == nil && labels == nil {
		panic("plotting: Board: values and labels are nil; want the numbers of the squares, their marks, or both")
	}
	if values != nil {
		rows, cols = len(values), cols0(values)
		if rows == 0 || cols == 0 {
			panic(fmt.Sprintf("plotting: Board: values has %d rows of %d squares; want at least one square", rows, cols))
		}
		for r, row := range values {
			if len(row) != cols {
				panic(fmt.Sprintf("plotting: Board: row 0 of values has %d squares but row %d has %d; want a rectangular board", cols, r, len(row)))
			}
		}
	}
	if labels == nil {
		return rows, cols
	}
	lcols := 0
	if len(labels) > 0 {
		lcols = len(labels[0])
	}
	if values == nil {
		rows, cols = len(labels), lcols
		if rows == 0 || cols == 0 {
			panic(fmt.Sprintf("plotting: Board: labels has %d rows of %d squares; want at least one square", rows, cols))
		}
	}
	if len(labels) != rows {
		panic(fmt.Sprintf("plotting: Board: labels has %d rows but values has %d; want one label per square (\"\" for an empty one)", len(labels), rows))
	}
	for r, row := range labels {
		if len(row) != cols {
			panic(fmt.Sprintf("plotting: Board: row %d of labels has %d squares but the board has %d columns; want one label per square (\"\" for an empty one)",
				r, len(row), cols))
		}
	}
	return rows, cols
}

// boardCells draws a Board in the middle of the data area, with square
// cells as large as fit.
type boardCells struct {
	values     [][]float64
	labels     [][]string
	rows, cols int

	top    float64 // the largest magnitude of a number on an empty square
	best   float64 // the largest number on an empty square
	ring   bool    // whether the squares with number best get an outline
	format string
}

// empty reports whether square (r, c) has no mark, and its number when it
// has a finite one.
func (b *boardCells) empty(r, c int) (v float64, ok, isEmpty bool) {
	if b.labels != nil && b.labels[r][c] != "" {
		return 0, false, false
	}
	if b.values == nil || !finite(b.values[r][c]) {
		return 0, false, true
	}
	return b.values[r][c], true, true
}

// scale finds the range of the numbers on empty squares, the best of
// them, and the format that prints them.
func (b *boardCells) scale() {
	b.best = math.Inf(-1)
	n, atBest, whole, small := 0, 0, true, true
	for r := range b.rows {
		for c := range b.cols {
			v, ok, _ := b.empty(r, c)
			if !ok {
				continue
			}
			n++
			b.top = math.Max(b.top, math.Abs(v))
			switch {
			case v > b.best:
				b.best, atBest = v, 1
			case v == b.best:
				atBest++
			}
			whole = whole && v == math.Trunc(v)
			small = small && math.Abs(v) <= 1
		}
	}
	b.ring = atBest > 0 && atBest < n
	switch {
	case whole:
		b.format = "%.0f"
	case small:
		b.format = "%.2f"
	default:
		b.format = "%.3g"
	}
}

// shade returns the colour of an empty square with number v.
func (b *boardCells) shade(v float64) color.Color {
	if b.top == 0 {
		return color.White
	}
	t := v / b.top
	if t < 0 {
		return lighten(Color(3), 1+0.85*t)
	}
	return lighten(Color(0), 1-0.9*t)
}

func (b *boardCells) Plot(c draw.Canvas, _ *plot.Plot) {
	w, h := c.Max.X-c.Min.X, c.Max.Y-c.Min.Y
	size := min(w/vg.Length(b.cols), h/vg.Length(b.rows))
	x0 := c.Min.X + (w-size*vg.Length(b.cols))/2
	y0 := c.Max.Y - (h-size*vg.Length(b.rows))/2 // the top edge
	cell := func(r, col int) vg.Rectangle {
		min := vg.Point{X: x0 + size*vg.Length(col), Y: y0 - size*vg.Length(r+1)}
		return vg.Rectangle{Min: min, Max: vg.Point{X: min.X + size, Y: min.Y + size}}
	}
	grid := draw.LineStyle{Color: rgb(0xbbbbbb), Width: vg.Points(0.75)}
	number := text.Style{Font: font.From(sans, size*0.3), XAlign: draw.XCenter, YAlign: draw.YCenter,
		Handler: plot.DefaultTextHandler}
	for r := range b.rows {
		for col := range b.cols {
			sq := cell(r, col)
			v, ok, isEmpty := b.empty(r, col)
			bg := color.Color(color.White)
			if ok {
				bg = b.shade(v)
			}
			c.SetColor(bg)
			c.Fill(sq.Path())
			c.SetLineStyle(grid)
			c.Stroke(sq.Path())
			if !isEmpty {
				drawMark(c, sq, b.labels[r][col])
			} else if ok {
				s := fmt.Sprintf(b.format, v)
				sty := number
				if wd := sty.Width(s); wd > size*0.85 {
					sty.Font.Size = sty.Font.Size * size * 0.85 / wd
				}
				sty.Color = contrastText(bg)
				c.FillText(sty, center(sq), s)
			}
		}
	}
	ring := draw.LineStyle{Color: Color(1), Width: max(vg.Points(2), size*0.05)}
	for r := range b.rows {
		for col := range b.cols {
			if v, ok, _ := b.empty(r, col); b.ring && ok && v == b.best {
				sq := cell(r, col)
				in := ring.Width / 2
				sq.Min.X, sq.Min.Y, sq.Max.X, sq.Max.Y = sq.Min.X+in, sq.Min.Y+in, sq.Max.X-in, sq.Max.Y-in
				c.SetLineStyle(ring)
				c.Stroke(sq.Path())
			}
		}
	}
	all := vg.Rectangle{Min: vg.Point{X: x0, Y: y0 - size*vg.Length(b.rows)},
		Max: vg.Point{X: x0 + size*vg.Length(b.cols), Y: y0}}
	c.SetLineStyle(draw.LineStyle{Color: axisColor, Width: vg.Points(1.25)})
	c.Stroke(all.Path())
}

// drawMark draws the mark label on the white square sq: a cross for "X",
// a ring for "O", and any other text in bold, in the house's near-black.
func drawMark(c draw.Canvas, sq vg.Rectangle, label string) {
	size := sq.Max.X - sq.Min.X
	mid := center(sq)
	pen := draw.LineStyle{Color: textColor, Width: size * 0.09}
	switch label {
	case "X":
		d := size * 0.27
		c.StrokeLine2(pen, mid.X-d, mid.Y-d, mid.X+d, mid.Y+d)
		c.StrokeLine2(pen, mid.X-d, mid.Y+d, mid.X+d, mid.Y-d)
	case "O": // a ring: a disc of ink with a white disc inside
		r := size * 0.29
		for _, d := range []struct {
			r   vg.Length
			ink color.Color
		}{{r + pen.Width/2, textColor}, {r - pen.Width/2, color.White}} {
			c.DrawGlyph(draw.GlyphStyle{Color: d.ink, Radius: d.r, Shape: draw.CircleGlyph{}}, mid)
		}
	default:
		sty := text.Style{Color: textColor, Font: font.From(sansBold, size*0.5), XAlign: draw.XCenter, YAlign: draw.YCenter,
			Handler: plot.DefaultTextHandler}
		if wd := sty.Width(label); wd > size*0.85 {
			sty.Font.Size = sty.Font.Size * size * 0.85 / wd
		}
		c.FillText(sty, mid, label)
	}
}

// center is the middle of r.
func center(r vg.Rectangle) vg.Point {
	return vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}
}
