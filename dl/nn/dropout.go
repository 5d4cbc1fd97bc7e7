package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// Dropout zeroes each element of its input with probability P while
// training and scales the others by 1/(1−P) (Srivastava et al., 2014; see
// [dl.Dropout]); in evaluation mode it returns its input unchanged. It
// keeps the shape of its input and has no parameters. It starts in
// training mode; switch it with [SetTraining].
type Dropout struct {
	P float64

	rng  *rand.Rand
	eval bool // evaluation mode; the zero value trains, as PyTorch's modules
}

// NewDropout returns a Dropout layer, in training mode, that draws which
// elements to drop from rng and drops each with probability p. It panics
// if p is outside [0, 1), or if rng is nil and p > 0.
func NewDropout(rng *rand.Rand, p float64) *Dropout {
	if !(p >= 0 && p < 1) {
		panic(fmt.Sprintf("nn: NewDropout: p = %v is outside [0, 1)", p))
	}
	if rng == nil && p > 0 {
		panic(fmt.Sprintf("nn: NewDropout: rng is nil with p = %v; pass one such as rand.New(rand.NewPCG(1, 2))", p))
	}
	return &Dropout{P: p, rng: rng}
}

// SetTraining switches d to training mode (on: drop) or evaluation mode
// (off: identity).
func (d *Dropout) SetTraining(on bool) { d.eval = !on }

// Forward returns x with elements dropped in training mode, and x itself
// in evaluation mode. It panics, in training mode, if P is outside [0, 1)
// or the layer has no rng and P > 0 (a Dropout not made by NewDropout).
func (d *Dropout) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("Dropout", "x", x)
	if d.eval {
		return x
	}
	if !(d.P >= 0 && d.P < 1) {
		panic(fmt.Sprintf("nn: Dropout: P = %v is outside [0, 1)", d.P))
	}
	if d.rng == nil && d.P > 0 {
		panic("nn: Dropout: no rng; make the layer with NewDropout")
	}
	return dl.Dropout(x, d.P, d.rng)
}

// Params returns nil: Dropout learns nothing.
func (*Dropout) Params() []*dl.Tensor { return nil }

// Parts returns no parts: Dropout holds nothing to save (see [Named]).
func (*Dropout) Parts() Parts { return Parts{} }
