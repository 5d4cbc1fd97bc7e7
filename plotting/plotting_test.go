package plotting

import (
	"bytes"
	"encoding/base64"
	"encoding/gob"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/internal/testutil"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"gonum.org/v1/plot"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 3)) }

// funcModel is a Model made of a function of the whole batch [n, 2].
type funcModel func(x *dl.Tensor) *dl.Tensor

func (f funcModel) Forward(x *dl.Tensor) *dl.Tensor { return f(x) }

// firstColumn is a model whose single logit is x₁: class 1 on the right.
var firstColumn = funcModel(func(x *dl.Tensor) *dl.Tensor {
	n := x.Shape()[0]
	out := make([]float64, n)
	for i := range out {
		out[i] = x.Data()[2*i]
	}
	return dl.New(out, n, 1)
})

// halves is a set of four points in two classes, left (0) and right (1).
func halves() data.Set {
	return data.Set{
		X: dl.New([]float64{-1, -1, -1, 1, 1, -1, 1, 1}, 4, 2),
		Y: dl.New([]float64{0, 0, 1, 1}, 4),
	}
}

func history() *train.History {
	return &train.History{
		Loss:       []float64{0.9, 0.6, 0.45, 0.4, 0.38},
		ValLoss:    []float64{0.95, 0.7, 0.55, 0.52, 0.53},
		Metrics:    map[string][]float64{"accuracy": {0.5, 0.7, 0.8, 0.85, 0.86}},
		ValMetrics: map[string][]float64{"accuracy": {0.45, 0.65, 0.75, 0.78, 0.77}},
	}
}

// saved writes f as PNG and SVG into a temporary directory (and into
// $PLOTTING_DIR if set, to look at them), and returns the decoded PNG and
// the SVG text.
func saved(t *testing.T, name string, f *Figure) (image.Image, string) {
	t.Helper()
	dir := t.TempDir()
	pngPath, svgPath := filepath.Join(dir, name+".png"), filepath.Join(dir, name+".svg")
	if err := f.Save(pngPath); err != nil {
		t.Fatalf("%s: Save png: %v", name, err)
	}
	if err := f.Save(svgPath); err != nil {
		t.Fatalf("%s: Save svg: %v", name, err)
	}
	if out := os.Getenv("PLOTTING_DIR"); out != "" {
		if err := f.Save(filepath.Join(out, name+".png")); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: the PNG does not decode: %v", name, err)
	}
	s, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := wellFormed(s); err != nil {
		t.Errorf("%s: the SVG is not well-formed XML: %v", name, err)
	}
	return img, string(s)
}

func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// colours counts the distinct colours of img, sampling every 4th pixel.
func colours(img image.Image) int {
	seen := map[color.RGBA]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}] = true
		}
	}
	return len(seen)
}

