package unsup_test

import (
	"math"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/internal/gradcheck"
	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/dl/unsup"
)

func TestAutoencoderShapes(t *testing.T) {
	for _, c := range []struct {
		sizes                []int
		encLayers, decLayers int
		tensors, values      int
	}{
		// Linear, ReLU, Linear | Linear, ReLU, Linear, Sigmoid
		{[]int{8, 4, 2}, 3, 4, 8, (8*4 + 4 + 4*2 + 2) + (2*4 + 4 + 4*8 + 8)},
		// Linear | Linear, Sigmoid
		{[]int{5, 3}, 1, 2, 4, (5*3 + 3) + (3*5 + 5)},
		{[]int{64, 32, 16, 2}, 5, 6, 12, 2*(64*32+32*16+16*2) + (32 + 16 + 2) + (16 + 32 + 64)},
	} {
		ae := unsup.NewAutoencoder(newRNG(1), c.sizes...)
		if len(ae.Encoder.Layers) != c.encLayers || len(ae.Decoder.Layers) != c.decLayers {
			t.Errorf("sizes %v: %d encoder and %d decoder layers; want %d and %d",
				c.sizes, len(ae.Encoder.Layers), len(ae.Decoder.Layers), c.encLayers, c.decLayers)
		}
		if _, ok := ae.Decoder.Layers[c.decLayers-1].(nn.Sigmoid); !ok {
			t.Errorf("sizes %v: the decoder ends with %T; want nn.Sigmoid", c.sizes, ae.Decoder.Layers[c.decLayers-1])
		}
		params := ae.Params()
		values := 0
		for _, p := range params {
			values += p.Len()
		}
		if len(params) != c.tensors || values != c.values {
			t.Errorf("sizes %v: %d parameter tensors with %d values; want %d with %d", c.sizes, len(params), values, c.tensors, c.values)
		}

		var m nn.Module = ae // an Autoencoder is a Module
		d, code := c.sizes[0], c.sizes[len(c.sizes)-1]
		x := dl.Randn(newRNG(2), 7, d)
		if got := ae.Encode(x).Shape(); !slices.Equal(got, []int{7, code}) {
			t.Errorf("sizes %v: Encode gives %v; want [7 %d]", c.sizes, got, code)
		}
		y := m.Forward(x)
		if got := y.Shape(); !slices.Equal(got, []int{7, d}) {
			t.Errorf("sizes %v: Forward gives %v; want [7 %d]", c.sizes, got, d)
		}
		for _, v := range y.Data() {
			if !(v > 0 && v < 1) {
				t.Errorf("sizes %v: output %v is not in (0, 1)", c.sizes, v)
				break
			}
		}
		if got := ae.Decode(dl.Zeros(3, code)).Shape(); !slices.Equal(got, []int{3, d}) {
			t.Errorf("sizes %v: Decode gives %v; want [3 %d]", c.sizes, got, d)
		}
	}
}

// tinyImages returns n rows of d values in (0, 1) that depend on 2 hidden
// numbers each, so that a code of 2 can hold them.
func tinyImages(n, d int) *dl.Tensor {
	rng := newRNG(11)
	a, b := make([]float64, d), make([]float64, d)
	for j := range d {
		a[j], b[j] = 2*rng.NormFloat64(), 2*rng.NormFloat64()
	}
	x := make([]float64, 0, n*d)
	for range n {
		u, v := rng.NormFloat64(), rng.NormFloat64()
		for j := range d {
			x = append(x, 1/(1+math.Exp(-(a[j]*u+b[j]*v))))
		}
	}
	return dl.New(x, n, d)
}

func TestAutoencoderLearns(t *testing.T) {
	x := tinyImages(64, 8)
	ae := unsup.NewAutoencoder(newRNG(3), 8, 16, 2)
	before := nn.MSE(ae.Forward(x), x).Item()
	// train.Fit takes [n, d] targets: the input is its own target.
	h, err := train.Fit(ae, data.Set{X: x, Y: x}, train.Config{
		Loss:      nn.MSE,
		Optimizer: &optim.SGD{LR: 0.5, Momentum: 0.9},
		Epochs:    300,
		BatchSize: 16,
		Seed:      1,
	})
	if err != nil {
		t.Fatal(err)
	}
	after := nn.MSE(ae.Forward(x), x).Item()
	t.Logf("reconstruction MSE %.5f → %.5f (history %.5f → %.5f)", before, after, h.Loss[0], h.Loss[len(h.Loss)-1])
	if after > before/5 {
		t.Errorf("reconstruction MSE went from %.5f to %.5f; want it at least 5 times smaller", before, after)
	}
}

func TestAutoencoderGradient(t *testing.T) {
	x := tinyImages(4, 5)
	ae := unsup.NewAutoencoder(newRNG(4), 5, 3, 2)
	// The biases start at 0, so a row whose hidden units are all off gets
	// a code of exactly 0, on the kink of the next ReLU, where finite
	// differences disagree with any one-sided derivative. Random biases
	// move the check away from the kinks.
	rng := newRNG(5)
	for _, p := range ae.Params() {
		for i := range p.Data() {
			p.Data()[i] += 0.3 * rng.NormFloat64()
		}
	}
	loss := func() *dl.Tensor { return nn.MSE(ae.Forward(x), x) }
	gradcheck.Check(t, loss, ae.Params()...)
}

func TestAutoencoderPanics(t *testing.T) {
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"one size", "sizes [4]; want at least 2", func() { unsup.NewAutoencoder(newRNG(1), 4) }},
		{"zero size", "sizes [4 0 2]; each must be at least 1", func() { unsup.NewAutoencoder(newRNG(1), 4, 0, 2) }},
		{"nil rng", "rng is nil", func() { unsup.NewAutoencoder(nil, 4, 2) }},
	} {
		t.Run(c.name, func(t *testing.T) { testutil.Panics(t, "unsup: NewAutoencoder: "+c.want, c.f) })
	}
}

// An Autoencoder names its tensors through its two halves, as a file that
// train.Save writes holds them.
func TestAutoencoderNames(t *testing.T) {
	ae := unsup.NewAutoencoder(newRNG(2), 4, 3, 2)
	var names []string
	for _, p := range nn.NamedParams(ae) {
		names = append(names, p.Name)
	}
	want := []string{"Encoder.0.W", "Encoder.0.B", "Encoder.2.W", "Encoder.2.B", "Decoder.0.W", "Decoder.0.B", "Decoder.2.W", "Decoder.2.B"}
	if !slices.Equal(names, want) {
		t.Errorf("NamedParams: %q; want %q", names, want)
	}
}
