package data_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

// zeroRect returns the bounding box of the zeros of an h×w image and
// whether the zeros fill it exactly (one solid rectangle, nothing else).
func zeroRect(img []float64, h, w int) (top, left, eh, ew int, ok bool) {
	top, left, bottom, right := h, w, -1, -1
	zeros := 0
	for r := range h {
		for c := range w {
			if img[r*w+c] == 0 {
				zeros++
				top, left, bottom, right = min(top, r), min(left, c), max(bottom, r), max(right, c)
			}
		}
	}
	if zeros == 0 {
		return 0, 0, 0, 0, false
	}
	eh, ew = bottom-top+1, right-left+1
	return top, left, eh, ew, zeros == eh*ew
}

func TestRandomErase(t *testing.T) {
	const n, c, h, w = 300, 2, 6, 8
	x := dl.Full(1, n, c, h, w)
	out := data.RandomErase(x, h, w, 1, 4, newRNG(1))
	if !slices.Equal(out.Shape(), x.Shape()) {
		t.Fatalf("shape %v, want %v", out.Shape(), x.Shape())
	}
	if slices.ContainsFunc(x.Data(), func(v float64) bool { return v != 1 }) {
		t.Fatalf("RandomErase changed its input")
	}
	sizes := map[[2]int]bool{}
	for i := range n {
		var first [4]int
		for ch := range c {
			img := out.Data()[(i*c+ch)*h*w : (i*c+ch+1)*h*w]
			top, left, eh, ew, ok := zeroRect(img, h, w)
			if !ok {
				t.Fatalf("image %d channel %d: the zeros are not one rectangle: %v", i, ch, img)
			}
			if eh > 4 || ew > 4 {
				t.Errorf("image %d: erased %d×%d, want sides of at most 4", i, eh, ew)
			}
			if ch == 0 {
				first = [4]int{top, left, eh, ew}
				sizes[[2]int{eh, ew}] = true
			} else if first != [4]int{top, left, eh, ew} {
				t.Errorf("image %d: channel 0 erased at %v, channel %d at %v; want the same", i, first, ch, [4]int{top, left, eh, ew})
			}
		}
	}
	if len(sizes) != 16 {
		t.Errorf("%d different sizes in %d images, want all 16 of 1..4 × 1..4", len(sizes), n)
	}

	// A side larger than the image is cut to it: a 1×3 image erased by up
	// to 5 loses a run of 1 to 3 pixels.
	small := data.RandomErase(dl.Full(1, 50, 3), 1, 3, 1, 5, newRNG(2))
	for i := range 50 {
		if _, _, eh, ew, ok := zeroRect(small.Data()[i*3:i*3+3], 1, 3); !ok || eh != 1 || ew > 3 {
			t.Errorf("1×3 image %d: %v, want one run of zeros", i, small.Data()[i*3:i*3+3])
		}
	}

	// p is the share of images erased: 0 gives a copy, 0.3 about 30%.
	if same := data.RandomErase(x, h, w, 0, 4, newRNG(1)); !slices.Equal(same.Data(), x.Data()) {
		t.Errorf("p = 0 changed the images")
	}
	some := data.RandomErase(dl.Full(1, 2000, h*w), h, w, 0.3, 4, newRNG(3))
	erased := 0
	for i := range 2000 {
		if slices.Contains(some.Data()[i*h*w:(i+1)*h*w], 0) {
			erased++
		}
	}
	// 600 expected; the standard deviation is about 20.
	if erased < 520 || erased > 680 {
		t.Errorf("p = 0.3: %d of 2000 images erased, want about 600", erased)
	}
	if again := data.RandomErase(x, h, w, 1, 4, newRNG(1)); !slices.Equal(again.Data(), out.Data()) {
		t.Errorf("the same seed gave another result")
	}
	if other := data.RandomErase(x, h, w, 1, 4, newRNG(9)); slices.Equal(other.Data(), out.Data()) {
		t.Errorf("another seed gave the same result")
	}

	rng := newRNG(1)
	for _, p := range []float64{-0.1, 1.5, math.NaN()} {
		testutil.Panics(t, fmt.Sprintf("data: RandomErase: probability p = %v, want p in [0, 1]", p), func() { data.RandomErase(x, h, w, p, 2, rng) })
	}
	testutil.Panics(t, "data: RandomErase: maxSide = 0", func() { data.RandomErase(x, h, w, 0.5, 0, rng) })
	testutil.Panics(t, "data: RandomErase: rng is nil", func() { data.RandomErase(x, h, w, 0.5, 2, nil) })
	testutil.Panics(t, "data: RandomErase: x of shape [300 2 6 8] does not hold 5×5 images", func() { data.RandomErase(x, 5, 5, 0.5, 2, rng) })
}

