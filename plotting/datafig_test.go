package plotting

import (
	"fmt"
	"image/color"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
	"gonum.org/v1/plot"
)

// capacity is a U-curve: train error falls with model size, test error
// falls, then rises again.
func capacity() (train, test Band) {
	sizes := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	var tr, te [][]float64
	for seed := range 3 {
		var a, b []float64
		for _, s := range sizes {
			noise := 0.01 * float64(seed-1)
			a = append(a, 0.5/s+noise)
			b = append(b, 0.5/s+0.012*s*s/4+0.05+2*noise)
		}
		tr, te = append(tr, a), append(te, b)
	}
	train, test = Band{Name: "train", X: sizes}, Band{Name: "test", X: sizes}
	train.Y, train.Lo, train.Hi = MeanStd(tr)
	test.Y, test.Lo, test.Hi = MeanStd(te)
	return train, test
}

// sizes is accuracy against training-set size, 10 to 1000 examples.
func sizes() (train, test Band) {
	n := []float64{10, 20, 50, 100, 200, 500, 1000}
	train, test = Band{Name: "train", X: n}, Band{Name: "test", X: n}
	for _, v := range n {
		l := math.Log10(v)
		train.Y = append(train.Y, 1-0.02*l)
		test.Y = append(test.Y, 0.55+0.13*l)
		test.Lo = append(test.Lo, 0.55+0.13*l-0.08/l)
		test.Hi = append(test.Hi, 0.55+0.13*l+0.08/l)
	}
	return train, test
}

