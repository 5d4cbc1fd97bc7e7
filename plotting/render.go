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

// The hooks to the notebook. Tests replace them to see what would be
// displayed.
var (
	isNotebook  = func() bool { return gonbui.IsNotebook }
	displayHTML = gonbui.DisplayHTML
	displayPNG  = sendPNG
	updateHTML  = gonbui.UpdateHTML
	syncDisplay = gonbui.Sync
	uniqueID    = gonbui.UniqueId
)

// Figure is several plots drawn as one picture: rows of plots side by
// side, with an optional title above them all. The plots are aligned so
// that their data areas have the same size.
//
// The zero size means a size chosen from the number of rows and columns
// (640×400 pixels for a single plot); set Width and Height, in CSS pixels,
// to choose another. A title adds 36 pixels to the height.
type Figure struct {
	Title         string
	Plots         [][]*plot.Plot // rows of plots; a nil plot leaves its cell empty
	Width, Height int            // in CSS pixels; 0 chooses a size
}

// Row returns a figure of plots side by side.
func Row(plots ...*plot.Plot) *Figure {
	return &Figure{Plots: [][]*plot.Plot{plots}}
}

// Grid returns a figure of plots in rows of cols plots, filled row by row.
// Grid panics if cols < 1.
func Grid(cols int, plots ...*plot.Plot) *Figure {
	if cols < 1 {
		panic(fmt.Sprintf("plotting: Grid: %d columns", cols))
	}
	f := &Figure{}
	for i := 0; i < len(plots); i += cols {
		row := make([]*plot.Plot, cols)
		copy(row, plots[i:min(i+cols, len(plots))])
		f.Plots = append(f.Plots, row)
	}
	return f
}

// Show displays p inline in the notebook, 640×400 pixels. Outside a
// notebook (under go test, or in a program run from a shell) it does
// nothing: use Save to write a file.
func Show(p *plot.Plot) { Row(p).Show() }

// Save writes p to path as a 640×400 picture: a PNG (at Scale times the
// pixels) or an SVG, chosen by the extension, .png or .svg. It returns an
// error naming the path for another extension, or if the file cannot be
// written.
func Save(p *plot.Plot, path string) error { return Row(p).Save(path) }

// Show displays the figure inline in the notebook, as a PNG. Outside a
// notebook it does nothing.
func (f *Figure) Show() {
	if !isNotebook() {
		return
	}
	w, _ := f.size()
	b, err := f.png(Scale)
	if err != nil {
		displayHTML(fmt.Sprintf("<pre>plotting: %s</pre>", htmlEscape(err.Error())))
		syncDisplay()
		return
	}
	displayPNG(b, w)
	syncDisplay()
}

// sendPNG displays a PNG as a standard image/png output.
func sendPNG(png []byte, width int) { gonbui.SendData(pngData(png, width)) }

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
	// (Arial) or at least the same kind, for viewers without Liberation.
	return bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")), nil
}

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