func TestFigures(t *testing.T) {
	rng := newRNG(1)
	blobs := data.Blobs(rng, 120, 3, 0.4)
	bowl := func(x, y float64) float64 { return x*x + 4*y*y }
	contour := Contour(bowl, -2, 2, -1, 1)
	Path(contour, [][2]float64{{-1.8, 0.8}, {-1.2, -0.4}, {-0.8, 0.2}, {-0.5, -0.1}}, "SGD")
	Path(contour, [][2]float64{{1.8, 0.9}, {1, 0.2}, {0.3, 0}}, "Adam")
	pixels := make([]float64, 3*64)
	for i := range pixels {
		pixels[i] = float64((i/64*7 + i*3) % 17)
	}
	digits := dl.New(pixels, 3, 64)
	hidden := data.Set{X: dl.New([]float64{0, 0, 0.1, 0.9, 0.9, 0.1, 1, 1}, 4, 2)}
	titled := Row(Scatter(blobs, Options{Title: "a"}), Scatter(blobs, Options{Title: "b"}))
	titled.Title = "Two plots"

	tests := []struct {
		name string
		fig  *Figure
		w, h int      // CSS pixels
		svg  []string // texts the SVG must contain
	}{
		{"curves-loss", Curves(history(), "loss"), 640, 400, []string{"epoch", "loss", "train", "validation"}},
		{"curves-accuracy", Curves(history(), "accuracy"), 640, 400, []string{"accuracy", "train", "validation"}},
		{"curves-options", Curves(history(), "loss", Options{Title: "digits", XLabel: "pass", YLabel: "cross-entropy", Width: 500, Height: 300, LogY: true}),
			500, 300, []string{"digits", "pass", "cross-entropy"}},
		{"scatter", Scatter(blobs, Options{Title: "three blobs"}), 640, 400, []string{"three blobs", "class 0", "class 1", "class 2", "x₁", "x₂"}},
		{"boundary", Boundary(firstColumn, halves()), 640, 400, []string{"decision boundary", "class 0", "class 1"}},
		{"tangent", Tangent(func(x float64) float64 { return x * x }, 1, -2, 2), 640, 400, []string{"f(x)", "tangent, slope 2.000"}},
		{"tangent-labelled", Tangent(func(x float64) float64 { return x * x }, 1, -2, 2, Options{XLabel: "w", YLabel: "L(w)"}),
			640, 400, []string{"L(w)", "tangent, slope 2.000"}},
		{"contour", contour, 640, 400, []string{"SGD", "Adam"}},
		{"hidden", Hidden(data.XNOR(), hidden, nil), 880, 396, []string{"input space", "hidden space", "h₁", "class 0", "class 1", "(0, 1)", "(1, 1)"}},
		{"hidden-titled", Hidden(data.XNOR(), hidden, nil, Options{Title: "XNOR"}), 880, 396 + 36, []string{"XNOR", "input space"}},
		// Two points on one spot share a label; the output layer shades the hidden space.
		{"hidden-output", Hidden(data.XNOR(), data.Set{X: dl.New([]float64{0, 0, 1, 1, 1, 1, 0.5, 0.5}, 4, 2)}, firstColumn), 880, 396,
			[]string{"(0, 1) and (1, 0)", "(0, 0)", "(1, 1)"}},
		{"regression", Regression([]float64{0, 1, 2}, []float64{1, 3.1, 4.9}, []Series{{Name: "w = 2, b = 1", X: []float64{0, 2}, Y: []float64{1, 5}}},
			Options{Title: "fit", XLabel: "x"}), 640, 400, []string{"fit", "data", "w = 2, b = 1"}},
		{"images", Images(digits, ImageOptions{Captions: []string{"true 3 / pred 8", "true 1 / pred 1", "true 0 / pred 6"}}),
			3*106 - 10 + 20, int(math.Round(96*(1+18.0/96+10.0/96))) - 10 + 20, []string{"true 3 / pred 8", "true 0 / pred 6"}},
		{"lines", Lines([]Series{IntSeries("AND", []int{2, 3, 1, 0, 0}), IntSeries("XOR", []int{2, 3, 4, 4, 4}),
			{Name: "half", X: []float64{1, 2.5, 5}, Y: []float64{1, 0.5, 2}}},
			Options{Title: "Mistakes per epoch", XLabel: "epoch", YLabel: "mistakes"}),
			640, 400, []string{"Mistakes per epoch", "epoch", "mistakes", "AND", "XOR", "half"}},
		{"lines-log", Lines([]Series{{Name: "error", Y: []float64{100, 1, 0.01, 0, 1e-4}}}, Options{LogY: true}),
			640, 400, []string{"error", ">0.01<", ">100<"}},
		{"images-one", Images(dl.New(pixels[:64], 1, 8, 8)), 96 + 20, 96 + 20, nil},
		{"images-flat", Images(dl.New(pixels[:64], 64)), 96 + 20, 96 + 20, nil},
		{"images-many", Images(dl.Randn(rng, 25, 4), ImageOptions{Columns: 12}), 12*(75+10) - 10 + 20, 3*(75+10) - 10 + 20, nil},
		{"images-titled", Images(dl.Randn(rng, 2, 3, 5), ImageOptions{Title: "two 3×5 images"}), 2*106 - 10 + 20, int(math.Round(96*(0.6+10.0/96))) - 10 + 20 + 36,
			[]string{"two 3×5 images"}},
		{"grid", Grid(2, Tangent(math.Sin, 0, -3, 3), Tangent(math.Cos, 1, -3, 3), Tangent(math.Exp, 0, -1, 1)), 880, 2 * 396, []string{"tangent at x = 0", "slope 1.000"}},
		{"grid-of-row", Grid(3, Row(Tangent(math.Sin, 0, -3, 3), Tangent(math.Cos, 1, -3, 3)), Hidden(data.XNOR(), hidden, nil)), 3 * 320, 2 * 288,
			[]string{"tangent at x = 0", "hidden space"}},
		{"titled", titled, 880, 396 + 36, []string{"Two plots"}},
	}
	for _, tt := range tests {
		img, svg := saved(t, tt.name, tt.fig)
		if b := img.Bounds(); b.Dx() != tt.w*Scale || b.Dy() != tt.h*Scale {
			t.Errorf("%s: PNG is %d×%d, want %d×%d", tt.name, b.Dx(), b.Dy(), tt.w*Scale, tt.h*Scale)
		}
		if n := colours(img); n < 8 {
			t.Errorf("%s: PNG has %d colours; it looks blank", tt.name, n)
		}
		for _, s := range tt.svg {
			want := htmlEscape(s)
			if strings.HasPrefix(s, ">") { // a whole text element: ">0.01<"
				want = s
			}
			if !strings.Contains(svg, want) {
				t.Errorf("%s: SVG lacks %q", tt.name, s)
			}
		}
	}
}

