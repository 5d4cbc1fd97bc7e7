package loops

// Strides returns the row-major strides of shape: how far apart in the
// data two elements are that differ by one in a dimension. The strides
// of [2 3 4] are [12 4 1].
func Strides(shape []int) []int {
	s := make([]int, len(shape))
	n := 1
	for d := len(shape) - 1; d >= 0; d-- {
		s[d] = n
		n *= shape[d]
	}
	return s
}

// Offsets visits the positions of shape in row-major order and returns,
// for each, the sum over dimensions of position times stride. With a
// tensor's own strides that is the position's index; other strides read
// the tensor in another order (a permutation), or read one element many
// times with a stride of 0 (broadcasting, reductions).
func Offsets(shape, stride []int) []int {
	idx := make([]int, numel(shape))
	Runs(shape, stride, func(o, at, n, step int) {
		for j := range n {
			idx[o+j] = at + j*step
		}
	})
	return idx
}

// Runs visits a tensor of the given shape in row-major order, one run
// along its last dimension at a time: f gets the run's first index o, the
// offset at of its first element in a tensor read with the given strides,
// its length n and the stride step of the last dimension. A scalar is one
// run of length 1.
func Runs(shape, stride []int, f func(o, at, n, step int)) {
	if len(shape) == 0 {
		f(0, 0, 1, 0)
		return
	}
	last := len(shape) - 1
	n, step := shape[last], stride[last]
	total := numel(shape)
	if total == 0 {
		return
	}
	pos := make([]int, last)
	at := 0
	for o := 0; o < total; o += n {
		f(o, at, n, step)
		for d := last - 1; d >= 0; d-- { // next run, odometer style
			pos[d]++
			at += stride[d]
			if pos[d] < shape[d] {
				break
			}
			at -= stride[d] * pos[d]
			pos[d] = 0
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
