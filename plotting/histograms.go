package plotting

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// histogramBins is the number of bins of each panel of
// ActivationHistograms and GradientHistograms.
const histogramBins = 40

// ActivationHistograms runs the batch x through model, layer by layer, and
// draws one histogram per layer of the values of that layer's output: for
// a *nn.Sequential one panel per layer, in order, otherwise one panel for
// the whole model. Each panel is titled with the layer's index and type
// and the standard deviation of its values; all panels share the x axis,
// and the heights are the fraction of the layer's values in each bin.
//
// It is the picture of Glorot & Bengio (2010): with sigmoid or tanh and a
// poor initialization the activations of deeper layers saturate at the
// ends or shrink to a spike at 0; with ReLU and He initialization they
// keep their spread. A notebook cell is one line:
//
//	plotting.ActivationHistograms(model, x).Show()
//
// The pass runs in training mode, as in Fit (nn.SetTraining with true),
// so that BatchNorm normalizes with the batch's statistics and Dropout
// drops; the model is left in training mode. BatchNorm's running
// statistics are put back as they were, but Dropout draws from its
// generator. No gradient is computed.
//
// It uses Title, Width and Height of Options; the title is "activations
// of each layer" unless opts sets it.
//
// ActivationHistograms panics where the model panics on x, for example on
// shapes that do not fit.
func ActivationHistograms(model nn.Module, x *dl.Tensor, opts ...Options) *Figure {
	o := options("ActivationHistograms", opts, "XLabel", "YLabel", "LogY")
	layers := layerActivations(model, x)
	return withOptions(layerHistograms("activations of each layer", layers), o)
}

// GradientHistograms runs the batch x through model as
// [ActivationHistograms] does, computes loss(output, y) and its gradient,
// and draws one histogram per layer of the gradient of the loss with
// respect to the layer's output, ∂loss/∂output: the signal that
// backpropagation sends down into that layer. For a *nn.Sequential there
// is one panel per layer, in order, otherwise one for the whole model.
//
// With sigmoid layers the gradients of the first layers are a narrow spike
// around 0 next to those of the last (vanishing gradients); with ReLU and
// a good initialization they have about the same spread in every layer:
//
//	plotting.GradientHistograms(model, x, y, nn.CrossEntropy).Show()
//
// Like ActivationHistograms it runs in training mode and restores
// BatchNorm's running statistics. It clears the gradients of the
// parameters (dl.ZeroGrad) before and after, so that it leaves no
// gradient behind for an optimizer to step with.
//
// It uses Title, Width and Height of Options; the title is "gradient of
// the loss at each layer's output" unless opts sets it.
//
// GradientHistograms panics if the loss is not a scalar, and where the
// model or the loss panic, for example on shapes that do not fit.
func GradientHistograms(model nn.Module, x, y *dl.Tensor, loss func(yHat, y *dl.Tensor) *dl.Tensor, opts ...Options) *Figure {
	o := options("GradientHistograms", opts, "XLabel", "YLabel", "LogY")
	layers := layerGradients(model, x, y, loss)
	return withOptions(layerHistograms("gradient of the loss at each layer's output", layers), o)
}

// layerValues is what one panel of ActivationHistograms or
// GradientHistograms shows: a layer's name and values.
type layerValues struct {
	name   string    // name and type, such as "2 ReLU" (nn.Layers, nn.TypeName)
	values []float64 // nil when no gradient reached the layer
}

// layerActivations returns the output of each layer of model for x.
func layerActivations(model nn.Module, x *dl.Tensor) []layerValues {
	names, outs := forwardLayers(model, x)
	layers := make([]layerValues, len(outs))
	for i, o := range outs {
		layers[i] = layerValues{name: names[i], values: slices.Clone(o.Data())}
	}
	return layers
}

// layerGradients returns the gradient of loss(model(x), y) with respect to
// the output of each layer of model.
func layerGradients(model nn.Module, x, y *dl.Tensor, loss func(yHat, y *dl.Tensor) *dl.Tensor) []layerValues {
	params := model.Params()
	dl.ZeroGrad(params...)
	defer dl.ZeroGrad(params...)
	// x as a parameter, so that the output of every layer, even of one
	// without parameters at the start, is in the graph and gets a gradient.
	names, outs := forwardLayers(model, dl.Param(x.Clone()))
	for _, o := range outs {
		o.RetainGrad() // Backward keeps only the parameters' gradients otherwise
	}
	l := loss(outs[len(outs)-1], y)
	if l.Len() != 1 {
		panic(fmt.Sprintf("plotting: GradientHistograms: the loss has shape %v; want a scalar (reduce it, e.g. with dl.Mean)", l.Shape()))
	}
	l.Backward()
	layers := make([]layerValues, len(outs))
	for i, o := range outs {
		layers[i] = layerValues{name: names[i], values: slices.Clone(o.Grad())}
	}
	return layers
}

