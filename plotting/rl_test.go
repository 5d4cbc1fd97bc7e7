package plotting

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"
)

// catchReturns returns n returns of ±1, as on Catch, of an agent that
// catches more balls as it learns: episode i is caught with probability
// 0.2 + 0.8·i/n, from a seeded generator.
func catchReturns(seed uint64, n int) []float64 {
	rng := newRNG(seed)
	out := make([]float64, n)
	for i := range out {
		out[i] = -1
		if rng.Float64() < 0.2+0.8*float64(i)/float64(n) {
			out[i] = 1
		}
	}
	return out
}

// catchFrame returns a 10×5 frame of Catch: the ball at (row, col) and the
// paddle at the bottom, at column paddle.
func catchFrame(row, col, paddle int) [][]float64 {
	f := make([][]float64, 10)
	for r := range f {
		f[r] = make([]float64, 5)
	}
	f[row][col] = 1
	f[9][paddle] = 1
	return f
}

// tictactoe is a position, X to move, with MCTS visit counts on its empty
// squares; the marked squares carry counts that must not be drawn.
func tictactoe() ([][]float64, [][]string) {
	visits := [][]float64{{991, 12, 3}, {992, 993, 7}, {170, 5, 994}}
	marks := [][]string{{"X", "", ""}, {"O", "X", ""}, {"", "", "O"}}
	return visits, marks
}

func TestRLFigures(t *testing.T) {
	var runs []Series
	for _, name := range []string{"DQN", "no replay"} {
		for seed := range 3 {
			ys := catchReturns(uint64(seed+1), 400)
			if name == "no replay" {
				ys = catchReturns(uint64(seed+10), 300)
			}
			runs = append(runs, Series{Name: name, Y: ys})
		}
	}
	var frames [][][]float64
	var captions []string
	for step := range 10 {
		frames = append(frames, catchFrame(step, 3, min(1+step, 3)))
		captions = append(captions, fmt.Sprintf("step %d", step))
	}
	visits, marks := tictactoe()
	c4 := make([][]float64, 6)
	c4marks := make([][]string, 6)
	for r := range c4 {
		c4[r] = []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()}
		c4marks[r] = make([]string, 7)
	}
	c4marks[5][3], c4marks[5][2], c4marks[4][3] = "X", "O", "X"
	for col, row := range []int{5, 5, 4, 3, 5, 5, 5} {
		c4[row][col] = []float64{0.05, 0.1, 0.12, 0.5, 0.13, 0.06, 0.04}[col]
	}
	tests := []struct {
		name string
		fig  *Figure
		w, h int      // CSS pixels; 0: not checked
		svg  []string // texts the SVG must contain
		not  []string // texts it must not contain
	}{
		{"returns", Returns(catchReturns(1, 500), 50, Options{Title: "DQN on Catch"}), 640, 400,
			[]string{"DQN on Catch", "episode", ">return<", "mean of last 50"}, nil},
		{"returns-window-1", Returns([]float64{-1, 1, 1, 1}, 1), 640, 400, []string{">return<"}, []string{"mean of last"}},
		{"returns-series", ReturnsSeries(runs, 50, Options{Title: "replay"}), 640, 400,
			[]string{"replay", "DQN (3 runs)", "no replay (3 runs)", "return, running mean of 50", "episode"}, nil},
		{"returns-steps", ReturnsSeries([]Series{
			{Name: "seed 1", X: []float64{9, 18, 27, 36}, Y: []float64{-1, 1, -1, 1}},
			{Name: "seed 2", X: []float64{9, 18, 27, 36}, Y: []float64{1, 1, -1, 1}},
		}, 2, Options{XLabel: "step", Width: 500, Height: 300}), 500, 300, []string{"seed 1", "seed 2", "step"}, []string{"runs)"}},
		{"frame", Frame(catchFrame(4, 2, 1), ImageOptions{Title: "Catch", Captions: []string{"step 4"}}), 140, 260 + 18 + 36,
			[]string{"Catch", "step 4"}, nil},
		{"frames", Frames(frames, captions, ImageOptions{Title: "one episode"}), 10*100 - 10 + 20, 0,
			[]string{"one episode", "step 0", "step 9"}, nil},
		{"frames-wrapped", Frames(frames, nil, ImageOptions{Columns: 5}), 0, 0, nil, []string{"step 0"}},
		{"board", Board(visits, marks, Options{Title: "MCTS visits", XLabel: "X to move"}), 3*96 + 24, 3*96 + 24 + 30 + 24,
			[]string{"MCTS visits", "X to move", ">12<", ">170<", ">3<"}, []string{">99"}},
		{"board-connect4", Board(c4, c4marks, Options{Title: "policy"}), 7*68 + 24, 6*68 + 24 + 30,
			[]string{">0.50<", ">0.04<"}, []string{"NaN"}},
		{"board-position", Board(nil, c4marks), 0, 0, nil, nil},
		{"board-values", Board([][]float64{{0.5, -0.25}, {-1, 0}}, nil), 0, 0, []string{">0.50<", ">-0.25<", ">-1.00<", ">0.00<"}, nil},
		{"board-row", Row(Board(visits, marks, Options{Title: "25 simulations"}), Board(visits, marks, Options{Title: "400 simulations"})),
			0, 0, []string{"25 simulations", "400 simulations"}, nil},
	}
	for _, tt := range tests {
		checkSaved(t, tt.name, tt.fig, tt.w, tt.h, 3, tt.svg, tt.not)
	}
}

