package plotting

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
)

// milestones are training-compute points of the kind that notebook 11
// draws (rounded numbers).
func milestones() []TimelinePoint {
	return []TimelinePoint{
		{Label: "AlexNet", Year: 2012.4, Value: 4.7e17, Group: "milestones"},
		{Label: "VGG-16", Year: 2014.7, Value: 1.2e19, Group: "milestones"},
		{Label: "Seq2Seq", Year: 2014.7, Value: 7.3e18, Group: "milestones"},
		{Label: "ResNet-152", Year: 2015.9, Value: 1.2e19, Group: "milestones"},
		{Label: "AlphaGo Zero", Year: 2017.8, Value: 3.4e23, Group: "milestones"},
		{Label: "BERT-Large", Year: 2018.8, Value: 2.9e20, Group: "milestones"},
		{Label: "GPT-3", Year: 2020.4, Value: 3.1e23, Group: "milestones"},
		{Label: "12 AlexNet", Year: 2012.4, Value: 2.1e13, Group: "this course"},
		{Label: "15 Adam", Year: 2014.9, Value: 3e12, Group: "this course"},
		{Label: "16 GAN", Year: 2014.5, Value: 8e11, Group: "this course"},
		{Label: "17 ResNet", Year: 2015.9, Value: 4e13, Group: "this course"},
		{Label: "perceptron", Year: 1958, Value: 1e3, Group: "history"},
	}
}

// ringSamples returns n samples of a generator that covers only the
// first modes of a ring of 8 (mode collapse).
func ringSamples(n, modes int) *dl.Tensor {
	s := data.Ring(newRNG(2), n, 8, 2, 0.05)
	x := s.X.Data()
	var out []float64
	for i, y := range s.Y.Data() {
		if int(y) < modes {
			out = append(out, x[2*i], x[2*i+1])
		}
	}
	return dl.New(out, len(out)/2, 2)
}

func TestMilestoneFigures(t *testing.T) {
	rng := newRNG(1)
	target := data.RingDensity(8, 2, 0.05)
	box := SamplesOptions{Range: [4]float64{-2.6, 2.6, -2.6, 2.6}}
	step := func(title string, modes int) *Figure {
		o := box
		o.Title = title
		return Samples(ringSamples(800, modes), target, o)
	}
	norms4 := []float64{0.21, 0.18, 0.2, 0.35}
	var norms32 []float64
	for l := range 32 {
		norms32 = append(norms32, 0.3*math.Pow(0.55, float64(31-l)))
	}
	rows := []*dl.Tensor{dl.Randn(rng, 6, 64), dl.Randn(rng, 4, 8, 8), dl.Randn(rng, 6, 1, 8, 8)}
	tests := []struct {
		name string
		fig  *Figure
		w, h int      // CSS pixels
		svg  []string // texts the SVG must contain
	}{
		{"timeline", Timeline(milestones()[:11], Options{Title: "training compute", YLabel: "FLOPs"}), 640, 400,
			[]string{"training compute", "FLOPs", "year", "AlexNet", "GPT-3", "17 ResNet", ">1e12<", ">1e20<", "milestones, doubles every", "this course"}},
		{"timeline-wide", Timeline(milestones(), Options{Width: 800, Height: 500, LogY: true}), 800, 500,
			[]string{"perceptron", "history", ">1e4<", ">1e20<"}},
		{"image-rows", ImageRows(rows, []string{"step 0", "step 500", "step 10000"}, ImageOptions{Title: "generated digits"}),
			0, 0, []string{"generated digits", "step 0", "step 10000"}},
		{"samples", Samples(ringSamples(1000, 8), target), 640, 400, []string{"x₁", "x₂"}},
		{"samples-row", Row(step("step 0", 1), step("step 1000", 3), step("step 5000", 8)), 0, 0, []string{"step 0", "step 5000"}},
		{"layer-bars", LayerBars([]Series{{Name: "depth 4", Y: norms4}, {Name: "depth 32", Y: norms32}},
			Options{Title: "gradient norm per layer", YLabel: "‖∇W‖", LogY: true}), 880, 396 + 36,
			[]string{"depth 4", "depth 32", "layer", ">1e-8<", ">0.01<"}},
		{"layer-bars-linear", LayerBars([]Series{{Name: "depth 4", Y: norms4}}), 640, 400, []string{"depth 4", "layer"}},
	}
	for _, tt := range tests {
		checkSaved(t, tt.name, tt.fig, tt.w, tt.h, 8, tt.svg, nil)
	}
}

