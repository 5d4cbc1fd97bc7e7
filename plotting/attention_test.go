package plotting

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"
	"gonum.org/v1/plot"
)

// reversal returns the attention of a model that reverses src: output
// token i attends mostly to source token n-1-i, the anti-diagonal.
func reversal(n int) [][]float64 {
	w := make([][]float64, n)
	for i := range w {
		w[i] = make([]float64, n)
		sum := 0.0
		for j := range w[i] {
			w[i][j] = math.Exp(-3 * math.Abs(float64(j-(n-1-i))))
			sum += w[i][j]
		}
		for j := range w[i] {
			w[i][j] /= sum
		}
	}
	return w
}

// causal returns heads of causal self-attention over n tokens: row i is 0
// after position i, and head k leans towards the token k places back.
func causal(heads, n int) [][][]float64 {
	out := make([][][]float64, heads)
	for k := range out {
		out[k] = make([][]float64, n)
		for i := range n {
			row := make([]float64, n)
			sum := 0.0
			for j := 0; j <= i; j++ {
				row[j] = math.Exp(-2 * math.Abs(float64(i-j-k)))
				sum += row[j]
			}
			for j := range row {
				row[j] /= sum
			}
			out[k][i] = row
		}
	}
	return out
}

// labelsOf returns the labels of a category axis, in the order of the
// tokens (top down for the rows).
func labelsOf(a plot.Axis) []string {
	var out []string
	for _, t := range a.Tick.Marker.Ticks(a.Min, a.Max) {
		out = append(out, t.Label)
	}
	return out
}

func TestAttentionMap(t *testing.T) {
	src := []string{"<s>", "the", "cat", "sat", "</s>"}
	tgt := []string{"</s>", "sat", "cat", "the", "<pad>"}
	f := AttentionMap(reversal(5), src, tgt, Options{Title: "reversal"})
	p := f.Plot()
	if got := strings.Join(labelsOf(p.X), " "); got != strings.Join(src, " ") {
		t.Errorf("x tick labels %q, want the source tokens %q", got, src)
	}
	if got := strings.Join(labelsOf(p.Y), " "); got != strings.Join(tgt, " ") {
		t.Errorf("y tick labels %q, want the target tokens %q, top down", got, tgt)
	}
	// The first target token is the top row: the highest y position.
	if ys := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max); ys[0].Value != 4 || ys[4].Value != 0 {
		t.Errorf("y ticks at %v and %v, want the first target token at the top (4) and the last at the bottom (0)", ys[0].Value, ys[4].Value)
	}
	if p.X.Label.Text != "source" || p.Y.Label.Text != "target" || p.Title.Text != "reversal" {
		t.Errorf("labels %q, %q, title %q; want source, target, reversal", p.X.Label.Text, p.Y.Label.Text, p.Title.Text)
	}
	img, svg := saved(t, "attention-map", f)
	for _, tok := range []string{"&lt;s&gt;", "&lt;/s&gt;", "&lt;pad&gt;", ">cat<"} {
		if !strings.Contains(svg, tok) {
			t.Errorf("the SVG has no tick label %s", tok)
		}
	}
	// Square cells of at most 40 pixels: a small map is a small figure.
	if b := img.Bounds(); b.Dx() > 2*420 || b.Dy() > 2*400 {
		t.Errorf("the map of 5 tokens is %v pixels; want a compact figure", b)
	}

	// Options set the labels and size.
	f = AttentionMap(reversal(3), []string{"a", "b", "c"}, []string{"x", "y", "z"},
		Options{XLabel: "English", YLabel: "French", Width: 300, Height: 280})
	if p := f.Plot(); p.X.Label.Text != "English" || p.Y.Label.Text != "French" || f.Width != 300 || f.Height != 280 {
		t.Errorf("options not used: %q %q %d×%d", p.X.Label.Text, p.Y.Label.Text, f.Width, f.Height)
	}
	saved(t, "attention-map-sized", f)
}

