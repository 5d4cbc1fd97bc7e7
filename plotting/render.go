package plotting

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Scale is the pixel density of the PNGs that Show and Save write: with
// 2, a 640×400 figure is a 1280×800 PNG, shown 640 pixels wide in the
// notebook, so it stays sharp on high-density screens.
const Scale = 2

// Width and Height are the size of a single plot, in CSS pixels, as Show
// and Save draw it.
const (
	Width  = 640
	Height = 400
)

// notebook is what the package needs from GoNB. The package talks to
// display, which is gonbui's; tests put a fake notebook in its place
// (fakeNotebook in plotting_test.go), so that they see what would be shown.
type notebook interface {
	IsNotebook() bool
	DisplayHTML(html string)
	DisplayPNG(png []byte, width int) // width: in CSS pixels
	UpdateHTML(id, html string)
	Sync()
	UniqueID() string
}

// display is the notebook that figures are shown in.
var display notebook = gonb{}

// gonb is the notebook of GoNB, through gonbui. Outside a notebook
// IsNotebook is false and the figures show nothing.
type gonb struct{}

func (gonb) IsNotebook() bool                 { return gonbui.IsNotebook }
func (gonb) DisplayHTML(html string)          { gonbui.DisplayHTML(html) }
func (gonb) DisplayPNG(png []byte, width int) { gonbui.SendData(pngData(png, width)) }
func (gonb) UpdateHTML(id, html string)       { gonbui.UpdateHTML(id, html) }
func (gonb) Sync()                            { gonbui.Sync() }
func (gonb) UniqueID() string                 { return gonbui.UniqueID() }

// Figure is a picture to show or save: what every figure function
// returns. It holds rows of plots, drawn side by side and aligned so that
// their data areas have the same size, with an optional title above them
// all. Most figures are one plot; Plot returns it for changes through
// gonum/plot (ranges, scales, more plotters).
//
// The zero size means a size chosen from the number of rows and columns
// (640×400 pixels for a single plot); set Width and Height, in CSS pixels,
// to choose another. A title adds 36 pixels to the height.
type Figure struct {
	Title         string
	Plots         [][]*plot.Plot // rows of plots; a nil plot leaves its cell empty
	Width, Height int            // in CSS pixels; 0 chooses a size

	// vector shows the figure as inline SVG rather than PNG: the graph
	// drawing, which is boxes and text.
	vector bool
}

// Plot returns the plot of a figure of one plot, such as Curves or
// Scatter return, for further changes with gonum/plot:
//
//	f := plotting.Curves(h, "loss")
//	f.Plot().Y.Min = 0
//	f.Show()
//
// Plot panics if the figure has several plots: reach them through Plots.
func (f *Figure) Plot() *plot.Plot { return onePlot("Figure.Plot", f) }

// onePlot returns the plot of a figure of one plot; it panics, naming op,
// if f has none or several.
func onePlot(op string, f *Figure) *plot.Plot {
	var found *plot.Plot
	n := 0
	for _, row := range f.Plots {
		for _, p := range row {
			if p != nil {
				found = p
				n++
			}
		}
	}
	if n != 1 {
		panic(fmt.Sprintf("plotting: %s: the figure has %d plots; want 1 (reach the plots of a Row or Grid through Plots)", op, n))
	}
	return found
}

// Row returns a figure of figs side by side, in one row. A figure of
// several plots (Hidden, a Grid) adds all of its plots, row by row; the
// titles and sizes of figs are not used (set the Title, Width and Height of
// the result instead). A nil figure leaves its cell empty.
func Row(figs ...*Figure) *Figure {
	plots, vector := panels(figs)
	return &Figure{Plots: [][]*plot.Plot{plots}, vector: vector}
}

// Grid returns a figure of figs in rows of cols plots, filled row by row,
// with the plots of each figure as Row takes them.
//
// Grid panics if cols < 1.
func Grid(cols int, figs ...*Figure) *Figure {
	if cols < 1 {
		panic(fmt.Sprintf("plotting: Grid: %d columns; want at least 1", cols))
	}
	plots, vector := panels(figs)
	f := gridOf(cols, plots...)
	f.vector = vector
	return f
}

// gridOf returns a figure of plots in rows of cols plots.
func gridOf(cols int, plots ...*plot.Plot) *Figure {
	f := &Figure{}
	for i := 0; i < len(plots); i += cols {
		row := make([]*plot.Plot, cols)
		copy(row, plots[i:min(i+cols, len(plots))])
		f.Plots = append(f.Plots, row)
	}
	return f
}

// panels returns the plots of figs in order, each figure's row by row,
// with nil for a nil figure, and whether every figure is shown as SVG.
func panels(figs []*Figure) (plots []*plot.Plot, vector bool) {
	vector = len(figs) > 0
	for _, f := range figs {
		if f == nil {
			plots = append(plots, nil)
			vector = false
			continue
		}
		vector = vector && f.vector
		for _, row := range f.Plots {
			for _, p := range row {
				if p != nil {
					plots = append(plots, p)
				}
			}
		}
	}
	return plots, vector
}