func TestDataFigures(t *testing.T) {
	rng := newRNG(7)
	blobs := data.Blobs(rng, 150, 3, 0.5)
	moons := data.Moons(rng, 120, 0.1)
	cls := classes("test", blobs.Y, 150)
	means := make([]float64, 6)
	counts := make([]float64, 3)
	for i, c := range cls {
		means[2*c] += blobs.X.Data()[2*i]
		means[2*c+1] += blobs.X.Data()[2*i+1]
		counts[c]++
	}
	for c := range 3 {
		means[2*c] /= counts[c]
		means[2*c+1] /= counts[c]
	}
	trainCap, testCap := capacity()
	testCap.MarkMin = true
	uCurve := LearningCurve([]Band{trainCap, testCap}, Options{Title: "error against model size", XLabel: "polynomial degree", YLabel: "error"})
	trainN, testN := sizes()
	active := Band{Name: "active", X: []float64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100},
		Y: []float64{0.6, 0.72, 0.8, 0.85, 0.88, 0.9, 0.91, 0.915, 0.92, 0.92}}
	random := Band{Name: "random", X: active.X, Y: []float64{0.55, 0.63, 0.7, 0.75, 0.79, 0.82, 0.84, 0.86, 0.87, 0.88}}
	random.Lo, random.Hi = make([]float64, 10), make([]float64, 10)
	for i, y := range random.Y {
		random.Lo[i], random.Hi[i] = y-0.03, y+0.03
	}
	active.MarkMax = true
	accN := LearningCurve([]Band{active, random}, Options{Title: "accuracy against labels", XLabel: "labels", YLabel: "test accuracy"})
	noise := [][]float64{
		{0.97, 0.95, 0.93, 0.92},
		{0.93, 0.91, 0.88, 0.85},
		{0.88, 0.84, 0.79, 0.72},
		{0.81, 0.74, 0.66, 0.58},
	}
	confusion := [][]float64{{48, 2, 0}, {5, 40, 5}, {1, 9, 40}}

	tests := []struct {
		name string
		fig  *Figure
		w, h int      // CSS pixels
		svg  []string // texts the SVG must contain
	}{
		{"learning-capacity", uCurve, 640, 400,
			[]string{"error against model size", "polynomial degree", "error", "train", "test", "lowest test: 0.223 at 4"}},
		{"learning-sizes", LearningCurve([]Band{trainN, testN}, Options{Title: "more data", XLabel: "training examples", YLabel: "accuracy"}), 640, 400,
			[]string{"more data", "training examples", "accuracy", "train", "test", ">1000<", ">50<"}},
		{"learning-active", accN, 640, 400, []string{"active", "random", "labels", "highest active: 0.92 at 90"}},
		{"learning-log", LearningCurve([]Band{{Name: "test", Y: []float64{1e3, 10, 0.5, 0.02, 0, 4}, MarkMin: true}}, Options{LogY: true}), 640, 400,
			[]string{"test", "lowest test: 0.02 at 4", ">1000<", ">0.1<"}},
		{"heatmap-noise", Heatmap(noise, HeatmapOptions{Title: "accuracy", XLabel: "label noise", YLabel: "training examples",
			XTicks: []string{"0%", "10%", "20%", "30%"}, YTicks: []string{"1000", "500", "200", "100"}, Format: "%.2f"}), 640, 400,
			[]string{"accuracy", "label noise", "training examples", "30%", "1000", "0.97", "0.58", "0.79"}},
		{"heatmap-confusion", Heatmap(confusion, HeatmapOptions{Title: "confusion matrix", XLabel: "predicted", YLabel: "true",
			XTicks: []string{"cat", "dog", "bird"}, YTicks: []string{"cat", "dog", "bird"}, Format: "%.0f"}), 640, 400,
			[]string{"predicted", "true", "bird", ">48<", ">9<"}},
		{"heatmap-sized", Heatmap(confusion, HeatmapOptions{Width: 300, Height: 300}), 300, 300, []string{">48<", ">40<"}},
		{"clusters", Clusters(blobs.X, cls, dl.New(means, 3, 2), Options{Title: "k-means, k = 3"}), 640, 400,
			[]string{"k-means, k = 3", "cluster 0", "cluster 2", "centre"}},
		{"highlight", Highlight(blobs, []int{3, 17, 40, 41, 99}, "flagged as wrong", Options{Title: "label noise"}), 640, 400,
			[]string{"label noise", "flagged as wrong", "class 0", "class 2"}},
		{"ordered", Ordered(moons, []int{5, 17, 33, 2, 90, 64, 11, 100, 7, 50, 21, 80}, Options{Title: "queries"}), 640, 400,
			[]string{"queries", "query order", ">12<"}},
		{"bars-arms", Bars([]string{"arm 0", "arm 1", "arm 2", "arm 3", "arm 4"}, []Series{
			{Name: "estimate", Y: []float64{0.21, 0.48, 0.9, 0.35, 0.6}},
			{Name: "true mean", Y: []float64{0.2, 0.5, 0.8, 0.3, 0.65}}}, Options{Title: "a bandit's arms", YLabel: "value"}), 640, 400,
			[]string{"a bandit's arms", "value", "arm 4", "estimate", "true mean", ">0.90<"}},
		{"bars-clean", Bars([]string{"clean", "collect more", "nothing"}, []Series{{Y: []float64{0.91, 0.86, 0.78}}},
			Options{Title: "noisy labels", YLabel: "test accuracy"}), 640, 400, []string{"clean", "collect more", "nothing", ">0.78<"}},
		{"row-data", Row(Highlight(moons, []int{1, 2, 3}, "queried", Options{Title: "labels"}), Ordered(moons, []int{1, 2, 3}, Options{Title: "order"}),
			Heatmap([][]float64{{1, 2}, {3, 4}}, HeatmapOptions{Title: "h"})), 960, 288, []string{"queried", "query order"}},
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
			want := strings.ReplaceAll(htmlEscape(s), "'", "&#39;")
			if strings.HasPrefix(s, ">") { // a whole text element: ">0.9<"
				want = s
			}
			if !strings.Contains(svg, want) {
				t.Errorf("%s: SVG lacks %q", tt.name, s)
			}
		}
	}
}

func TestMeanStd(t *testing.T) {
	tests := []struct {
		runs         [][]float64
		mean, lo, hi string
	}{
		{[][]float64{{1, 2}, {3, 6}}, "[2 4]", "[1 2]", "[3 6]"},
		{[][]float64{{0.5, 7}}, "[0.5 7]", "[0.5 7]", "[0.5 7]"}, // one run: no spread
		{[][]float64{{2, 0}, {4, 0}, {6, 3}, {8, 1}}, "[5 1]", "[5-√5 1-√1.5]", "[5+√5 1+√1.5]"},
	}
	for _, tt := range tests {
		mean, lo, hi := MeanStd(tt.runs)
		if got := fmt.Sprint(mean); got != tt.mean {
			t.Errorf("MeanStd(%v): mean %s, want %s", tt.runs, got, tt.mean)
		}
		if strings.Contains(tt.lo, "√") {
			// Σ(v-5)² = 9+1+1+9 = 20 over 4: std √5; Σ(v-1)² = 1+1+4+0 = 6 over 4: std √1.5.
			want := []float64{5 - math.Sqrt(5), 1 - math.Sqrt(1.5), 5 + math.Sqrt(5), 1 + math.Sqrt(1.5)}
			got := []float64{lo[0], lo[1], hi[0], hi[1]}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("MeanStd(%v): band %v, want %v", tt.runs, got, want)
					break
				}
			}
			continue
		}
		if got := fmt.Sprint(lo); got != tt.lo {
			t.Errorf("MeanStd(%v): lo %s, want %s", tt.runs, got, tt.lo)
		}
		if got := fmt.Sprint(hi); got != tt.hi {
			t.Errorf("MeanStd(%v): hi %s, want %s", tt.runs, got, tt.hi)
		}
	}
}

