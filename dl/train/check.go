package train

import (
	"fmt"
	"math"
	"reflect"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
)

// This file holds the checks of arguments that the exported functions
// share, and the diagnosis that Fit gives when a number stops being
// finite: what is at fault, the data, the model, the loss or the learning
// rate.

// checkModel panics, naming the function fn, if model is nil: a nil
// interface, or a nil pointer such as a *nn.Sequential that was declared
// but never built.
func checkModel(fn string, model nn.Module) {
	if model == nil {
		panic(fmt.Sprintf("train: %s: model is nil; build it first, e.g. with nn.MLP or nn.NewSequential", fn))
	}
	if v := reflect.ValueOf(model); v.Kind() == reflect.Pointer && v.IsNil() {
		panic(fmt.Sprintf("train: %s: model is a nil %T; build it first, e.g. with nn.MLP or nn.NewSequential "+
			"(in a notebook, in a cell that runs before: a value set in a cell is gone in the next one, only declarations stay)", fn, model))
	}
}

// checkTensor panics, naming the function fn and the argument arg, if t is
// nil.
func checkTensor(fn, arg string, t *dl.Tensor) {
	if t == nil {
		panic(fmt.Sprintf("train: %s: %s is nil", fn, arg))
	}
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// firstNonFinite returns the index of the first NaN or infinity in v, or
// -1 if there is none.
func firstNonFinite(v []float64) int {
	for i, x := range v {
		if !finite(x) {
			return i
		}
	}
	return -1
}

// nonFiniteParam returns the name and the first non-finite value of the
// first of model's parameters that holds a NaN or an infinity, and ok
// false if all are finite. It looks at params, model.Params(), and only
// finds the name (as nn.NamedParams gives it) when one is not finite.
func nonFiniteParam(model nn.Module, params []*dl.Tensor) (name string, value float64, ok bool) {
	for k, p := range params {
		if i := firstNonFinite(p.Data()); i >= 0 {
			return paramName(model, k, p), p.Data()[i], true
		}
	}
	return "", 0, false
}

// paramName returns the name of the parameter p, the k-th of
// model.Params(), as nn.NamedParams gives it, quoted: "0.W". For a model
// whose Parts do not list its Params, where nn.NamedParams panics, it
// says the position instead, since this is only for a message.
func paramName(model nn.Module, k int, p *dl.Tensor) (name string) {
	defer func() {
		if recover() != nil {
			name = fmt.Sprintf("%d of model.Params(), %v,", k, p.Shape())
		}
	}()
	for _, e := range nn.NamedParams(model) {
		if e.Tensor == p {
			return fmt.Sprintf("%q", e.Name)
		}
	}
	return fmt.Sprintf("%d of model.Params(), %v,", k, p.Shape())
}

// largestParam returns the name and the value of the element of model's
// parameters params that is largest in size.
func largestParam(model nn.Module, params []*dl.Tensor) (name string, value float64) {
	k, at := -1, 0
	for j, p := range params {
		for i, v := range p.Data() {
			if k < 0 || math.Abs(v) > math.Abs(params[k].Data()[at]) {
				k, at = j, i
			}
		}
	}
	if k < 0 {
		return "", 0
	}
	return paramName(model, k, params[k]), params[k].Data()[at]
}

// brokenModel returns an error if the model's output for b, the last
// batch of epoch, or the loss of that output, is not finite now, after
// the step, although the loss was finite before it and the parameters are
// finite: then the steps made them too large, and the message names the
// largest. It returns nil if both are finite.
func brokenModel(model nn.Module, params []*dl.Tensor, b data.Set, loss func(yHat, y *dl.Tensor) *dl.Tensor, epoch int, opt optim.Optimizer) error {
	nn.SetTraining(model, false) // as predict does
	out := model.Forward(b.X)
	defer out.Release() // its memory serves the next steps
	yHat := out.Detach()
	var what string
	if i := firstNonFinite(yHat.Data()); i >= 0 {
		what = fmt.Sprintf("output is %v", yHat.Data()[i])
	} else if l := loss(yHat, b.Y).Item(); !finite(l) {
		what = fmt.Sprintf("loss is %v", l)
	} else {
		return nil
	}
	name, v := largestParam(model, params)
	return fmt.Errorf("train: after the last step of epoch %d the model's %s on that step's batch, whose loss was finite before the step; "+
		"the parameters are finite but have grown as large as %v (parameter %s): %s", epoch, what, v, name, lrHint(opt))
}

// dataHint says which of the set's X and Y holds a NaN or an infinity,
// and the first example that does; what names the set ("training set").
// It returns "" if both are finite.
func dataHint(what string, s data.Set) string {
	for _, part := range []struct {
		name string
		t    *dl.Tensor
	}{{"X", s.X}, {"Y", s.Y}} {
		if part.t == nil {
			continue
		}
		v := part.t.Data()
		if i := firstNonFinite(v); i >= 0 {
			row := i / max(1, len(v)/max(1, s.Len()))
			return fmt.Sprintf("the %s's %s holds %v (first in example %d, counting from 0): the data are at fault, not the learning rate; "+
				"remove or replace such values before training", what, part.name, v[i], row)
		}
	}
	return ""
}

// outputHint explains a non-finite loss on data that are finite, from the
// model's output yHat: it is not finite itself (the inputs are too large
// for the model), or it is and the loss of it is not (values too large for
// the loss, or the loss function itself). on says where the model ran (""
// or " on it").
func outputHint(yHat *dl.Tensor, on string) string {
	if i := firstNonFinite(yHat.Data()); i >= 0 {
		return fmt.Sprintf("the model's output%s is %v for finite inputs and finite parameters: the inputs may be too large for it "+
			"(standardize them, e.g. with data.Standardize)", on, yHat.Data()[i])
	}
	return fmt.Sprintf("the model's output%s is finite, but the loss of it is not: the outputs or targets may be too large for the loss "+
		"(standardize them), or the loss function is at fault", on)
}

// stepHint explains the non-finite loss of a step of Fit, on the batch b
// of train, with the model's output yHat. In order: the batch's data; if
// no step has run yet (first), a parameter of the model, its output or
// the loss; and otherwise the learning rate of opt.
func stepHint(b, train data.Set, yHat *dl.Tensor, model nn.Module, params []*dl.Tensor, first bool, opt optim.Optimizer) string {
	if dataHint("batch", b) != "" {
		return dataHint("training set", train)
	}
	if !first {
		return lrHint(opt)
	}
	const before = "no step has run yet, so the learning rate is not at fault: "
	if name, v, ok := nonFiniteParam(model, params); ok {
		return fmt.Sprintf(before+"the model's parameter %s holds %v already; build or load the model again", name, v)
	}
	return before + outputHint(yHat, "")
}

// lrHint is the advice for a loss or parameter that a step made
// non-finite: with the optimizers of package optim it names the learning
// rate, as it is now.
func lrHint(opt optim.Optimizer) string {
	var lr float64
	switch o := opt.(type) {
	case *optim.SGD:
		lr = o.LR
	case *optim.RMSProp:
		lr = o.LR
	case *optim.Adam:
		lr = o.LR
	case *optim.AdamW:
		lr = o.LR
	default:
		return "try a smaller learning rate"
	}
	return fmt.Sprintf("the learning rate (%v) is probably too large: try a smaller one", lr)
}