// Show displays the figure inline in the notebook: as a PNG drawn at
// Scale times the pixels, or, for the graph drawing, as SVG. Outside a
// notebook (under go test, or in a program run from a shell) it does
// nothing: use Save to write a file.
func (f *Figure) Show() {
	if !display.IsNotebook() {
		return
	}
	defer display.Sync()
	if f.vector {
		b, err := f.svg()
		if err != nil {
			display.DisplayHTML(fmt.Sprintf("<pre>plotting: %s</pre>", htmlEscape(err.Error())))
			return
		}
		s := string(b)
		display.DisplayHTML("<div>" + s[strings.Index(s, "<svg"):] + "</div>") // without the XML prolog
		return
	}
	w, _ := f.size()
	b, err := f.png(Scale)
	if err != nil {
		display.DisplayHTML(fmt.Sprintf("<pre>plotting: %s</pre>", htmlEscape(err.Error())))
		return
	}
	display.DisplayPNG(b, w)
}

// pngData is the display message for a PNG, with its width in the
// output's metadata so that Jupyter shows the 2x image at CSS size.
func pngData(png []byte, width int) *protocol.DisplayData {
	return &protocol.DisplayData{
		Data: map[protocol.MIMEType]any{protocol.MIMEImagePNG: png},
		// map[string]int is one of the types that GoNB registers with gob
		// for its pipe; an unregistered type would break the pipe.
		Metadata: map[string]any{string(protocol.MIMEImagePNG): map[string]int{"width": width}},
	}
}

// Save writes the figure to path as a PNG or an SVG, chosen by the
// extension, .png or .svg. It returns an error naming the path for another
// extension, or if the file cannot be written.
func (f *Figure) Save(path string) error {
	var (
		b   []byte
		err error
	)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".png":
		b, err = f.png(Scale)
	case ".svg":
		b, err = f.svg()
	default:
		return fmt.Errorf("plotting: cannot save %s: the extension must be .png or .svg", path)
	}
	if err != nil {
		return fmt.Errorf("plotting: saving %s: %w", path, err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("plotting: %w", err)
	}
	return nil
}

// imgTag is an HTML <img> of PNG bytes, width CSS pixels wide (less in a
// narrow window).
func imgTag(png []byte, width int) string {
	return fmt.Sprintf(`<img width="%d" style="max-width:100%%;height:auto" src="data:image/png;base64,%s">`,
		width, base64.StdEncoding.EncodeToString(png))
}

// size returns the figure's size in CSS pixels: Width and Height, or the
// size chosen from the grid, plus room for the title.
func (f *Figure) size() (w, h int) {
	rows, cols := f.grid()
	cellW, cellH := Width, Height
	if cols > 1 {
		cellW = max(220, min(440, 960/cols))
		cellH = cellW * 9 / 10
	}
	w, h = cols*cellW, rows*cellH
	if f.Width > 0 {
		w = f.Width
	}
	if f.Height > 0 {
		h = f.Height
	}
	if f.Title != "" {
		h += 36
	}
	return w, h
}

func (f *Figure) grid() (rows, cols int) {
	for _, r := range f.Plots {
		cols = max(cols, len(r))
	}
	return max(len(f.Plots), 1), max(cols, 1)
}

// px converts CSS pixels (96 per inch) to a length.
func px(n float64) vg.Length { return vg.Length(n * 0.75) }

// png renders the figure as PNG bytes with scale image pixels per CSS
// pixel.
func (f *Figure) png(scale float64) ([]byte, error) {
	w, h := f.size()
	c := vgimg.NewWith(vgimg.UseWH(px(float64(w)), px(float64(h))), vgimg.UseDPI(int(96*scale+0.5)),
		vgimg.UseBackgroundColor(color.White))
	if err := f.draw(draw.New(c)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// svg renders the figure as an SVG document.
func (f *Figure) svg() ([]byte, error) {
	w, h := f.size()
	c := vgsvg.New(px(float64(w)), px(float64(h)))
	if err := f.draw(draw.New(c)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, err
	}
	// The fonts are not embedded: name fallbacks with the same metrics
	// (Arial, Courier New) or at least the same kind, for viewers without
	// Liberation.
	return []byte(fontFallbacks.Replace(buf.String())), nil
}

var fontFallbacks = strings.NewReplacer(
	"font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;",
	"font-family:Liberation Mono;", "font-family:'Liberation Mono','Courier New',monospace;")

// draw draws the figure on c. gonum/plot panics on some bad input (an
// empty axis range that cannot be widened, a bad palette); draw turns such
// a panic into an error.
func (f *Figure) draw(c draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plotting: drawing the figure: %v", r)
		}
	}()
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	pad := px(10)
	c = draw.Crop(c, pad, -pad, pad, -pad)
	if f.Title != "" {
		sty := text.Style{
			Color:   textColor,
			Font:    font.From(sansBold, vg.Points(14)),
			XAlign:  draw.XCenter,
			YAlign:  draw.YTop,
			Handler: plot.DefaultTextHandler,
		}
		c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y}, f.Title)
		c.Max.Y -= sty.Rectangle(f.Title).Size().Y + px(12)
	}
	rows, cols := f.grid()
	plots := make([][]*plot.Plot, rows)
	for i := range plots {
		plots[i] = make([]*plot.Plot, cols)
		if i < len(f.Plots) {
			copy(plots[i], f.Plots[i])
		}
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: px(24), PadY: px(20)}
	canvases := plot.Align(plots, tiles, c)
	for i, row := range plots {
		for j, p := range row {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	return nil
}

// htmlEscape escapes text for HTML and SVG.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
