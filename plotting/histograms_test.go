package plotting

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/internal/testutil"
)

// linearOut computes x·W + B for x [n, in] with plain loops.
func linearOut(x []float64, l *nn.Linear) []float64 {
	in, out := l.W.Shape()[0], l.W.Shape()[1]
	n := len(x) / in
	y := make([]float64, n*out)
	for i := range n {
		for j := range out {
			s := l.B.Data()[j]
			for k := range in {
				s += x[i*in+k] * l.W.Data()[k*out+j]
			}
			y[i*out+j] = s
		}
	}
	return y
}

// near reports whether a and b are equal to a relative 1e-12.
func near(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12*math.Max(1, math.Abs(b[i])) {
			return false
		}
	}
	return true
}

func TestLayerActivationsAndGradients(t *testing.T) {
	rng := newRNG(30)
	l1, l2 := nn.NewLinear(rng, 3, 4), nn.NewLinear(rng, 4, 2)
	model := nn.NewSequential(l1, nn.Tanh{}, l2)
	x, y := dl.Randn(rng, 5, 3), dl.Randn(rng, 5, 2)

	// Activations, computed by hand.
	a0 := linearOut(x.Data(), l1)
	a1 := make([]float64, len(a0))
	for i, v := range a0 {
		a1[i] = math.Tanh(v)
	}
	a2 := linearOut(a1, l2)
	acts := layerActivations(model, x)
	want := []layerValues{{"0 Linear", a0}, {"1 Tanh", a1}, {"2 Linear", a2}}
	if len(acts) != len(want) {
		t.Fatalf("%d layers of activations, want %d", len(acts), len(want))
	}
	for i, w := range want {
		if acts[i].name != w.name || !near(acts[i].values, w.values) {
			t.Errorf("layer %d: %q %v\nwant %q %v", i, acts[i].name, acts[i].values, w.name, w.values)
		}
	}

	// Gradients of the MSE, mean over the 10 outputs, by hand.
	g2 := make([]float64, len(a2))
	for i := range g2 {
		g2[i] = 2 * (a2[i] - y.Data()[i]) / float64(len(a2))
	}
	g1 := make([]float64, len(a1)) // g2 · W2ᵀ
	for i := range 5 {
		for k := range 4 {
			for j := range 2 {
				g1[i*4+k] += g2[i*2+j] * l2.W.Data()[k*2+j]
			}
		}
	}
	g0 := make([]float64, len(a0))
	for i := range g0 {
		g0[i] = g1[i] * (1 - a1[i]*a1[i])
	}
	grads := layerGradients(model, x, y, nn.MSE)
	for i, w := range [][]float64{g0, g1, g2} {
		if grads[i].name != want[i].name || !near(grads[i].values, w) {
			t.Errorf("gradient at layer %d: %q %v\nwant %v", i, grads[i].name, grads[i].values, w)
		}
	}
	for _, p := range model.Params() {
		if p.Grad() != nil {
			t.Error("GradientHistograms left gradients on the parameters")
		}
	}
	if x.RequiresGrad() {
		t.Error("the input became a parameter")
	}
}

// The pictures of a deep network: a Sequential gets one panel per layer,
// BatchNorm's running statistics stay as they were, and sigmoid layers
// show vanishing gradients.
func TestActivationAndGradientHistograms(t *testing.T) {
	rng := newRNG(31)
	bn := nn.NewBatchNorm(16)
	var layers []nn.Module
	layers = append(layers, nn.NewLinear(rng, 8, 16), bn, nn.Sigmoid{})
	for range 4 {
		layers = append(layers, nn.NewLinear(rng, 16, 16), nn.Sigmoid{})
	}
	layers = append(layers, nn.NewDropout(rng, 0.1), nn.NewLinear(rng, 16, 3))
	model := nn.NewSequential(layers...)
	x := dl.Randn(rng, 64, 8)
	y := dl.Zeros(64)
	for i := range y.Data() {
		y.Data()[i] = float64(i % 3)
	}
	mean, variance := slices.Clone(bn.RunningMean), slices.Clone(bn.RunningVar)

	for _, tt := range []struct {
		name, title string
		fig         *Figure
	}{
		{"histograms-activations", "activations of each layer", ActivationHistograms(model, x)},
		{"histograms-gradients", "gradient of the loss at each layer", GradientHistograms(model, x, y, nn.CrossEntropy)},
	} {
		panels := 0
		for _, row := range tt.fig.Plots {
			for _, p := range row {
				if p != nil {
					panels++
				}
			}
		}
		if panels != len(layers) || len(tt.fig.Plots[0]) != 5 {
			t.Errorf("%s: %d panels in rows of %d; want %d in rows of 5", tt.name, panels, len(tt.fig.Plots[0]), len(layers))
		}
		img, svg := saved(t, tt.name, tt.fig)
		if n := colours(img); n < 8 {
			t.Errorf("%s: PNG has %d colours; it looks blank", tt.name, n)
		}
		for _, s := range []string{tt.title, "0 Linear, std ", "1 BatchNorm, std ", "12 Linear, std ", "11 Dropout, std "} {
			if !strings.Contains(svg, s) {
				t.Errorf("%s: SVG lacks %q", tt.name, s)
			}
		}
	}
	if !slices.Equal(bn.RunningMean, mean) || !slices.Equal(bn.RunningVar, variance) {
		t.Error("the histograms changed BatchNorm's running statistics")
	}

	// Vanishing gradients: each sigmoid multiplies the gradient by at most
	// 1/4, so the first layers get far smaller gradients than the last.
	grads := layerGradients(model, x, y, nn.CrossEntropy)
	first, last := std(grads[0].values), std(grads[len(grads)-1].values)
	if !(first < last/20) {
		t.Errorf("std of the gradient at the first layer %v, at the last %v; want it far smaller", first, last)
	}
	// Options: the title and size of the whole figure.
	if f := GradientHistograms(model, x, y, nn.CrossEntropy, Options{Title: "sigmoids", Width: 900}); f.Title != "sigmoids" || f.Width != 900 {
		t.Errorf("GradientHistograms with Options: title %q, width %d", f.Title, f.Width)
	}
	testutil.Panics(t, "plotting: ActivationHistograms: Options.XLabel is not used by this figure", func() {
		ActivationHistograms(model, x, Options{XLabel: "value"})
	})
	// The panels share the x axis.
	f := ActivationHistograms(model, x)
	p0, p1 := f.Plots[0][0], f.Plots[1][2]
	if p0.X.Min != p1.X.Min || p0.X.Max != p1.X.Max {
		t.Errorf("x ranges [%v %v] and [%v %v] differ", p0.X.Min, p0.X.Max, p1.X.Min, p1.X.Max)
	}
}

