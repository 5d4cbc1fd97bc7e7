package dl

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"

	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// Tensor is an n-dimensional array of float64 in row-major order, with the
// gradient that Backward computes for it. A tensor made by an op records
// the op and its inputs, so that Backward can walk the graph back.
//
// Tensors are values: ops never change their inputs, they return new
// tensors. Only Backward, ZeroGrad and optimizers write to a tensor, and
// only to its gradient or, for optimizers, to a parameter's data.
// [Tensor.Release] ends the tensors of a graph that is done with, so that
// their memory serves the next step (see "Memory" in the package doc).
type Tensor struct {
	data         []float64
	shape        []int
	grad         []float64
	requiresGrad bool

	op       string    // the op that made it; "" for a leaf
	parents  []*Tensor // the op's inputs
	backward func()    // adds this tensor's grad into the parents' grads

	// Memory; see memory.go. A buffer goes back to the pool only if dl
	// made it (own, or a gradient or side buffer) and no slice of it was
	// ever handed out (dataOut, gradOut).
	own      bool        // data came from the pool, for this tensor alone
	base     *Tensor     // a view's (Reshape's) owner of data, or nil
	side     [][]float64 // buffers that backward reads (GELU's tanh), from the pool
	sideInts [][]int     // the same, of indices (MaxPool2D's argmax)
	extras   []*Tensor   // tensors that the op returned besides this one (Attention's weights)
	retain   bool        // RetainGrad: Backward keeps the gradient
	life     life        // live, released, or the root of a released graph
	bwdFLOPs int         // the FLOPs of backward, counted when it runs (flops.go)
	born     uint64      // when an op made it, on the clock of memory.go
	cut      uint64      // when Release was called on it
	dataOut  atomic.Bool // a slice of data was handed out (Data, Detach)
	gradOut  atomic.Bool // a slice of grad was handed out (Grad)
}

// New returns a tensor of the given shape that holds data (not a copy).
// With no shape it is one-dimensional, of length len(data).
// New panics if a size is negative or the shape does not hold len(data)
// elements.
func New(data []float64, shape ...int) *Tensor {
	if len(shape) == 0 {
		shape = []int{len(data)}
	}
	checkShape("New", shape)
	if n := numel(shape); n != len(data) {
		panic(fmt.Sprintf("dl: New: shape %v holds %d elements, but there are %d values", shape, n, len(data)))
	}
	return &Tensor{data: data, shape: slices.Clone(shape)}
}

// Zeros returns a tensor of the given shape filled with zeros. With no
// shape it is a scalar. Zeros panics if a size is negative.
func Zeros(shape ...int) *Tensor { return full("Zeros", 0, shape) }

// Full returns a tensor of the given shape filled with v. With no shape
// it is a scalar. Full panics if a size is negative.
func Full(v float64, shape ...int) *Tensor { return full("Full", v, shape) }

// full does the work of Full, with op naming the caller in panics.
func full(op string, v float64, shape []int) *Tensor {
	checkShape(op, shape)
	data := make([]float64, numel(shape))
	if v != 0 {
		for i := range data {
			data[i] = v
		}
	}
	return &Tensor{data: data, shape: slices.Clone(shape)}
}

// Randn returns a tensor of the given shape with values drawn from the
// standard normal distribution with rng. Randn panics if a size is
// negative.
func Randn(rng *rand.Rand, shape ...int) *Tensor {
	checkShape("Randn", shape)
	data := make([]float64, numel(shape))
	for i := range data {
		data[i] = rng.NormFloat64()
	}
	return &Tensor{data: data, shape: slices.Clone(shape)}
}

// Scalar returns a zero-dimensional tensor (shape []) holding v.
func Scalar(v float64) *Tensor { return &Tensor{data: []float64{v}, shape: []int{}} }

// Param marks t as a parameter: Backward computes its gradient, and ops on
// it record the graph. It returns t.
func Param(t *Tensor) *Tensor {
	notNil("Param", "t", t)
	t.requiresGrad = true
	return t
}

// RequiresGrad reports whether Backward computes a gradient for t: t is a
// parameter, or was computed from one.
func (t *Tensor) RequiresGrad() bool { return t.requiresGrad }

// Shape returns the sizes of t's dimensions. The caller must not change it.
func (t *Tensor) Shape() []int { return t.shape }

// Dim returns the number of dimensions of t.
func (t *Tensor) Dim() int { return len(t.shape) }

// Len returns the number of elements of t.
func (t *Tensor) Len() int { return numel(t.shape) }

// Data returns the values of t in row-major order. It is t's own storage:
// changing it changes t. dl never reuses storage that Data handed out, so
// the slice keeps its values after [Tensor.Release]. Data panics if t was
// released.
func (t *Tensor) Data() []float64 {
	t.mustLive("Data")
	t.handOutData()
	return t.data
}

