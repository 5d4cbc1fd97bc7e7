package dl

import (
	"math/rand/v2"
	"sync"
	"testing"
)

// flopsOf returns the FLOPs that f counts.
func flopsOf(f func()) float64 {
	c := CountFLOPs()
	f()
	return c.FLOPs()
}

func randParam(rng *rand.Rand, shape ...int) *Tensor { return Param(Randn(rng, shape...)) }

func TestFLOPsLinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, w, b := randParam(rng, 3, 4), randParam(rng, 4, 5), randParam(rng, 5)
	var y, s *Tensor
	// By hand: the product [3, 4]·[4, 5] is 3·4·5 = 60 multiply-adds, 120
	// FLOPs, and the bias adds 3·5 = 15.
	if got := flopsOf(func() { y = Linear(x, w, b) }); got != 2*3*4*5+3*5 {
		t.Errorf("Linear forward: %v FLOPs, want 135", got)
	}
	if got := flopsOf(func() { s = Sum(y) }); got != 15 {
		t.Errorf("Sum of 15 elements: %v FLOPs, want 15", got)
	}
	// Backward: Sum's 15, then Linear's g·wᵀ (120), xᵀ·g (120) and the
	// bias's column sums (15).
	if got := flopsOf(func() { s.Backward() }); got != 15+120+120+15 {
		t.Errorf("backward: %v FLOPs, want 270", got)
	}
	// Without gradients for x (data, not a parameter), backward skips g·wᵀ.
	x2 := Randn(rng, 3, 4)
	s2 := Sum(Linear(x2, w, b))
	if got := flopsOf(func() { s2.Backward() }); got != 15+120+15 {
		t.Errorf("backward with x a constant: %v FLOPs, want 150", got)
	}
}

func TestFLOPsConv2D(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	// x [2, 3, 5, 5], w [4, 3, 3, 3], padding 1: out [2, 4, 5, 5].
	x, w, b := randParam(rng, 2, 3, 5, 5), randParam(rng, 4, 3, 3, 3), randParam(rng, 4)
	var y *Tensor
	outElems := 2 * 4 * 5 * 5
	macs := outElems * 3 * 3 * 3 // each output element: cin·kh·kw multiply-adds
	if got := flopsOf(func() { y = Conv2D(x, w, b, ConvOptions{Padding: 1}) }); got != float64(2*macs+outElems) {
		t.Errorf("Conv2D forward: %v FLOPs, want %d", got, 2*macs+outElems)
	}
	s := Sum(y)
	// Backward: Sum's outElems, then 2·macs for x, 2·macs for w and
	// outElems for the bias.
	want := outElems + 2*macs + 2*macs + outElems
	if got := flopsOf(func() { s.Backward() }); got != float64(want) {
		t.Errorf("Conv2D backward: %v FLOPs, want %d", got, want)
	}
}

func TestFLOPsOtherOps(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	a, b := randParam(rng, 2, 3, 4), randParam(rng, 2, 4, 5)
	if got := flopsOf(func() { MatMul(a, b) }); got != 2*2*3*4*5 {
		t.Errorf("batched MatMul: %v FLOPs, want 240", got)
	}
	if got := flopsOf(func() { Exp(a) }); got != 24 {
		t.Errorf("Exp of 24 elements: %v FLOPs, want 24", got)
	}
	if got := flopsOf(func() { Add(a, Scalar(1)) }); got != 24 {
		t.Errorf("Add broadcast to 24 elements: %v FLOPs, want 24", got)
	}
	if got := flopsOf(func() { Reshape(a, 6, 4); Transpose(Reshape(a, 6, 4)); Slice(a, 1, 0, 2) }); got != 0 {
		t.Errorf("ops that only move data: %v FLOPs, want 0", got)
	}
	// Attention of [1, 4, 6] with 2 heads: 4·1·4²·6 = 384 for the products,
	// 1·2·4·4 = 32 for the softmax.
	q, k, v := randParam(rng, 1, 4, 6), randParam(rng, 1, 4, 6), randParam(rng, 1, 4, 6)
	var out *Tensor
	if got := flopsOf(func() { out, _ = Attention(q, k, v, 2, true) }); got != 384+32 {
		t.Errorf("Attention forward: %v FLOPs, want 416", got)
	}
	s := Sum(out)
	if got := flopsOf(func() { s.Backward() }); got != 24+2*384 {
		t.Errorf("Attention backward: %v FLOPs, want %d", got, 24+2*384)
	}
}

// TestFLOPsRegions checks what the doc promises of regions: a counter
// counts the work of every goroutine while it runs, and none before its
// start.
func TestFLOPsRegions(t *testing.T) {
	x := Zeros(10)
	Exp(x) // before the region: not counted
	c := CountFLOPs()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { Exp(x) })
	}
	wg.Wait()
	if got := c.FLOPs(); got != 40 {
		t.Errorf("4 goroutines of Exp on 10 elements: %v FLOPs, want 40", got)
	}
	inner := CountFLOPs()
	Exp(x)
	if inner.FLOPs() != 10 || c.FLOPs() != 50 {
		t.Errorf("nested regions: inner %v, outer %v; want 10 and 50", inner.FLOPs(), c.FLOPs())
	}
}
