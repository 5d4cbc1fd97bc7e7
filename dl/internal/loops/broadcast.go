package loops

import (
	"slices"

	"github.com/dlnb/dlnb/dl/internal/mem"
	"github.com/dlnb/dlnb/dl/internal/parallel"
)

// Broadcast walks two operands a and b, broadcast to a common shape, in
// step with the output: it is the engine behind dl's element-wise ops on
// two tensors. The op itself comes as a loop over equal-length slices,
// which Broadcast calls on blocks of the output; loops over whole slices,
// rather than a function call per element, let the compiler keep them
// tight.
//
// The shapes that occur in practice, the same shape or one operand
// repeating along the other (a bias [d] over [n, d], a scalar), run in
// blocks over the data with no index, split across the CPUs when large.
// Other broadcasts ([n, 1] over [n, d], or [b, 1, d] over [b, t, d]) go
// through the output in runs: the longest stretch of trailing dimensions
// that neither operand stretches, d in the second example, is
// contiguous in all three, so the loop is called on slices of that
// length (1 in the first example). The runs are visited in order, so
// gradients are summed in the same order as element by element.
type Broadcast struct {
	n      int     // elements of the output
	a, b   operand // the operands as seen in blocks of the output
	l      int     // block length
	blocks int
	run    int   // other broadcasts: the length of a run
	ia, ib []int // other broadcasts: the index in a and b of each run's first element
}

// blockLen is the length of the blocks that Broadcast works in: long
// enough to amortize a call, short enough to stay in cache.
const blockLen = 512

// operand is one input of a binary op as seen in blocks of the output:
// either full (the output's shape; block j reads the same elements) or
// repeating (its elements repeat along the output with period len(data),
// as a bias [d] over [n, d] or a scalar; every block reads rep, the data
// repeated to the block length).
type operand struct {
	data []float64
	rep  []float64 // nil when full
}

// block returns the elements of o under out[lo:hi].
func (o operand) block(lo, hi int) []float64 {
	if o.rep == nil {
		return o.data[lo:hi]
	}
	return o.rep[:hi-lo]
}

// NewBroadcast prepares to walk a, of shape aShape, and b, of shape
// bShape, broadcast to shape, which the caller has checked that they
// broadcast to.
func NewBroadcast(a []float64, aShape []int, b []float64, bShape []int, shape []int) *Broadcast {
	p := &Broadcast{n: numel(shape), a: operand{data: a}, b: operand{data: b}}
	if !(repeats(aShape, shape) && repeats(bShape, shape)) {
		k := unstretched(aShape, bShape, shape)
		p.run = numel(shape[len(shape)-k:])
		p.ia = runIndex(aShape[:len(aShape)-k], shape[:len(shape)-k], p.run)
		p.ib = runIndex(bShape[:len(bShape)-k], shape[:len(shape)-k], p.run)
		return p
	}
	// Block length: a multiple of each repeating period, so that every block
	// starts at the start of a period.
	p.l = blockLen
	for _, d := range [][]float64{a, b} {
		if per := len(d); per < p.n && per > 0 {
			p.l = per * max(1, blockLen/per)
		}
	}
	for _, o := range []*operand{&p.a, &p.b} {
		if len(o.data) < p.n {
			o.rep = mem.Floats(p.l) // set whole below; see Buffers
			for i := range o.rep {
				o.rep[i] = o.data[i%len(o.data)]
			}
		}
	}
	p.blocks = (p.n + p.l - 1) / max(p.l, 1)
	return p
}

// Forward calls f(out, a, b) on blocks of out, each with the elements of
// a and b under it, so that f sets every element of out from its inputs.
func (p *Broadcast) Forward(out []float64, f func(out, a, b []float64)) {
	if p.ia != nil {
		a, b, r := p.a.data, p.b.data, p.run
		for q, j := range p.ia {
			i, k := q*r, p.ib[q]
			f(out[i:i+r], a[j:j+r], b[k:k+r])
		}
		return
	}
	parallel.For(p.blocks, p.n, func(lo, hi int) {
		for j := lo; j < hi; j++ {
			s, e := p.span(j)
			f(out[s:e], p.a.block(s, e), p.b.block(s, e))
		}
	})
}