// TestOptions checks that the settings reach the plot, that a figure's
// own choices stay where they are left empty, and that the log axis
// leaves out what it cannot show.
func TestOptions(t *testing.T) {
	p := Curves(history(), "accuracy").Plot()
	if p.Title.Text != "accuracy" || p.X.Label.Text != "epoch" || p.Y.Label.Text != "accuracy" {
		t.Errorf("Curves' own labels: %q, %q, %q", p.Title.Text, p.X.Label.Text, p.Y.Label.Text)
	}
	p = Curves(history(), "accuracy", Options{YLabel: "share right"}).Plot()
	if p.Title.Text != "accuracy" || p.Y.Label.Text != "share right" {
		t.Errorf("Options.YLabel alone: title %q, y label %q", p.Title.Text, p.Y.Label.Text)
	}
	f := Boundary(firstColumn, halves(), Options{Title: "halves", Width: 300})
	if f.Plot().Title.Text != "halves" || f.Width != 300 || f.Height != 0 {
		t.Errorf("Boundary: title %q, size %d×%d", f.Plot().Title.Text, f.Width, f.Height)
	}
	if w, h := f.size(); w != 300 || h != Height {
		t.Errorf("Boundary of width 300: drawn %d×%d, want 300×%d", w, h, Height)
	}
	p = Lines([]Series{{Y: []float64{10, 0, -1, 0.1}}}, Options{LogY: true}).Plot()
	if _, ok := p.Y.Scale.(plot.LogScale); !ok {
		t.Errorf("LogY: the y scale is %T", p.Y.Scale)
	}
	if p.Y.Min != 0.1 || p.Y.Max != 10 {
		t.Errorf("LogY: y from %v to %v; want 0.1 to 10 (values ≤ 0 left out)", p.Y.Min, p.Y.Max)
	}
	// Heatmap and Confusion take the titles of Options too.
	if p := Confusion([][]int{{1, 0}, {0, 1}}, nil, Options{Title: "two classes"}).Plot(); p.Title.Text != "two classes" || p.X.Label.Text != "predicted" {
		t.Errorf("Confusion: title %q, x label %q", p.Title.Text, p.X.Label.Text)
	}
}

func TestSaveErrors(t *testing.T) {
	f := Tangent(math.Sin, 0, -1, 1)
	dir := t.TempDir()
	for _, name := range []string{"plot.jpg", "plot", "plot.pdf"} {
		path := filepath.Join(dir, name)
		err := f.Save(path)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("Save(%q) = %v, want an error naming the path", path, err)
		}
		if _, statErr := os.Stat(path); statErr == nil {
			t.Errorf("Save(%q) wrote a file", path)
		}
	}
	missing := filepath.Join(dir, "no", "such", "dir", "plot.png")
	if err := f.Save(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Save into a missing directory = %v, want an error naming the path", err)
	}
	if err := f.Save(filepath.Join(dir, "UPPER.PNG")); err != nil {
		t.Errorf("Save(UPPER.PNG): %v", err)
	}
}

// decodePNG returns the image of the first data:image/png URL in html.
func decodePNG(t *testing.T, html string) image.Image {
	t.Helper()
	m := regexp.MustCompile(`data:image/png;base64,([A-Za-z0-9+/=]+)`).FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no PNG in %.200q", html)
	}
	b, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// fakeNB is a notebook that records what the package would display.
type fakeNB struct {
	html    []string
	pngs    [][]byte // images shown as image/png
	widths  []int
	updates []string // "id: html"
	syncs   int
}

func (nb *fakeNB) IsNotebook() bool     { return true }
func (nb *fakeNB) DisplayHTML(h string) { nb.html = append(nb.html, h) }
func (nb *fakeNB) DisplayPNG(png []byte, width int) {
	nb.pngs, nb.widths = append(nb.pngs, png), append(nb.widths, width)
}
func (nb *fakeNB) UpdateHTML(id, h string) { nb.updates = append(nb.updates, id+": "+h) }
func (nb *fakeNB) Sync()                   { nb.syncs++ }
func (nb *fakeNB) UniqueID() string        { return "42" }

// fakeNotebook makes the package believe it runs in a notebook, and
// records what it would display, until the test ends.
func fakeNotebook(t *testing.T) *fakeNB {
	nb := &fakeNB{}
	old := display
	display = nb
	t.Cleanup(func() { display = old })
	return nb
}

func TestShow(t *testing.T) {
	f := Curves(history(), "loss")
	f.Show() // outside a notebook: nothing, and no panic
	Graph(dl.Param(dl.Scalar(1))).Show()

	nb := fakeNotebook(t)
	f.Show()
	if len(nb.pngs) != 1 || nb.syncs != 1 {
		t.Fatalf("Show: %d images and %d syncs, want 1 and 1", len(nb.pngs), nb.syncs)
	}
	if nb.widths[0] != 640 {
		t.Errorf("Show: width %d in the metadata, want 640", nb.widths[0])
	}
	img, err := png.Decode(bytes.NewReader(nb.pngs[0]))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 640*Scale || b.Dy() != 400*Scale {
		t.Errorf("Show: PNG is %v", b)
	}
	Row(f, f).Show()
	Graph(dl.Mul(dl.Param(dl.Scalar(2)), dl.Param(dl.Scalar(3)))).Show()
	if len(nb.pngs) != 2 || len(nb.html) != 1 || nb.syncs != 3 {
		t.Fatalf("%d images, %d HTML displays and %d syncs, want 2, 1 and 3", len(nb.pngs), len(nb.html), nb.syncs)
	}
	if h := nb.html[0]; !strings.HasPrefix(h, "<div><svg") || !strings.Contains(h, ">Mul<") || strings.Contains(h, "<?xml") {
		t.Errorf("Graph.Show displayed %.100q; want inline SVG without the XML prolog", h)
	}
	// A figure that cannot be drawn shows the error instead.
	bad := Lines([]Series{{Y: []float64{1, 2}}})
	bad.Plot().Y.Scale = plot.LogScale{}
	bad.Plot().Y.Min = -1
	bad.Show()
	if n := len(nb.html); n != 2 || !strings.Contains(nb.html[1], "<pre>plotting: ") {
		t.Errorf("a figure that cannot be drawn: %d HTML displays, last %.80q", n, nb.html[n-1])
	}
}

