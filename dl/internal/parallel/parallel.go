// Package parallel splits loops over large tensors across the CPUs, for
// package dl and its optimizers.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// MinWork is the least work, in element operations, worth splitting across
// goroutines: below it, starting and joining them costs more than it saves.
const MinWork = 1 << 15

// chunksPerCPU is how many pieces For cuts the work into for each
// CPU. The pieces are handed out one at a time, so when a CPU is busy with
// another program its share goes to the others instead of holding
// everyone up.
const chunksPerCPU = 4

// For calls work(lo, hi) on consecutive ranges that cover [0, n),
// several at a time on all the CPUs, when the whole job is about cost
// element operations and that is enough to pay for the goroutines;
// otherwise it calls work(0, n) once. The ranges never overlap, so work
// may write to the part of a buffer that its range owns.
func For(n, cost int, work func(lo, hi int)) {
	p := min(runtime.GOMAXPROCS(0), n)
	if p < 2 || cost < MinWork {
		work(0, n)
		return
	}
	chunks := min(n, p*chunksPerCPU)
	var next atomic.Int64
	run := func() {
		for {
			c := int(next.Add(1) - 1)
			if c >= chunks {
				return
			}
			work(c*n/chunks, (c+1)*n/chunks)
		}
	}
	var wg sync.WaitGroup
	for range p - 1 {
		wg.Go(run)
	}
	run()
	wg.Wait()
}

// Sum is For for work that adds into one small buffer, such
// as a bias gradient summed over many rows: each range adds into its own
// zeroed acc of len(dst), and the accs are added into dst at the end.
func Sum(dst []float64, n, cost int, work func(lo, hi int, acc []float64)) {
	var mu sync.Mutex
	For(n, cost, func(lo, hi int) {
		acc := make([]float64, len(dst))
		work(lo, hi, acc)
		mu.Lock()
		for i, v := range acc {
			dst[i] += v
		}
		mu.Unlock()
	})
}