func TestAttentionMapLong(t *testing.T) {
	// 30 tokens of words and special tokens: every one is labelled, on
	// cells large enough for the text.
	var src, tgt []string
	for i := range 30 {
		src = append(src, fmt.Sprintf("w%d", i))
		tgt = append(tgt, fmt.Sprintf("t%d", i))
	}
	src[0], src[29], tgt[29] = "<s>", "</s>", "<pad>"
	f := AttentionMap(reversal(30), src, tgt)
	p := f.Plot()
	if got := labelsOf(p.X); len(got) != 30 || got[0] != "<s>" || got[29] != "</s>" {
		t.Errorf("x labels %q, want all 30 source tokens", got)
	}
	if got := labelsOf(p.Y); len(got) != 30 || got[29] != "<pad>" {
		t.Errorf("y labels %q, want all 30 target tokens", got)
	}
	if f.Height < 30*16 {
		t.Errorf("height %d for 30 rows; want at least 16 pixels a row", f.Height)
	}
	saved(t, "attention-map-30", f)

	// Single characters, 40 of them: still all labelled; 64: thinned.
	chars := strings.Split(strings.Repeat("abcdefghij", 4), "")
	if got := labelsOf(AttentionMap(reversal(40), chars, chars).Plot().X); len(got) != 40 {
		t.Errorf("%d x labels for 40 tokens, want 40", len(got))
	}
	chars = strings.Split(strings.Repeat("abcdefgh", 8), "")
	f = AttentionMap(reversal(64), chars, chars)
	if got := labelsOf(f.Plot().X); len(got) > 13 {
		t.Errorf("%d x labels for 64 tokens, want about 12", len(got))
	}
	saved(t, "attention-map-64", f)
}

func TestAttentionRange(t *testing.T) {
	for _, tt := range []struct {
		w      [][]float64
		lo, hi float64
	}{
		{[][]float64{{0.2, 0.8}, {0.5, 0.5}}, 0, 1},                // probabilities: fixed scale
		{[][]float64{{1, 0}, {math.NaN(), 1}}, 0, 1},               // NaN skipped
		{[][]float64{{-2, 3}, {0.5, 1}}, -2, 3},                    // scores: their range
		{[][]float64{{math.Inf(1), 2}, {0.5, math.NaN()}}, 0.5, 2}, // finite ones only
	} {
		if lo, hi := attentionRange(tt.w); lo != tt.lo || hi != tt.hi {
			t.Errorf("attentionRange(%v) = [%v, %v], want [%v, %v]", tt.w, lo, hi, tt.lo, tt.hi)
		}
	}
	saved(t, "attention-map-scores", AttentionMap([][]float64{{-2, 3}, {0.5, math.NaN()}}, []string{"a", "b"}, []string{"c", "d"}))
}