// TestPlot checks Figure.Plot: the one plot of a figure, or a panic for
// a figure of several.
func TestPlot(t *testing.T) {
	f := Scatter(halves())
	f.Plot().Title.Text = "changed"
	if f.Plots[0][0].Title.Text != "changed" {
		t.Error("Plot does not return the figure's plot")
	}
	testutil.Panics(t, "plotting: Figure.Plot: the figure has 2 plots; want 1", func() { Row(f, f).Plot() })
	testutil.Panics(t, "plotting: Path: the figure has 2 plots; want 1", func() { Path(Row(f, f), nil, "p") })
	// Row keeps the plots (not copies) and leaves a nil figure's cell empty.
	r := Row(f, nil, Hidden(data.XNOR(), halves(), nil))
	if len(r.Plots) != 1 || len(r.Plots[0]) != 4 || r.Plots[0][0] != f.Plot() || r.Plots[0][1] != nil {
		t.Errorf("Row(f, nil, Hidden): %d rows, first row %v", len(r.Plots), r.Plots[0])
	}
}

func TestBoundary(t *testing.T) {
	// The grid: class 1 exactly where x > 0.
	xlo, xhi, ylo, yhi := -2.0, 2.0, -1.0, 1.0
	g := newGrid(10, 10, xlo, xhi, ylo, yhi)
	cls := predictGrid(firstColumn, 10, xlo, xhi, ylo, yhi)
	for r := range 10 {
		for c := range 10 {
			want := 0
			if g.X(c) > 0 {
				want = 1
			}
			if got := cls[r*10+c]; got != want {
				t.Fatalf("cell (%d, %d) at x=%v: class %d, want %d", r, c, g.X(c), got, want)
			}
		}
	}

	// The picture: sample the middle row, away from the points, on the
	// left and right.
	f := Row(Boundary(firstColumn, halves()))
	img, _ := saved(t, "boundary-halves", f)
	left, right := lighten(Color(0), 0.6), lighten(Color(1), 0.6)
	b := img.Bounds()
	y := b.Dy() / 2
	near := func(c color.Color, want color.RGBA) bool {
		r, g, bl, _ := c.RGBA()
		d := math.Abs(float64(r>>8)-float64(want.R)) + math.Abs(float64(g>>8)-float64(want.G)) + math.Abs(float64(bl>>8)-float64(want.B))
		return d < 12
	}
	if c := img.At(b.Dx()*3/10, y); !near(c, left) {
		t.Errorf("left half is %v, want class 0's %v", c, left)
	}
	if c := img.At(b.Dx()*8/10, y); !near(c, right) {
		t.Errorf("right half is %v, want class 1's %v", c, right)
	}
}

func TestBoundaryOutputs(t *testing.T) {
	x := dl.New([]float64{-1, 0, 1, 0, 0.2, 0}, 3, 2)
	tests := []struct {
		name  string
		model funcModel
		want  []int
	}{
		{"logit [n]", func(x *dl.Tensor) *dl.Tensor { return dl.Reshape(firstColumn(x), 3) }, []int{0, 1, 1}},
		{"logit [n, 1]", firstColumn, []int{0, 1, 1}},
		// Sigmoid(x) > 0.5 where x > 0: the threshold moves to 0.5.
		{"sigmoid", func(x *dl.Tensor) *dl.Tensor { return dl.Sigmoid(firstColumn(x)) }, []int{0, 1, 1}},
		{"sigmoid shifted", func(x *dl.Tensor) *dl.Tensor {
			return dl.Sigmoid(dl.Sub(firstColumn(x), dl.Scalar(0.5)))
		}, []int{0, 1, 0}},
		{"argmax", func(x *dl.Tensor) *dl.Tensor {
			// Scores: class 0 ~ -x, class 1 ~ x, class 2 ~ 0.5 constant.
			out := make([]float64, 0, 9)
			for i := range 3 {
				v := x.Data()[2*i]
				out = append(out, -v, v, 0.5)
			}
			return dl.New(out, 3, 3)
		}, []int{0, 1, 2}},
	}
	for _, tt := range tests {
		got := argmaxRows("Boundary", tt.model.Forward(x), 3)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: classes %v, want %v", tt.name, got, tt.want)
		}
	}
	testutil.Panics(t, "model output has shape [2 2] for 3 points", func() {
		argmaxRows("Boundary", dl.Zeros(2, 2), 3)
	})
}