// checkSaved saves f as PNG and SVG (see saved) and checks that the PNG
// is w CSS pixels wide and h high (each when > 0) and has at least
// minColours colours (not blank), and that the SVG holds every text of
// has (HTML-escaped, unless it starts with ">", to match a whole text
// such as ">12<") and none of lacks.
func checkSaved(t *testing.T, name string, f *Figure, w, h, minColours int, has, lacks []string) {
	t.Helper()
	img, svg := saved(t, name, f)
	if b := img.Bounds(); w > 0 && b.Dx() != w*Scale || h > 0 && b.Dy() != h*Scale {
		t.Errorf("%s: PNG is %d×%d, want %d×%d", name, b.Dx(), b.Dy(), w*Scale, h*Scale)
	}
	if n := colours(img); n < minColours {
		t.Errorf("%s: PNG has %d colours; it looks blank", name, n)
	}
	for _, s := range has {
		want := htmlEscape(s)
		if strings.HasPrefix(s, ">") {
			want = s
		}
		if !strings.Contains(svg, want) {
			t.Errorf("%s: SVG lacks %q", name, s)
		}
	}
	for _, s := range lacks {
		if strings.Contains(svg, s) {
			t.Errorf("%s: SVG has %q", name, s)
		}
	}
}

func TestRunningMean(t *testing.T) {
	ys := []float64{1, 2, 3, 4, 5}
	for _, tt := range []struct {
		window int
		want   []float64
	}{
		{1, []float64{1, 2, 3, 4, 5}},
		{2, []float64{1, 1.5, 2.5, 3.5, 4.5}},
		{3, []float64{1, 1.5, 2, 3, 4}},
		{10, []float64{1, 1.5, 2, 2.5, 3}}, // fewer values than the window: the mean so far
	} {
		got := RunningMean(ys, tt.window)
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-12 {
				t.Errorf("RunningMean(%v, %d) = %v, want %v", ys, tt.window, got, tt.want)
				break
			}
		}
	}
	if got := RunningMean(nil, 3); len(got) != 0 {
		t.Errorf("RunningMean(nil) = %v", got)
	}
}

func TestReturnsGroups(t *testing.T) {
	// Runs of different lengths without X: the mean of the running means
	// over the shortest run.
	xs := [][]float64{epochs(4), epochs(3)}
	ys := [][]float64{{1, 2, 3, 4}, {3, 4, 5}}
	mx, my := groupMean(xs, ys, []int{0, 1})
	if fmt.Sprint(mx) != "[1 2 3]" || fmt.Sprint(my) != "[2 3 4]" {
		t.Errorf("group mean at %v: %v; want [2 3 4] at [1 2 3]", mx, my)
	}
	// Runs at different steps: at the first run's steps where both have
	// values (10 and 20), the second interpolated (at 10: halfway between
	// 2 and 4).
	xs = [][]float64{{0, 10, 20, 30}, {5, 15, 25}}
	ys = [][]float64{{0, 1, 2, 3}, {2, 4, 6}}
	mx, my = groupMean(xs, ys, []int{0, 1})
	if fmt.Sprint(mx) != "[10 20]" || fmt.Sprint(my) != "[2 3.5]" {
		t.Errorf("group mean at %v: %v; want [2 3.5] at [10 20]", mx, my)
	}
	if mx, _ := groupMean([][]float64{{1}, nil}, [][]float64{{1}, nil}, []int{0, 1}); mx != nil {
		t.Errorf("a run without returns: group mean at %v, want none", mx)
	}
	// Empty and short runs draw.
	saved(t, "returns-empty", Returns(nil, 10))
	saved(t, "returns-one", ReturnsSeries([]Series{{Name: "a", Y: []float64{1}}, {Name: "a"}}, 10))
}

