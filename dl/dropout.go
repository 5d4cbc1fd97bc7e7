package dl

import (
	"fmt"
	"math/rand/v2"
)

// Dropout returns x with each element zeroed with probability p and the
// others scaled by 1/(1-p), in x's shape (Srivastava et al., 2014). The
// scaling ("inverted dropout") keeps the expected value of each element,
// so nothing needs to change when dropout is left out at test time.
//
// Derivative: out = x·mask, with mask 0 for a dropped element and 1/(1-p)
// for a kept one, so gx += g·mask: the gradient flows through the kept
// elements, with the same scale.
//
// Dropout is always active: it drops elements whenever it is called. To
// evaluate a model, do not call it (or call it with p = 0, which returns x
// itself). rng draws which elements to drop.
//
// Dropout panics if p is outside [0, 1), or if rng is nil and p > 0.
func Dropout(x *Tensor, p float64, rng *rand.Rand) *Tensor {
	notNil("Dropout", "x", x)
	if !(p >= 0 && p < 1) {
		panic(fmt.Sprintf("dl: Dropout: p = %v is outside [0, 1)", p))
	}
	if p == 0 {
		return x
	}
	if rng == nil {
		panic(fmt.Sprintf("dl: Dropout: nil rng with p = %v", p))
	}
	mask := alloc(len(x.data))
	scale := 1 / (1 - p)
	for i := range mask {
		mask[i] = 0
		if rng.Float64() >= p {
			mask[i] = scale
		}
	}
	return dropout(x, mask)
}

// dropout returns x times mask, element by element: the work of Dropout
// once the mask is drawn.
func dropout(x *Tensor, mask []float64) *Tensor {
	data := alloc(len(x.data))
	for i, v := range x.data {
		data[i] = v * mask[i]
	}
	out := result("Dropout", data, x.shape, x)
	out.keep(mask)
	if out.requiresGrad {
		out.backward = func() {
			gx := gradFor(x)
			for i, g := range out.grad {
				gx[i] += g * mask[i]
			}
		}
	}
	return out
}