// Grad returns the gradient of the last Backward with respect to t, in the
// layout of Data, or nil if no gradient has reached t. A tensor that an op
// computed keeps its gradient only if it was asked to, with
// [Tensor.RetainGrad] or [RetainGrads]; a leaf, such as a parameter,
// always does. dl never reuses storage that Grad handed out. Grad panics
// if t was released.
func (t *Tensor) Grad() []float64 {
	t.mustLive("Grad")
	if t.grad != nil {
		t.gradOut.Store(true)
	}
	return t.grad
}

// Item returns the value of a one-element tensor, such as a loss of shape
// []. It panics if t does not have exactly one element, or was released.
func (t *Tensor) Item() float64 {
	t.mustLive("Item")
	if len(t.data) != 1 {
		panic(fmt.Sprintf("dl: Item: tensor of shape %v has %d elements, not 1", t.shape, len(t.data)))
	}
	return t.data[0]
}

// Op returns the name of the op that computed t, such as "MatMul", or ""
// for a tensor made directly (data or a parameter).
func (t *Tensor) Op() string { return t.op }

// Inputs returns the tensors that t's op computed it from, when t is part
// of a graph that Backward can walk.
func (t *Tensor) Inputs() []*Tensor { return t.parents }

// Detach returns a tensor that shares t's data but not its graph: no
// gradient flows through it. Its data is handed out, as by Data, so it
// keeps its values after [Tensor.Release]. Detach panics if t was
// released.
func (t *Tensor) Detach() *Tensor {
	t.mustLive("Detach")
	t.handOutData()
	return &Tensor{data: t.data, shape: t.shape}
}

// Clone returns a copy of t's data and shape, outside any graph. Clone
// panics if t was released: clone a tensor before Release to keep it.
func (t *Tensor) Clone() *Tensor {
	t.mustLive("Clone")
	return &Tensor{data: slices.Clone(t.data), shape: slices.Clone(t.shape)}
}

// ZeroGrad clears the gradients of params, so that the next Backward starts
// from zero instead of adding to them. A gradient buffer that Grad never
// handed out goes back to dl's pool, for the next Backward; a slice that
// Grad returned keeps its values.
func ZeroGrad(params ...*Tensor) {
	notNils("ZeroGrad", "params", params)
	for _, p := range params {
		p.dropGrad()
	}
}

// Backward computes the gradient of t with respect to every tensor that t
// was computed from and that requires a gradient, by the chain rule, from
// the output back to the inputs.
//
// Gradients accumulate, as in PyTorch: a tensor reached along two paths
// gets the sum of both, and calling Backward again without ZeroGrad adds
// the new gradients of parameters to the old ones. Gradients of
// intermediate tensors are recomputed from zero each time.
//
// Leaves (parameters) keep their gradients. An intermediate tensor, one
// that an op computed, passes its gradient on to its inputs and then lets
// it go, so that its buffer serves the gradients still to come: after
// Backward its Grad is nil. To keep it, as for drawing the graph with its
// gradients, mark the tensor with [Tensor.RetainGrad] before Backward, or
// keep them all with the option [RetainGrads]:
//
//	loss.Backward(dl.RetainGrads)
//
// Backward panics if t does not have exactly one element (reduce it
// first, with Sum or Mean), or if t or a tensor of its graph was released.
func (t *Tensor) Backward(opts ...BackwardOption) {
	t.mustLive("Backward")
	if t.life == graphReleased {
		panic("dl: Backward: the graph of this tensor was released by Release; compute the loss again")
	}
	if len(t.data) != 1 {
		panic(fmt.Sprintf("dl: Backward: tensor of shape %v has %d elements; reduce it to one first (Sum or Mean)", t.shape, len(t.data)))
	}
	retainAll := slices.Contains(opts, RetainGrads)
	order := t.topo()
	for _, n := range order {
		// The backward rules read the tensors of the graph and their
		// inputs, none of which may be released.
		n.mustLiveIn("Backward")
		for _, in := range n.parents {
			in.mustLiveIn("Backward")
			if in.life == graphReleased && in.cut > n.born {
				panic(fmt.Sprintf("dl: Backward: the graph holds a tensor (%s %v) that Release was called on, "+
					"which ended the graph below it; call Release on the loss, after its last Backward", opName(in), in.shape))
			}
		}
		if n.backward != nil {
			n.dropGrad() // intermediate: fresh each time
		}
	}
	// An intermediate's gradient is made when the first of its consumers
	// adds into it, just before it is needed, rather than all at the start:
	// memory that was just cleared is still in the cache when it is used.
	if t.grad == nil { // t's own gradient, ∂t/∂t = 1; a leaf's adds to its last
		t.grad = allocZeroed(1)
	}
	t.grad[0] += 1
	for i := len(order) - 1; i >= 0; i-- {
		if n := order[i]; n.backward != nil {
			gradFor(n) // no consumer passed a gradient back: zeros
			countFLOPs(n.bwdFLOPs)
			n.backward()
			if !n.retain && !retainAll {
				n.dropGrad() // passed on to the inputs: its buffer serves the next ones
			}
		}
	}
}

