package dl

import (
	"fmt"
	"sync/atomic"

	"github.com/dlnb/dlnb/dl/internal/mem"
)

// This file holds the life of a tensor's memory: where its buffers come
// from, when they go back to the pool of dl/internal/mem, and the checks
// that make a released tensor unusable. "Memory" in the package doc says
// the same for users.
//
// The rule that keeps users' tensors safe: a buffer goes back to the pool
// only if dl made it for one tensor (an op's output, a gradient, a side
// buffer of backward) and no slice of it was ever handed out. Data, Grad
// and Detach hand out slices, and mark them (dataOut, gradOut); dl's own
// code reads the fields. A tensor whose buffers went back is marked
// released, and every exported function checks that its tensors are not
// (notNil, mustLive), so no tensor can read a buffer after it serves
// another.

// life says whether a tensor can still be used.
type life uint8

const (
	live          life = iota
	released           // Release gave its memory back: any use panics
	graphReleased      // Release was called on it: its value stays, its graph is gone
)

// clock orders the making of ops' results and the calls of Release, so
// that Backward can tell a graph built on a tensor before Release was
// called on it (its backward rules expect the gradient that the released
// graph no longer takes) from one built after, which uses the tensor as a
// constant.
var clock atomic.Uint64

// dead reports whether t was released, or is a view of a tensor that was.
func (t *Tensor) dead() bool {
	return t.life == released || t.base != nil && t.base.life == released
}

// mustLive panics, naming fn, if t was released.
func (t *Tensor) mustLive(fn string) {
	if t.dead() {
		panic(fmt.Sprintf("dl: %s: the tensor (%s %v) was released by Release with the graph it belonged to; "+
			"read it, or Clone it, before Release", fn, opName(t), t.shape))
	}
}

// mustLiveIn panics, naming fn, if t, a tensor of a graph that fn walks,
// was released.
func (t *Tensor) mustLiveIn(fn string) {
	if t.dead() {
		panic(fmt.Sprintf("dl: %s: the graph holds a tensor (%s %v) released by Release; "+
			"release a graph only after its last Backward", fn, opName(t), t.shape))
	}
}

// opName names the op that made t, or "leaf".
func opName(t *Tensor) string {
	if t.op == "" {
		return "leaf"
	}
	return t.op
}

// handOutData marks t's data as handed out: it is never given back to the
// pool, whatever happens to t.
func (t *Tensor) handOutData() {
	if t.base != nil {
		t.base.dataOut.Store(true)
		return
	}
	t.dataOut.Store(true)
}

// alloc returns a buffer of n float64 for an op's output or a side buffer.
// It comes from the pool and holds old values: the op must set every
// element.
func alloc(n int) []float64 { return mem.Floats(n) }

// allocZeroed returns a buffer of n zeros, for an op that adds into it.
func allocZeroed(n int) []float64 { return mem.Zeros(n) }

// gradFor returns t's gradient buffer to add into, or nil if t needs none.
// A new one starts at zero.
func gradFor(t *Tensor) []float64 {
	if !t.requiresGrad {
		return nil
	}
	if t.grad == nil {
		t.grad = allocZeroed(len(t.data))
	}
	return t.grad
}

// dropGrad lets t's gradient go, back to the pool unless Grad handed it
// out.
func (t *Tensor) dropGrad() {
	if t.grad != nil && !t.gradOut.Load() {
		mem.PutFloats(t.grad)
	}
	t.grad = nil
	t.gradOut.Store(false)
}

// keep holds b, a side buffer from alloc that t's backward reads, until
// Release gives it back; or gives it back now if t records no graph.
func (t *Tensor) keep(b []float64) {
	if t.requiresGrad {
		t.side = append(t.side, b)
	} else {
		mem.PutFloats(b)
	}
}

// keepInts is keep for a buffer of indices from mem.Ints.
func (t *Tensor) keepInts(b []int) {
	if t.requiresGrad {
		t.sideInts = append(t.sideInts, b)
	} else {
		mem.PutInts(b)
	}
}

// scratch returns a work buffer of n float64 with old values, for use
// within one call; putScratch gives it back.
func scratch(n int) []float64 { return mem.Floats(n) }