func TestLearningCurveAxis(t *testing.T) {
	tests := []struct {
		xs   []float64
		log  bool
		want string // tick labels
	}{
		{[]float64{10, 20, 50, 100, 200, 500, 1000}, true, "10 20 50 100 200 500 1000"},
		{[]float64{1, 2, 4, 8, 16, 32, 64}, true, "1 2 4 8 16 32 64"},
		{[]float64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, false, ""},
		{[]float64{1, 5, 20}, false, ""}, // exactly 20×: linear
		{[]float64{0, 10, 1000}, false, ""},
	}
	for _, tt := range tests {
		p := LearningCurve([]Band{{X: tt.xs, Y: make([]float64, len(tt.xs))}}).Plot()
		_, isLog := p.X.Scale.(plot.LogScale)
		if isLog != tt.log {
			t.Errorf("x %v: log axis %v, want %v", tt.xs, isLog, tt.log)
		}
		if !tt.log {
			continue
		}
		if got := tickLabels(p.X.Tick.Marker, tt.xs[0]*0.9, tt.xs[len(tt.xs)-1]*1.1); got != tt.want {
			t.Errorf("x %v: ticks %q, want %q", tt.xs, got, tt.want)
		}
	}
	// Many x values: 1, 2 and 5 times the powers of ten; over more than
	// three decades, the powers only; over less than a decade, the ticks of
	// a linear axis.
	for _, tt := range []struct {
		lo, hi float64
		want   string
	}{
		{8, 1200, "10 20 50 100 200 500 1000"},
		{0.001, 30, "0.001 0.01 0.1 1 10"},
		{0.38, 0.95, "0.4 0.5 0.6 0.7 0.8 0.9"}, // less than a decade: linear ticks
	} {
		if got := tickLabels(logTicks{}, tt.lo, tt.hi); got != tt.want {
			t.Errorf("log ticks on [%v, %v]: %q, want %q", tt.lo, tt.hi, got, tt.want)
		}
	}
}

// textFill returns the fill colour of the SVG text element that reads s.
func textFill(t *testing.T, svg, s string) string {
	t.Helper()
	m := regexp.MustCompile(`<text[^>]*style="[^"]*?fill:(#[0-9A-Fa-f]{6})[^"]*"[^>]*>` + regexp.QuoteMeta(s) + `</text>`).FindStringSubmatch(svg)
	if m == nil {
		// fill is left out when it is the default, black.
		if regexp.MustCompile(`<text[^>]*>` + regexp.QuoteMeta(s) + `</text>`).MatchString(svg) {
			return "#000000"
		}
		t.Fatalf("no text %q in the SVG", s)
	}
	return strings.ToUpper(m[1])
}

func TestHeatmapContrast(t *testing.T) {
	white, dark := color.RGBA{255, 255, 255, 255}, textColor
	tests := []struct {
		bg   color.Color
		want color.Color
	}{
		{viridis(0), white},    // dark purple
		{viridis(0.25), white}, // blue
		{viridis(1), dark},     // yellow
		{viridis(0.75), dark},  // green
		{rgb(0xd0d0d0), dark},  // the grey of a NaN cell
		{color.Black, white},
		{color.White, dark},
	}
	for _, tt := range tests {
		r1, g1, b1, _ := contrastText(tt.bg).RGBA()
		r2, g2, b2, _ := tt.want.RGBA()
		if r1 != r2 || g1 != g2 || b1 != b2 {
			t.Errorf("text on %v is %v, want %v", tt.bg, contrastText(tt.bg), tt.want)
		}
	}

	// In a drawn heatmap: the smallest value is on the darkest cell, in
	// white; the largest on the lightest, in black.
	values := [][]float64{{0.125, 0.5}, {0.75, 0.875}}
	_, svg := saved(t, "heatmap-contrast", Heatmap(values, HeatmapOptions{Format: "%.3f"}))
	if got := textFill(t, svg, "0.125"); got != "#FFFFFF" {
		t.Errorf("text on the dark cell is %s, want white", got)
	}
	if got := textFill(t, svg, "0.875"); got != "#222222" {
		t.Errorf("text on the light cell is %s, want #222222", got)
	}
	for _, s := range []string{"0.125", "0.500", "0.750", "0.875"} {
		if !strings.Contains(svg, ">"+s+"<") {
			t.Errorf("heatmap lacks the value %s", s)
		}
	}
	// Row 0 is at the top: its label is higher on the page (smaller y in
	// SVG, where y is negated under scale(1, -1)).
	y := func(s string) float64 {
		m := regexp.MustCompile(`<text x="[^"]*" y="([^"]*)"[^>]*>` + regexp.QuoteMeta(s) + `</text>`).FindStringSubmatch(svg)
		if m == nil {
			t.Fatalf("no text %q", s)
		}
		var v float64
		fmt.Sscan(m[1], &v)
		return -v
	}
	if y("0.125") <= y("0.750") {
		t.Errorf("row 0 (0.125 at %v) is not above row 1 (0.750 at %v)", y("0.125"), y("0.750"))
	}
}

