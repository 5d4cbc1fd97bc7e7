package gemm

import (
	"sync"
	"sync/atomic"
)

// Recording, for tests that must show which paths ran: a test of the
// parallel paths whose products are too small to take them proves nothing.
var (
	recorders atomic.Int32 // how many CountPaths are recording
	recordMu  sync.Mutex
	records   = map[*map[string]int]bool{}
)

// CountPaths starts recording the paths that Dgemm takes, and returns a
// function that stops recording and returns how many products took each
// path. The paths are "naive" (a plain loop), "dots" and "outer" (the two
// skinny shortcuts, see the package doc), "blocked", and, for products
// split over threads, "outer k-split" (the inner dimension of byOuter cut
// into two or more chunks), "blocked split" (C cut into two or more
// blocks) and "blocked 2-D" (cut both across and down). Recordings may
// overlap: each one sees every product made while it runs. While nothing
// records, Dgemm pays one atomic load for this.
func CountPaths() (stop func() map[string]int) {
	counts := map[string]int{}
	recordMu.Lock()
	records[&counts] = true
	recorders.Add(1)
	recordMu.Unlock()
	return func() map[string]int {
		recordMu.Lock()
		defer recordMu.Unlock()
		if records[&counts] {
			delete(records, &counts)
			recorders.Add(-1)
		}
		return counts
	}
}

// note records, for CountPaths, that a product took path.
func note(path string) {
	if recorders.Load() == 0 {
		return
	}
	recordMu.Lock()
	for counts := range records {
		(*counts)[path]++
	}
	recordMu.Unlock()
}

// Skinny reports whether this build takes the skinny shortcuts "dots" and
// "outer": only with the assembly micro-kernel.
func Skinny() bool { return useAsm }