func TestTangentSlope(t *testing.T) {
	sq := func(x float64) float64 { return x * x }
	for _, x := range []float64{-3, -0.5, 0, 1, 1.5, 1000} {
		if got, want := derivative(sq, x), 2*x; math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("derivative of x² at %v = %v, want %v", x, got, want)
		}
	}
	_, svg := saved(t, "tangent-x2", Row(Tangent(sq, 1.5, -3, 3)))
	if !strings.Contains(svg, "slope 3.000") {
		t.Errorf("the legend does not give the slope 3.000")
	}
}

// graphSVG saves the graph of t as SVG and returns it, with the number of
// boxes (outlines in the colour of an op, a parameter or an input) and of
// arrowheads drawn.
func graphSVG(t *testing.T, name string, tensor *dl.Tensor) (svg string, boxes, arrows int) {
	t.Helper()
	img, svg := saved(t, name, Graph(tensor))
	if colours(img) < 8 {
		t.Errorf("%s: the PNG looks blank", name)
	}
	boxes = len(regexp.MustCompile(`fill:none;stroke:#(FF7F0E|1F77B4|7F7F7F)`).FindAllString(svg, -1))
	arrows = strings.Count(svg, `style="fill:#555555"`)
	return svg, boxes, arrows
}

func TestGraph(t *testing.T) {
	// L = (a·b + c)·f, micrograd's first example.
	a, b := dl.Param(dl.Scalar(2)), dl.Param(dl.Scalar(-3))
	c, f := dl.Param(dl.Scalar(10)), dl.Param(dl.Scalar(-2))
	e := dl.Mul(a, b)
	d := dl.Add(e, c)
	L := dl.Mul(d, f)

	before, _, _ := graphSVG(t, "graph-before", L)
	if strings.Contains(before, ">grad ") {
		t.Errorf("before Backward the graph shows gradients")
	}
	// A plain Backward keeps the gradients of the parameters only: a, b,
	// c and f, each in one box.
	L.Backward()
	plain, _, _ := graphSVG(t, "graph-plain", L)
	if n := strings.Count(plain, ">grad "); n != 4 {
		t.Errorf("after a plain Backward the graph shows %d gradients, want the 4 of the parameters", n)
	}
	for _, p := range []*dl.Tensor{a, b, c, f} {
		dl.ZeroGrad(p)
	}
	L.Backward(dl.RetainGrads)
	svg, boxes, arrows := graphSVG(t, "graph", L)
	if boxes != 7 || arrows != 6 {
		t.Errorf("%d boxes and %d arrows, want 7 and 6", boxes, arrows)
	}
	for _, s := range []string{">Mul<", ">Add<", ">param<", ">data -8.000<", ">data 4.000<", ">grad 1.000<",
		">grad 6.000<", ">grad -4.000<", ">grad -2.000<", ">grad 4.000<"} {
		if !strings.Contains(svg, s) {
			t.Errorf("graph lacks %q", s)
		}
	}

	// NamedGraph puts names on the named boxes, and keeps the op or kind
	// on the others.
	_, named := saved(t, "graph-named", NamedGraph(L, map[string]*dl.Tensor{"a": a, "b": b, "d": d, "e2": d}))
	for _, s := range []string{">a<", ">b<", ">d<", ">Mul<", ">param<"} {
		if !strings.Contains(named, s) {
			t.Errorf("named graph lacks %q", s)
		}
	}
	if strings.Contains(named, ">Add<") || strings.Contains(named, ">e2<") {
		t.Error("named graph shows the op of d, or its second name")
	}

	// x·x: one input used twice gives two arrows; data tensors are "input";
	// a non-scalar shows its shape and gradient norm.
	x := dl.Param(dl.New([]float64{3, 4}, 2))
	y := dl.Sum(dl.Mul(dl.Mul(x, x), dl.New([]float64{1, 1}, 2)))
	y.Backward()
	svg, boxes, arrows = graphSVG(t, "graph-square", y)
	if boxes != 5 || arrows != 5 {
		t.Errorf("x·x: %d boxes and %d arrows, want 5 and 5", boxes, arrows)
	}
	for _, s := range []string{">Sum<", ">input<", ">shape [2]<", ">grad norm 10.000<"} {
		if !strings.Contains(svg, s) {
			t.Errorf("x·x graph lacks %q", s)
		}
	}

	// A lone tensor is one box.
	if _, n, _ := graphSVG(t, "graph-lone", dl.Scalar(1)); n != 1 {
		t.Errorf("a lone tensor gives %d boxes", n)
	}

	// The size fits the layout, with 10 pixels of margin; a chosen width
	// keeps the shape, and a title goes above.
	g := layoutGraph(L)
	fig := Graph(L, Options{Title: "L", Width: 400})
	if w, h := Graph(L).size(); w != int(g.w)+20 || h != int(g.h)+20 {
		t.Errorf("graph of %v×%v drawn %d×%d", g.w, g.h, w, h)
	}
	if w, h := fig.size(); w != 400 || h != int(math.Round(400*(g.h+20)/(g.w+20)))+36 {
		t.Errorf("graph of width 400 with a title drawn %d×%d", w, h)
	}
	if _, svg := saved(t, "graph-titled", fig); !strings.Contains(svg, ">L<") {
		t.Error("the graph's title is missing")
	}
}

