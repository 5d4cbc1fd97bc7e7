package dl

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestPool2DForward(t *testing.T) {
	// One 4×5 plane: 0 1 2 3 4 / 5 6 7 8 9 / ...
	x := New([]float64{
		0, 1, 2, 3, 4,
		5, 6, 7, 8, 9,
		10, 11, 12, 13, 14,
		15, 16, 17, 18, 19,
	}, 1, 1, 4, 5)
	for _, c := range []struct {
		name         string
		f            func(*Tensor, int, int) *Tensor
		size, stride int
		shape        []int
		want         []float64
	}{
		{"MaxPool2D 2", MaxPool2D, 2, 0, []int{1, 1, 2, 2}, []float64{6, 8, 16, 18}},
		{"MaxPool2D 2 stride 1", MaxPool2D, 2, 1, []int{1, 1, 3, 4}, []float64{6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 18, 19}},
		{"MaxPool2D 3 stride 2", MaxPool2D, 3, 2, []int{1, 1, 1, 2}, []float64{12, 14}},
		{"AvgPool2D 2", AvgPool2D, 2, 0, []int{1, 1, 2, 2}, []float64{3, 5, 13, 15}},
		{"AvgPool2D 3 stride 2", AvgPool2D, 3, 2, []int{1, 1, 1, 2}, []float64{6, 8}},
		{"AvgPool2D whole", AvgPool2D, 4, 1, []int{1, 1, 1, 2}, []float64{9, 10}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := c.f(x, c.size, c.stride)
			if !slices.Equal(got.Shape(), c.shape) || !slices.Equal(got.Data(), c.want) {
				t.Errorf("got %v %v, want %v %v", got.Shape(), got.Data(), c.shape, c.want)
			}
		})
	}
}

func TestPool2DGradients(t *testing.T) { runGradCases(t, 5, poolGradCases) }

// poolGradCases are the gradient checks of MaxPool2D and AvgPool2D.
func poolGradCases(rng *rand.Rand) []gradCase {
	var cases []gradCase
	for _, p := range []struct {
		name         string
		shape        []int
		size, stride int
	}{
		{"2", []int{2, 2, 4, 4}, 2, 0},
		{"2 stride 1", []int{1, 2, 4, 5}, 2, 1},
		{"3 stride 2", []int{2, 1, 5, 6}, 3, 2},
		{"2 stride 3", []int{1, 1, 5, 5}, 2, 3},
		{"random", []int{1 + rng.IntN(2), 1 + rng.IntN(3), 3 + rng.IntN(3), 3 + rng.IntN(3)}, 2 + rng.IntN(2), 1 + rng.IntN(2)},
	} {
		cases = append(cases,
			gradCase{name: "MaxPool2D " + p.name, shapes: [][]int{p.shape}, draw: []func(*rand.Rand) float64{distinctNoTies(p.shape)},
				f: func(in []*Tensor) *Tensor { return MaxPool2D(in[0], p.size, p.stride) }},
			gradCase{name: "AvgPool2D " + p.name, shapes: [][]int{p.shape},
				f: func(in []*Tensor) *Tensor { return AvgPool2D(in[0], p.size, p.stride) }})
	}
	return cases
}

// distinctNoTies returns a draw that gives every element of a tensor of
// the given shape its own value, spaced 0.01 apart in a random order, so
// that no pooling window has a tie.
func distinctNoTies(shape []int) func(*rand.Rand) float64 {
	var vals []float64
	return func(rng *rand.Rand) float64 {
		if len(vals) == 0 {
			vals = make([]float64, numel(shape))
			for i, j := range rng.Perm(len(vals)) {
				vals[i] = float64(j) / 100
			}
		}
		v := vals[0]
		vals = vals[1:]
		return v
	}
}

func TestMaxPool2DTies(t *testing.T) {
	x := Param(New([]float64{1, 3, 3, 0}, 1, 1, 2, 2))
	Sum(MaxPool2D(x, 2, 0)).Backward()
	if want := []float64{0, 1, 0, 0}; !slices.Equal(x.Grad(), want) {
		t.Errorf("gradient %v, want %v: all to the first largest", x.Grad(), want)
	}
}

// TestMaxPool2DChoice compares the branch-free choice of MaxPool2D, in
// the 2×2 path and the general one, with a plain loop, on data full of
// ties and NaNs: the gradient must reach the first largest element of each
// window, or its first NaN.
func TestMaxPool2DChoice(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, c := range []struct{ size, stride int }{{2, 2}, {3, 2}, {2, 1}} {
		shape := []int{2, 3, 7, 8}
		data := make([]float64, numel(shape))
		for i := range data {
			switch rng.IntN(8) {
			case 0:
				data[i] = math.NaN()
			default:
				data[i] = float64(rng.IntN(3)) // many ties
			}
		}
		x := Param(New(data, shape...))
		Sum(MaxPool2D(x, c.size, c.stride)).Backward()
		want := make([]float64, len(data))
		h, w := shape[2], shape[3]
		oh, ow := (h-c.size)/c.stride+1, (w-c.size)/c.stride+1
		for plane := range shape[0] * shape[1] {
			for oy := range oh {
				for ox := range ow {
					at := -1
					for i := range c.size {
						for j := range c.size {
							k := plane*h*w + (oy*c.stride+i)*w + ox*c.stride + j
							switch v := data[k]; {
							case at < 0:
								at = k
							case math.IsNaN(data[at]):
							case math.IsNaN(v) || v > data[at]:
								at = k
							}
						}
					}
					want[at]++
				}
			}
		}
		if !slices.Equal(x.Grad(), want) {
			t.Errorf("size %d stride %d: gradient %v, want %v", c.size, c.stride, x.Grad(), want)
		}
	}
}