func TestHistogramPanels(t *testing.T) {
	// A non-Sequential model is one panel, titled with its type alone (it
	// has no name, as in train.Summary).
	rng := newRNG(32)
	f := ActivationHistograms(nn.NewLinear(rng, 2, 3), dl.Randn(rng, 4, 2))
	if len(f.Plots) != 1 || len(f.Plots[0]) != 1 || !strings.HasPrefix(f.Plots[0][0].Title.Text, "Linear, std ") {
		t.Errorf("a Linear gives %d rows, first title %q", len(f.Plots), f.Plots[0][0].Title.Text)
	}
	// Dead layers, no gradient, values that are not finite: every panel
	// still draws.
	layers := []layerValues{
		{"0 ReLU", []float64{0, 0, 0, 0}},
		{"1 Flatten", nil},
		{"2 Linear", []float64{math.NaN(), 1, 2, math.Inf(1)}},
		{"3 Linear", []float64{math.NaN()}},
	}
	f = layerHistograms("t", layers)
	img, svg := saved(t, "histograms-edge", f)
	if n := colours(img); n < 4 {
		t.Errorf("PNG has %d colours; it looks blank", n)
	}
	for _, s := range []string{"0 ReLU, std 0", "1 Flatten: no gradient", "2 Linear, std 0.5, 2 not finite", "3 Linear: no finite value"} {
		if !strings.Contains(svg, s) {
			t.Errorf("SVG lacks %q", s)
		}
	}
	// The heights are fractions of the values: 3 of 7 values are 3.
	h := fractionHistogram([]float64{1, 2, 2, 3, 3, 3, 10}, 0.1)
	sum := 0.0
	for _, b := range h.Bins {
		sum += b.Weight
		if b.Min <= 3 && 3 < b.Max && b.Weight != 3.0/7 {
			t.Errorf("the bin of 3, [%v %v), has height %v; want 3/7", b.Min, b.Max, b.Weight)
		}
	}
	if len(h.Bins) != histogramBins || math.Abs(sum-1) > 1e-12 || h.Bins[0].Min != 1 || h.Bins[histogramBins-1].Max != 10 {
		t.Errorf("%d bins from %v to %v summing to %v; want %d from 1 to 10 summing to 1",
			len(h.Bins), h.Bins[0].Min, h.Bins[len(h.Bins)-1].Max, sum, histogramBins)
	}
	h = fractionHistogram([]float64{2, 2}, 0.1)
	if len(h.Bins) != 1 || h.Bins[0].Weight != 1 || math.Abs(h.Bins[0].Min-1.95) > 1e-12 || math.Abs(h.Bins[0].Max-2.05) > 1e-12 {
		t.Errorf("equal values give bins %v; want one [1.95 2.05] of height 1", h.Bins)
	}

	testutil.Panics(t, "plotting: GradientHistograms: the loss has shape [4 3]; want a scalar", func() {
		GradientHistograms(nn.NewLinear(rng, 2, 3), dl.Randn(rng, 4, 2), dl.Zeros(4, 3),
			func(yHat, y *dl.Tensor) *dl.Tensor { return dl.Sub(yHat, y) })
	})
	testutil.Panics(t, "plotting: the model has no layers", func() { ActivationHistograms(nn.NewSequential(), dl.Zeros(1, 2)) })
}
