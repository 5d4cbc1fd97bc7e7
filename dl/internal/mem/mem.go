// Package mem keeps the buffers that package dl reuses from one training
// step to the next, and lets dl's own packages above dl (optim, train)
// reach the buffers of a tensor without handing them out.
//
// # The pool
//
// Training repeats the same ops on the same sizes at every step, so the
// buffers of one step's tensors, gradients and scratch space fit the next
// step exactly. Package dl gives them back here when it no longer needs
// them ([PutFloats], [PutInts]) and takes them from here instead of
// allocating ([Floats], [Zeros], [Ints]).
//
//   - Keyed by length: a buffer is found again only by a request for its
//     exact length (its capacity, as made here).
//   - Dirty: a buffer from [Floats] or [Ints] holds old values, and the
//     caller must set every element; [Zeros] clears it first.
//   - Bounded: the pool holds at most [Limit] bytes (1 GiB unless
//     [SetLimit] changes it). A buffer that does not fit makes room by
//     dropping the lengths that were asked for least recently, so that a
//     program that moves on to other sizes (another model) does not keep
//     the old ones; what still does not fit is left to the garbage
//     collector.
//   - Safe for concurrent use: one mutex guards it.
//
// The pool never decides what may be reused: package dl gives back only
// buffers that no tensor still reads and that were never handed out (see
// "Memory" in dl's package doc).
package mem

import (
	"math"
	"sync"
	"unsafe"
)

// DefaultLimit is the limit of the pool, in bytes, until [SetLimit]
// changes it: 1 GiB, far more than a step of the course's models uses (a
// step of the Transformer workload of bench/workloads, the largest, takes
// under 100 MB).
const DefaultLimit = 1 << 30

// Poison, when set, makes the pool fill every buffer that is given back
// with NaN (floats) or math.MinInt (ints), so that an op that reads a
// pooled buffer before it sets it gives NaN or an index out of range,
// never a plausible number. Tests set it before they start, in TestMain.
var Poison bool

// class is the free list of one buffer length.
type class[T any] struct {
	free [][]T
	used uint64 // the pool's tick at the last request or return of this length
}

var pool = struct {
	mu     sync.Mutex
	floats map[int]*class[float64]
	ints   map[int]*class[int]
	held   int // bytes in the free lists
	limit  int
	tick   uint64
}{
	floats: map[int]*class[float64]{},
	ints:   map[int]*class[int]{},
	limit:  DefaultLimit,
}

// Floats returns a buffer of n float64 that holds old values.
func Floats(n int) []float64 { return get(pool.floats, n) }

// Zeros returns a buffer of n float64 set to zero.
func Zeros(n int) []float64 {
	b := get(pool.floats, n)
	clear(b)
	return b
}

// Ints returns a buffer of n int that holds old values.
func Ints(n int) []int { return get(pool.ints, n) }

// PutFloats gives b back to the pool. The caller must not use b again.
func PutFloats(b []float64) {
	if Poison {
		b = b[:cap(b)]
		for i := range b {
			b[i] = math.NaN()
		}
	}
	put(pool.floats, b)
}

// PutInts gives b back to the pool. The caller must not use b again.
func PutInts(b []int) {
	if Poison {
		b = b[:cap(b)]
		for i := range b {
			b[i] = math.MinInt
		}
	}
	put(pool.ints, b)
}

// get takes a buffer of length n from classes, or makes one.
func get[T any](classes map[int]*class[T], n int) []T {
	if n == 0 {
		return []T{}
	}
	pool.mu.Lock()
	pool.tick++
	c := classes[n]
	if c != nil {
		c.used = pool.tick
		if k := len(c.free); k > 0 {
			b := c.free[k-1]
			c.free[k-1] = nil
			c.free = c.free[:k-1]
			pool.held -= bytes(b)
			pool.mu.Unlock()
			return b
		}
	}
	pool.mu.Unlock()
	return make([]T, n)
}

// put files b under its capacity, making room within the limit.
func put[T any](classes map[int]*class[T], b []T) {
	n := cap(b)
	if n == 0 {
		return
	}
	b = b[:n]
	size := bytes(b)
	pool.mu.Lock()
	defer pool.mu.Unlock()
	pool.tick++
	c := classes[n]
	if c == nil {
		c = &class[T]{}
		classes[n] = c
	}
	c.used = pool.tick
	for pool.held+size > pool.limit && evictOldest(c) {
	}
	if pool.held+size > pool.limit {
		return // left to the garbage collector
	}
	c.free = append(c.free, b)
	pool.held += size
}

// evictOldest drops the free buffers of the length, other than keep's,
// that was asked for least recently, and reports whether there was one.
// The caller holds the lock.
func evictOldest[T any](keep *class[T]) bool {
	var oldestF *class[float64]
	var oldestI *class[int]
	oldest := uint64(math.MaxUint64)
	for _, c := range pool.floats {
		if len(c.free) > 0 && any(c) != any(keep) && c.used < oldest {
			oldestF, oldestI, oldest = c, nil, c.used
		}
	}
	for _, c := range pool.ints {
		if len(c.free) > 0 && any(c) != any(keep) && c.used < oldest {
			oldestF, oldestI, oldest = nil, c, c.used
		}
	}
	switch {
	case oldestF != nil:
		pool.held -= drop(oldestF)
	case oldestI != nil:
		pool.held -= drop(oldestI)
	default:
		return false
	}
	return true
}

// drop empties c's free list and returns the bytes it held.
func drop[T any](c *class[T]) int {
	n := 0
	for _, b := range c.free {
		n += bytes(b)
	}
	c.free = nil
	return n
}

// bytes is the size of b's storage.
func bytes[T any](b []T) int {
	var zero T
	return cap(b) * int(unsafe.Sizeof(zero))
}

// SetLimit sets the most bytes the pool holds, drops buffers until it
// holds no more than that, and returns the previous limit. A limit of 0
// empties the pool and turns it off: every request allocates. SetLimit
// panics if bytes is negative.
func SetLimit(bytes int) (previous int) {
	if bytes < 0 {
		panic("mem: SetLimit: negative limit")
	}
	pool.mu.Lock()
	defer pool.mu.Unlock()
	previous, pool.limit = pool.limit, bytes
	for pool.held > pool.limit && evictOldest[float64](nil) {
	}
	return previous
}

// Limit returns the most bytes the pool holds.
func Limit() int {
	pool.mu.Lock()
	defer pool.mu.Unlock()
	return pool.limit
}

// Held returns the bytes of the buffers in the pool now.
func Held() int {
	pool.mu.Lock()
	defer pool.mu.Unlock()
	return pool.held
}

// Hooks that package dl sets in its init, for dl's own packages above it.
// They take a *dl.Tensor as an any, since this package cannot name dl's
// types (dl imports it).
var (
	// Buffers returns the data and gradient of the tensor t without
	// marking them as handed out, so that ZeroGrad can still give the
	// gradient back to the pool: the optimizers of dl/optim update a
	// parameter through it. The caller must not keep either slice after
	// the call that uses it (an optimizer's Step).
	Buffers func(t any) (data, grad []float64)

	// Drop ends the tensor t, which an op made outside any graph for the
	// caller alone (train.Fit's batches): it gives t's data back to the
	// pool unless a slice of it was handed out, and marks t released, so
	// that any later use of t panics instead of reading reused memory. It
	// does nothing to a tensor that is already released.
	Drop func(t any)
)
