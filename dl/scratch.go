package dl

import "sync"

// scratch keeps the work buffers of ops between calls: a convolution's
// im2col matrices and attention's weight gradients, one for each range
// of the work that runs on its own goroutine. Training calls the same ops
// with the same sizes at every step, so the buffers are found here again
// instead of being allocated and cleared anew. A buffer from getScratch
// holds old values: the op must overwrite or clear it.
var scratch sync.Pool

// getScratch returns a buffer of n float64 with any values in it.
func getScratch(n int) []float64 {
	if b, ok := scratch.Get().(*[]float64); ok && cap(*b) >= n {
		return (*b)[:n]
	}
	return make([]float64, n)
}

// putScratch gives b back for a later getScratch.
func putScratch(b []float64) { scratch.Put(&b) }