// putScratch gives back a buffer from scratch.
func putScratch(b []float64) { mem.PutFloats(b) }

// Release ends the graph that t was computed through, once it is done
// with: after the optimizer's step, for a loss t. Every tensor of the
// graph that an op computed, other than t, gives its buffers (values,
// gradient, what backward kept) back to dl's pool, where the ops of the
// next step find them instead of allocating, and is marked released.
// Leaves, such as parameters and data, keep everything. t keeps its
// value, so t.Item() still reads the loss, but leaves the graph, as
// Detach's result would.
//
//	loss.Backward()
//	opt.Step(params)
//	loss.Release() // the step's memory serves the next step
//
// Release is optional: without it the garbage collector frees the graph,
// and training gives the same numbers, only more slowly. train.Fit
// releases each step's graph itself.
//
// Release never lets memory that a user can still read be reused. A
// buffer whose slice was handed out (by Data, Grad or Detach) stays with
// that slice, and a released tensor panics when it is used (by an op,
// Data, Item, Backward, ...), with a message that says to Clone it before
// Release, rather than read memory that serves other tensors now. Views
// of a released tensor, such as Reshape's result or the weights that
// Attention returns, are released with it.
//
// Release a graph after its last Backward, and call it on the loss, the
// end of the graph: Backward panics on a graph that holds a released
// tensor, or a tensor that Release was called on before the graph was
// built on it. A graph built on t afterwards takes t as a constant. On a
// tensor outside any graph (data, a parameter) Release does nothing.
// Release panics if t was released.
func (t *Tensor) Release() {
	t.mustLive("Release")
	if t.backward == nil {
		return // a leaf, or a tensor whose graph is already released
	}
	// t keeps its value: its buffer is never given back, and a view of a
	// tensor of the graph keeps the memory it reads.
	t.handOutData()
	t.base = nil
	stack := []*Tensor{t}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range n.parents {
			if p.backward != nil && p.life == live {
				p.life = released
				stack = append(stack, p)
			}
		}
		n.free(n == t)
	}
	t.life = graphReleased
	t.cut = clock.Add(1)
	t.requiresGrad = false
}

// free gives t's buffers back to the pool (its data too, unless keepData)
// and cuts t out of the graph. Buffers that were handed out stay.
func (t *Tensor) free(keepData bool) {
	if !keepData {
		if t.own && !t.dataOut.Load() {
			mem.PutFloats(t.data)
		}
		t.data = nil
	}
	t.dropGrad()
	for _, b := range t.side {
		mem.PutFloats(b)
	}
	for _, b := range t.sideInts {
		mem.PutInts(b)
	}
	for _, e := range t.extras {
		e.drop()
	}
	t.side, t.sideInts, t.extras, t.parents, t.backward = nil, nil, nil, nil, nil
}

// drop gives the data of t, a tensor outside any graph, back to the pool
// unless it was handed out, and marks t released.
func (t *Tensor) drop() {
	if t.life != live {
		return
	}
	if t.own && !t.dataOut.Load() {
		mem.PutFloats(t.data)
	}
	t.data = nil
	t.dropGrad()
	t.life = released
}

// SetPoolLimit sets the most bytes that dl's pool of reusable buffers
// holds, and returns the previous limit. The limit starts at 1 GiB, far
// above what a step of the course's models uses; buffers beyond it are
// left to the garbage collector, those of the sizes asked for least
// recently first. A limit of 0 empties the pool and turns it off, so
// that every op allocates, as the garbage collector alone would have it.
// The pool is shared by the whole program and safe for concurrent use.
// SetPoolLimit panics if bytes is negative.
func SetPoolLimit(bytes int) (previous int) {
	if bytes < 0 {
		panic(fmt.Sprintf("dl: SetPoolLimit: %d bytes; want 0 (no pool) or more", bytes))
	}
	return mem.SetLimit(bytes)
}

func init() {
	mem.Buffers = func(x any) (data, grad []float64) {
		t := x.(*Tensor)
		t.mustLive("optimizer step")
		return t.data, t.grad
	}
	mem.Drop = func(x any) { x.(*Tensor).drop() }
}
