package train

import (
	"fmt"
	"math"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
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
// An empty batch gives NaN. Accuracy panics if yHat or y is nil, or if
// the shapes do not fit.
func Accuracy(yHat, y *dl.Tensor) float64 {
	pred, label, _ := decide("Accuracy", yHat, y)
	if len(pred) == 0 {
		return math.NaN()
	}
	right := 0
	for i, p := range pred {
		if float64(p) == label[i] {
			right++
		}
	}
	return float64(right) / float64(len(pred))
}

// PredictClasses returns the class that model predicts for each row of x,
// as ints, decided as [Accuracy] decides them:
//
//   - for logits [n, classes], the index of the largest logit of each row
//     (the first one on ties), as dl.Argmax(logits, 1) gives;
//   - for one logit per example, [n] or [n, 1], class 1 when the logit is
//     > 0 and class 0 otherwise: the binary classifiers of nn.BCE (labels
//     0/1) and nn.Hinge (labels −1/+1, where class 0 stands for −1).
//
// Compare the result with data.Set's Labels, or print it with %d:
//
//	pred := train.PredictClasses(model, test.X) // [n]
//	fmt.Printf("predicted %d, label %d\n", pred[0], test.Labels()[0])
//
// Like [Predict], it leaves the model in evaluation mode. PredictClasses
// panics if model or x is nil, if the output does not have one of those
// shapes, or where model.Forward panics.
func PredictClasses(model nn.Module, x *dl.Tensor) []int {
	checkModel("PredictClasses", model)
	checkTensor("PredictClasses", "x", x)
	yHat := predict(model, x)
	if ps := yHat.Shape(); len(ps) < 1 || len(ps) > 2 || len(ps) == 2 && ps[1] < 1 {
		panic(fmt.Sprintf("train: PredictClasses: the model's output has shape %v; want logits [n, classes], or one logit per example, [n] or [n, 1]", ps))
	}
	pred, _ := predicted(yHat)
	return pred
}

// Confusion returns the confusion matrix of predictions yHat against
// targets y: m[i][j] counts the examples of true class i that the model
// predicted as class j, so the rows are the true classes, the columns the
// predicted ones, the diagonal holds the right answers and each row sums
// to the number of examples of its class. The matrix is classes×classes,
// where classes is the number of columns of yHat, or 2 for one logit per
// example.
//
// The predictions and labels are read as [Accuracy] reads them: logits
// yHat [n, classes] with class indices y [n] (or [n, 1]) or one row per
// example [n, classes] (such as one-hot targets); or one logit per
// example, yHat [n] or [n, 1], where class 1 is a logit > 0, and labels
// 0/1 or −1/+1 (class 1 is a label > 0).
//
// Confusion panics if yHat or y is nil, if the shapes do not fit, or if a
// class index in y is not a whole number in [0, classes).
func Confusion(yHat, y *dl.Tensor) [][]int {
	pred, label, classes := decide("Confusion", yHat, y)
	m := make([][]int, classes)
	for i := range m {
		m[i] = make([]int, classes)
	}
	for i, p := range pred {
		l := label[i]
		if l != math.Trunc(l) || l < 0 || l >= float64(classes) {
			panic(fmt.Sprintf("train: Confusion: label %v of example %d is not a class in [0, %d)", l, i, classes))
		}
		m[int(l)][p]++
	}
	return m
}

// decide returns, for each example, the predicted class and the label, as
// Accuracy and Confusion read them, and the number of classes: the columns
// of yHat, or 2 for one logit. The label is a class index as y gives it
// (not checked), or the class of a one-hot row or of a one-logit label.
// It panics, naming op, if the shapes do not fit.
func decide(op string, yHat, y *dl.Tensor) (pred []int, label []float64, classes int) {
	checkTensor(op, "yHat", yHat)
	checkTensor(op, "y", y)
	ps, ys := yHat.Shape(), y.Shape()
	fits := len(ps) >= 1 && len(ps) <= 2 && len(ys) >= 1 && len(ys) <= 2 && ps[0] == ys[0]
	oneLogit := len(ps) == 1 || len(ps) == 2 && ps[1] == 1
	labelsIn := func(s []int) bool { return len(s) == 1 || s[1] == 1 }
	if !fits || oneLogit && !labelsIn(ys) || !oneLogit && !labelsIn(ys) && ys[1] != ps[1] {
		panic(fmt.Sprintf("train: %s: predictions %v and labels %v do not fit; want [n, classes] with [n] or [n, classes], or [n] with [n]", op, ps, ys))
	}
	pred, classes = predicted(yHat)
	n, t := ps[0], y.Data()
	label = make([]float64, n)
	for i := range n {
		switch {
		case oneLogit:
			label[i] = float64(b2i(t[i] > 0))
		case labelsIn(ys):
			label[i] = t[i]
		default:
			label[i] = float64(argmax(t[i*classes : (i+1)*classes]))
		}
	}
	return pred, label, classes
}

// predicted returns the class of each row of yHat, which the caller has
// checked is [n, classes] or one logit per example, [n] or [n, 1]: the
// index of the largest logit of a row (the first on ties), or for one
// logit 1 if it is > 0 and 0 if not. It also returns the number of
// classes, 2 for one logit.
func predicted(yHat *dl.Tensor) (pred []int, classes int) {
	ps, p := yHat.Shape(), yHat.Data()
	n := ps[0]
	pred = make([]int, n)
	if len(ps) == 1 || ps[1] == 1 {
		for i := range n {
			pred[i] = b2i(p[i] > 0)
		}
		return pred, 2
	}
	c := ps[1]
	for i := range n {
		pred[i] = argmax(p[i*c : (i+1)*c])
	}
	return pred, c
}

// b2i is 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
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
