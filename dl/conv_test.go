package dl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// naiveConv2D is Conv2D as a direct loop over every output and kernel
// element, to check the im2col version against.
func naiveConv2D(x, w, b *Tensor, stride, pad, groups int) []float64 {
	batch, cin, h, wd := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	cout, cpg, kh, kw := w.shape[0], w.shape[1], w.shape[2], w.shape[3]
	oh, ow := (h+2*pad-kh)/stride+1, (wd+2*pad-kw)/stride+1
	coutG := cout / groups
	out := make([]float64, batch*cout*oh*ow)
	for n := range batch {
		for co := range cout {
			g := co / coutG
			for oy := range oh {
				for ox := range ow {
					s := 0.0
					if b != nil {
						s = b.data[co]
					}
					for c := range cpg {
						ci := g*cpg + c
						for i := range kh {
							for j := range kw {
								iy, ix := oy*stride-pad+i, ox*stride-pad+j
								if iy < 0 || iy >= h || ix < 0 || ix >= wd {
									continue
								}
								s += x.data[((n*cin+ci)*h+iy)*wd+ix] * w.data[((co*cpg+c)*kh+i)*kw+j]
							}
						}
					}
					out[((n*cout+co)*oh+oy)*ow+ox] = s
				}
			}
		}
	}
	return out
}

// convCase is one convolution: its input and weight shapes and options.
type convCase struct {
	name string
	x, w []int
	bias bool
	opt  ConvOptions
}

// convCases returns fixed cases for each option and a few random ones.
func convCases(rng *rand.Rand) []convCase {
	cases := []convCase{
		{"plain", []int{2, 2, 5, 5}, []int{3, 2, 3, 3}, false, ConvOptions{}},
		{"bias", []int{2, 2, 5, 5}, []int{3, 2, 3, 3}, true, ConvOptions{}},
		{"stride 2", []int{1, 2, 6, 5}, []int{2, 2, 3, 2}, true, ConvOptions{Stride: 2}},
		{"padding 1", []int{2, 1, 4, 4}, []int{2, 1, 3, 3}, true, ConvOptions{Padding: 1}},
		{"groups 2", []int{2, 4, 4, 4}, []int{6, 2, 2, 2}, true, ConvOptions{Groups: 2}},
		{"all options", []int{2, 4, 5, 6}, []int{4, 2, 3, 3}, true, ConvOptions{Stride: 2, Padding: 1, Groups: 2}},
		{"1x1 kernel", []int{1, 3, 3, 3}, []int{2, 3, 1, 1}, false, ConvOptions{}},
		{"kernel in padding", []int{1, 1, 2, 2}, []int{1, 1, 4, 4}, true, ConvOptions{Padding: 1}},
	}
	for i := range 4 {
		groups := 1 + rng.IntN(2)
		kh, kw := 1+rng.IntN(3), 1+rng.IntN(3)
		cases = append(cases, convCase{
			name: fmt.Sprintf("random %d", i),
			x:    []int{1 + rng.IntN(2), groups * (1 + rng.IntN(2)), kh + rng.IntN(4), kw + rng.IntN(4)},
			w:    []int{groups * (1 + rng.IntN(2)), 0, kh, kw},
			bias: rng.IntN(2) == 0,
			opt:  ConvOptions{Stride: 1 + rng.IntN(2), Padding: rng.IntN(2), Groups: groups},
		})
		c := &cases[len(cases)-1]
		c.w[1] = c.x[1] / groups
	}
	return cases
}

func TestConv2DForward(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range convCases(rng) {
		t.Run(c.name, func(t *testing.T) {
			x, w := Randn(rng, c.x...), Randn(rng, c.w...)
			var b *Tensor
			if c.bias {
				b = Randn(rng, c.w[0])
			}
			got := Conv2D(x, w, b, c.opt)
			stride, groups := max(c.opt.Stride, 1), max(c.opt.Groups, 1)
			want := naiveConv2D(x, w, b, stride, c.opt.Padding, groups)
			oh := (c.x[2]+2*c.opt.Padding-c.w[2])/stride + 1
			ow := (c.x[3]+2*c.opt.Padding-c.w[3])/stride + 1
			if s := got.Shape(); len(s) != 4 || s[0] != c.x[0] || s[1] != c.w[0] || s[2] != oh || s[3] != ow {
				t.Fatalf("shape %v, want [%d %d %d %d]", s, c.x[0], c.w[0], oh, ow)
			}
			for i, v := range got.Data() {
				if math.Abs(v-want[i]) > 1e-12 {
					t.Fatalf("element %d: %v, want %v", i, v, want[i])
				}
			}
		})
	}
}

func TestConv2DGradients(t *testing.T) { runGradCases(t, 3, convGradCases) }

// convGradCases are the gradient checks of Conv2D, one for each of
// convCases.
func convGradCases(rng *rand.Rand) []gradCase {
	var cases []gradCase
	for _, c := range convCases(rng) {
		shapes := [][]int{c.x, c.w}
		if c.bias {
			shapes = append(shapes, []int{c.w[0]})
		}
		gc := gradCase{name: "Conv2D " + c.name, shapes: shapes, f: func(in []*Tensor) *Tensor {
			var b *Tensor
			if len(in) == 3 {
				b = in[2]
			}
			return Conv2D(in[0], in[1], b, c.opt)
		}}
		cases = append(cases, gc)
	}
	return cases
}

// BenchmarkConv2D times the forward and backward pass of a 3×3
// convolution of a batch of 64 MNIST-sized images to 8 channels.
func BenchmarkConv2D(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := Randn(rng, 64, 1, 28, 28)
	w := Param(Mul(Randn(rng, 8, 1, 3, 3), Scalar(0.3)))
	bias := Param(Zeros(8))
	b.ReportAllocs()
	for b.Loop() {
		ZeroGrad(w, bias)
		Sum(Conv2D(x, w, bias, ConvOptions{Padding: 1})).Backward()
	}
}
