package dl

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/dlnb/dlnb/dl/internal/mem"
	"github.com/dlnb/dlnb/internal/testutil"
)

// tiny is a small network and its loss, for the tests of this file:
// L = Σ tanh(x·w + b)², with x data [4 3], w [3 2] and b [2] parameters.
type tiny struct {
	x, w, b *Tensor
	h, a    *Tensor // x·w + b, and its tanh
	loss    *Tensor
}

func newTiny(seed uint64) *tiny {
	rng := rand.New(rand.NewPCG(seed, 1))
	return &tiny{x: Randn(rng, 4, 3), w: Param(Randn(rng, 3, 2)), b: Param(Randn(rng, 2))}
}

// forward builds the graph of a step.
func (n *tiny) forward() *Tensor {
	n.h = Linear(n.x, n.w, n.b)
	n.a = Tanh(n.h)
	n.loss = Sum(Mul(n.a, n.a))
	return n.loss
}

// TestBackwardReleasesIntermediateGrads checks item 1 of issue 12: after
// Backward an intermediate tensor has no gradient unless it was asked to
// keep it, per tensor or per Backward; a retained one is right; leaves
// keep theirs.
func TestBackwardReleasesIntermediateGrads(t *testing.T) {
	n := newTiny(1)
	n.forward()
	n.loss.Backward()
	for name, x := range map[string]*Tensor{"h": n.h, "a": n.a, "loss": n.loss} {
		if x.Grad() != nil {
			t.Errorf("%s: Grad %v after Backward, want nil: not retained", name, x.Grad())
		}
	}
	wGrad := slices.Clone(n.w.Grad())
	if wGrad == nil || n.b.Grad() == nil {
		t.Fatal("the parameters lost their gradients")
	}

	// dL/da = 2a, and dL/dh = 2a·(1 - a²).
	wantA := make([]float64, n.a.Len())
	wantH := make([]float64, n.a.Len())
	for i, a := range n.a.Data() {
		wantA[i] = 2 * a
		wantH[i] = 2 * a * (1 - a*a)
	}
	for _, retain := range []string{"RetainGrad", "RetainGrads"} {
		ZeroGrad(n.w, n.b)
		n.forward()
		var opts []BackwardOption
		if retain == "RetainGrad" {
			n.h.RetainGrad()
		} else {
			opts = append(opts, RetainGrads)
		}
		n.loss.Backward(opts...)
		if !closeTo(n.h.Grad(), wantH) {
			t.Errorf("%s: grad of h = %v, want %v", retain, n.h.Grad(), wantH)
		}
		if retain == "RetainGrad" && n.a.Grad() != nil {
			t.Errorf("RetainGrad on h kept a's gradient too")
		}
		if retain == "RetainGrads" {
			if !closeTo(n.a.Grad(), wantA) || !slices.Equal(n.loss.Grad(), []float64{1}) {
				t.Errorf("RetainGrads: grad of a = %v (want %v), of the loss %v (want [1])", n.a.Grad(), wantA, n.loss.Grad())
			}
		}
		if !slices.Equal(n.w.Grad(), wGrad) {
			t.Errorf("%s: grad of w = %v, want %v as without it", retain, n.w.Grad(), wGrad)
		}
	}
}