func TestFramePixels(t *testing.T) {
	// Values in [0, 1] are drawn as they are, 0 white and 1 black, in
	// blocks of square pixels at least px wide: a frame of one gray value
	// is gray (scaled on its own, as Images scales, it would be white).
	im := []float64{0, 1, 0.5, 0.5, 0.5, 0.5}
	img := grayImage(im, 3, 2, true, 240)
	if b := img.Bounds(); b.Dx() != 240 || b.Dy() != 160 {
		t.Fatalf("image %v, want 240×160 (blocks of 80)", b)
	}
	for i, want := range []uint8{255, 0, 128, 128, 128, 128} {
		r, c := i/3, i%3
		for _, pt := range [][2]int{{c*80 + 1, r*80 + 1}, {c*80 + 78, r*80 + 78}} {
			if g := color.GrayModel.Convert(img.At(pt[0], pt[1])).(color.Gray).Y; g != want {
				t.Errorf("pixel %d at %v: gray %d, want %d", i, pt, g, want)
			}
		}
	}
	flat := grayImage([]float64{0.5, 0.5}, 2, 1, true, 2)
	if g := color.GrayModel.Convert(flat.At(0, 0)).(color.Gray).Y; g != 128 {
		t.Errorf("a flat frame: gray %d, want 128", g)
	}
	// A single frame is drawn large: its longer side 240 pixels.
	f := Frame(catchFrame(0, 0, 0))
	if f.Width != 120+20 {
		t.Errorf("a 10×5 frame: figure %d wide, want 140 (the frame 120)", f.Width)
	}
	if f := Frame([][]float64{make([]float64, 20), make([]float64, 20)}); f.Width != 240+20 {
		t.Errorf("a 2×20 frame: figure %d wide, want 260", f.Width)
	}
}

func TestBoardScale(t *testing.T) {
	visits, marks := tictactoe()
	b := &boardCells{values: visits, labels: marks, rows: 3, cols: 3}
	b.scale()
	// The marked squares' counts (991...994) are not moves: the largest
	// count of an empty square is 170, which gets the outline.
	if b.best != 170 || b.top != 170 || !b.ring || b.format != "%.0f" {
		t.Errorf("best %v, top %v, ring %v, format %q; want 170, 170, true, %%.0f", b.best, b.top, b.ring, b.format)
	}
	for _, tt := range []struct {
		values [][]float64
		best   float64
		ring   bool
		format string
	}{
		{[][]float64{{0.25, 0.25}, {0.25, 0.25}}, 0.25, false, "%.2f"},     // all equal: nothing to pick out
		{[][]float64{{0.5, 0.5}, {0, math.NaN()}}, 0.5, true, "%.2f"},      // a tie for the best: both outlined
		{[][]float64{{-0.5, -0.2}, {-1, math.Inf(1)}}, -0.2, true, "%.2f"}, // negative values; Inf is blank
		{[][]float64{{2.5, 1e4}, {3, 0}}, 1e4, true, "%.3g"},
	} {
		b := &boardCells{values: tt.values, rows: 2, cols: 2}
		b.scale()
		if b.best != tt.best || b.ring != tt.ring || b.format != tt.format {
			t.Errorf("%v: best %v, ring %v, format %q; want %v, %v, %q", tt.values, b.best, b.ring, b.format, tt.best, tt.ring, tt.format)
		}
	}
	// Shades: white at 0, darker with the magnitude, blue for positive
	// and red for negative numbers.
	b = &boardCells{top: 2}
	if b.shade(0) != color.Color(lighten(Color(0), 1)) || luminance(b.shade(2)) >= luminance(b.shade(1)) {
		t.Errorf("shades: 0 → %v, 1 → %v, 2 → %v; want white and darker", b.shade(0), b.shade(1), b.shade(2))
	}
	if r, _, bl, _ := b.shade(-2).RGBA(); r <= bl {
		t.Errorf("a negative number's shade %v is not red", b.shade(-2))
	}
}

