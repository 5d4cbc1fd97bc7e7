package train

import (
	"fmt"
	"math"
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
	checkModel("Evaluate", model)
	checkMetrics("Evaluate", metrics)
	if set.X != nil && set.Y == nil {
		panic(fmt.Sprintf("train: Evaluate: the set has X %v but no targets Y", set.X.Shape()))
	}
	lossValue, values, _ = evaluate(model, set, loss, metrics)
	return lossValue, values
}

// evaluate does the work of Evaluate, once its arguments are checked, and
// also returns the predictions yHat (nil for an empty set).
func evaluate(model nn.Module, set data.Set, loss func(yHat, y *dl.Tensor) *dl.Tensor, metrics []Metric) (lossValue float64, values map[string]float64, yHat *dl.Tensor) {
	values = make(map[string]float64, len(metrics))
	if set.Len() == 0 {
		for _, m := range metrics {
			values[m.Name] = math.NaN()
		}
		return math.NaN(), values, nil
	}
	var preds []*dl.Tensor
	for _, b := range data.Batches(set, evalBatch, nil) {
		preds = append(preds, predict(model, b.X))
	}
	yHat = concat(preds)
	lossValue = math.NaN()
	if loss != nil {
		lossValue = loss(yHat, set.Y).Item()
	}
	for _, m := range metrics {
		values[m.Name] = m.Fn(yHat, set.Y)
	}
	return lossValue, values, yHat
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
// training mode before each epoch. Predict panics if model or x is nil,
// and where model.Forward panics.
func Predict(model nn.Module, x *dl.Tensor) *dl.Tensor {
	checkModel("Predict", model)
	checkTensor("Predict", "x", x)
	return predict(model, x)
}

// predict does the work of Predict, once its arguments are checked.
func predict(model nn.Module, x *dl.Tensor) *dl.Tensor {
	nn.SetTraining(model, false)
	return model.Forward(x).Detach()
}

// Summary returns a table of model's layers and their parameters: for a
// *nn.Sequential one row per layer, otherwise one row for the whole model
// (see nn.Layers). Each row gives the layer's name, the one that begins
// the names of its tensors in a saved file ("0" for "0.W"; none for a
// whole model), its type (nn.TypeName: such as Linear; a Residual names
// the type of its Inner, a nested Sequential its number of layers), the
// shapes of its parameters (their number when there are more than three),
// and their number of values; the last line is the total. A tensor that
// several layers share is counted once in the total. Buffers, such as the
// running statistics of nn.BatchNorm, are not parameters and are not
// counted.
//
//	layer  type    params     count
//	0      Linear  [2 8] [8]  24
//	1      ReLU    -          0
//	2      Linear  [8 2] [2]  18
//	       total              42
//
// Given the shape of an input, batch first, such as Summary(model, 1, 1,
// 28, 28) for one 28×28 grey image, Summary also runs a batch of zeros of
// that shape through the layers and gives the shape of each layer's output
// in a column "output", after a row for the input. Like [Predict] it
// switches the model to evaluation mode first and leaves it there, and
// layers that remember their last input, such as nn.MultiHeadAttention's
// Weights, remember the zeros.
//
// Summary panics if model is nil, if a size of inputShape is negative, or
// if a layer panics on its input (the shapes do not fit); the message
// names the layer and the shape of its input.
func Summary(model nn.Module, inputShape ...int) string {
	checkModel("Summary", model)
	layers := nn.Layers(model)
	var outputs [][]int
	if len(inputShape) > 0 {
		outputs = outputShapes(layers, model, inputShape)
	}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	out := func(i int) string { return "" }
	if outputs != nil {
		out = func(i int) string { return fmt.Sprint(outputs[i]) + "\t" }
		fmt.Fprintln(w, "layer\ttype\toutput\tparams\tcount")
		fmt.Fprintf(w, "\tinput\t%v\t\t\n", inputShape)
	} else {
		fmt.Fprintln(w, "layer\ttype\tparams\tcount")
	}
	total := 0
	seen := map[*dl.Tensor]bool{}
	for i, l := range layers {
		var shapes []string
		count := 0
		for _, p := range l.Module.Params() {
			shapes = append(shapes, fmt.Sprint(p.Shape()))
			count += p.Len()
			if !seen[p] {
				seen[p] = true
				total += p.Len()
			}
		}
		params := strings.Join(shapes, " ")
		switch {
		case len(shapes) == 0:
			params = "-"
		case len(shapes) > 3:
			params = fmt.Sprintf("%d tensors", len(shapes))
		}
		fmt.Fprintf(w, "%s\t%s\t%s%s\t%d\n", l.Name, nn.TypeName(l.Module), out(i), params, count)
	}
	if outputs != nil {
		fmt.Fprintf(w, "\ttotal\t\t\t%d\n", total)
	} else {
		fmt.Fprintf(w, "\ttotal\t\t%d\n", total)
	}
	w.Flush()
	// tabwriter pads the empty cells of the input row.
	lines := strings.SplitAfter(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \n")
	}
	return strings.Join(lines, "\n")
}

// outputShapes runs zeros of the input shape through the layers of model,
// in evaluation mode, and returns the shape of each layer's output.
func outputShapes(layers []nn.NamedModule, model nn.Module, inputShape []int) [][]int {
	for _, d := range inputShape {
		if d < 0 {
			panic(fmt.Sprintf("train: Summary: input shape %v has a negative size", inputShape))
		}
	}
	nn.SetTraining(model, false)
	x := dl.Zeros(inputShape...)
	shapes := make([][]int, len(layers))
	for i, l := range layers {
		x = forwardLayer(l, x)
		shapes[i] = x.Shape()
	}
	return shapes
}

// forwardLayer returns l's output for x, detached, and turns a panic into
// one that names the layer and its input.
func forwardLayer(l nn.NamedModule, x *dl.Tensor) *dl.Tensor {
	defer func() {
		if r := recover(); r != nil {
			what := nn.TypeName(l.Module) // the whole model
			if l.Name != "" {
				what = "layer " + l.Name + " (" + what + ")"
			}
			panic(fmt.Sprintf("train: Summary: %s on input %v: %v", what, x.Shape(), r))
		}
	}()
	return l.Module.Forward(x).Detach()
}
