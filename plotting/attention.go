package plotting

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// AttentionMap draws the attention weights of one sequence as a grid of
// shaded cells: weights[i][j] is how much target token i attends to source
// token j, so row i is the distribution of target token i over the source
// tokens (it sums to 1 after a softmax). The rows are the target tokens,
// target[0] at the top, labelled down the left side; the columns are the
// source tokens, source[0] at the left, labelled below the grid. For
// seq2seq with attention (Bahdanau et al., 2014) the target is the
// decoder's output and the source the encoder's input, so that reversing
// a sequence shows the anti-diagonal; for self-attention, pass the same
// tokens twice (or see AttentionHeads).
//
//	plotting.AttentionMap(weights, []string{"<s>", "1", "2", "3", "</s>"},
//		[]string{"3", "2", "1", "</s>"}, plotting.Options{Title: "reversal"}).Show()
//
// The tokens may be characters, words or special tokens such as "<s>",
// "</s>" and "<pad>"; every one of up to 40 tokens per axis is labelled
// (of more, every k-th, so that about 12 remain), and labels that would
// run into each other below the grid are slanted. The cells are about
// square, 16 to 40 pixels (22 when the source tokens are slanted), so a
// map of 30 words is about 700 pixels high; the figure is sized to fit
// unless opts sets Width or Height.
//
// The shade runs from dark purple (0) to yellow (1), the viridis map of
// Heatmap, with a colour bar on the right. Weights that all lie in [0, 1],
// as probabilities do, use the fixed scale from 0 to 1, so that maps of
// different sentences and models compare; other values, such as scores
// before the softmax, run from their lowest to their highest. A
// non-finite weight gets a grey cell. (For a small table with its numbers
// printed in the cells, use Heatmap.)
//
// It uses Title, XLabel (default "source"), YLabel (default "target"),
// Width and Height of Options; not LogY.
//
// AttentionMap panics if there are no source or no target tokens, if
// weights does not have one row per target token, or if a row does not
// have one weight per source token.
func AttentionMap(weights [][]float64, source, target []string, opts ...Options) *Figure {
	o := options("AttentionMap", opts, "LogY")
	checkAttention("AttentionMap", "weights", weights, len(target), len(source), "target tokens", "source tokens")
	lo, hi := attentionRange(weights)
	cell := cellPixels(source, max(len(source), len(target)), 420, 16, 40)
	left, right, bottom := attentionMargins(source, target, cell, true)
	w, h := float64(len(source))*cell+left+right, float64(len(target))*cell+bottom+8
	if o.Title != "" {
		h += 28
	}
	if o.Width > 0 {
		cell = math.Min(cell, (float64(o.Width)-left-right)/float64(len(source)))
	}
	p := attentionPlot(weights, source, target, lo, hi, cell)
	p.Add((&heatCells{lo: lo, hi: hi}).bar())
	p.X.Label.Text, p.Y.Label.Text = "source", "target"
	f := single(finish(p), o)
	if f.Width == 0 {
		f.Width = max(320, int(math.Ceil(w)))
	}
	if f.Height == 0 {
		f.Height = max(200, int(math.Ceil(h)))
	}
	return f
}