func TestHighlightColours(t *testing.T) {
	// Highlight rings the marked points: the ring's dark pixels are drawn
	// where no ring would be otherwise.
	set := halves()
	_, svgNone := saved(t, "highlight-none", Highlight(set, nil, ""))
	_, svgTwo := saved(t, "highlight-two", Highlight(set, []int{0, 3}, ""))
	if !strings.Contains(svgNone, ">marked<") {
		t.Errorf("the default legend entry is not \"marked\"")
	}
	// Each ring is one stroked circle path in the ring colour, 1.6 wide.
	ring := "stroke:#111111;stroke-width:1.6"
	if n1, n2 := strings.Count(svgNone, ring), strings.Count(svgTwo, ring); n2-n1 != 2 {
		t.Errorf("%d ring strokes with no marks and %d with two; want 2 more", n1, n2)
	}
	// Ordered draws the first point light and the last dark.
	if luminance(orderRamp(0)) <= luminance(orderRamp(1)) {
		t.Errorf("the order ramp does not go from light to dark")
	}
}

func TestDataEdgeCases(t *testing.T) {
	one := data.Set{X: dl.New([]float64{1, 1}, 1, 2), Y: dl.New([]float64{0}, 1)}
	for name, f := range map[string]*Figure{
		"curve no bands":      LearningCurve(nil),
		"curve one point":     LearningCurve([]Band{{Y: []float64{1}, Lo: []float64{0.5}, Hi: []float64{1.5}}}),
		"curve nan":           LearningCurve([]Band{{Y: []float64{1, math.NaN(), 2}, Lo: []float64{0, 1, math.Inf(1)}, Hi: []float64{2, 3, 4}}}),
		"curve log band":      LearningCurve([]Band{{Y: []float64{1, 0.1, 0.01}, Lo: []float64{-1, 0.05, 0}, Hi: []float64{2, 0.2, 0.02}}}, Options{LogY: true}),
		"heatmap constant":    Heatmap([][]float64{{1, 1}, {1, 1}}),
		"heatmap nan":         Heatmap([][]float64{{math.NaN()}}),
		"heatmap big":         Heatmap(bigMatrix(60), HeatmapOptions{Format: "%.2f"}),
		"clusters noise":      Clusters(dl.New([]float64{0, 0, 1, 1, 2, 0}, 3, 2), []int{-1, 0, -2}, nil),
		"clusters no labels":  Clusters(dl.New([]float64{0, 0, 1, 1}, 2, 2), nil, dl.New([]float64{0.5, 0.5}, 1, 2)),
		"ordered one":         Ordered(one, []int{0}),
		"ordered none":        Ordered(one, nil),
		"highlight no labels": Highlight(data.Set{X: one.X}, []int{0}, ""),
		"bars negative":       Bars([]string{"a", "b"}, []Series{{Name: "x", Y: []float64{-1, 2}}}),
		"bars zero":           Bars([]string{"a"}, []Series{{Y: []float64{0}}}),
		"bars none":           Bars(nil, nil),
	} {
		if _, err := f.png(1); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func bigMatrix(n int) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		for j := range m[i] {
			m[i][j] = math.Sin(float64(i*j) / 50)
		}
	}
	return m
}