// GradA adds a's gradient into ga, given the output's gradient g: it
// calls d(ga, g, a, b) on blocks of the output, each with the part of ga
// to add into, and sums over the elements of the output that an element
// of a was stretched to. It does nothing if ga is nil (a needs no
// gradient).
func (p *Broadcast) GradA(ga, g []float64, d func(ga, g, a, b []float64)) {
	p.grad(ga, g, p.a, p.ia, d)
}

// GradB is GradA for b: it adds b's gradient into gb, calling
// d(gb, g, a, b).
func (p *Broadcast) GradB(gb, g []float64, d func(gb, g, a, b []float64)) {
	p.grad(gb, g, p.b, p.ib, d)
}

// grad does the work of GradA and GradB for the operand x, whose indices
// are ix when the output is indexed.
func (p *Broadcast) grad(gx, g []float64, x operand, ix []int, d func(gx, g, a, b []float64)) {
	if gx == nil {
		return
	}
	if p.ia != nil {
		a, b, r := p.a.data, p.b.data, p.run
		for q, j := range p.ia {
			i, k, x := q*r, p.ib[q], ix[q]
			d(gx[x:x+r], g[i:i+r], a[j:j+r], b[k:k+r])
		}
		return
	}
	if x.rep == nil { // full: each block adds into its own part
		parallel.For(p.blocks, p.n, func(lo, hi int) {
			for j := lo; j < hi; j++ {
				s, e := p.span(j)
				d(gx[s:e], g[s:e], p.a.block(s, e), p.b.block(s, e))
			}
		})
		return
	}
	// Repeating: sum over the blocks, then fold the periods.
	acc := mem.Zeros(p.l)
	defer mem.PutFloats(acc)
	parallel.Sum(acc, p.blocks, p.n, func(lo, hi int, acc []float64) {
		for j := lo; j < hi; j++ {
			s, e := p.span(j)
			d(acc[:e-s], g[s:e], p.a.block(s, e), p.b.block(s, e))
		}
	})
	for i, v := range acc {
		gx[i%len(gx)] += v
	}
}

// Buffers returns the buffers that p took from the pool of dl/internal/mem
// (an operand repeated to the block length), for the caller to give back
// once it no longer calls GradA or GradB.
func (p *Broadcast) Buffers() [][]float64 {
	var bufs [][]float64
	for _, o := range []operand{p.a, p.b} {
		if o.rep != nil {
			bufs = append(bufs, o.rep)
		}
	}
	return bufs
}

// span returns the range of output elements of block j.
func (p *Broadcast) span(j int) (lo, hi int) {
	return j * p.l, min((j+1)*p.l, p.n)
}

// repeats reports whether a tensor of shape in, broadcast to out, repeats
// its elements in order with period numel(in): in, without its leading
// 1s, is the end of out. The same shape, a scalar and a bias [d] over
// [n, d] do; [n, 1] over [n, d] does not.
func repeats(in, out []int) bool {
	for len(in) > 0 && in[0] == 1 {
		in = in[1:]
	}
	return len(in) <= len(out) && slices.Equal(in, out[len(out)-len(in):])
}

// unstretched returns how many trailing dimensions of out both a and b
// have at full size, so that neither is stretched along them.
func unstretched(a, b, out []int) int {
	k := 0
	for k < min(len(a), len(b)) {
		d := out[len(out)-1-k]
		if a[len(a)-1-k] != d || b[len(b)-1-k] != d {
			break
		}
		k++
	}
	return k
}

// runIndex returns, for every run of run elements of the output (the
// elements under one index of out, the output's leading dimensions), the
// index of its first element in a tensor whose leading dimensions are in
// and whose trailing ones are the run's.
func runIndex(in, out []int, run int) []int {
	ix := broadcastIndex(in, out)
	for i := range ix {
		ix[i] *= run
	}
	return ix
}

// broadcastIndex returns, for every element of out, the index of the
// element of a tensor of shape in that broadcasts to it.
func broadcastIndex(in, out []int) []int {
	// in's strides, aligned to out's last dimensions; 0 where in is
	// stretched, so that one element is read many times.
	stride := make([]int, len(out))
	s := Strides(in)
	for k, n := range in {
		if n != 1 {
			stride[len(out)-len(in)+k] = s[k]
		}
	}
	return Offsets(out, stride)
}
