package dl

import (
	"runtime"
	"sync"
)

// minParallelWork is the least work, in element operations, worth
// splitting across goroutines: below it, starting and joining them costs
// more than it saves.
const minParallelWork = 1 << 15

// parallel calls work(lo, hi) on consecutive ranges that cover [0, n),
// one per CPU, concurrently, when the whole job is about cost element
// operations and that is enough to pay for the goroutines; otherwise it
// calls work(0, n) once. The ranges never overlap, so work may write to
// the part of a buffer that its range owns.
func parallel(n, cost int, work func(lo, hi int)) {
	p := min(runtime.GOMAXPROCS(0), n)
	if p < 2 || cost < minParallelWork {
		work(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := 1; i < p; i++ {
		wg.Go(func() { work(i*n/p, (i+1)*n/p) })
	}
	work(0, n/p)
	wg.Wait()
}