// AttentionHeads draws the self-attention weights of the heads of one
// layer on one sequence, one AttentionMap per head, in a grid of panels
// titled "head 1", "head 2", ...: heads[k][i][j] is how much token i
// attends to token j in head k, the rows (queries) labelled with tokens
// down the left of each panel and the columns (keys) below it. In a causal
// Transformer a token attends only to itself and the tokens before it, so
// each map's upper triangle is 0. dl.Attention returns such weights as a
// tensor [batch, heads, t, t]; head k of batch element b is the t×t block
// at offset (b*heads+k)*t*t of its Data.
//
//	plotting.AttentionHeads(heads, []string{"<s>", "e", "m", "m", "a"}, plotting.Options{Title: "layer 1"}).Show()
//
// All heads share one scale, as in AttentionMap (from 0 to 1 for
// probabilities), with a colour bar at the right of each full row. The
// panels are square, up to 4 per row, and fewer for long sequences so
// that every token stays readable; the figure is sized to fit unless opts
// sets Width or Height.
//
// It uses Title (above the grid), XLabel (below the bottom panels,
// default "key"), YLabel (left of the first column, default "query"),
// Width and Height of Options; not LogY.
//
// AttentionHeads panics if there are no heads or no tokens, or if a head
// does not have one row per token or a row not one weight per token.
func AttentionHeads(heads [][][]float64, tokens []string, opts ...Options) *Figure {
	o := options("AttentionHeads", opts, "LogY")
	if len(heads) == 0 {
		panic("plotting: AttentionHeads: no heads; want heads[k][i][j], how much token i attends to token j in head k")
	}
	n := len(tokens)
	if n == 0 {
		panic("plotting: AttentionHeads: no tokens; want the token of each row and column of a head")
	}
	var all [][]float64
	for k, h := range heads {
		checkAttention("AttentionHeads", fmt.Sprintf("head %d", k+1), h, n, n, "tokens", "tokens")
		all = append(all, h...)
	}
	lo, hi := attentionRange(all)
	cell := cellPixels(tokens, n, 200, 16, 28)
	left, right, bottom := attentionMargins(tokens, tokens, cell, true)
	// A panel: its cells, tick labels and the gap to the next; the axis
	// labels only at the left and the bottom of the grid.
	const axisLabel, title, gap = 22, 26, 24
	panelW, panelH := float64(n)*cell+left-axisLabel+gap, float64(n)*cell+bottom-axisLabel+title+gap
	cols := max(1, min(len(heads), 4, int(1200/panelW)))
	rows := (len(heads) + cols - 1) / cols
	cols = (len(heads) + rows - 1) / rows // balanced: 5 heads in rows of 3 and 2, not 4 and 1

	xlabel, ylabel := "key", "query"
	if o.XLabel != "" {
		xlabel = o.XLabel
	}
	if o.YLabel != "" {
		ylabel = o.YLabel
	}
	plots := make([]*plot.Plot, len(heads))
	for k, h := range heads {
		p := attentionPlot(h, tokens, tokens, lo, hi, cell)
		p.Title.Text = fmt.Sprintf("head %d", k+1)
		if k%cols == 0 {
			p.Y.Label.Text = ylabel
		}
		if k+cols >= len(heads) {
			p.X.Label.Text = xlabel
		}
		if k%cols == cols-1 {
			p.Add((&heatCells{lo: lo, hi: hi}).bar())
		}
		plots[k] = finish(p)
	}
	f := gridOf(cols, plots...)
	f.Width = int(math.Ceil(float64(cols)*panelW + axisLabel + right))
	f.Height = int(math.Ceil(float64(rows)*panelH + axisLabel))
	if o.Width > 0 {
		f.Width = o.Width
	}
	if o.Height > 0 {
		f.Height = o.Height
	}
	f.Title = o.Title
	return f
}

// checkAttention panics, naming fig and what (the weights or a head), if
// w does not have rows rows of cols weights each; rowsOf and colsOf name
// what the rows and columns stand for ("target tokens").
func checkAttention(fig, what string, w [][]float64, rows, cols int, rowsOf, colsOf string) {
	if rows == 0 || cols == 0 {
		panic(fmt.Sprintf("plotting: %s: %d %s and %d %s; want at least one of each", fig, rows, rowsOf, cols, colsOf))
	}
	if len(w) != rows {
		panic(fmt.Sprintf("plotting: %s: %s has %d rows for %d %s; want one row per token (weights[i][j]: token i attends to token j)",
			fig, what, len(w), rows, rowsOf))
	}
	for i, r := range w {
		if len(r) != cols {
			panic(fmt.Sprintf("plotting: %s: row %d of %s has %d weights for %d %s; want one weight per token in every row",
				fig, i, what, len(r), cols, colsOf))
		}
	}
}

// attentionRange is the colour scale of attention weights: [0, 1] when
// every finite weight lies in it (probabilities), else their range.
func attentionRange(w [][]float64) (lo, hi float64) {
	lo, hi = valueRange(w)
	if lo >= 0 && hi <= 1 {
		return 0, 1
	}
	return lo, hi
}

// cellPixels is the side of a cell in CSS pixels for an attention plot
// of n tokens, source along the x axis: room/n, clamped to [least,
// most] (to at least 6 beyond 40 tokens, where not every token is
// labelled), and at least large enough that slanted labels stay apart when
// the source tokens do not fit side by side, or larger still if that
// lets them fit.
func cellPixels(source []string, n int, room, least, most float64) float64 {
	if n > labelled {
		return math.Max(6, room/float64(n)) // only every k-th token is labelled
	}
	cell := math.Max(least, math.Min(most, room/float64(n)))
	sty := tickStyle()
	widest := widestLabel(sty, source)
	if !attentionFit(len(source), cell).slanted(widest, len(source)) {
		return cell
	}
	// Slanted by 30°, the lines of text are cell·sin 30° apart: at
	// least 3/4 of a line. Level labels are better if that room is enough.
	level := float64(widest+vg.Points(6)) / 0.75
	slant := 1.5 * float64(sty.Height("0")) / 0.75
	if level <= slant {
		return level
	}
	return math.Max(cell, slant)
}

// tickStyle is the style of the tick labels, to measure them.
func tickStyle() text.Style {
	return text.Style{Font: font.From(sans, tickSize), Handler: plot.DefaultTextHandler}
}

// widestLabel is the width of the widest of labels in sty.
func widestLabel(sty text.Style, labels []string) vg.Length {
	w := vg.Length(0)
	for _, l := range labels {
		w = max(w, sty.Width(l))
	}
	return w
}