func TestRandomResizedCrop(t *testing.T) {
	const n, h, w = 100, 20, 20
	// Each pixel holds its column number: a crop of side s pixels, scaled to
	// w columns, steps by s/w from one column to the next, away from the
	// border where the interpolation clamps.
	ramp := make([]float64, n*h*w)
	for i := range ramp {
		ramp[i] = float64(i % w)
	}
	x := dl.New(ramp, n, h*w)
	out := data.RandomResizedCrop(x, h, w, 0.5, newRNG(1))
	if !slices.Equal(out.Shape(), []int{n, h * w}) {
		t.Fatalf("shape %v, want [%d %d]", out.Shape(), n, h*w)
	}
	if !slices.Equal(x.Data(), ramp) {
		t.Fatalf("RandomResizedCrop changed its input")
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range n {
		img := out.Data()[i*h*w : (i+1)*h*w]
		step := (img[15] - img[5]) / 10
		lo, hi = min(lo, step), max(hi, step)
		for r := range h {
			for c := 5; c <= 15; c++ {
				if got, want := img[r*w+c], img[5]+float64(c-5)*step; math.Abs(got-want) > 1e-9 {
					t.Fatalf("image %d, row %d, column %d: %v, want %v: every row the same ramp", i, r, c, got, want)
				}
			}
		}
	}
	// Sides drawn from [0.5, 1] of the image: steps from 0.5 to 1 pixel.
	if lo < 0.5-1e-12 || hi > 1+1e-12 || lo > 0.6 || hi < 0.9 {
		t.Errorf("steps from %.3f to %.3f, want them spread over [0.5, 1]", lo, hi)
	}

	// minScale 1 gives the image back; a constant image stays constant;
	// channels share the crop; the same seed, the same crops.
	if same := data.RandomResizedCrop(x, h, w, 1, newRNG(2)); !nearAll(same.Data(), ramp, 1e-12) {
		t.Errorf("minScale 1 changed the image")
	}
	if flat := data.RandomResizedCrop(dl.Full(0.7, 5, 1, h, w), h, w, 0.3, newRNG(2)); !nearAll(flat.Data(), dl.Full(0.7, 5*h*w).Data(), 1e-12) {
		t.Errorf("a constant image changed")
	}
	two := data.RandomResizedCrop(dl.Concat(1, dl.Reshape(x, n, 1, h, w), dl.Reshape(x, n, 1, h, w)), h, w, 0.5, newRNG(1))
	for i := range n {
		a, b := two.Data()[2*i*h*w:(2*i+1)*h*w], two.Data()[(2*i+1)*h*w:(2*i+2)*h*w]
		if !slices.Equal(a, b) || !slices.Equal(a, out.Data()[i*h*w:(i+1)*h*w]) {
			t.Fatalf("image %d: the two channels got different crops, or not those of [n, h*w]", i)
		}
	}

	rng := newRNG(1)
	for _, s := range []float64{0, -1, 1.5, math.NaN()} {
		testutil.Panics(t, fmt.Sprintf("data: RandomResizedCrop: minScale = %v", s), func() { data.RandomResizedCrop(x, h, w, s, rng) })
	}
	testutil.Panics(t, "data: RandomResizedCrop: rng is nil", func() { data.RandomResizedCrop(x, h, w, 0.5, nil) })
}

func nearAll(a, b []float64, tol float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return near(x, y, tol) })
}

