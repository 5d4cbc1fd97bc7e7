package optim

import (
	"fmt"

	"github.com/dlnb/dlnb/dl"
)

// Freezer is the set of frozen parameters of an optimizer: parameters
// that its Step skips, as if they had no gradient. Every optimizer of this
// package embeds one, so each has the methods Freeze, Unfreeze and
// IsFrozen:
//
//	opt := optim.NewAdamW(1e-3)
//	opt.Freeze(encoder.Params()...) // fine-tune only the new head
//	train.Fit(classifier, labeled, train.Config{Optimizer: opt, ...})
//	opt.Unfreeze(encoder.Params()...) // then fine-tune everything
//
// Freezing is how a pretrained network is fine-tuned in parts (Howard and
// Ruder, 2018, "gradual unfreezing"; the linear probe of a frozen
// encoder): the caller still passes every parameter to Step, as train.Fit
// passes model.Params(), and the optimizer leaves the frozen ones alone.
// A frozen parameter keeps its data bit for bit: no gradient step, no
// weight decay (not even AdamW's decoupled one), no momentum carried
// over. Its optimizer state (velocity, moments, Adam's step count) is
// left as it was, and an unfrozen parameter takes up from there, as a
// parameter with a nil gradient does. Backward still computes the frozen
// parameters' gradients; the step only ignores them.
//
// In PyTorch the same is done with p.requires_grad_(False), or by building
// the optimizer from the parameters to train only. Here the set belongs to
// the optimizer, not to the tensor: another optimizer of the same
// parameters is not affected. The zero Freezer freezes nothing, so a
// struct literal such as &optim.SGD{LR: 0.1} is fine.
type Freezer struct {
	frozen map[*dl.Tensor]bool
}

// Freeze adds params to the frozen set: Step leaves them unchanged until
// Unfreeze. Freezing a frozen parameter again does nothing. Freeze panics
// if a parameter is nil.
func (f *Freezer) Freeze(params ...*dl.Tensor) {
	for i, p := range params {
		if p == nil {
			panic(fmt.Sprintf("optim: Freeze: parameter %d is nil; pass tensors such as model.Params()...", i))
		}
		if f.frozen == nil {
			f.frozen = make(map[*dl.Tensor]bool)
		}
		f.frozen[p] = true
	}
}

// Unfreeze removes params from the frozen set, so that Step updates them
// again, from the state it had kept for them. Unfreezing a parameter that
// is not frozen does nothing. Unfreeze panics if a parameter is nil.
func (f *Freezer) Unfreeze(params ...*dl.Tensor) {
	for i, p := range params {
		if p == nil {
			panic(fmt.Sprintf("optim: Unfreeze: parameter %d is nil; pass tensors such as model.Params()...", i))
		}
		delete(f.frozen, p)
	}
}

// IsFrozen reports whether p is frozen: whether Step skips it.
func (f *Freezer) IsFrozen(p *dl.Tensor) bool { return f.frozen[p] }

// NumFrozen returns how many parameter tensors are frozen.
func (f *Freezer) NumFrozen() int { return len(f.frozen) }

// Freezable is an optimizer whose parameters can be frozen: every
// optimizer of this package, through the [Freezer] it embeds.
type Freezable interface {
	Optimizer
	Freeze(params ...*dl.Tensor)
	Unfreeze(params ...*dl.Tensor)
	IsFrozen(p *dl.Tensor) bool
}

// The optimizers of this package can all be frozen in part.
var (
	_ Freezable = (*SGD)(nil)
	_ Freezable = (*RMSProp)(nil)
	_ Freezable = (*Adam)(nil)
	_ Freezable = (*AdamW)(nil)
)