// attentionMargins estimates, in CSS pixels, the room around the cells of
// an attention plot with cells of cell pixels: at the left (the target
// tokens and the y label), at the right (the colour bar, when bar is set,
// and the figure's padding) and below (the source tokens, level or
// slanted, and the x label).
func attentionMargins(source, target []string, cell float64, bar bool) (left, right, bottom float64) {
	sty := tickStyle()
	const label = 22 // an axis label and its gap
	line := sty.Height("0")
	left = float64(widestLabel(sty, target))/0.75 + 6 + label + 10
	right = 20
	if bar {
		right += 70
	}
	below := line
	if w := widestLabel(sty, source); attentionFit(len(source), cell).slanted(w, len(source)) {
		below = w*vg.Length(math.Sin(math.Pi/6)) + line*vg.Length(math.Cos(math.Pi/6))
	}
	bottom = float64(below)/0.75 + 6 + label + 10
	return left, right, bottom
}

// labelled is the most tokens of which an attention plot labels every
// one; of more, it labels every k-th.
const labelled = 40

// attentionFit is the tickFit of cols tokens in cells of cell CSS pixels.
func attentionFit(cols int, cell float64) tickFit {
	return tickFit{most: labelled, span: px(cell * float64(cols))}
}

// attentionPlot returns the shaded grid of weights on the scale [lo, hi],
// without a title, axis labels or colour bar, labelled with the tokens,
// all of up to 40, for cells of cell CSS pixels.
func attentionPlot(w [][]float64, source, target []string, lo, hi, cell float64) *plot.Plot {
	cells := &heatCells{values: w, lo: lo, hi: hi} // no numbers in the cells
	return heatPlot(cells, source, target, attentionFit(len(source), cell))
}

// AccuracyByLength plots the accuracy of several models against the
// length of the input sequence, the analogue of Bahdanau et al.'s (2014)
// Figure 2, where the model that squeezes the input into one vector falls
// off with the length and the model with attention does not. models[m].Y[i]
// is the accuracy of model m on the inputs of length lengths[i] (or on the
// bucket of lengths around it: pass the bucket's middle), and models[m].Name
// its legend entry:
//
//	plotting.AccuracyByLength([]float64{5, 10, 15, 20, 25, 30}, []plotting.Series{
//		{Name: "no attention", Y: plain}, {Name: "attention", Y: attn},
//	}, plotting.Options{Title: "reversal"}).Show()
//
// It is Lines with the axes of the comparison: lines with markers, the
// y axis fixed from 0 to 1 (from 0 to 100 when an accuracy is above 1:
// percentages), ticks at the lengths themselves when there are at most 12,
// a legend, and the labels "sequence length" and "accuracy" (or
// "accuracy (%)"). A non-finite accuracy (no input of that length) leaves
// a gap.
//
// It uses Title, XLabel, YLabel, Width and Height of Options; not LogY.
//
// AccuracyByLength panics if there are no lengths or one is not finite, if a model has X (the
// lengths are shared) or not one accuracy per length, or if an accuracy
// is below 0 or above 100.
func AccuracyByLength(lengths []float64, models []Series, opts ...Options) *Figure {
	o := options("AccuracyByLength", opts, "LogY")
	if len(lengths) == 0 {
		panic("plotting: AccuracyByLength: no lengths; want the sequence length (or a bucket's middle) of each accuracy")
	}
	for i, x := range lengths {
		if !finite(x) {
			panic(fmt.Sprintf("plotting: AccuracyByLength: length %d is %g; want finite lengths", i, x))
		}
	}
	top := 1.0
	series := make([]Series, len(models))
	for m, s := range models {
		if s.X != nil {
			panic(fmt.Sprintf("plotting: AccuracyByLength: model %d (%q) has X; leave it nil, every model's accuracies are at lengths", m, s.Name))
		}
		if len(s.Y) != len(lengths) {
			panic(fmt.Sprintf("plotting: AccuracyByLength: model %d (%q) has %d accuracies for %d lengths; want one per length", m, s.Name, len(s.Y), len(lengths)))
		}
		for i, v := range s.Y {
			if finite(v) && (v < 0 || v > 100) {
				panic(fmt.Sprintf("plotting: AccuracyByLength: model %d (%q) has accuracy %g at length %g; want a fraction in [0, 1] or a percentage in [0, 100]",
					m, s.Name, v, lengths[i]))
			}
			if finite(v) && v > 1 {
				top = 100
			}
		}
		series[m] = Series{Name: s.Name, X: lengths, Y: s.Y}
	}
	ylabel := "accuracy"
	if top == 100 {
		ylabel = "accuracy (%)"
	}
	if o.XLabel == "" {
		o.XLabel = "sequence length"
	}
	if o.YLabel == "" {
		o.YLabel = ylabel
	}
	f := Lines(series, o)
	p := f.Plot()
	p.Y.Min, p.Y.Max = 0, top
	if len(lengths) <= 12 {
		ticks := make(plot.ConstantTicks, len(lengths))
		for i, x := range lengths {
			ticks[i] = plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'g', -1, 64)}
		}
		p.X.Tick.Marker = ticks
	}
	return f
}