func TestAttentionHeads(t *testing.T) {
	tokens := []string{"<s>", "e", "m", "m", "a", "</s>"}
	f := AttentionHeads(causal(4, 6), tokens, Options{Title: "layer 1"})
	if len(f.Plots) != 1 || len(f.Plots[0]) != 4 {
		t.Fatalf("4 heads of 6 tokens in %d rows of %d; want one row of 4", len(f.Plots), len(f.Plots[0]))
	}
	if f.Title != "layer 1" {
		t.Errorf("title %q, want layer 1", f.Title)
	}
	for k, p := range f.Plots[0] {
		if want := fmt.Sprintf("head %d", k+1); p.Title.Text != want {
			t.Errorf("panel %d is titled %q, want %q", k, p.Title.Text, want)
		}
		if got := strings.Join(labelsOf(p.X), ""); got != strings.Join(tokens, "") {
			t.Errorf("head %d: x labels %q, want the tokens", k+1, got)
		}
		if got := strings.Join(labelsOf(p.Y), ""); got != strings.Join(tokens, "") {
			t.Errorf("head %d: y labels %q, want the tokens", k+1, got)
		}
		if (p.Y.Label.Text == "query") != (k == 0) || p.X.Label.Text != "key" {
			t.Errorf("head %d: labels %q, %q; want key below every panel and query left of the first", k+1, p.X.Label.Text, p.Y.Label.Text)
		}
	}
	_, svg := saved(t, "attention-heads", f)
	if !strings.Contains(svg, ">head 4<") || !strings.Contains(svg, ">layer 1<") {
		t.Error("the SVG lacks the panel or figure title")
	}

	// 6 heads of a long sequence: two rows of 3, or fewer columns; the
	// x label under the bottom panels only.
	long := strings.Split("abcdefghijklmnopqrstuvwx", "")
	f = AttentionHeads(causal(6, 24), long, Options{XLabel: "attended to"})
	rows, cols := f.grid()
	if rows*cols < 6 || cols > 3 {
		t.Errorf("6 heads of 24 tokens in %d rows of %d", rows, cols)
	}
	last := f.Plots[rows-1][0]
	if last.X.Label.Text != "attended to" || f.Plots[0][0].X.Label.Text != "" {
		t.Errorf("x labels %q (bottom) and %q (top); want the label below the bottom row only", last.X.Label.Text, f.Plots[0][0].X.Label.Text)
	}
	saved(t, "attention-heads-long", f)
	saved(t, "attention-heads-5", AttentionHeads(causal(5, 5), []string{"a", "b", "c", "d", "e"}))
}

func TestAccuracyByLength(t *testing.T) {
	lengths := []float64{5, 10, 15, 20, 25, 30}
	models := []Series{
		{Name: "no attention", Y: []float64{1, 0.97, 0.8, 0.55, 0.3, 0.12}},
		{Name: "attention", Y: []float64{1, 1, 0.99, 0.98, 0.96, math.NaN()}},
	}
	f := AccuracyByLength(lengths, models, Options{Title: "reversal"})
	p := f.Plot()
	if p.Y.Min != 0 || p.Y.Max != 1 {
		t.Errorf("y axis [%v, %v], want [0, 1]", p.Y.Min, p.Y.Max)
	}
	if got := tickLabels(p.X.Tick.Marker, p.X.Min, p.X.Max); got != "5 10 15 20 25 30" {
		t.Errorf("x ticks %q, want the lengths", got)
	}
	if p.X.Label.Text != "sequence length" || p.Y.Label.Text != "accuracy" || p.Title.Text != "reversal" {
		t.Errorf("labels %q, %q, title %q", p.X.Label.Text, p.Y.Label.Text, p.Title.Text)
	}
	_, svg := saved(t, "accuracy-by-length", f)
	for _, s := range []string{">no attention<", ">attention<"} {
		if !strings.Contains(svg, s) {
			t.Errorf("the legend lacks %s", s)
		}
	}
	// Percentages: a 0..100 axis; the caller's series are unchanged.
	pct := []Series{{Name: "a", Y: []float64{100, 50, 20}}}
	p = AccuracyByLength([]float64{7, 12, 17}, pct, Options{YLabel: "exact match"}).Plot()
	if p.Y.Max != 100 || p.Y.Label.Text != "exact match" || pct[0].X != nil {
		t.Errorf("percent: y max %v, label %q, X %v", p.Y.Max, p.Y.Label.Text, pct[0].X)
	}
	if AccuracyByLength([]float64{1}, []Series{{Y: []float64{0.5}}}).Plot().Y.Label.Text != "accuracy" {
		t.Error("the y label of fractions is not accuracy")
	}
	// Many lengths: round ticks rather than one per length.
	many := make([]float64, 26)
	acc := make([]float64, 26)
	for i := range many {
		many[i], acc[i] = float64(i+5), 1-float64(i)/30
	}
	p = AccuracyByLength(many, []Series{{Name: "gru", Y: acc}}).Plot()
	if n := len(strings.Fields(tickLabels(p.X.Tick.Marker, p.X.Min, p.X.Max))); n > 12 {
		t.Errorf("%d x tick labels for 26 lengths, want round ticks", n)
	}
	saved(t, "accuracy-by-length-many", AccuracyByLength(many, []Series{{Name: "gru", Y: acc}}))
}

