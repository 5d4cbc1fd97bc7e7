package dl

import (
	"math"
	"slices"
)

// LogSoftmax returns log(Softmax(x, axis)), computed stably by subtracting
// the maximum along axis first. It panics if axis is out of range.
func LogSoftmax(x *Tensor, axis int) *Tensor {
	_, idx := reduction("LogSoftmax", x.shape, []int{axis})
	groups := numel(x.shape) / max(x.shape[normAxis("LogSoftmax", axis, x.shape)], 1)
	// The log of the sum of exponentials of each slice along axis.
	mx := make([]float64, groups)
	for i := range mx {
		mx[i] = math.Inf(-1)
	}
	for i, v := range x.data {
		mx[idx[i]] = max(mx[idx[i]], v)
	}
	lse := make([]float64, groups)
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
			sum := make([]float64, groups)
			for i, g := range out.grad {
				sum[idx[i]] += g
			}
			gx := gradFor(x)
			for i, g := range out.grad {
				gx[i] += g - math.Exp(out.data[i])*sum[idx[i]]
			}
		}
	}
	return out
}

// Softmax returns e^x normalized to sum to 1 along axis (Bridle, 1990):
// turns scores into probabilities. It panics if axis is out of range.
func Softmax(x *Tensor, axis int) *Tensor {
	return Exp(LogSoftmax(x, axis))
}
