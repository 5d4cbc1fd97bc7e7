package nn

import (
	"fmt"
	"slices"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/internal/mem"
)

// The losses compare a batch of predictions with a batch of targets and
// return a scalar tensor (shape []): the mean of the per-example losses
// over the batch, ready for Backward. Each panics with both shapes when
// they do not fit.

// MSE returns the mean squared error mean((yHat − y)²) over all elements,
// the loss of least squares (Legendre, 1805; Gauss, 1809) and of
// regression.
//
// yHat and y must have the same shape, for example [batch, k]; as an
// exception, [n] and [n, 1] fit each other (a one-output model against a
// vector of targets). Without that rule NumPy broadcasting would silently
// compare every prediction with every target. MSE panics on other shapes.
func MSE(yHat, y *dl.Tensor) *dl.Tensor {
	notNil("MSE", "yHat", yHat)
	notNil("MSE", "y", y)
	if !slices.Equal(yHat.Shape(), y.Shape()) {
		if !fitsColumn(yHat, y) {
			panic(fmt.Sprintf("nn: MSE: shapes %v and %v do not fit; want the same shape (or [n] and [n 1])", yHat.Shape(), y.Shape()))
		}
		yHat, y = column("MSE", yHat, y)
	}
	d := dl.Sub(yHat, y)
	return dl.Mean(dl.Mul(d, d))
}

// Huber returns the Huber loss (Huber, 1964) of yHat against y with
// threshold delta, averaged over all elements: for each difference
// d = yHat − y,
//
//	½·d²               if |d| ≤ delta
//	delta·(|d| − ½·delta) otherwise
//
// quadratic near 0, like MSE, and linear far away, so a large error pulls
// with a gradient of at most delta rather than growing without bound. DQN
// uses it with delta 1 (Mnih et al., 2015, who describe it as clipping the
// error term to [−1, 1]), as PyTorch's SmoothL1Loss and HuberLoss do.
//
// yHat and y must have the same shape, or be [n] and [n, 1], as for MSE.
// Huber panics on other shapes or if delta is not positive.
func Huber(yHat, y *dl.Tensor, delta float64) *dl.Tensor {
	notNil("Huber", "yHat", yHat)
	notNil("Huber", "y", y)
	if !(delta > 0) {
		panic(fmt.Sprintf("nn: Huber: delta %v; want a positive threshold such as 1", delta))
	}
	if !slices.Equal(yHat.Shape(), y.Shape()) {
		if !fitsColumn(yHat, y) {
			panic(fmt.Sprintf("nn: Huber: shapes %v and %v do not fit; want the same shape (or [n] and [n 1])", yHat.Shape(), y.Shape()))
		}
		yHat, y = column("Huber", yHat, y)
	}
	d := dl.Sub(yHat, y)
	small := make([]bool, d.Len())
	for i, v := range d.Data() {
		small[i] = v >= -delta && v <= delta
	}
	quad := dl.Mul(dl.Scalar(0.5), dl.Mul(d, d))
	lin := dl.Mul(dl.Scalar(delta), dl.Sub(dl.Abs(d), dl.Scalar(delta/2)))
	return dl.Mean(dl.Where(small, quad, lin))
}

// BCE returns the binary cross-entropy of logits z against targets y in
// {0, 1}, averaged over the batch. With p = σ(z) the predicted probability
// of class 1, the loss of one example is
//
//	−[y·log p + (1−y)·log(1−p)] = softplus(z) − y·z
//
// and the right-hand form is what BCE computes: it never takes the log of
// a probability that rounded to 0, so it stays finite for any logits (as
// PyTorch's BCEWithLogitsLoss). Its gradient with respect to z is σ(z) − y.
// Soft targets in [0, 1] are allowed too.
//
// logits are [n] or [n, 1] and y [n] or [n, 1] with the same n. BCE panics
// if the shapes do not fit or if a target is outside [0, 1].
func BCE(logits, y *dl.Tensor) *dl.Tensor {
	notNil("BCE", "logits", logits)
	notNil("BCE", "y", y)
	z, t := column("BCE", logits, y)
	for i, v := range t.Data() {
		if !(v >= 0 && v <= 1) {
			panic(fmt.Sprintf("nn: BCE: target %v at index %d is not in [0, 1]; BCE wants labels 0 and 1", v, i))
		}
	}
	return dl.Mean(dl.Sub(dl.Softplus(z), dl.Mul(t, z)))
}

// CrossEntropy returns the softmax cross-entropy of logits [n, classes]
// against labels [n], class indices stored as float64 (0, 1, 2, ...),
// averaged over the batch: for each example, −log softmax(z)[label], the
// negative log-probability that the model gives the right class. It is
// computed with dl.LogSoftmax, so large logits do not overflow. This is
// PyTorch's nn.CrossEntropyLoss; the softmax output goes back to Bridle
// (1990).
//
// CrossEntropy panics if the shapes do not fit or if a label is not a
// whole number in 0..classes-1.
func CrossEntropy(logits, labels *dl.Tensor) *dl.Tensor {
	notNil("CrossEntropy", "logits", logits)
	notNil("CrossEntropy", "labels", labels)
	if logits.Dim() != 2 || labels.Dim() != 1 || labels.Shape()[0] != logits.Shape()[0] {
		panic(fmt.Sprintf("nn: CrossEntropy: logits %v and labels %v do not fit; want logits [n, classes] and labels [n]",
			logits.Shape(), labels.Shape()))
	}
	n, classes := logits.Shape()[0], logits.Shape()[1]
	// Example i's label c picks element i·classes + c of the flattened
	// log-probabilities.
	pick := mem.Ints(n) // set below; Index copies it
	defer mem.PutInts(pick)
	for i, v := range labels.Data() {
		c := int(v)
		if float64(c) != v || c < 0 || c >= classes {
			panic(fmt.Sprintf("nn: CrossEntropy: label %v at index %d is not a class in 0..%d", v, i, classes-1))
		}
		pick[i] = i*classes + c
	}
	logProb := dl.Index(dl.Reshape(dl.LogSoftmax(logits, 1), n*classes), 0, pick) // [n]
	return dl.Neg(dl.Mean(logProb))
}

