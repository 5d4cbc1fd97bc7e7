// Package tally counts events for tests that must show which code paths
// ran: a test of the parallel paths whose problems are too small to take
// them proves nothing. Packages dl/internal/parallel and dl/internal/gemm
// count through it; it imports nothing of dl.
package tally

import (
	"sync"
	"sync/atomic"
)

// A Recorder counts events by name while at least one recording runs. Its
// zero value is ready to use. While nothing records, Note costs one atomic
// load.
type Recorder struct {
	active  atomic.Int32 // how many recordings run
	mu      sync.Mutex
	running map[*map[string]int]bool
}

// Start starts a recording and returns a function that stops it and
// returns how many times each event was noted while it ran. Recordings may
// overlap: each one sees every event noted while it runs.
func (r *Recorder) Start() (stop func() map[string]int) {
	counts := map[string]int{}
	r.mu.Lock()
	if r.running == nil {
		r.running = map[*map[string]int]bool{}
	}
	r.running[&counts] = true
	r.active.Add(1)
	r.mu.Unlock()
	return func() map[string]int {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.running[&counts] {
			delete(r.running, &counts)
			r.active.Add(-1)
		}
		return counts
	}
}

// Active reports whether a recording runs, so that a caller can skip the
// work of naming an event that nobody counts.
func (r *Recorder) Active() bool { return r.active.Load() > 0 }

// Note counts event in every running recording.
func (r *Recorder) Note(event string) {
	if !r.Active() {
		return
	}
	r.mu.Lock()
	for counts := range r.running {
		(*counts)[event]++
	}
	r.mu.Unlock()
}