// TestRelease checks what Release does to a graph: its intermediate
// tensors are released and every use of one panics with a message that
// says what to do; the loss keeps its value but not its graph; leaves keep
// everything.
func TestRelease(t *testing.T) {
	n := newTiny(2)
	loss := n.forward()
	view := Reshape(n.h, 8) // a view of h, outside the graph of loss
	out, weights := Attention(Reshape(n.h, 1, 4, 2), Reshape(n.h, 1, 4, 2), Reshape(n.h, 1, 4, 2), 1, false)
	withAttention := Add(loss, Sum(out))
	withAttention.Backward()
	value := withAttention.Item()
	wGrad := slices.Clone(n.w.Grad())
	xData := slices.Clone(n.x.Data())
	withAttention.Release()

	if got := withAttention.Item(); got != value {
		t.Errorf("the released loss reads %v, want %v", got, value)
	}
	if withAttention.RequiresGrad() || withAttention.Inputs() != nil {
		t.Error("the released loss still has a graph")
	}
	testutil.Panics(t, "dl: Backward: the graph of this tensor was released by Release", func() { withAttention.Backward() })
	if !slices.Equal(n.w.Grad(), wGrad) || !slices.Equal(n.x.Data(), xData) || !n.w.RequiresGrad() {
		t.Error("Release changed a leaf")
	}

	const released = "was released by Release"
	for name, x := range map[string]*Tensor{"h": n.h, "a": n.a, "Sum": loss, "view": view, "weights": weights, "out": out} {
		t.Run(name, func(t *testing.T) {
			for fn, f := range map[string]func(){
				"Data": func() { x.Data() }, "Grad": func() { x.Grad() }, "Item": func() { x.Item() },
				"Detach": func() { x.Detach() }, "Clone": func() { x.Clone() }, "RetainGrad": func() { x.RetainGrad() },
				"Release": func() { x.Release() }, "Backward": func() { x.Backward() },
			} {
				testutil.Panics(t, "dl: "+fn+": the tensor", f)
				testutil.Panics(t, released+" with the graph it belonged to; read it, or Clone it, before Release", f)
			}
			testutil.Panics(t, "dl: Add: b "+released+" (with the graph it belonged to); Clone it before Release to keep it",
				func() { Add(n.w, x) })
			testutil.Panics(t, "dl: Param: t "+released, func() { Param(x) })
			if s := x.String(); !strings.Contains(s, "released by Release") {
				t.Errorf("String = %q; want it to say the tensor was released", s)
			}
			if !slices.Equal(x.Shape(), x.shape) || x.Len() != numel(x.shape) {
				t.Errorf("Shape or Len of a released tensor changed")
			}
		})
	}
	// Backward on a tensor outside any graph only sets its own gradient,
	// and Release does nothing to it, nor to a leaf.
	c := Sum(New([]float64{1, 2}))
	c.Backward()
	c.Release()
	if !slices.Equal(c.Grad(), []float64{1}) || c.Item() != 3 {
		t.Errorf("a tensor outside any graph: Grad %v, Item %v after Backward and Release; want [1], 3", c.Grad(), c.Item())
	}
	n.w.Release()
	if !n.w.RequiresGrad() || !slices.Equal(n.w.Grad(), wGrad) {
		t.Error("Release on a parameter changed it")
	}
}

// TestBackwardAfterRelease checks that a graph built on a tensor of
// another graph cannot run backward once that graph is released, even
// through an input that needs no gradient (Attention's weights).
func TestBackwardAfterRelease(t *testing.T) {
	n := newTiny(3)
	loss := n.forward()
	q := Reshape(n.h, 1, 4, 2)
	out, weights := Attention(q, q, q, 1, false)
	first := Add(loss, Sum(out))
	second := Sum(Mul(n.a, Scalar(2)))                   // shares a with first
	third := Sum(Mul(Param(Zeros(1, 1, 4, 4)), weights)) // reads weights in backward
	first.Backward()
	first.Release()
	testutil.Panics(t, "dl: Backward: the graph holds a tensor (Tanh [4 2]) released by Release; release a graph only after its last Backward",
		func() { second.Backward() })
	testutil.Panics(t, "dl: Backward: the graph holds a tensor (Attention [1 1 4 4]) released by Release", func() { third.Backward() })
}

// TestReleaseKeepsHandedOut checks the promise that makes Release safe: a
// slice that Data, Grad or Detach handed out keeps its values through
// Release and any number of later steps that reuse the pool, as does the
// loss that Release was called on, even as a view.
func TestReleaseKeepsHandedOut(t *testing.T) {
	n := newTiny(4)
	n.forward()
	n.h.RetainGrad()
	loss := Reshape(n.loss, 1, 1) // the root is a view of a tensor of the graph
	loss.Backward()
	data, grad, detached := n.h.Data(), n.h.Grad(), n.a.Detach()
	viewData := Reshape(n.a, 8).Data()
	want := [][]float64{slices.Clone(data), slices.Clone(grad), slices.Clone(detached.Data()), slices.Clone(viewData)}
	value := loss.Item()
	loss.Release()
	for range 5 { // steps that take buffers of the same sizes from the pool
		ZeroGrad(n.w, n.b)
		l := n.forward()
		l.Backward()
		l.Release()
	}
	for i, got := range [][]float64{data, grad, detached.Data(), viewData} {
		if !slices.Equal(got, want[i]) {
			t.Errorf("handed-out slice %d changed after Release: %v, was %v", i, got, want[i])
		}
	}
	if loss.Item() != value {
		t.Errorf("the released loss reads %v, was %v", loss.Item(), value)
	}
}

// same reports whether a and b share their first element.
func same(a, b []float64) bool { return unsafe.SliceData(a) == unsafe.SliceData(b) }