// Hinge returns the hinge loss mean(max(0, 1 − y·s)) of scores s against
// labels y in {−1, +1}: zero for an example on the right side of the
// decision boundary with a margin of at least 1, growing linearly
// otherwise. It is the loss of the support vector machine (Cortes & Vapnik,
// 1995); with a margin of 0 instead of 1 it is the perceptron's criterion.
//
// scores are [n] or [n, 1] and y [n] or [n, 1] with the same n. Hinge
// panics if the shapes do not fit or if a label is not −1 or +1.
func Hinge(scores, y *dl.Tensor) *dl.Tensor {
	notNil("Hinge", "scores", scores)
	notNil("Hinge", "y", y)
	s, t := column("Hinge", scores, y)
	for i, v := range t.Data() {
		if v != -1 && v != 1 {
			panic(fmt.Sprintf("nn: Hinge: label %v at index %d is not -1 or +1", v, i))
		}
	}
	return dl.Mean(dl.ReLU(dl.Sub(dl.Scalar(1), dl.Mul(t, s))))
}

// column checks that a and b are each [n] or [n, 1] with the same n, and
// returns both reshaped to [n]. It panics, naming op, otherwise.
func column(op string, a, b *dl.Tensor) (*dl.Tensor, *dl.Tensor) {
	if !fitsColumn(a, b) {
		panic(fmt.Sprintf("nn: %s: shapes %v and %v do not fit; want [n] or [n 1] for both, with the same n", op, a.Shape(), b.Shape()))
	}
	n := a.Len()
	return dl.Reshape(a, n), dl.Reshape(b, n)
}

// fitsColumn reports whether a and b are each [n] or [n, 1], with the same n.
func fitsColumn(a, b *dl.Tensor) bool {
	n, okA := columnLen(a)
	m, okB := columnLen(b)
	return okA && okB && n == m
}

// columnLen returns n if t is [n] or [n, 1].
func columnLen(t *dl.Tensor) (int, bool) {
	s := t.Shape()
	switch {
	case len(s) == 1:
		return s[0], true
	case len(s) == 2 && s[1] == 1:
		return s[0], true
	}
	return 0, false
}

// CrossEntropyMasked is [CrossEntropy] for padded sequences: the softmax
// cross-entropy of logits [batch, T, classes] against labels [batch, T],
// averaged over the positions where mask [batch, T] is 1, the real tokens;
// where it is 0, the padding, neither the label nor the logits count, and
// no gradient flows. This is PyTorch's
// nn.CrossEntropyLoss(ignore_index=pad) on logits.reshape(-1, classes), and
// what a seq2seq model trains on (data.Seq2SeqBatch's TgtOut and TgtMask):
//
//	logits, _ := m.Run(b.Src, b.SrcLen, b.TgtIn)
//	loss := nn.CrossEntropyMasked(logits, b.TgtOut, b.TgtMask)
//
// Averaging over the real tokens, rather than over every position, keeps
// a batch of short sequences from weighing less. With a mask of all 1 it
// is [SequenceCrossEntropy]. Logits [n, classes] with labels and mask [n]
// work too.
//
// CrossEntropyMasked panics if the shapes do not fit, if a mask value is
// neither 0 nor 1, if the mask has no 1, or if a label under a 1 is not a
// whole number in 0..classes-1.
func CrossEntropyMasked(logits, labels, mask *dl.Tensor) *dl.Tensor {
	const op = "CrossEntropyMasked"
	notNil(op, "logits", logits)
	notNil(op, "labels", labels)
	notNil(op, "mask", mask)
	ls := logits.Shape()
	if logits.Dim() < 2 || !slices.Equal(labels.Shape(), ls[:len(ls)-1]) || !slices.Equal(mask.Shape(), labels.Shape()) {
		panic(fmt.Sprintf("nn: CrossEntropyMasked: logits %v, labels %v and mask %v do not fit; want logits [batch, T, classes] and labels and mask [batch, T]",
			ls, labels.Shape(), mask.Shape()))
	}
	classes := ls[len(ls)-1]
	n := labels.Len()
	var pick []int
	for i, m := range mask.Data() {
		switch m {
		case 0:
			continue
		case 1:
		default:
			panic(fmt.Sprintf("nn: CrossEntropyMasked: mask value %v at index %d; want 1 at a token and 0 at padding", m, i))
		}
		v := labels.Data()[i]
		c := int(v)
		if float64(c) != v || c < 0 || c >= classes {
			panic(fmt.Sprintf("nn: CrossEntropyMasked: label %v at index %d is not a class in 0..%d", v, i, classes-1))
		}
		pick = append(pick, i*classes+c)
	}
	if len(pick) == 0 {
		panic("nn: CrossEntropyMasked: the mask is all 0; there is no token to average over")
	}
	logProb := dl.Index(dl.Reshape(dl.LogSoftmax(logits, -1), n*classes), 0, pick) // [tokens]
	return dl.Neg(dl.Mean(logProb))
}
