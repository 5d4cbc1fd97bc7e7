package loops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// refIndex returns, the slow and obvious way, the index in a tensor of
// shape in of the element under element i of the broadcast shape out:
// the coordinates of i, lined up from the last dimension, with 0 where in
// has size 1 or no dimension.
func refIndex(in, out []int, i int) int {
	coord := make([]int, len(out))
	for d := len(out) - 1; d >= 0; d-- {
		coord[d] = i % out[d]
		i /= out[d]
	}
	idx := 0
	for k, n := range in {
		c := coord[len(out)-len(in)+k]
		if n == 1 {
			c = 0
		}
		idx = idx*n + c
	}
	return idx
}

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}

// TestBroadcast checks Forward, GradA and GradB against a loop over every
// output element with refIndex, for the blocked shapes (same shape, a
// repeating bias or scalar, periods shorter and longer than a block, many
// blocks split across the CPUs) and for the indexed ones.
func TestBroadcast(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct{ a, b, out []int }{
		{[]int{300, 700}, []int{300, 700}, []int{300, 700}},
		{[]int{300, 700}, []int{700}, []int{300, 700}},
		{[]int{700}, []int{300, 700}, []int{300, 700}},
		{[]int{200, 1000}, []int{1, 1000}, []int{200, 1000}},
		{[]int{5000, 7}, []int{7}, []int{5000, 7}},
		{[]int{64, 64}, []int{}, []int{64, 64}},
		{[]int{}, []int{}, []int{}},
		{[]int{3, 1}, []int{1, 4}, []int{3, 4}},
		{[]int{2, 3, 4}, []int{3, 1}, []int{2, 3, 4}},
		{[]int{300, 1}, []int{300, 700}, []int{300, 700}},
		{[]int{0, 3}, []int{3}, []int{0, 3}},
	} {
		t.Run(fmt.Sprintf("%v and %v", c.a, c.b), func(t *testing.T) {
			a, b := randSlice(rng, numel(c.a)), randSlice(rng, numel(c.b))
			n := numel(c.out)
			g := randSlice(rng, n)
			p := NewBroadcast(a, c.a, b, c.b, c.out)

			out := make([]float64, n)
			p.Forward(out, func(out, a, b []float64) {
				for i := range out {
					out[i] = 10*a[i] + b[i]
				}
			})
			ga, gb := make([]float64, len(a)), make([]float64, len(b))
			p.GradA(ga, g, func(ga, g, _, b []float64) {
				for i := range g {
					ga[i] += g[i] * b[i]
				}
			})
			p.GradB(gb, g, func(gb, g, a, _ []float64) {
				for i := range g {
					gb[i] += g[i] * a[i]
				}
			})
			p.GradA(nil, g, func(_, _, _, _ []float64) { t.Error("GradA called d for a nil gradient") })

			wantOut := make([]float64, n)
			wantGA, wantGB := make([]float64, len(a)), make([]float64, len(b))
			for i := range n {
				j, k := refIndex(c.a, c.out, i), refIndex(c.b, c.out, i)
				wantOut[i] = 10*a[j] + b[k]
				wantGA[j] += g[i] * b[k]
				wantGB[k] += g[i] * a[j]
			}
			if !slices.Equal(out, wantOut) {
				t.Errorf("Forward differs from the element-by-element loop")
			}
			for _, s := range []struct {
				name      string
				got, want []float64
			}{{"GradA", ga, wantGA}, {"GradB", gb, wantGB}} {
				for i := range s.want {
					if math.Abs(s.got[i]-s.want[i]) > 1e-9*max(1, math.Abs(s.want[i])) {
						t.Errorf("%s[%d] = %v, want %v", s.name, i, s.got[i], s.want[i])
						break
					}
				}
			}
		})
	}
}

// TestAddWhereNonzero checks that g passes exactly where y is not +0,
// NaN and infinities included, and that dst is added to, not set.
func TestAddWhereNonzero(t *testing.T) {
	y := []float64{0, 1, 2.5, 0, math.NaN(), math.Inf(1), 1e-300, 0}
	g := []float64{1, 2, -3, 4, 5, 6, 7, math.NaN()}
	dst := []float64{10, 10, 10, 10, 10, 10, 10, 10}
	AddWhereNonzero(dst, g, y)
	want := []float64{10, 12, 7, 10, 15, 16, 17, 10}
	if !slices.Equal(dst, want) {
		t.Errorf("AddWhereNonzero gives %v, want %v", dst, want)
	}
}