func TestGraphLayout(t *testing.T) {
	// Inputs left of their ops, boxes do not overlap.
	rng := newRNG(2)
	w := dl.Param(dl.Randn(rng, 2, 3))
	bias := dl.Param(dl.Zeros(3))
	x := dl.Randn(rng, 4, 2)
	h := dl.Tanh(dl.Add(dl.MatMul(x, w), bias))
	loss := dl.Mean(dl.Mul(h, h))
	g := layoutGraph(loss)
	for _, e := range g.edges {
		if from, to := g.nodes[e.from], g.nodes[e.to]; from.x >= to.x {
			t.Errorf("%s (x=%v) is not left of %s (x=%v)", kind(from.t), from.x, kind(to.t), to.x)
		}
	}
	for i, a := range g.nodes {
		for _, b := range g.nodes[i+1:] {
			if math.Abs(a.x-b.x) < boxW && math.Abs(a.y-b.y) < boxH {
				t.Errorf("boxes %s and %s overlap", kind(a.t), kind(b.t))
			}
		}
	}
	// The bias, added after MatMul, sits next to Add, not at the far left.
	for _, n := range g.nodes {
		if n.t == bias && n.layer != 1 {
			t.Errorf("bias in layer %d, want 1", n.layer)
		}
	}
}

// events feeds Live a fit of 2 epochs of 3 steps, with validation.
func events(cb train.Callback, clock *time.Time, stepTime time.Duration) {
	h := &train.History{Metrics: map[string][]float64{}, ValMetrics: map[string][]float64{}}
	samples := 0
	for epoch := 1; epoch <= 2; epoch++ {
		for step := 1; step <= 3; step++ {
			*clock = clock.Add(stepTime)
			samples += 10
			cb(train.Event{Kind: train.StepEnd, Epoch: epoch, Epochs: 2, Step: step, Steps: 3, Loss: 1 / float64(epoch+step),
				Samples: samples, Elapsed: time.Duration(samples) * 10 * time.Millisecond, History: h})
		}
		h.Loss = append(h.Loss, 0.5/float64(epoch))
		h.ValLoss = append(h.ValLoss, 0.6/float64(epoch))
		cb(train.Event{Kind: train.EpochEnd, Epoch: epoch, Epochs: 2, Loss: 0.5 / float64(epoch),
			Samples: samples, Elapsed: time.Duration(samples) * 10 * time.Millisecond, History: h})
	}
	cb(train.Event{Kind: train.End, Epoch: 2, Epochs: 2, Loss: 0.25, Samples: samples,
		Elapsed: time.Duration(samples) * 10 * time.Millisecond, History: h})
}

// newTestLive returns a Live that prints to out and reads the time from
// clock.
func newTestLive(out io.Writer, clock *time.Time, opts ...Options) *Live {
	l := NewLive(opts...)
	l.out = out
	l.now = func() time.Time { return *clock }
	return l
}

func TestLiveText(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Unix(0, 0)
	live := newTestLive(&buf, &clock, Options{Title: "test"})
	events(live.Callback, &clock, time.Second)
	want := "epoch 1/2  loss 0.5000  val_loss 0.6000  0.3s\n" +
		"epoch 2/2  loss 0.2500  val_loss 0.3000  0.6s\n"
	if buf.String() != want {
		t.Errorf("Live printed\n%s\nwant\n%s", buf.String(), want)
	}
	// The last frame, outside a notebook too: the title, both curves and
	// the steps.
	img, svg := saved(t, "live-last", live.Figure())
	if b := img.Bounds(); b.Dx() != 600*Scale || b.Dy() != 340*Scale {
		t.Errorf("the last frame is %v; want 600×340 pixels at scale %d", b, Scale)
	}
	for _, s := range []string{"test", "train (steps)", "train", "validation", "epoch", "loss"} {
		if !strings.Contains(svg, ">"+s+"<") {
			t.Errorf("the last frame lacks %q", s)
		}
	}
	dir := t.TempDir()
	if err := live.Save(filepath.Join(dir, "live.png")); err != nil {
		t.Errorf("Live.Save: %v", err)
	}
	live.Show() // outside a notebook: nothing
}

