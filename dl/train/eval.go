package train

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"text/tabwriter"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
)

// evalBatch is the number of rows that Evaluate predicts at once, to bound
// the memory of the forward pass on large sets.
const evalBatch = 1024

// Evaluate returns the loss of model on set, and the value of each metric
// by name, computed on the predictions for the whole set (in order, with
// no shuffling and no training). The parameters do not change. Like
// [Predict], it leaves the model in evaluation mode.
//
// With a nil loss the returned loss is NaN; so are the loss and the metrics
// for an empty set. Evaluate panics if set has no targets or two metrics
// share a name, or where the model, the loss or a metric panic.
func Evaluate(model nn.Module, set data.Set, loss func(yHat, y *dl.Tensor) *dl.Tensor, metrics ...Metric) (lossValue float64, values map[string]float64) {
	checkMetrics("Evaluate", metrics)
	if set.X != nil && set.Y == nil {
		panic(fmt.Sprintf("train: Evaluate: the set has X %v but no targets Y", set.X.Shape()))
	}
	values = make(map[string]float64, len(metrics))
	if set.Len() == 0 {
		for _, m := range metrics {
			values[m.Name] = math.NaN()
		}
		return math.NaN(), values
	}
	var preds []*dl.Tensor
	for _, b := range data.Batches(set, evalBatch, nil) {
		preds = append(preds, Predict(model, b.X))
	}
	yHat := concat(preds)
	lossValue = math.NaN()
	if loss != nil {
		lossValue = loss(yHat, set.Y).Item()
	}
	for _, m := range metrics {
		values[m.Name] = m.Fn(yHat, set.Y)
	}
	return lossValue, values
}

// Predict returns model's output for x, such as logits [n, classes] for x
// [n, features], as a tensor outside any graph.
//
// The forward pass still records a graph, because the parameters require
// gradients, but Predict detaches the output from it: nothing keeps the
// graph alive, so it is freed, and no Backward can reach the parameters
// through the result.
//
// Predict first switches the model to evaluation mode ([nn.SetTraining]
// with false), so that nn.Dropout keeps every element and nn.BatchNorm uses
// its running statistics, and leaves it there; [Fit] switches back to
// training mode before each epoch. Predict panics where model.Forward
// panics.
func Predict(model nn.Module, x *dl.Tensor) *dl.Tensor {
	nn.SetTraining(model, false)
	return model.Forward(x).Detach()
}

// Summary returns a table of model's layers and their parameters: for a
// *nn.Sequential one row per layer, otherwise one row for the whole model.
// Each row gives the layer's index, its Go type name (such as Linear), the
// shapes of its parameters, and their number of values; the last line is
// the total. A tensor that several layers share is counted once in the
// total.
//
//	layer  type    params     count
//	0      Linear  [2 8] [8]  24
//	1      ReLU    -          0
//	2      Linear  [8 2] [2]  18
//	       total              42
func Summary(model nn.Module) string {
	layers := []nn.Module{model}
	if s, ok := model.(*nn.Sequential); ok {
		layers = s.Layers
	}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "layer\ttype\tparams\tcount")
	total := 0
	seen := map[*dl.Tensor]bool{}
	for i, l := range layers {
		var shapes []string
		count := 0
		for _, p := range l.Params() {
			shapes = append(shapes, fmt.Sprint(p.Shape()))
			count += p.Len()
			if !seen[p] {
				seen[p] = true
				total += p.Len()
			}
		}
		if len(shapes) == 0 {
			shapes = []string{"-"}
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%d\n", i, typeName(l), strings.Join(shapes, " "), count)
	}
	fmt.Fprintf(w, "\ttotal\t\t%d\n", total)
	w.Flush()
	return b.String()
}

// typeName returns the name of m's type without package or pointer, such
// as "Linear" for *nn.Linear.
func typeName(m nn.Module) string {
	t := reflect.TypeOf(m)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}