// A BackwardOption changes what [Tensor.Backward] keeps.
type BackwardOption int

// RetainGrads makes Backward keep the gradient of every tensor of the
// graph, as [Tensor.RetainGrad] does for one, so that a drawing of the
// graph (plotting.Graph) can show them all. It is PyTorch's retain_grad
// on every tensor at once.
const RetainGrads BackwardOption = 1

// RetainGrad makes Backward keep t's gradient, as for a leaf, although an
// op computed t, and returns t: after Backward, t.Grad() is the gradient
// of the loss with respect to t, as PyTorch's retain_grad gives. It
// panics if t was released.
func (t *Tensor) RetainGrad() *Tensor {
	t.mustLive("RetainGrad")
	t.retain = true
	return t
}

// topo returns the graph below t in topological order: every tensor comes
// after its inputs.
func (t *Tensor) topo() []*Tensor {
	var order []*Tensor
	seen := make(map[*Tensor]bool)
	// An explicit stack: deep graphs (long training unrolls) must not
	// overflow the goroutine stack.
	type frame struct {
		t    *Tensor
		next int
	}
	stack := []frame{{t: t}}
	seen[t] = true
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next < len(f.t.parents) {
			p := f.t.parents[f.next]
			f.next++
			if !seen[p] && p.requiresGrad {
				seen[p] = true
				stack = append(stack, frame{t: p})
			}
			continue
		}
		order = append(order, f.t)
		stack = stack[:len(stack)-1]
	}
	return order
}

// accumulate adds g into t's gradient.
func (t *Tensor) accumulate(g []float64) {
	gt := gradFor(t)
	parallel.For(len(g), len(g), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			gt[i] += g[i]
		}
	})
}

// result makes the output of an op, whose data comes from alloc or
// allocZeroed and belongs to it alone. It records the graph only when an
// input requires a gradient; then the op sets backward.
//
// result counts the op's FLOPs as an op that is not a product: one per
// element forward, and as much backward for each input that gets a
// gradient (see FLOPCounter). The products count theirs with product.
func result(op string, data []float64, shape []int, inputs ...*Tensor) *Tensor {
	n := elementFLOPs(op, len(data), inputs)
	out := product(op, n, data, shape, inputs...)
	for _, in := range inputs {
		if in.requiresGrad {
			out.bwdFLOPs += n
		}
	}
	return out
}

// product is result for an op that counts its own FLOPs: fwd now, and
// the backward FLOPs that it sets in the output's bwdFLOPs.
func product(op string, fwd int, data []float64, shape []int, inputs ...*Tensor) *Tensor {
	countFLOPs(fwd)
	out := &Tensor{data: data, shape: shape, op: op, own: true, born: clock.Add(1)}
	for _, in := range inputs {
		if in.requiresGrad {
			out.requiresGrad = true
			out.parents = inputs
			break
		}
	}
	return out
}

// notNil panics if the tensor t, the argument arg of op, is nil, with a
// message that names both, "dl: Add: a is nil", rather than the bare nil
// dereference that the op would give further on; or if t was released by
// Release, rather than let the op read memory that serves other tensors
// now. Every exported function that takes tensors checks them first, most
// through the helper that does their work (binary, unary, sum, ...).
func notNil(op, arg string, t *Tensor) {
	if t == nil {
		panic(fmt.Sprintf("dl: %s: %s is nil", op, arg))
	}
	notReleased(op, arg, t)
}

// notReleased panics if t, the argument arg of op, was released by
// Release. It is notNil for arguments that may be nil, such as a bias.
func notReleased(op, arg string, t *Tensor) {
	if t != nil && t.dead() {
		panic(fmt.Sprintf("dl: %s: %s was released by Release (with the graph it belonged to); "+
			"Clone it before Release to keep it", op, arg))
	}
}

// notNils is notNil for each tensor of the list ts, the argument arg of op,
// such as Concat's xs: "dl: Concat: xs[1] is nil".
func notNils(op, arg string, ts []*Tensor) {
	for i, t := range ts {
		if t == nil || t.dead() { // the name is formatted only for the panic
			notNil(op, fmt.Sprintf("%s[%d]", arg, i), t)
		}
	}
}

// numel is the number of elements of a shape.
func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// checkShape panics if a size in shape is negative.
func checkShape(op string, shape []int) {
	for _, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("dl: %s: negative size in shape %v", op, shape))
		}
	}
}