func TestLiveNotebook(t *testing.T) {
	nb := fakeNotebook(t)
	clock := time.Unix(0, 0)

	// Steps 0.4 s apart: frames at the first step, then about every
	// second, and always at the end.
	live := newTestLive(nil, &clock, Options{Title: "loss"})
	events(live.Callback, &clock, 400*time.Millisecond)
	if n := len(nb.updates); n < 3 || n > 5 {
		t.Errorf("%d frames for 2.4 s of training, want 3 to 5", n)
	}
	if nb.syncs != 1 {
		t.Errorf("%d syncs, want 1 (at the end)", nb.syncs)
	}
	for _, u := range nb.updates {
		if !strings.HasPrefix(u, "dlnb-live-42: ") {
			t.Errorf("update to another display: %.40q", u)
		}
	}
	last := nb.updates[len(nb.updates)-1]
	for _, s := range []string{"epoch 2/2", "loss 0.2500", "val loss 0.3000", "samples/s"} {
		if !strings.Contains(last, s) {
			t.Errorf("last frame lacks %q: %.300q", s, last[strings.Index(last, "</div>"):])
		}
	}
	img := decodePNG(t, last)
	if colours(img) < 8 {
		t.Errorf("the last frame looks blank")
	}
	// Show after training displays the last frame once more, as a PNG.
	live.Show()
	if len(nb.pngs) != 1 || nb.widths[0] != 600 {
		t.Errorf("Live.Show: %d images, widths %v; want one 600 wide", len(nb.pngs), nb.widths)
	}

	// Fast steps: only the first step and the end get frames.
	nb.updates = nil
	events(newTestLive(nil, &clock).Callback, &clock, time.Millisecond)
	if len(nb.updates) != 2 {
		t.Errorf("%d frames for a fast fit, want 2", len(nb.updates))
	}

	// A second fit with the same Live starts afresh: a new display, and
	// the steps of the first fit are gone.
	nb.updates = nil
	events(live.Callback, &clock, time.Millisecond)
	if len(nb.updates) != 2 || len(live.stepX) != 6 {
		t.Errorf("a second fit: %d frames and %d steps; want 2 and 6", len(nb.updates), len(live.stepX))
	}
}

func TestPanics(t *testing.T) {
	three := data.Set{X: dl.Zeros(5, 3), Y: dl.Zeros(5)}
	tests := []struct {
		want string
		f    func()
	}{
		{"plotting: Scatter: X has shape [5 3]; want [n, 2]", func() { Scatter(three) }},
		{"plotting: Scatter: Y has shape [4]", func() { Scatter(data.Set{X: dl.Zeros(5, 2), Y: dl.Zeros(4)}) }},
		{"plotting: Boundary: the set has no X", func() { Boundary(firstColumn, data.Set{}) }},
		{"plotting: Hidden: 4 input points but 2 hidden points", func() { Hidden(data.XNOR(), data.Set{X: dl.Zeros(2, 2)}, nil) }},
		{"plotting: Regression: 3 x values and 2 y values", func() { Regression([]float64{1, 2, 3}, []float64{1, 2}, nil) }},
		{`plotting: Regression: curve "c" has 0 x values and 2 y values`, func() { Regression(nil, nil, []Series{{Name: "c", Y: []float64{1, 2}}}) }},
		{`plotting: Curves: the history has no metric "f1"; it has loss, accuracy`, func() { Curves(history(), "f1") }},
		{"plotting: Curves: nil history", func() { Curves(nil, "loss") }},
		{"plotting: Tangent: empty range [1, 1]", func() { Tangent(math.Sin, 0, 1, 1) }},
		{"plotting: Contour: empty range", func() { Contour(func(x, y float64) float64 { return 0 }, 0, 1, 1, 0) }},
		{"plotting: Images: x has shape [2 3]; want [n, h, w], [n, 1, h, w], or [n, k] with k a square", func() { Images(dl.Zeros(2, 3)) }},
		{"plotting: Images: x has shape [2 2 1 1]", func() { Images(dl.Zeros(2, 2, 1, 1)) }},
		{"plotting: Images: x has shape [2 0 4]", func() { Images(dl.Zeros(2, 0, 4)) }},
		{"plotting: Images: 1 captions for 2 images", func() { Images(dl.Zeros(2, 4), ImageOptions{Captions: []string{"a"}}) }},
		{"plotting: Images: 2 plotting.ImageOptions values; pass at most one", func() { Images(dl.Zeros(2, 4), ImageOptions{}, ImageOptions{}) }},
		{`plotting: Lines: series "a" has 2 x values and 3 y values`, func() {
			Lines([]Series{{Name: "a", X: []float64{1, 2}, Y: []float64{1, 2, 3}}})
		}},
		{"plotting: Grid: 0 columns", func() { Grid(0) }},
		// Options: at most one, sizes not negative, and no field that the
		// figure would ignore.
		{"plotting: Lines: 2 plotting.Options values; pass at most one", func() { Lines(nil, Options{}, Options{}) }},
		{"plotting: Scatter: size -1×0", func() { Scatter(halves(), Options{Width: -1}) }},
		{"plotting: Heatmap: size 0×-5", func() { Heatmap([][]float64{{1}}, HeatmapOptions{Height: -5}) }},
		{"plotting: Scatter: Options.LogY is not used by this figure", func() { Scatter(halves(), Options{LogY: true}) }},
		{"plotting: Hidden: Options.XLabel is not used by this figure", func() { Hidden(data.XNOR(), data.XNOR(), nil, Options{XLabel: "x"}) }},
		{"plotting: Graph: Options.YLabel is not used by this figure", func() { Graph(dl.Scalar(1), Options{YLabel: "y"}) }},
		{"plotting: Bars: Options.LogY is not used by this figure", func() { Bars(nil, nil, Options{LogY: true}) }},
	}
	for _, tt := range tests {
		testutil.Panics(t, tt.want, tt.f)
	}
}