func TestAttentionPanics(t *testing.T) {
	ab := []string{"a", "b"}
	for _, tt := range []struct {
		want string
		f    func()
	}{
		{"plotting: AttentionMap: 2 target tokens and 0 source tokens; want at least one of each",
			func() { AttentionMap([][]float64{{}, {}}, nil, ab) }},
		{"plotting: AttentionMap: weights has 3 rows for 2 target tokens; want one row per token",
			func() { AttentionMap([][]float64{{1, 0}, {0, 1}, {1, 0}}, ab, ab) }},
		{"plotting: AttentionMap: row 1 of weights has 1 weights for 2 source tokens; want one weight per token in every row",
			func() { AttentionMap([][]float64{{1, 0}, {1}}, ab, ab) }},
		{"plotting: AttentionMap: Options.LogY is not used by this figure",
			func() { AttentionMap([][]float64{{1}}, ab[:1], ab[:1], Options{LogY: true}) }},
		{"plotting: AttentionMap: 2 plotting.Options values",
			func() { AttentionMap([][]float64{{1}}, ab[:1], ab[:1], Options{}, Options{}) }},
		{"plotting: AttentionHeads: no heads", func() { AttentionHeads(nil, ab) }},
		{"plotting: AttentionHeads: no tokens; want the token of each row and column of a head",
			func() { AttentionHeads([][][]float64{{}}, nil) }},
		{"plotting: AttentionHeads: head 2 has 1 rows for 2 tokens",
			func() { AttentionHeads([][][]float64{{{1, 0}, {0, 1}}, {{1, 0}}}, ab) }},
		{"plotting: AttentionHeads: row 0 of head 1 has 3 weights for 2 tokens",
			func() { AttentionHeads([][][]float64{{{1, 0, 0}, {0, 1}}}, ab) }},
		{"plotting: AttentionHeads: size -1×0", func() { AttentionHeads(causal(1, 2), ab, Options{Width: -1}) }},
		{"plotting: AccuracyByLength: no lengths", func() { AccuracyByLength(nil, nil) }},
		{"plotting: AccuracyByLength: length 1 is NaN", func() { AccuracyByLength([]float64{1, math.NaN()}, nil) }},
		{`plotting: AccuracyByLength: model 0 ("gru") has X; leave it nil`,
			func() { AccuracyByLength([]float64{1}, []Series{{Name: "gru", X: []float64{1}, Y: []float64{1}}}) }},
		{`plotting: AccuracyByLength: model 1 ("b") has 1 accuracies for 2 lengths; want one per length`,
			func() {
				AccuracyByLength([]float64{1, 2}, []Series{{Name: "a", Y: []float64{1, 1}}, {Name: "b", Y: []float64{1}}})
			}},
		{`plotting: AccuracyByLength: model 0 ("a") has accuracy -0.1 at length 2; want a fraction in [0, 1] or a percentage in [0, 100]`,
			func() { AccuracyByLength([]float64{1, 2}, []Series{{Name: "a", Y: []float64{1, -0.1}}}) }},
		{`plotting: AccuracyByLength: model 0 ("a") has accuracy 101 at length 1`,
			func() { AccuracyByLength([]float64{1}, []Series{{Name: "a", Y: []float64{101}}}) }},
		{"plotting: AccuracyByLength: Options.LogY is not used by this figure",
			func() { AccuracyByLength([]float64{1}, nil, Options{LogY: true}) }},
	} {
		testutil.Panics(t, tt.want, tt.f)
	}
}