// forwardLayers runs x through the layers of model (one layer unless it is
// a Sequential) in training mode, and returns each layer's name and
// output. It puts the buffers (BatchNorm's running statistics) back as
// they were.
func forwardLayers(model nn.Module, x *dl.Tensor) (names []string, outs []*dl.Tensor) {
	layers := nn.Layers(model)
	if len(layers) == 0 {
		panic("plotting: the model has no layers")
	}
	buffers := nn.Buffers(model)
	saved := make([][]float64, len(buffers))
	for i, b := range buffers {
		saved[i] = slices.Clone(b.Data())
	}
	defer func() {
		for i, b := range buffers {
			copy(b.Data(), saved[i])
		}
	}()
	nn.SetTraining(model, true)
	for _, l := range layers {
		x = l.Module.Forward(x)
		names = append(names, strings.TrimSpace(l.Name+" "+nn.TypeName(l.Module)))
		outs = append(outs, x)
	}
	return names, outs
}

// layerHistograms draws one histogram panel per layer, in rows of up to
// five, with a shared x range.
func layerHistograms(title string, layers []layerValues) *Figure {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, l := range layers {
		for _, v := range l.values {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	switch {
	case lo > hi: // no finite value anywhere
		lo, hi = -1, 1
	case hi-lo < 1e-12*math.Max(1, math.Abs(lo)):
		lo, hi = lo-0.5, hi+0.5
	}
	pad := 0.03 * (hi - lo)
	plots := make([]*plot.Plot, len(layers))
	for i, l := range layers {
		p := histogramPanel(l, (hi-lo)/histogramBins)
		p.X.Min, p.X.Max = lo-pad, hi+pad
		plots[i] = p
	}
	f := gridOf(min(len(layers), 5), plots...)
	f.Title = title
	return f
}

// histogramPanel draws the histogram of one layer's finite values, as
// fractions of its values; minWidth is the width of the bar drawn for
// values that are all the same.
func histogramPanel(l layerValues, minWidth float64) *plot.Plot {
	var vals plotter.Values
	for _, v := range l.values {
		if finite(v) {
			vals = append(vals, v)
		}
	}
	title := l.name
	switch {
	case l.values == nil:
		title += ": no gradient"
	case len(vals) == 0:
		title += ": no finite value"
	default:
		title += ", std " + formatStd(std(vals))
	}
	if bad := len(l.values) - len(vals); bad > 0 && len(vals) > 0 {
		title += fmt.Sprintf(", %d not finite", bad)
	}
	p := newPlot(title, "", "")
	p.Title.TextStyle.Font.Size = labelSize
	p.X.Tick.Marker = fewTicks{}
	p.Y.Min, p.Y.Max = 0, 1
	if len(vals) == 0 {
		return p
	}
	h := fractionHistogram(vals, minWidth)
	h.FillColor = Color(0)
	h.LineStyle = draw.LineStyle{Color: Color(0), Width: vg.Points(0.5)} // so that a narrow bar still shows
	p.Add(h)
	top := 0.0
	for _, b := range h.Bins {
		top = math.Max(top, b.Weight)
	}
	p.Y.Max = top * 1.05
	return p
}

// fractionHistogram returns the histogram of vals (finite, at least one) in
// histogramBins bins whose weights are the fractions of the values in
// them; values that are all the same make one bin of width minWidth
// centred on them.
func fractionHistogram(vals plotter.Values, minWidth float64) *plotter.Histogram {
	var h *plotter.Histogram
	if lo, hi := plotter.Range(vals); hi > lo {
		var err error
		if h, err = plotter.NewHist(vals, histogramBins); err != nil {
			panic("plotting: " + err.Error())
		}
	} else {
		h = &plotter.Histogram{
			Bins:  []plotter.HistogramBin{{Min: lo - minWidth/2, Max: lo + minWidth/2, Weight: float64(len(vals))}},
			Width: minWidth,
		}
	}
	for i := range h.Bins {
		h.Bins[i].Weight /= float64(len(vals))
	}
	return h
}

// fewTicks labels at most four of the ticks of niceTicks, including 0 when
// it is one of them, for the narrow panels of a grid.
type fewTicks struct{}

func (fewTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := niceTicks{}.Ticks(lo, hi)
	k := (len(ticks) + 3) / 4
	if k <= 1 {
		return ticks
	}
	keep := 0 // the index, modulo k, of the ticks to keep
	for i, t := range ticks {
		if t.Value == 0 {
			keep = i % k
		}
	}
	var out []plot.Tick
	for i, t := range ticks {
		if i%k == keep {
			out = append(out, t)
		}
	}
	return out
}

// std is the standard deviation of vs (divided by n).
func std(vs []float64) float64 {
	mean := 0.0
	for _, v := range vs {
		mean += v
	}
	mean /= float64(len(vs))
	s := 0.0
	for _, v := range vs {
		s += (v - mean) * (v - mean)
	}
	return math.Sqrt(s / float64(len(vs)))
}

// formatStd prints a standard deviation with two significant digits.
func formatStd(v float64) string { return fmt.Sprintf("%.2g", v) }