func TestTimeline(t *testing.T) {
	pts := milestones()
	f := Timeline(pts)
	p := f.Plot()
	if _, ok := p.Y.Scale.(plot.LogScale); !ok {
		t.Errorf("the y axis is not logarithmic")
	}
	if p.X.Label.Text != "year" || p.Y.Label.Text != "value" {
		t.Errorf("axes %q and %q, want year and value", p.X.Label.Text, p.Y.Label.Text)
	}
	// Three groups in the order of their first points; a line for the two
	// with points in different years (not "history", with one point),
	// along the least-squares fit of log10(value).
	groups := timelineGroups(pts)
	if len(groups) != 3 || groups[0].name != "milestones" || groups[1].name != "this course" || groups[2].name != "history" {
		t.Fatalf("groups %v, want milestones, this course, history", groups)
	}
	var years, values []float64
	for _, pt := range pts[:7] {
		years, values = append(years, pt.Year), append(values, pt.Value)
	}
	a, b := stat.LinearRegression(years, logs(values), nil, false)
	if g := groups[0]; !g.fitted || math.Abs(g.alpha-a) > 1e-9*math.Abs(a) || math.Abs(g.beta-b) > 1e-12 {
		t.Errorf("milestones: fit %v + %v·year, want %v + %v·year", g.alpha, g.beta, a, b)
	}
	if !groups[1].fitted || groups[2].fitted {
		t.Errorf("fitted: %v %v, want true false", groups[1].fitted, groups[2].fitted)
	}
	// The legend gives each group's doubling time, and every point has
	// its label.
	_, svg := saved(t, "timeline-legend", f)
	for _, pt := range pts {
		if !strings.Contains(svg, ">"+pt.Label+"<") {
			t.Errorf("the SVG lacks the label %q", pt.Label)
		}
	}
	want := fmt.Sprintf("milestones, doubles every %.1f months", DoublingTime(years, values))
	if !strings.Contains(svg, want) {
		t.Errorf("the SVG lacks %q", want)
	}
	if !strings.Contains(svg, ">history<") {
		t.Errorf("the SVG lacks the legend entry of a group without a line")
	}
	// The y axis covers every point with room to spare, the x axis too.
	if !(p.Y.Min < 1e3 && p.Y.Max > 3.4e23 && p.X.Min < 1958 && p.X.Max > 2020.4) {
		t.Errorf("axes [%v, %v]×[%v, %v] do not cover the points", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	// The ticks of a wide log axis: powers of ten, at most 8 labelled.
	ticks := strings.Fields(tickLabels(p.Y.Tick.Marker, p.Y.Min, p.Y.Max))
	if len(ticks) < 4 || len(ticks) > 8 {
		t.Errorf("y ticks %q: want 4 to 8 labels", strings.Join(ticks, " "))
	}
	for _, tk := range ticks {
		if strings.Contains(tk, "+") || !(strings.HasPrefix(tk, "1e") || tk == "1" || tk == "10" || tk == "100") {
			t.Errorf("y tick %q, want powers of ten written 1e12", tk)
		}
	}
	// No points: an empty log axis, drawn.
	saved(t, "timeline-empty", Timeline(nil))
}

// logs returns log10 of each value.
func logs(vs []float64) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = math.Log10(v)
	}
	return out
}

