// Package parallel splits loops over large tensors across the CPUs, for
// package dl and its optimizers.
//
// # Chunks
//
// [For] and [Sum] cut the range [0, n) into chunks whose number depends
// only on the size of the job (n, its cost and, for Sum, the length of
// the result), never on the number of CPUs (runtime.GOMAXPROCS) or on
// timing; see [Chunks]. The chunks are
// handed out to min(GOMAXPROCS, chunks) goroutines one at a time, so that
// a CPU that is busy with another program leaves its share to the others;
// on one CPU they run one after the other, on the calling goroutine.
//
// [Sum] gives each chunk its own accumulator and adds the accumulators
// into the result in chunk order, after every chunk is done. So a sum
// gives the very same bits on every run and on any number of CPUs, even
// though floating-point addition is not associative.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/dlnb/dlnb/dl/internal/mem"
)

// MinWork is the least work, in element operations, worth splitting across
// goroutines: below it, starting and joining them costs more than it saves.
const MinWork = 1 << 15

const (
	// chunkWork is the least work, in element operations, of a chunk:
	// handing out a chunk and, for Sum, adding its accumulator into the
	// result must cost little next to it.
	chunkWork = MinWork / 2
	// maxChunks bounds the number of chunks: two per CPU on 16 CPUs, and
	// enough that a CPU taken by another program leaves its share to the
	// others on fewer. It also bounds what Sum adds up at the end.
	maxChunks = 32
)

// Chunks returns the number of chunks that For cuts a loop of n
// iterations costing about cost element operations into (Sum may take
// fewer): 1 when cost is below MinWork, otherwise one per chunkWork of
// cost, at most 32 and at most n. It depends on nothing but n and cost.
func Chunks(n, cost int) int {
	if cost < MinWork || n < 2 {
		return 1
	}
	return max(1, min(n, maxChunks, cost/chunkWork))
}

// For calls work(lo, hi) on the consecutive ranges [c·n/chunks,
// (c+1)·n/chunks) for c < Chunks(n, cost), when the whole job is about
// cost element operations: several at a time, on up to GOMAXPROCS
// goroutines. With one chunk it calls work(0, n) once. The ranges never
// overlap, so work may write to the part of a buffer that its range owns.
func For(n, cost int, work func(lo, hi int)) {
	chunks := Chunks(n, cost)
	if chunks > 1 {
		noteSplit("For")
	}
	run(n, chunks, func(_, lo, hi int) { work(lo, hi) })
}

// Sum is For for work that adds into one small buffer, such as a bias
// gradient summed over many rows. It cuts [0, n) into sumChunks(n, cost,
// len(dst)) chunks. With one chunk, work(0, n, dst) adds into dst
// directly. Otherwise each chunk adds into its own zeroed acc of len(dst),
// and once every chunk is done the accs are added into dst in chunk order:
// the result does not depend on which goroutine finished first, nor on
// how many there were. work must only add into acc, since acc may be dst
// itself. The extra cost over a plain loop is one pass over len(dst) per
// chunk, at most an eighth of the work, and a buffer of chunks·len(dst)
// values, taken from the pool of dl/internal/mem and given back.
func Sum(dst []float64, n, cost int, work func(lo, hi int, acc []float64)) {
	chunks := sumChunks(n, cost, len(dst))
	if chunks == 1 {
		work(0, n, dst)
		return
	}
	noteSplit("Sum")
	d := len(dst)
	accs := mem.Zeros(chunks * d)
	run(n, chunks, func(c, lo, hi int) { work(lo, hi, accs[c*d:(c+1)*d]) })
	for c := range chunks {
		for i, v := range accs[c*d : (c+1)*d] {
			dst[i] += v
		}
	}
	mem.PutFloats(accs)
}

// sumChunks returns the number of chunks of Sum: Chunks(n, cost), but no
// more than one per 8·d of cost, so that adding the chunks' accumulators
// of length d into the result costs at most an eighth of the work.
func sumChunks(n, cost, d int) int {
	return max(1, min(Chunks(n, cost), cost/(8*max(d, 1))))
}

// run calls work(c, lo, hi) for each chunk c of [0, n), several at a
// time on up to GOMAXPROCS goroutines, or in order on the calling one.
func run(n, chunks int, work func(c, lo, hi int)) {
	if chunks == 1 {
		work(0, 0, n)
		return
	}
	var next atomic.Int64
	do := func() {
		for {
			c := int(next.Add(1) - 1)
			if c >= chunks {
				return
			}
			work(c, c*n/chunks, (c+1)*n/chunks)
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), chunks) - 1 {
		wg.Go(do)
	}
	do()
	wg.Wait()
}