func TestTwoViews(t *testing.T) {
	x := plus(40, 1, 40, 1, 5, 5)
	aug := data.Augmentation{H: 5, W: 5, Crop: 0.6, Shift: 1, EraseP: 0.5, EraseMax: 2, Noise: 0.1}
	v1, v2 := data.TwoViews(x, aug, newRNG(1))
	if !slices.Equal(v1.Shape(), x.Shape()) || !slices.Equal(v2.Shape(), x.Shape()) {
		t.Fatalf("shapes %v and %v, want %v", v1.Shape(), v2.Shape(), x.Shape())
	}
	if slices.Equal(v1.Data(), v2.Data()) || slices.Equal(v1.Data(), x.Data()) {
		t.Errorf("the two views are the same, or the images themselves")
	}
	// The views are Apply twice, from the same generator.
	rng := newRNG(1)
	if a, b := aug.Apply(x, rng), aug.Apply(x, rng); !slices.Equal(a.Data(), v1.Data()) || !slices.Equal(b.Data(), v2.Data()) {
		t.Errorf("TwoViews is not Apply, then Apply again")
	}
	w1, w2 := data.TwoViews(x, aug, newRNG(1))
	if !slices.Equal(w1.Data(), v1.Data()) || !slices.Equal(w2.Data(), v2.Data()) {
		t.Errorf("the same seed gave other views")
	}
	// Each change on its own: a shift alone moves the "+" as RandomShift does.
	shiftOnly := data.Augmentation{H: 5, W: 5, Shift: 2}
	if a, b := shiftOnly.Apply(x, newRNG(3)), data.RandomShift(x, 5, 5, 2, newRNG(3)); !slices.Equal(a.Data(), b.Data()) {
		t.Errorf("Shift alone is not RandomShift")
	}
	if a := (data.Augmentation{H: 5, W: 5}).Apply(x, newRNG(3)); !slices.Equal(a.Data(), x.Data()) {
		t.Errorf("no changes asked for, yet the images changed")
	}

	for _, c := range []struct {
		a    data.Augmentation
		want string
	}{
		{data.Augmentation{}, "data: TwoViews: Augmentation.H, W = 0, 0; set the image size"},
		{data.Augmentation{H: 5, W: 5, Crop: 2}, "data: TwoViews: Augmentation.Crop = 2"},
		{data.Augmentation{H: 5, W: 5, Shift: -1}, "data: TwoViews: Augmentation.Shift = -1"},
		{data.Augmentation{H: 5, W: 5, EraseP: 2, EraseMax: 1}, "data: TwoViews: Augmentation.EraseP = 2"},
		{data.Augmentation{H: 5, W: 5, EraseP: 0.5}, "data: TwoViews: Augmentation.EraseMax = 0 with EraseP = 0.5"},
		{data.Augmentation{H: 5, W: 5, Noise: math.Inf(1)}, "data: TwoViews: Augmentation.Noise = +Inf"},
		{data.Augmentation{H: 4, W: 4}, "data: TwoViews: x of shape [40 1 5 5] does not hold 4×4 images"},
	} {
		testutil.Panics(t, c.want, func() { data.TwoViews(x, c.a, newRNG(1)) })
	}
	testutil.Panics(t, "data: TwoViews: rng is nil", func() { data.TwoViews(x, aug, nil) })
	testutil.Panics(t, "data: Augmentation: Augmentation.Shift = -1", func() { data.Augmentation{H: 5, W: 5, Shift: -1}.Apply(x, newRNG(1)) })
}

func ExampleTwoViews() {
	// Two views of one 3×3 image: shifted by up to 1 pixel each.
	x := dl.New([]float64{
		0, 0, 0,
		0, 1, 0,
		0, 0, 0,
	}, 1, 9)
	v1, v2 := data.TwoViews(x, data.Augmentation{H: 3, W: 3, Shift: 1}, rand.New(rand.NewPCG(1, 2)))
	fmt.Println(v1.Data())
	fmt.Println(v2.Data())
	// Output:
	// [0 0 0 0 0 0 0 1 0]
	// [0 0 0 0 0 0 0 0 1]
}
