package nn

import (
	"fmt"
	"math"

	"github.com/dlnb/dlnb/dl"
)

// NTXent returns the normalized temperature-scaled cross-entropy loss of
// SimCLR (Chen et al., 2020, "A Simple Framework for Contrastive Learning of
// Visual Representations", eq. 1), the contrastive loss that learns from
// pairs of views without labels. z1 and z2 are [n, d]: row i of z1 and row i
// of z2 are two augmented views of example i, through the same network.
//
// The 2n rows are normalized to unit length, so that their dot products are
// cosine similarities sim(a, b) = a·b / (‖a‖‖b‖) in [−1, 1]. Each row a is an
// anchor; its positive p is the other view of the same example, and the
// other 2n − 2 rows are its negatives. Its loss is the cross-entropy of
// picking p among the 2n − 1 rows other than itself, with the similarities
// divided by the temperature τ as logits:
//
//	ℓ(a) = −log( exp(sim(a, p)/τ) / Σ_{b ≠ a} exp(sim(a, b)/τ) )
//
// NTXent returns the mean of ℓ over all 2n anchors, a scalar. It is at its
// lowest, near 0 for small τ, when each pair agrees and differs from every
// other example; a small τ such as 0.1–0.5 weighs the hardest negatives
// most. MoCo's InfoNCE loss (He et al., 2020) is the same cross-entropy,
// with the negatives taken from a queue of earlier batches.
//
// It is built from dl's ops (Concat, MatMul, MaskedFill with −Inf on the
// diagonal, CrossEntropy), so its gradient is theirs. A zero row has no
// direction: its norm is taken as √(‖z‖² + 1e-12), which keeps the loss
// finite.
//
// NTXent panics if z1 or z2 is not [n, d] with n ≥ 1 and d ≥ 1, if their
// shapes differ, or if temperature is not a positive finite number.
func NTXent(z1, z2 *dl.Tensor, temperature float64) *dl.Tensor {
	notNil("NTXent", "z1", z1)
	notNil("NTXent", "z2", z2)
	if z1.Dim() != 2 || z2.Dim() != 2 || z1.Shape()[0] != z2.Shape()[0] || z1.Shape()[1] != z2.Shape()[1] ||
		z1.Shape()[0] < 1 || z1.Shape()[1] < 1 {
		panic(fmt.Sprintf("nn: NTXent: views %v and %v do not fit; want two [n, d] tensors of the same shape, row i of each a view of example i",
			z1.Shape(), z2.Shape()))
	}
	if !(temperature > 0) || math.IsInf(temperature, 1) {
		panic(fmt.Sprintf("nn: NTXent: temperature %v; want a positive number such as 0.5", temperature))
	}
	n := z1.Shape()[0]
	z := dl.Concat(0, z1, z2) // [2n, d]: rows 0..n-1 the first views, n..2n-1 the second
	norm := dl.Sqrt(dl.Add(dl.Sum(dl.Mul(z, z), 1), dl.Scalar(1e-12)))
	u := dl.Div(z, dl.Reshape(norm, 2*n, 1)) // unit rows
	logits := dl.Div(dl.MatMul(u, dl.Transpose(u)), dl.Scalar(temperature))
	self := make([]bool, 4*n*n) // the diagonal: an anchor is not its own candidate
	labels := make([]float64, 2*n)
	for i := range 2 * n {
		self[i*2*n+i] = true
		labels[i] = float64((i + n) % (2 * n)) // the other view of the same example
	}
	return CrossEntropy(dl.MaskedFill(logits, self, math.Inf(-1)), dl.New(labels, 2*n))
}