func TestRLPanics(t *testing.T) {
	ragged := [][]float64{{0, 0, 0}, {0, 0}}
	frame := catchFrame(0, 0, 0)
	visits, marks := tictactoe()
	for _, tt := range []struct {
		want string
		f    func()
	}{
		{"plotting: Returns: window 0; want at least 1 (1 draws the returns without averaging)", func() { Returns(nil, 0) }},
		{"plotting: Returns: return 2 is NaN; want finite returns", func() { Returns([]float64{1, 1, math.NaN()}, 2) }},
		{"plotting: Returns: Options.LogY is not used by this figure", func() { Returns(nil, 1, Options{LogY: true}) }},
		{"plotting: Returns: 2 plotting.Options values", func() { Returns(nil, 1, Options{}, Options{}) }},
		{`plotting: ReturnsSeries: run 1 ("b"): return 0 is +Inf; want finite returns`,
			func() { ReturnsSeries([]Series{{Name: "a"}, {Name: "b", Y: []float64{math.Inf(1)}}}, 2) }},
		{`plotting: ReturnsSeries: run 0 ("a"): 2 x values for 3 returns; want one x per return`,
			func() { ReturnsSeries([]Series{{Name: "a", X: []float64{1, 2}, Y: []float64{1, 2, 3}}}, 2) }},
		{`plotting: ReturnsSeries: run 0 ("a"): x[2] is 5 after x[1] = 10; want finite x that do not decrease`,
			func() { ReturnsSeries([]Series{{Name: "a", X: []float64{1, 10, 5}, Y: []float64{1, 2, 3}}}, 2) }},
		{`plotting: ReturnsSeries: run 0 (""): x[0] is NaN; want finite x`,
			func() { ReturnsSeries([]Series{{X: []float64{math.NaN()}, Y: []float64{1}}}, 2) }},
		{"plotting: ReturnsSeries: window -1; want at least 1", func() { ReturnsSeries(nil, -1) }},
		{"plotting: RunningMean: window 0; want at least 1", func() { RunningMean(nil, 0) }},

		{"plotting: Frame: the frame has 0 rows of 0 pixels; want at least one pixel", func() { Frame(nil) }},
		{"plotting: Frame: row 0 of the frame has 3 pixels but row 1 has 2; want a rectangular frame", func() { Frame(ragged) }},
		{"plotting: Frame: the frame has 255 at row 1, column 2; want gray values in [0, 1], 0 white and 1 black (divide 0–255 pixels by 255)",
			func() { Frame([][]float64{{0, 0, 0}, {0, 0, 255}}) }},
		{"plotting: Frame: the frame has NaN at row 0, column 0", func() { Frame([][]float64{{math.NaN()}}) }},
		{"plotting: Frame: 2 captions for 1 frame; want one caption (or nil)", func() { Frame(frame, ImageOptions{Captions: []string{"a", "b"}}) }},
		{"plotting: Frame: ImageOptions.Columns is not used by this figure", func() { Frame(frame, ImageOptions{Columns: 2}) }},
		{"plotting: Frame: 2 plotting.ImageOptions values", func() { Frame(frame, ImageOptions{}, ImageOptions{}) }},
		{"plotting: Frames: 1 captions for 2 frames; want one caption per frame (or nil)",
			func() { Frames([][][]float64{frame, frame}, []string{"a"}) }},
		{"plotting: Frames: frame 1 is 2×3 (rows×columns) but frame 0 is 10×5; every frame must have one size",
			func() { Frames([][][]float64{frame, {{0, 0, 0}, {0, 0, 0}}}, nil) }},
		{"plotting: Frames: row 0 of frame 1 has 3 pixels but row 1 has 2; want a rectangular frame",
			func() { Frames([][][]float64{{{0, 0, 0}, {0, 0, 0}}, ragged}, nil) }},
		{"plotting: Frames: frame 0 has -0.5 at row 0, column 0", func() { Frames([][][]float64{{{-0.5}}}, nil) }},
		{"plotting: Frames: frame 1 has 0 rows of 0 pixels", func() { Frames([][][]float64{frame, {}}, nil) }},
		{"plotting: Frames: ImageOptions.Captions is not used by this figure; pass the captions as the second argument",
			func() { Frames([][][]float64{frame}, nil, ImageOptions{Captions: []string{"a"}}) }},

		{"plotting: Board: values and labels are nil; want the numbers of the squares, their marks, or both", func() { Board(nil, nil) }},
		{"plotting: Board: values has 0 rows of 0 squares; want at least one square", func() { Board([][]float64{}, nil) }},
		{"plotting: Board: labels has 1 rows of 0 squares; want at least one square", func() { Board(nil, [][]string{{}}) }},
		{"plotting: Board: row 0 of values has 3 squares but row 1 has 2; want a rectangular board", func() { Board(ragged, nil) }},
		{`plotting: Board: labels has 2 rows but values has 3; want one label per square ("" for an empty one)`,
			func() { Board(visits, marks[:2]) }},
		{`plotting: Board: row 1 of labels has 2 squares but the board has 3 columns; want one label per square ("" for an empty one)`,
			func() { Board(visits, [][]string{{"", "", ""}, {"", ""}, {"", "", ""}}) }},
		{`plotting: Board: row 1 of labels has 2 squares but the board has 3 columns`,
			func() { Board(nil, [][]string{{"", "", ""}, {"", ""}}) }},
		{"plotting: Board: Options.YLabel is not used by this figure", func() { Board(visits, nil, Options{YLabel: "y"}) }},
		{"plotting: Board: Options.LogY is not used by this figure", func() { Board(visits, nil, Options{LogY: true}) }},
		{"plotting: Board: size -1×0", func() { Board(visits, nil, Options{Width: -1}) }},
	} {
		testutil.Panics(t, tt.want, tt.f)
	}
}
