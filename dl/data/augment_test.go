package data_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

// plus returns n images of c channels of 5×5 pixels, each a "+" of ones
// through the centre (row 2 and column 2) scaled by its image and channel
// number, in shape.
func plus(n, c int, shape ...int) *dl.Tensor {
	x := make([]float64, n*c*25)
	for i := range n * c {
		for k := range 5 {
			x[i*25+2*5+k] = float64(i + 1)
			x[i*25+k*5+2] = float64(i + 1)
		}
	}
	return dl.New(x, shape...)
}

// centre finds the crossing of a "+" in a 5×5 image moved by up to 2
// pixels: the row and the column with the most ink, at least 3 pixels
// each (the others have 1); -1 when there is none.
func centre(img []float64) (row, col int) {
	row, col = -1, -1
	bestR, bestC := 2, 2
	for k := range 5 {
		r, c := 0, 0
		for j := range 5 {
			if img[k*5+j] != 0 {
				r++
			}
			if img[j*5+k] != 0 {
				c++
			}
		}
		if r > bestR {
			row, bestR = k, r
		}
		if c > bestC {
			col, bestC = k, c
		}
	}
	return row, col
}

func abs(a int) int { return max(a, -a) }

func TestRandomShift(t *testing.T) {
	const n, c = 200, 2
	x := plus(n, c, n, c, 5, 5)
	orig := x.Clone()
	out := data.RandomShift(x, 5, 5, 2, newRNG(1))
	if !slices.Equal(out.Shape(), x.Shape()) {
		t.Fatalf("shape %v, want %v", out.Shape(), x.Shape())
	}
	if !slices.Equal(x.Data(), orig.Data()) {
		t.Fatalf("RandomShift changed its input")
	}
	shifts := make(map[[2]int]int)
	d := out.Data()
	for i := range n {
		var first [2]int
		for ch := range c {
			img := d[(i*c+ch)*25 : (i*c+ch+1)*25]
			row, col := centre(img)
			if row < 0 || col < 0 {
				t.Fatalf("image %d channel %d: no + to be found: %v", i, ch, img)
			}
			dy, dx := row-2, col-2
			if ch == 0 {
				first = [2]int{dy, dx}
				shifts[first]++
			} else if first != [2]int{dy, dx} {
				t.Errorf("image %d: channel 0 moved by %v, channel %d by [%d %d]; want the same", i, first, ch, dy, dx)
			}
			// The rest of the image: the moved "+" and zeros, with the
			// image's value; nothing else.
			ones := 0
			for _, v := range img {
				if v != 0 && v != float64(i*c+ch+1) {
					t.Fatalf("image %d channel %d: pixel %v, want 0 or %d", i, ch, v, i*c+ch+1)
				}
				if v != 0 {
					ones++
				}
			}
			// The full row keeps 5-|dx| pixels, the full column 5-|dy|, and
			// they share one.
			if want := 9 - abs(dx) - abs(dy); ones != want {
				t.Errorf("image %d channel %d moved by (%d, %d): %d ink pixels, want %d", i, ch, dy, dx, ones, want)
			}
		}
	}
	// Shifts by -2..2 in both directions: 25 of them, all drawn.
	if len(shifts) != 25 {
		t.Errorf("%d different shifts in 200 images, want all 25 of -2..2 × -2..2: %v", len(shifts), shifts)
	}

	// A known shift: find an image moved by (1, -2) and check its pixels.
	for i := range n {
		img := d[i*c*25 : i*c*25+25]
		if row, col := centre(img); row == 3 && col == 0 {
			v := float64(i*c + 1)
			want := make([]float64, 25)
			for k := range 3 {
				want[3*5+k] = v // row 2 moved to row 3, its right 2 pixels gone
			}
			for k := 1; k < 5; k++ {
				want[k*5+0] = v // column 2 moved to column 0, its bottom pixel gone
			}
			if !slices.Equal(img, want) {
				t.Errorf("image %d shifted by (1, -2): %v, want %v", i, img, want)
			}
			break
		}
	}

	// Same seed, same result; another seed, another; k = 0 copies; [n, h*w]
	// works as [n, 1, h, w].
	if again := data.RandomShift(x, 5, 5, 2, newRNG(1)); !slices.Equal(again.Data(), d) {
		t.Errorf("the same seed gave another result")
	}
	if other := data.RandomShift(x, 5, 5, 2, newRNG(2)); slices.Equal(other.Data(), d) {
		t.Errorf("another seed gave the same result")
	}
	if same := data.RandomShift(x, 5, 5, 0, newRNG(1)); !slices.Equal(same.Data(), x.Data()) || &same.Data()[0] == &x.Data()[0] {
		t.Errorf("k = 0: want a copy of x")
	}
	flat := data.RandomShift(plus(3, 1, 3, 25), 5, 5, 1, newRNG(4))
	square := data.RandomShift(plus(3, 1, 3, 1, 5, 5), 5, 5, 1, newRNG(4))
	if !slices.Equal(flat.Shape(), []int{3, 25}) || !slices.Equal(flat.Data(), square.Data()) {
		t.Errorf("[n, h*w] gave %v, not the same as [n, 1, h, w]", flat.Shape())
	}
	if empty := data.RandomShift(dl.Zeros(0, 25), 5, 5, 1, newRNG(1)); !slices.Equal(empty.Shape(), []int{0, 25}) {
		t.Errorf("no images: shape %v", empty.Shape())
	}

	rng := newRNG(1)
	testutil.Panics(t, "data: RandomShift: shift k = -1", func() { data.RandomShift(x, 5, 5, -1, rng) })
	testutil.Panics(t, "data: RandomShift: rng is nil", func() { data.RandomShift(x, 5, 5, 1, nil) })
	testutil.Panics(t, "data: RandomShift: image size 0×5", func() { data.RandomShift(x, 0, 5, 1, rng) })
	testutil.Panics(t, "data: RandomShift: x of shape [200 2 5 5] does not hold 4×4 images: 50 values per row is not a multiple of 16", func() { data.RandomShift(x, 4, 4, 1, rng) })
	testutil.Panics(t, "data: RandomShift: x of shape [25], want images", func() { data.RandomShift(dl.Zeros(25), 5, 5, 1, rng) })
}