func TestLogTicksWide(t *testing.T) {
	for _, tt := range []struct {
		lo, hi float64
		want   string
	}{
		{1e11, 1e24, "1e12 1e14 1e16 1e18 1e20 1e22 1e24"},
		{1e-10, 1, "1e-10 1e-8 1e-6 1e-4 0.01 1"},
		{0.5, 2e7, "1 10 100 1e3 1e4 1e5 1e6 1e7"},
		{10, 2e5, "10 100 1000 10000 100000"}, // up to 6 decades: as before
	} {
		if got := tickLabels(logTicks{}, tt.lo, tt.hi); got != tt.want {
			t.Errorf("log ticks on [%v, %v]: %q, want %q", tt.lo, tt.hi, got, tt.want)
		}
	}
	for v, want := range map[float64]string{1e6: "1e6", 2.5e-5: "2.5e-5", 1e100: "1e100", 0.001: "0.001", 123456: "123456"} {
		if got := logLabel(v); got != want {
			t.Errorf("logLabel(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestDoublingTime(t *testing.T) {
	// A series that doubles every 6 months exactly, over 5 years.
	var years, values, halving []float64
	for k := range 11 {
		years = append(years, 2015+0.5*float64(k))
		values = append(values, 3e15*math.Pow(2, float64(k)))
		halving = append(halving, 3e15*math.Pow(2, -float64(k)))
	}
	if got := DoublingTime(years, values); math.Abs(got-6) > 1e-9 {
		t.Errorf("doubling every 6 months: DoublingTime = %v", got)
	}
	if got := DoublingTime(years, halving); math.Abs(got+6) > 1e-9 {
		t.Errorf("halving every 6 months: DoublingTime = %v, want -6", got)
	}
	// Ten times a year: 12·log10(2) months, whatever the order of points.
	if got, want := DoublingTime([]float64{2014, 2012, 2013}, []float64{1e19, 1e17, 1e18}), 12*math.Log10(2); math.Abs(got-want) > 1e-9 {
		t.Errorf("ten times a year: DoublingTime = %v, want %v", got, want)
	}
	// Scatter around the trend: the least-squares slope by hand. The points
	// are 2, 8, 16, 128 at years 0..3: log2 values 1, 3, 4, 7; the slope
	// of the log2 fit is (Σ(x-1.5)(y-3.75))/Σ(x-1.5)² = 9.5/5 = 1.9
	// doublings a year.
	if got, want := DoublingTime([]float64{0, 1, 2, 3}, []float64{2, 8, 16, 128}), 12/1.9; math.Abs(got-want) > 1e-9 {
		t.Errorf("scattered points: DoublingTime = %v, want %v", got, want)
	}
	if got := DoublingTime([]float64{1, 2}, []float64{5, 5}); !math.IsInf(got, 1) {
		t.Errorf("flat: DoublingTime = %v, want +Inf", got)
	}
}

func TestImageRows(t *testing.T) {
	rng := newRNG(3)
	rows := []*dl.Tensor{dl.Randn(rng, 6, 64), dl.Randn(rng, 4, 8, 8), dl.Randn(rng, 6, 1, 8, 8)}
	// Without labels, rows of 6, 4 and 6 images take the room of Images
	// in 3 rows of 6 columns; labels add a column at the left.
	bare := ImageRows(rows, nil)
	grid := Images(dl.Randn(rng, 18, 64), ImageOptions{Columns: 6})
	if bare.Width != grid.Width || bare.Height != grid.Height {
		t.Errorf("ImageRows without labels is %d×%d, Images of the same grid %d×%d", bare.Width, bare.Height, grid.Width, grid.Height)
	}
	labelled := ImageRows(rows, []string{"step 0", "step 500", "step 10000"})
	if !(labelled.Width > bare.Width+40) || labelled.Height != bare.Height {
		t.Errorf("labels: %d×%d, want wider than %d×%d by the labels", labelled.Width, labelled.Height, bare.Width, bare.Height)
	}
	// 16 images: the 6, 4 and 6 of the rows.
	_, svg := saved(t, "image-rows-labelled", labelled)
	if n := strings.Count(svg, "<image"); n != 16 {
		t.Errorf("%d images drawn, want 16", n)
	}
	var caps []string
	for i := range 16 {
		caps = append(caps, fmt.Sprintf("c%d", i))
	}
	_, svg = saved(t, "image-rows-captions", ImageRows(rows, nil, ImageOptions{Captions: caps}))
	for _, c := range []string{">c0<", ">c9<", ">c15<"} {
		if !strings.Contains(svg, c) {
			t.Errorf("the SVG lacks caption %s", c)
		}
	}
}

func TestSamples(t *testing.T) {
	x := ringSamples(400, 8)
	target := data.RingDensity(8, 2, 0.05)
	// Fixed range: the axes are Range, and every panel of a Row shares it.
	box := SamplesOptions{Range: [4]float64{-3, 3, -2.5, 2.5}, Title: "step 100"}
	p := Samples(x, target, box).Plot()
	if p.X.Min != -3 || p.X.Max != 3 || p.Y.Min != -2.5 || p.Y.Max != 2.5 || p.Title.Text != "step 100" {
		t.Errorf("axes [%v, %v]×[%v, %v] titled %q, want [-3, 3]×[-2.5, 2.5] titled step 100", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max, p.Title.Text)
	}
	// Default range without a density: the samples' box with a margin of
	// a tenth.
	two := dl.New([]float64{0, 0, 1, 2}, 2, 2)
	p = Samples(two, nil).Plot()
	if math.Abs(p.X.Min+0.1) > 1e-12 || math.Abs(p.X.Max-1.1) > 1e-12 || math.Abs(p.Y.Min+0.2) > 1e-12 || math.Abs(p.Y.Max-2.2) > 1e-12 {
		t.Errorf("default axes [%v, %v]×[%v, %v], want [-0.1, 1.1]×[-0.2, 2.2]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	// With a density, the range holds its modes too (the ring's reach
	// 2 + 3.7 std, where it falls to a thousandth), and so is the same for
	// samples that collapse on one mode and samples that cover all.
	for _, modes := range []int{1, 8} {
		p = Samples(ringSamples(400, modes), target).Plot()
		for _, v := range []float64{-p.X.Min, p.X.Max, -p.Y.Min, p.Y.Max} {
			if v < 2.2*1.1 || v > 2.25*1.2 {
				t.Errorf("%d modes: default axes [%v, %v]×[%v, %v], want about ±2.2 plus a tenth", modes, p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
				break
			}
		}
	}
	p = Samples(dl.New([]float64{9, 9}, 1, 2), target).Plot()
	if p.X.Min > -2.2 || p.X.Max < 9 || p.Y.Min > -2.2 || p.Y.Max < 9 {
		t.Errorf("a sample far away: axes [%v, %v]×[%v, %v], want the ring and (9, 9)", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	// The density is shaded in many colours; the samples alone are not.
	shaded, _ := saved(t, "samples-shade", Samples(dl.Zeros(0, 2), target, SamplesOptions{Range: [4]float64{-2.5, 2.5, -2.5, 2.5}}))
	bare, _ := saved(t, "samples-none", Samples(dl.Zeros(0, 2), nil, SamplesOptions{Range: [4]float64{-2.5, 2.5, -2.5, 2.5}}))
	if n, m := colours(shaded), colours(bare); n < m+20 {
		t.Errorf("the shaded density has %d colours, the plot without it %d", n, m)
	}
	// Without a density, and with a density that is NaN or negative
	// somewhere: drawn all the same.
	saved(t, "samples-bare", Samples(x, nil))
	saved(t, "samples-odd", Samples(x, func(x, y float64) float64 {
		if x < 0 {
			return math.NaN()
		}
		return -y
	}))
}

func TestLayerBars(t *testing.T) {
	norms32 := make([]float64, 32)
	for l := range norms32 {
		norms32[l] = math.Pow(10, -float64(31-l)/4)
	}
	f := LayerBars([]Series{{Name: "depth 4", Y: []float64{0.5, 0.4, 0.6, 0.9}}, {Name: "depth 32", Y: norms32}},
		Options{LogY: true, Title: "gradient norm", YLabel: "norm"})
	if len(f.Plots) != 1 || len(f.Plots[0]) != 2 {
		t.Fatalf("LayerBars of two series has plots %v, want one row of 2", f.Plots)
	}
	a, b := f.Plots[0][0], f.Plots[0][1]
	if a.Y.Min != b.Y.Min || a.Y.Max != b.Y.Max {
		t.Errorf("the panels' y axes differ: [%v, %v] and [%v, %v]", a.Y.Min, a.Y.Max, b.Y.Min, b.Y.Max)
	}
	if !(a.Y.Min < norms32[0] && a.Y.Max > 0.9) {
		t.Errorf("the y axis [%v, %v] does not cover the values", a.Y.Min, a.Y.Max)
	}
	if a.X.Min != 0.5 || a.X.Max != 4.5 || b.X.Max != 32.5 {
		t.Errorf("x axes [%v, %v] and [%v, %v], want the layers 1..4 and 1..32", a.X.Min, a.X.Max, b.X.Min, b.X.Max)
	}
	if a.Title.Text != "depth 4" || b.X.Label.Text != "layer" || b.Y.Label.Text != "norm" || f.Title != "gradient norm" {
		t.Errorf("titles and labels: %q %q %q %q", a.Title.Text, b.X.Label.Text, b.Y.Label.Text, f.Title)
	}
	// Linear: the bars stand on 0; negative values go below it; values ≤ 0
	// on a log axis are left out, and a NaN is skipped.
	p := LayerBars([]Series{{Y: []float64{1, -2, 3}}}).Plot()
	if p.Y.Min >= -2 || p.Y.Max <= 3 {
		t.Errorf("linear y axis [%v, %v], want it to cover -2 and 3", p.Y.Min, p.Y.Max)
	}
	saved(t, "layer-bars-negative", LayerBars([]Series{{Y: []float64{1, -2, 3}}}))
	saved(t, "layer-bars-log-zero", LayerBars([]Series{{Y: []float64{1e-3, 0, math.NaN(), 2}}}, Options{LogY: true}))
	saved(t, "layer-bars-empty", LayerBars([]Series{{Name: "none"}}, Options{LogY: true}))
}

func TestMilestonePanics(t *testing.T) {
	rows := []*dl.Tensor{dl.Zeros(2, 64), dl.Zeros(3, 64)}
	for _, tt := range []struct {
		want string
		f    func()
	}{
		{`plotting: Timeline: point 1 ("GPT-3") has year 2020 and value 0; want a finite year and a finite value > 0 (a log axis cannot show 0)`,
			func() { Timeline([]TimelinePoint{{"AlexNet", 2012, 1, ""}, {"GPT-3", 2020, 0, ""}}) }},
		{`plotting: Timeline: point 0 ("x") has year NaN`, func() { Timeline([]TimelinePoint{{"x", math.NaN(), 1, ""}}) }},
		{`plotting: Timeline: point 0 ("x") has year 2000 and value +Inf`, func() { Timeline([]TimelinePoint{{"x", 2000, math.Inf(1), ""}}) }},
		{"plotting: Timeline: 2 plotting.Options values", func() { Timeline(nil, Options{}, Options{}) }},
		{"plotting: DoublingTime: 2 years but 1 values", func() { DoublingTime([]float64{1, 2}, []float64{1}) }},
		{"plotting: DoublingTime: 1 points; want at least 2", func() { DoublingTime([]float64{1}, []float64{1}) }},
		{"plotting: DoublingTime: point 1 has year 2 and value -1; want a finite year and a finite value > 0",
			func() { DoublingTime([]float64{1, 2}, []float64{1, -1}) }},
		{"plotting: DoublingTime: every point is in year 2012; want points in at least two different years",
			func() { DoublingTime([]float64{2012, 2012}, []float64{1, 2}) }},
		{"plotting: ImageRows: 1 labels for 2 rows; want one label per row (or nil)", func() { ImageRows(rows, []string{"a"}) }},
		{"plotting: ImageRows: row 1 is nil", func() { ImageRows([]*dl.Tensor{rows[0], nil}, nil) }},
		{"plotting: ImageRows: row 1 has shape [2 3]; want [n, h, w]", func() { ImageRows([]*dl.Tensor{rows[0], dl.Zeros(2, 3)}, nil) }},
		{"plotting: ImageRows: row 1 (shape [1 4 4]) holds 4×4 images but row 0 holds 8×8; every row must hold images of one size",
			func() { ImageRows([]*dl.Tensor{rows[0], dl.Zeros(1, 4, 4)}, nil) }},
		{"plotting: ImageRows: 2 captions for 5 images; want one caption per image, row by row",
			func() { ImageRows(rows, nil, ImageOptions{Captions: []string{"a", "b"}}) }},
		{"plotting: ImageRows: ImageOptions.Columns is not used by this figure (each tensor is one row); leave it unset",
			func() { ImageRows(rows, nil, ImageOptions{Columns: 2}) }},
		{"plotting: Samples: samples has shape [4 3]; want [n, 2]", func() { Samples(dl.Zeros(4, 3), nil) }},
		{"plotting: Samples: samples is nil", func() { Samples(nil, nil) }},
		{"plotting: Samples: Range [1 1 0 1] is empty; want {xlo, xhi, ylo, yhi} with xlo < xhi and ylo < yhi",
			func() { Samples(dl.Zeros(1, 2), nil, SamplesOptions{Range: [4]float64{1, 1, 0, 1}}) }},
		{"plotting: Samples: size -1×0", func() { Samples(dl.Zeros(1, 2), nil, SamplesOptions{Width: -1}) }},
		{"plotting: Samples: 2 plotting.SamplesOptions values", func() { Samples(dl.Zeros(1, 2), nil, SamplesOptions{}, SamplesOptions{}) }},
		{`plotting: LayerBars: series 0 ("depth 4") has X; leave it nil, the bars are layers 1, 2, ..., len(Y)`,
			func() { LayerBars([]Series{{Name: "depth 4", X: []float64{1}, Y: []float64{1}}}) }},
	} {
		testutil.Panics(t, tt.want, tt.f)
	}
}

// tickLabels returns the labels of the ticks of m on [lo, hi], joined by
// spaces, without the unlabelled ones.
func tickLabels(m plot.Ticker, lo, hi float64) string {
	var labels []string
	for _, tk := range m.Ticks(lo, hi) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	return strings.Join(labels, " ")
}
