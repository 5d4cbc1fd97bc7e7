package dl

import (
	"math"
	"slices"
)

// LogSoftmax returns log(Softmax(x, axis)), of x's shape, computed stably
// by subtracting the maximum along axis first: for scores [batch, classes]
// and axis -1, the log-probabilities of the classes. A negative axis
// counts from the end. LogSoftmax panics if axis is out of range.
func LogSoftmax(x *Tensor, axis int) *Tensor { return logSoftmax("LogSoftmax", x, axis) }

// logSoftmax does the work of LogSoftmax, with op naming the caller in
// panics.
func logSoftmax(op string, x *Tensor, axis int) *Tensor {
	// Each slice along axis is a group; idx[i] is the group of element i.
	groups, idx := reduction(op, x.shape, []int{axis})
	n := numel(groups)
	// The log of the sum of exponentials of each slice along axis.
	mx := make([]float64, n)
	for i := range mx {
		mx[i] = math.Inf(-1)
	}
	for i, v := range x.data {
		mx[idx[i]] = max(mx[idx[i]], v)
	}
	lse := make([]float64, n)
	for i, v := range x.data {
		lse[idx[i]] += math.Exp(v - mx[idx[i]])
	}
	for g := range lse {
		lse[g] = mx[g] + math.Log(lse[g])
	}
	data := make([]float64, len(x.data))
	for i, v := range x.data {
		data[i] = v - lse[idx[i]]
	}
	out := result("LogSoftmax", data, slices.Clone(x.shape), x)
	if out.requiresGrad {
		out.backward = func() {
			// d/dx_j = g_j - softmax_j · Σ_k g_k, within each slice.
			gsum := make([]float64, n)
			for i, g := range out.grad {
				gsum[idx[i]] += g
			}
			gx := gradFor(x)
			for i, g := range out.grad {
				gx[i] += g - math.Exp(out.data[i])*gsum[idx[i]]
			}
		}
	}
	return out
}

// Softmax returns e^x normalized to sum to 1 along axis, of x's shape
// (Bridle, 1990): it turns scores into probabilities. A negative axis
// counts from the end. Softmax panics if axis is out of range.
func Softmax(x *Tensor, axis int) *Tensor {
	return Exp(logSoftmax("Softmax", x, axis))
}