func TestGaussianNoise(t *testing.T) {
	x := dl.Full(0.5, 100, 100)
	out := data.GaussianNoise(x, 0.2, newRNG(1))
	if !slices.Equal(out.Shape(), []int{100, 100}) {
		t.Fatalf("shape %v, want [100 100]", out.Shape())
	}
	if slices.ContainsFunc(x.Data(), func(v float64) bool { return v != 0.5 }) {
		t.Fatalf("GaussianNoise changed its input")
	}
	var sum, sq float64
	for _, v := range out.Data() {
		sum += v - 0.5
		sq += (v - 0.5) * (v - 0.5)
	}
	mean := sum / 1e4
	std := math.Sqrt(sq/1e4 - mean*mean)
	// With 10000 draws the mean is within 4 standard errors (0.008) of 0
	// and the std within a few percent of 0.2.
	if math.Abs(mean) > 0.008 || math.Abs(std-0.2) > 0.01 {
		t.Errorf("noise mean %v, std %v; want about 0 and 0.2", mean, std)
	}
	if again := data.GaussianNoise(x, 0.2, newRNG(1)); !slices.Equal(again.Data(), out.Data()) {
		t.Errorf("the same seed gave other noise")
	}
	if none := data.GaussianNoise(x, 0, newRNG(1)); !slices.Equal(none.Data(), x.Data()) {
		t.Errorf("std 0 changed the values")
	}
	for _, std := range []float64{-1, math.NaN(), math.Inf(1)} {
		testutil.Panics(t, fmt.Sprintf("data: GaussianNoise: std %v, want a finite std >= 0", std), func() { data.GaussianNoise(x, std, newRNG(1)) })
	}
	testutil.Panics(t, "data: GaussianNoise: rng is nil", func() { data.GaussianNoise(x, 1, nil) })
}
