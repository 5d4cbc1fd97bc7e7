package optim

import (
	"fmt"
	"math"

	"github.com/dlnb/dlnb/dl"
)

// ClipGradNorm scales the gradients of params together so that their
// global L2 norm, the norm of all their elements as one vector, is at most
// maxNorm, and returns that norm as it was before clipping. It is
// torch.nn.utils.clip_grad_norm_ (Pascanu et al., 2013), and guards
// against a single huge gradient throwing the parameters far away. Call it
// between Backward and Step:
//
//	loss.Backward()
//	optim.ClipGradNorm(model.Params(), 1)
//	opt.Step(model.Params())
//
// Like PyTorch, when the norm n exceeds maxNorm it multiplies every
// gradient by maxNorm/(n + 1e-6), so the clipped norm lands just below
// maxNorm; gradients whose norm is at most maxNorm are left unchanged.
// Parameters with a nil gradient are skipped. Scaling keeps the
// direction of the full gradient, unlike clipping each element.
//
// ClipGradNorm panics if maxNorm is negative.
func ClipGradNorm(params []*dl.Tensor, maxNorm float64) float64 {
	if maxNorm < 0 {
		panic(fmt.Sprintf("optim: ClipGradNorm: maxNorm %v must not be negative", maxNorm))
	}
	var sq float64
	for _, p := range params {
		_, grad := buffers(p)
		for _, g := range grad {
			sq += g * g
		}
	}
	norm := math.Sqrt(sq)
	if norm <= maxNorm {
		return norm
	}
	scale := maxNorm / (norm + 1e-6)
	for _, p := range params {
		_, grad := buffers(p) // the tensor's own gradient, scaled in place
		for i := range grad {
			grad[i] *= scale
		}
	}
	return norm
}
