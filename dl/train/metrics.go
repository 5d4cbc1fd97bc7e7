package train

import (
	"fmt"
	"math"

	"github.com/dlnb/dlnb/dl"
)

// Metric is a named measure of predictions yHat against targets y, such as
// accuracy, that [Fit] records per epoch and [Evaluate] returns. Fn gets
// the predictions for a whole epoch or set at once, without a graph.
type Metric struct {
	Name string
	Fn   func(yHat, y *dl.Tensor) float64
}

// AccuracyMetric is [Accuracy] as a Metric named "accuracy".
var AccuracyMetric = Metric{Name: "accuracy", Fn: Accuracy}

// Accuracy returns the fraction of examples, in [0, 1], whose predicted
// class is the label.
//
//   - For logits yHat [n, classes] (classes ≥ 2) the predicted class is the
//     index of the largest logit of each row (the first one on ties), and
//     y holds class indices [n] (or [n, 1]), or one row per example
//     [n, classes] such as one-hot targets, whose largest entry is the
//     label.
//   - For one logit per example, yHat [n] or [n, 1], the prediction is
//     positive when the logit is > 0, and the label y ([n] or [n, 1]) when
//     it is > 0: this fits labels 0/1 (with nn.BCE) and −1/+1 (with
//     nn.Hinge).
//
// An empty batch gives NaN. Accuracy panics if the shapes do not fit.
func Accuracy(yHat, y *dl.Tensor) float64 {
	ps, ys := yHat.Shape(), y.Shape()
	fits := len(ps) >= 1 && len(ps) <= 2 && len(ys) >= 1 && len(ys) <= 2 && ps[0] == ys[0]
	oneLogit := len(ps) == 1 || len(ps) == 2 && ps[1] == 1
	labelsIn := func(s []int) bool { return len(s) == 1 || s[1] == 1 }
	if !fits || oneLogit && !labelsIn(ys) || !oneLogit && !labelsIn(ys) && ys[1] != ps[1] {
		panic(fmt.Sprintf("train: Accuracy: predictions %v and labels %v do not fit; want [n, classes] with [n] or [n, classes], or [n] with [n]", ps, ys))
	}
	n := ps[0]
	if n == 0 {
		return math.NaN()
	}
	p, t := yHat.Data(), y.Data()
	right := 0
	for i := range n {
		if oneLogit {
			if (p[i] > 0) == (t[i] > 0) {
				right++
			}
			continue
		}
		c := ps[1]
		label := t[i]
		if !labelsIn(ys) {
			label = float64(argmax(t[i*c : (i+1)*c]))
		}
		if float64(argmax(p[i*c:(i+1)*c])) == label {
			right++
		}
	}
	return float64(right) / float64(n)
}

// argmax returns the index of the largest value, the first on ties.
func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// checkMetrics panics, naming op, if a metric has no name or function or
// two share a name.
func checkMetrics(op string, metrics []Metric) {
	seen := map[string]bool{}
	for i, m := range metrics {
		if m.Name == "" || m.Fn == nil {
			panic(fmt.Sprintf("train: %s: metric %d needs both a Name and an Fn", op, i))
		}
		if seen[m.Name] {
			panic(fmt.Sprintf("train: %s: two metrics are named %q", op, m.Name))
		}
		seen[m.Name] = true
	}
}