// TestPoolArgmax checks Argmax against a plain scan of each window, on
// data with many ties and some NaN, for the unrolled 2×2 windows and the
// general ones.
func TestPoolArgmax(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct{ h, w, size, stride int }{{8, 6, 2, 2}, {7, 9, 2, 2}, {7, 7, 3, 2}, {6, 5, 2, 1}, {5, 5, 5, 1}} {
		p := Pool{H: c.h, W: c.w, Size: c.size, Stride: c.stride,
			OH: (c.h-c.size)/c.stride + 1, OW: (c.w-c.size)/c.stride + 1}
		const base = 3 // the plane starts after three other values
		x := make([]float64, base+c.h*c.w)
		for i := range x {
			x[i] = float64(rng.IntN(4))
			if rng.IntN(20) == 0 {
				x[i] = math.NaN()
			}
		}
		idx := make([]int, p.OH*p.OW)
		p.Argmax(x, base, idx)
		for oy := range p.OH {
			for ox := range p.OW {
				want := -1
				for i := range c.size {
					for j := range c.size {
						k := base + (oy*c.stride+i)*c.w + ox*c.stride + j
						if want < 0 || x[k] > x[want] || math.IsNaN(x[k]) && !math.IsNaN(x[want]) {
							want = k
						}
					}
				}
				if got := idx[oy*p.OW+ox]; got != want {
					t.Errorf("%+v: window (%d, %d): Argmax %d (%v), want %d (%v)", c, oy, ox, got, x[got], want, x[want])
				}
			}
		}
	}
}

// TestConvIm2col checks Im2col against the definition, element by
// element, and Col2im as its adjoint: ⟨Im2col(x), c⟩ = ⟨x, Col2im(c)⟩,
// which is what makes Col2im the backward pass of Im2col.
func TestConvIm2col(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range []Conv{
		{Cin: 2, H: 5, W: 6, KH: 3, KW: 3, Stride: 1, Pad: 0},
		{Cin: 2, H: 5, W: 6, KH: 3, KW: 3, Stride: 1, Pad: 1},
		{Cin: 3, H: 7, W: 5, KH: 3, KW: 2, Stride: 2, Pad: 1},
		{Cin: 1, H: 4, W: 4, KH: 4, KW: 4, Stride: 1, Pad: 2},
	} {
		c.OH, c.OW = (c.H+2*c.Pad-c.KH)/c.Stride+1, (c.W+2*c.Pad-c.KW)/c.Stride+1
		img := randSlice(rng, c.Cin*c.H*c.W)
		k, l := c.Cin*c.KH*c.KW, c.OH*c.OW
		cols := randSlice(rng, k*l) // Im2col must overwrite all of it
		c.Im2col(img, cols)
		for ch := range c.Cin {
			for ki := range c.KH {
				for kj := range c.KW {
					r := (ch*c.KH+ki)*c.KW + kj
					for oy := range c.OH {
						for ox := range c.OW {
							iy, ix := oy*c.Stride-c.Pad+ki, ox*c.Stride-c.Pad+kj
							want := 0.0
							if iy >= 0 && iy < c.H && ix >= 0 && ix < c.W {
								want = img[(ch*c.H+iy)*c.W+ix]
							}
							if got := cols[r*l+oy*c.OW+ox]; got != want {
								t.Fatalf("%+v: cols[%d, %d] = %v, want %v", c, r, oy*c.OW+ox, got, want)
							}
						}
					}
				}
			}
		}
		dcols := randSlice(rng, k*l)
		dimg := make([]float64, len(img))
		c.Col2im(dcols, dimg)
		var lhs, rhs float64
		for i := range cols {
			lhs += cols[i] * dcols[i]
		}
		for i := range img {
			rhs += img[i] * dimg[i]
		}
		if math.Abs(lhs-rhs) > 1e-9*max(1, math.Abs(lhs)) {
			t.Errorf("%+v: ⟨Im2col(x), c⟩ = %v but ⟨x, Col2im(c)⟩ = %v", c, lhs, rhs)
		}
	}
}

// TestOffsets checks Strides and Offsets on a permutation and a
// broadcast.
func TestOffsets(t *testing.T) {
	if got := Strides([]int{2, 3, 4}); !slices.Equal(got, []int{12, 4, 1}) {
		t.Errorf("Strides([2 3 4]) = %v", got)
	}
	// The transpose of a [2 3] matrix, read with its strides swapped.
	if got := Offsets([]int{3, 2}, []int{1, 3}); !slices.Equal(got, []int{0, 3, 1, 4, 2, 5}) {
		t.Errorf("Offsets for a transpose = %v", got)
	}
	// A row [3] repeated twice, with a stride of 0.
	if got := Offsets([]int{2, 3}, []int{0, 1}); !slices.Equal(got, []int{0, 1, 2, 0, 1, 2}) {
		t.Errorf("Offsets for a broadcast = %v", got)
	}
	if got := Offsets([]int{}, []int{}); !slices.Equal(got, []int{0}) {
		t.Errorf("Offsets for a scalar = %v", got)
	}
}