// TestReleaseReusesBuffers checks that the memory of a released graph
// serves the next one (so that the tests above prove something), and
// that ZeroGrad gives back a parameter's gradient unless Grad handed it
// out.
func TestReleaseReusesBuffers(t *testing.T) {
	x := Param(Randn(rand.New(rand.NewPCG(5, 1)), 37, 41)) // sizes no other test uses
	h := Exp(x)
	l := Sum(h)
	l.Backward()
	hData, xGrad := h.data, x.grad
	l.Release()
	if mem.Held() == 0 {
		t.Fatal("the pool holds nothing after Release")
	}
	ZeroGrad(x) // x's gradient was never handed out: back to the pool
	h2 := Exp(x)
	if !same(h2.data, hData) && !same(h2.data, xGrad) {
		t.Error("the next Exp did not reuse a buffer of the released graph")
	}
	l2 := Sum(h2)
	l2.Backward()
	g := x.Grad() // handed out: ZeroGrad must not give it back
	kept := slices.Clone(g)
	l2.Release()
	ZeroGrad(x)
	for range 3 {
		l := Sum(Exp(x))
		l.Backward()
		l.Release()
		ZeroGrad(x)
	}
	if !slices.Equal(g, kept) {
		t.Errorf("a gradient that Grad handed out changed after ZeroGrad: %v, was %v", g, kept)
	}
}

// TestPoolOffSameBits checks that training gives the same bits with the
// pool on and off, and with and without Release.
func TestPoolOffSameBits(t *testing.T) {
	train := func(release bool) []float64 {
		n := newTiny(6)
		var losses []float64
		for range 4 {
			ZeroGrad(n.w, n.b)
			l := n.forward()
			l.Backward()
			for _, p := range []*Tensor{n.w, n.b} {
				for i, g := range p.grad {
					p.data[i] -= 0.1 * g
				}
			}
			losses = append(losses, l.Item())
			if release {
				l.Release()
			}
		}
		return append(losses, n.w.data...)
	}
	want := train(true)
	if got := train(false); !slices.Equal(got, want) {
		t.Errorf("without Release: %v, with: %v", got, want)
	}
	defer SetPoolLimit(SetPoolLimit(0))
	if got := train(true); !slices.Equal(got, want) {
		t.Errorf("without the pool: %v, with: %v", got, want)
	}
	testutil.Panics(t, "dl: SetPoolLimit: -1 bytes", func() { SetPoolLimit(-1) })
}

// TestConcurrentTraining trains two models at once, each on its own
// goroutine, releasing every step: under the race detector, the shared
// pool must give each its own buffers, and both must get the numbers they
// get alone.
func TestConcurrentTraining(t *testing.T) {
	run := func(seed uint64) float64 {
		n := newTiny(seed)
		var l float64
		for range 50 {
			ZeroGrad(n.w, n.b)
			loss := n.forward()
			loss.Backward()
			for i, g := range n.w.grad {
				n.w.data[i] -= 0.05 * g
			}
			l = loss.Item()
			loss.Release()
		}
		return l
	}
	want := []float64{run(7), run(8)}
	got := make([]float64, 2)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = run(uint64(7 + i)) })
	}
	wg.Wait()
	if !slices.Equal(got, want) || math.IsNaN(got[0]) {
		t.Errorf("losses %v side by side, %v alone", got, want)
	}
}

// TestReleaseInsideAGraph checks Release on a tensor that a graph built
// earlier still uses: that graph's Backward panics, rather than let no
// gradient through, while a graph built afterwards uses the tensor as a
// constant, as it would Detach's result.
func TestReleaseInsideAGraph(t *testing.T) {
	n := newTiny(9)
	part := n.forward()
	other := Sum(Mul(n.w, n.w))
	total := Add(part, other) // built before part.Release
	part.Release()
	testutil.Panics(t, "dl: Backward: the graph holds a tensor (Sum []) that Release was called on, which ended the graph below it",
		func() { total.Backward() })
	after := Add(Sum(Mul(n.w, n.w)), part) // part is a constant now
	ZeroGrad(n.w, n.b)
	after.Backward()
	want := make([]float64, n.w.Len())
	for i, w := range n.w.Data() {
		want[i] = 2 * w
	}
	if !closeTo(n.w.Grad(), want) || n.b.Grad() != nil {
		t.Errorf("grad of w = %v (want %v), of b %v (want nil)", n.w.Grad(), want, n.b.Grad())
	}
}
