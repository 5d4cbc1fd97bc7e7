package plotting

import "fmt"

// Confusion draws a confusion matrix, such as train.Confusion returns, as
// a [Heatmap] of counts: m[i][j] counts the examples of true class i that
// were predicted as class j, so the true classes are the rows, from the
// top, and the predicted classes the columns; the right answers lie on the
// diagonal. classes names the classes (nil numbers them 0, 1, ...).
//
//	plotting.Confusion(train.Confusion(yHat, test.Y), digitNames).Show()
//
// It uses every field of Options but LogY; the title gives the accuracy,
// the diagonal's share of all examples, and the axes are "predicted" and
// "true", unless opts sets them.
//
// Confusion panics if m is empty or not square, or if classes is not nil
// and has another length than m.
func Confusion(m [][]int, classes []string, opts ...Options) *Figure {
	o := options("Confusion", opts, "LogY")
	n := len(m)
	values := make([][]float64, n)
	right, total := 0, 0
	for i, row := range m {
		if len(row) != n {
			panic(fmt.Sprintf("plotting: Confusion: row %d has %d counts for %d classes; want a square matrix", i, len(row), n))
		}
		values[i] = make([]float64, n)
		for j, c := range row {
			values[i][j] = float64(c)
			total += c
		}
		right += row[i]
	}
	if n == 0 {
		panic("plotting: Confusion: the matrix is empty; want one row and column per class")
	}
	if classes != nil && len(classes) != n {
		panic(fmt.Sprintf("plotting: Confusion: %d class names for %d classes", len(classes), n))
	}
	h := HeatmapOptions{Title: "confusion matrix", XLabel: "predicted", YLabel: "true",
		XTicks: classes, YTicks: classes, Format: "%.0f", Width: o.Width, Height: o.Height}
	if total > 0 {
		h.Title = fmt.Sprintf("confusion matrix: accuracy %.1f%%", 100*float64(right)/float64(total))
	}
	f := Heatmap(values, h)
	label(f.Plot(), o)
	return f
}