func TestWholeTicks(t *testing.T) {
	// Whole-number ticks never step by 2.5 (epochs 1 to 16, a colour bar
	// of 16 queries), and Ordered's colour bar also labels 1.
	tests := []struct {
		ticks  plot.Ticker
		lo, hi float64
		want   string
	}{
		{niceTicks{whole: true}, 1, 16, "5 10 15"},
		{niceTicks{whole: true}, 0, 25, "0 5 10 15 20 25"},
		{niceTicks{whole: true}, 0, 250, "0 50 100 150 200 250"},
		{niceTicks{}, 1, 16, "2.5 5.0 7.5 10.0 12.5 15.0"},
		{firstTicks{}, 1, 16, "1 5 10 15"},
		{firstTicks{}, 1, 3, "1 2 3"},
		{firstTicks{}, 0.5, 1.5, "1"},
	}
	for _, tt := range tests {
		var labels []string
		for _, tk := range tt.ticks.Ticks(tt.lo, tt.hi) {
			labels = append(labels, tk.Label)
		}
		if got := strings.Join(labels, " "); got != tt.want {
			t.Errorf("%T ticks on [%v, %v]: %q, want %q", tt.ticks, tt.lo, tt.hi, got, tt.want)
		}
	}
}

func TestDataPanics(t *testing.T) {
	tests := []struct {
		want string
		f    func()
	}{
		{"plotting: MeanStd: no runs", func() { MeanStd(nil) }},
		{"plotting: MeanStd: run 0 has 2 values but run 1 has 3", func() { MeanStd([][]float64{{1, 2}, {1, 2, 3}}) }},
		{`plotting: LearningCurve: band "test" has 2 x values and 3 y values`, func() {
			LearningCurve([]Band{{Name: "test", X: []float64{1, 2}, Y: []float64{1, 2, 3}}})
		}},
		{`plotting: LearningCurve: band "a" has 1 lo values and 2 y values`, func() {
			LearningCurve([]Band{{Name: "a", Y: []float64{1, 2}, Lo: []float64{1}, Hi: []float64{1, 2}}})
		}},
		{`plotting: LearningCurve: band "a" has only one of Lo and Hi`, func() {
			LearningCurve([]Band{{Name: "a", Y: []float64{1, 2}, Hi: []float64{1, 2}}})
		}},
		{`plotting: LearningCurve: band "a" has no finite point to mark as the lowest`, func() {
			LearningCurve([]Band{{Name: "a", Y: []float64{math.NaN()}, MarkMin: true}})
		}},
		{`plotting: LearningCurve: band "b" has no finite point to mark as the highest`, func() {
			LearningCurve([]Band{{Name: "b", Y: []float64{-1, 0}, MarkMax: true}}, Options{LogY: true})
		}},
		{"plotting: Heatmap: values has shape [0 0]", func() { Heatmap(nil) }},
		{"plotting: Heatmap: row 0 has 2 values but row 1 has 1", func() { Heatmap([][]float64{{1, 2}, {3}}) }},
		{"plotting: Heatmap: 3 XTicks for 2 columns", func() { Heatmap([][]float64{{1, 2}}, HeatmapOptions{XTicks: []string{"a", "b", "c"}}) }},
		{"plotting: Heatmap: 2 YTicks for 1 rows", func() { Heatmap([][]float64{{1, 2}}, HeatmapOptions{YTicks: []string{"a", "b"}}) }},
		{"plotting: Heatmap: 2 plotting.HeatmapOptions values; pass at most one", func() { Heatmap([][]float64{{1}}, HeatmapOptions{}, HeatmapOptions{}) }},
		{"plotting: Clusters: X has shape [4 3]; want [n, 2]", func() { Clusters(dl.Zeros(4, 3), nil, nil) }},
		{"plotting: Clusters: 3 labels for 4 points", func() { Clusters(dl.Zeros(4, 2), []int{0, 1, 2}, nil) }},
		{"plotting: Clusters: centers has shape [2 3]; want [k, 2]", func() { Clusters(dl.Zeros(4, 2), nil, dl.Zeros(2, 3)) }},
		{"plotting: Highlight: X has shape [5 3]; want [n, 2]", func() { Highlight(data.Set{X: dl.Zeros(5, 3)}, nil, "") }},
		{"plotting: Highlight: marked row 4 out of range for a set of 4 rows", func() { Highlight(halves(), []int{0, 4}, "") }},
		{"plotting: Ordered: X has shape [5]; want [n, 2]", func() { Ordered(data.Set{X: dl.Zeros(5)}, nil) }},
		{"plotting: Ordered: order row -1 out of range for a set of 4 rows", func() { Ordered(halves(), []int{-1}) }},
		{`plotting: Bars: group "b" has 2 values for 3 categories`, func() {
			Bars([]string{"x", "y", "z"}, []Series{{Name: "a", Y: []float64{1, 2, 3}}, {Name: "b", Y: []float64{1, 2}}})
		}},
	}
	for _, tt := range tests {
		testutil.Panics(t, tt.want, tt.f)
	}
}
