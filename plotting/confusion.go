package plotting

import (
	"fmt"

	"gonum.org/v1/plot"
)

// Confusion draws a confusion matrix, such as train.Confusion returns, as
// a [Heatmap] of counts: m[i][j] counts the examples of true class i that
// were predicted as class j, so the true classes are the rows, from the
// top, and the predicted classes the columns; the right answers lie on the
// diagonal. labels names the classes (nil numbers them 0, 1, ...). The
// title gives the accuracy, the diagonal's share of all examples.
//
//	plotting.Show(plotting.Confusion(train.Confusion(yHat, test.Y), digits))
//
// Confusion panics if m is empty or not square, or if labels is not nil
// and has another length than m.
func Confusion(m [][]int, labels []string) *plot.Plot {
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
	if labels != nil && len(labels) != n {
		panic(fmt.Sprintf("plotting: Confusion: %d labels for %d classes", len(labels), n))
	}
	title := "confusion matrix"
	if total > 0 {
		title = fmt.Sprintf("confusion matrix: accuracy %.1f%%", 100*float64(right)/float64(total))
	}
	return Heatmap(title, "predicted", "true", labels, labels, values, "%.0f")
}