func TestEdgeCases(t *testing.T) {
	// Degenerate data must still draw: one point, constant functions,
	// NaN in a history, no validation, empty images list.
	one := data.Set{X: dl.New([]float64{1, 1}, 1, 2), Y: dl.New([]float64{0}, 1)}
	nan := &train.History{Loss: []float64{1, math.NaN(), 0.5}}
	single := &train.History{Loss: []float64{0.7}}
	signs := data.Set{X: dl.New([]float64{0, 0, 1, 1}, 2, 2), Y: dl.New([]float64{-1, 1}, 2)}
	for name, f := range map[string]*Figure{
		"one point":    Scatter(one, Options{Title: "one"}),
		"one boundary": Boundary(firstColumn, one),
		"no labels":    Scatter(data.Set{X: one.X}),
		"sign labels":  Scatter(signs, Options{Title: "±1"}),
		"constant":     Tangent(func(float64) float64 { return 2 }, 0, -1, 1),
		"flat contour": Contour(func(x, y float64) float64 { return 1 }, -1, 1, -1, 1),
		"nan history":  Curves(nan, "loss"),
		"log history":  Curves(&train.History{Loss: []float64{1, 0, -1}}, "loss", Options{LogY: true}),
		"single epoch": Curves(single, "loss"),
		"no images":    Images(nil),
		"no lines":     Lines(nil),
		"empty row":    Row(),
		"empty path": func() *Figure {
			f := Contour(func(x, y float64) float64 { return x * y }, -1, 1, -1, 1)
			Path(f, nil, "none")
			return f
		}(),
		"diverging path": func() *Figure {
			f := Contour(func(x, y float64) float64 { return x * x }, -1, 1, -1, 1)
			Path(f, [][2]float64{{0.5, 0}, {-2, 0}, {8, 0}}, "lr too big")
			return f
		}(),
		"empty live": NewLive().Figure(),
	} {
		if _, err := f.png(1); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// ±1 labels take the colours of classes 0 and 1.
	_, svg := saved(t, "signs", Scatter(signs))
	if !strings.Contains(svg, "class -1") || !strings.Contains(svg, "class 1") {
		t.Errorf("±1 legend missing")
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		whole  bool
		want   string
	}{
		{0, 1, false, "0.0 0.2 0.4 0.6 0.8 1.0"},
		{-1.3, 1.3, false, "-1.0 -0.5 0.0 0.5 1.0"},
		{1, 40, true, "10 20 30 40"},
		{1, 5, true, "1 2 3 4 5"},
		{0.5, 1.5, true, "1"},
		{0, 0.001, false, "0.0000 0.0002 0.0004 0.0006 0.0008 0.0010"},
		{0, 2.5, false, "0.0 0.5 1.0 1.5 2.0 2.5"},
		{0, 1.2, false, "0.0 0.2 0.4 0.6 0.8 1.0 1.2"},
	}
	for _, tt := range tests {
		var labels []string
		for _, tk := range (niceTicks{whole: tt.whole}).Ticks(tt.lo, tt.hi) {
			labels = append(labels, tk.Label)
		}
		if got := strings.Join(labels, " "); got != tt.want {
			t.Errorf("ticks on [%v, %v]: %q, want %q", tt.lo, tt.hi, got, tt.want)
		}
	}
}

// TestPNGDataCrossesThePipe checks that the image message can be encoded
// for GoNB's pipe: gob refuses interface values of unregistered types, and
// then GoNB drops every later display of the cell.
func TestPNGDataCrossesThePipe(t *testing.T) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(pngData([]byte{1, 2, 3}, 640)); err != nil {
		t.Fatalf("gob cannot encode the image message: %v", err)
	}
	var got protocol.DisplayData
	if err := gob.NewDecoder(&buf).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if w := got.Metadata["image/png"].(map[string]int)["width"]; w != 640 {
		t.Errorf("width %d after the pipe, want 640", w)
	}
}

// The first frame, after one step, shows that step's loss on an axis
// around it, not empty axes from -1 to 1.
func TestLiveFirstFrame(t *testing.T) {
	for _, tt := range []struct {
		loss   float64
		log    bool
		lo, hi float64
	}{
		{2.3, false, 0, 2.875},
		{2.3, true, 0.23, 4.6},
		{-0.4, false, -0.5, 0},
		{0, false, 0, 1},
	} {
		clock := time.Unix(0, 0)
		live := newTestLive(nil, &clock, Options{LogY: tt.log})
		e := train.Event{Kind: train.StepEnd, Epoch: 1, Epochs: 3, Step: 1, Steps: 10, Loss: tt.loss,
			History: &train.History{Metrics: map[string][]float64{}, ValMetrics: map[string][]float64{}}}
		live.Callback(e)
		p := live.plot(e)
		if math.Abs(p.Y.Min-tt.lo) > 1e-12 || math.Abs(p.Y.Max-tt.hi) > 1e-12 {
			t.Errorf("loss %g (log %v): first frame's Y axis %g to %g, want %g to %g", tt.loss, tt.log, p.Y.Min, p.Y.Max, tt.lo, tt.hi)
		}
	}
}
