package train_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/train"
)

func TestConfusion(t *testing.T) {
	m := func(rows, cols int, v ...float64) *dl.Tensor { return dl.New(v, rows, cols) }
	v := func(x ...float64) *dl.Tensor { return dl.New(x) }
	tests := []struct {
		name    string
		yHat, y *dl.Tensor
		want    [][]int
	}{
		// Predicted 2, 0, 2, 1 for labels 2, 0, 1, 1.
		{"argmax against labels", m(4, 3, 1, 2, 3, 5, 0, 0, 0, 0, 9, 0, 4, 1), v(2, 0, 1, 1),
			[][]int{{1, 0, 0}, {0, 1, 1}, {0, 0, 1}}},
		{"labels [n,1]", m(2, 2, 1, 0, 0, 1), m(2, 1, 0, 0), [][]int{{1, 1}, {0, 0}}},
		{"ties go to the first", m(2, 3, 1, 1, 0, 0, 2, 2), v(0, 2), [][]int{{1, 0, 0}, {0, 0, 0}, {0, 1, 0}}},
		{"one-hot targets", m(3, 2, 1, 0, 0, 1, 0, 1), m(3, 2, 1, 0, 0, 1, 1, 0), [][]int{{1, 1}, {0, 1}}},
		// Predicted 1, 0, 1, 0 for labels 1, 0, 0, 0.
		{"one logit, labels 0/1", v(2, -1, 0.5, -3), v(1, 0, 0, 0), [][]int{{2, 1}, {0, 1}}},
		{"one logit [n,1], labels -1/+1", m(3, 1, 2, -1, 0.5), v(1, -1, -1), [][]int{{1, 1}, {0, 1}}},
		{"empty", dl.Zeros(0, 3), dl.Zeros(0), [][]int{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}}},
	}
	for _, tt := range tests {
		got := train.Confusion(tt.yHat, tt.y)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Confusion = %v, want %v", tt.name, got, tt.want)
		}
		if n := tt.yHat.Shape()[0]; n > 0 {
			if acc := train.Accuracy(tt.yHat, tt.y); math.Abs(float64(trace(got))/float64(n)-acc) > 1e-15 {
				t.Errorf("%s: the diagonal holds %d of %d, but Accuracy is %v", tt.name, trace(got), n, acc)
			}
		}
	}

	// Random logits: rows count the labels, columns the predictions.
	rng := newRNG(20)
	const n, classes = 200, 4
	yHat := dl.Randn(rng, n, classes)
	y := dl.Zeros(n)
	labels, preds := make([]int, classes), make([]int, classes)
	for i := range n {
		l := rng.IntN(classes)
		y.Data()[i] = float64(l)
		labels[l]++
		row := yHat.Data()[i*classes : (i+1)*classes]
		best := 0
		for j := range row {
			if row[j] > row[best] {
				best = j
			}
		}
		preds[best]++
	}
	c := train.Confusion(yHat, y)
	for k := range classes {
		rowSum, colSum := 0, 0
		for j := range classes {
			rowSum += c[k][j]
			colSum += c[j][k]
		}
		if rowSum != labels[k] || colSum != preds[k] {
			t.Errorf("class %d: row sum %d (want %d labels), column sum %d (want %d predictions)", k, rowSum, labels[k], colSum, preds[k])
		}
	}
	if acc := train.Accuracy(yHat, y); float64(trace(c))/n != acc {
		t.Errorf("the diagonal holds %d of %d, but Accuracy is %v", trace(c), n, acc)
	}

	testutil.Panics(t, "train: Confusion: predictions [4 3] and labels [5] do not fit", func() { train.Confusion(dl.Zeros(4, 3), dl.Zeros(5)) })
	testutil.Panics(t, "train: Confusion: label 3 of example 1 is not a class in [0, 3)", func() { train.Confusion(dl.Zeros(2, 3), v(0, 3)) })
	testutil.Panics(t, "train: Confusion: label 0.5 of example 0 is not a class in [0, 2)", func() { train.Confusion(dl.Zeros(1, 2), v(0.5)) })
	testutil.Panics(t, "train: Confusion: label -1 of example 0", func() { train.Confusion(dl.Zeros(1, 2), v(-1)) })
}

func trace(m [][]int) int {
	s := 0
	for i := range m {
		s += m[i][i]
	}
	return s
}
