// Package answers holds the solutions of the course's exercises, for
// teachers. Learners: solve the exercise in the notebook first; the checker
// of package exercises tells you what is wrong without giving the answer.
//
// Each function returns the solution in the form the exercise cell uses, so
// that a teacher can swap it in: for notebook 01,
//
//	w1, w2, b := answers.NAND()
//	fmt.Println(exercises.NAND(w1, w2, b))
//
// and for an exercise that asks for a function, the function itself:
//
//	fmt.Println(exercises.DivBackward(answers.DivBackward))
package answers

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/exercises"
)

// NAND returns perceptron weights for NAND (notebook 01): the line
// x1 + x2 = 1.5, with the sign flipped so that (1, 1) is the side of 0.
func NAND() (w1, w2, b float64) { return -1, -1, 1.5 }

// XNOR returns a network for XNOR (notebook 02): hidden units AND and NOR,
// and an output unit that is their OR.
func XNOR() (hidden [2][3]float64, out [3]float64) {
	return [2][3]float64{{1, 1, -1.5}, {-1, -1, 0.5}}, [3]float64{1, 1, -0.5}
}

// LearningRate returns the largest stable learning rate of notebook 03's
// 2-D runs, to two digits, just under 2/λ ≈ 0.482 (λ: the steepest curvature).
func LearningRate() float64 { return 0.48 }

// DivBackward is the backward rule of out = a/b (notebook 04):
// ∂out/∂a = 1/b and ∂out/∂b = −a/b², each times the upstream gradient.
func DivBackward(a, b, grad float64) (da, db float64) { return grad / b, -grad * a / (b * b) }

// Digits trains a network that reaches the target on the validation part of
// exercises.DigitsSplit (notebook 05), in about 4 s: notebook 05's recipe
// gets 0.956 there, so it adds a BatchNorm on the inputs (it learns their
// scale from the training part), one wider hidden layer with dropout, and
// Adam for 100 epochs. It reached 0.970 to 0.978 on seeds 1 to 3.
func Digits() nn.Module {
	trainSet, _, _ := exercises.DigitsSplit()
	rng := rand.New(rand.NewPCG(1, 2))
	model := nn.NewSequential(nn.NewBatchNorm(64), nn.NewLinear(rng, 64, 256), nn.ReLU{},
		nn.NewDropout(rng, 0.3), nn.NewLinear(rng, 256, 10))
	_, err := train.Fit(model, trainSet, train.Config{
		Loss: nn.CrossEntropy, Optimizer: optim.NewAdam(0.001),
		Epochs: 100, BatchSize: 32, Seed: 1,
	})
	if err != nil {
		panic(err)
	}
	return model
}

// BestShare is the share of steps in which ε-greedy picks the best of k
// answers (notebook 06): it exploits with probability 1 − ε, and explores
// with ε, when a random answer is the best one in 1 case of k.
func BestShare(eps float64, k int) float64 { return 1 - eps + eps/float64(k) }

// Folds splits 0..n-1 into k folds for cross-validation (notebook 07): index
// i goes to fold i mod k. (Shuffle the indices first when the data is
// ordered.)
func Folds(n, k int) [][]int {
	folds := make([][]int, k)
	for i := range n {
		folds[i%k] = append(folds[i%k], i)
	}
	return folds
}

// BiasedSample is the answer of notebook 08's exercise: sample 2 lacks most
// of its 6s.
func BiasedSample() (sample, digit int) { return 2, 6 }

// LeastConfident returns the k rows of probs whose top probability is the
// smallest (notebook 09).
func LeastConfident(probs [][]float64, k int) []int {
	idx := make([]int, len(probs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmpFloat(slices.Max(probs[a]), slices.Max(probs[b]))
	})
	return idx[:k]
}

// cmpFloat compares two floats for sorting.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Thresholds returns confident learning's per-class thresholds (notebook
// 10): the mean of probs[i][c] over the rows i labelled c.
func Thresholds(probs [][]float64, labels []int, classes int) []float64 {
	sum, n := make([]float64, classes), make([]float64, classes)
	for i, c := range labels {
		sum[c] += probs[i][c]
		n[c]++
	}
	for c := range sum {
		sum[c] /= n[c]
	}
	return sum
}

// DoublingTime returns the doubling time in months of a trend whose log10
// grows by slope a year (notebook 11).
func DoublingTime(slope float64) float64 { return 12 * math.Log10(2) / slope }

// ConvOut returns the output size of a convolution or pooling window
// (notebook 12).
func ConvOut(in, kernel, stride, pad int) int { return (in+2*pad-kernel)/stride + 1 }

// TDTarget returns DQN's target r + γ·max Q(s', ·), or r at the end of an
// episode (notebook 13).
func TDTarget(r, gamma float64, nextQ []float64, done bool) float64 {
	if done {
		return r
	}
	return r + gamma*slices.Max(nextQ)
}

// Attend returns the softmax-weighted sum of the values (notebook 14).
// dl.Softmax subtracts the largest score before exp, so large scores do not
// overflow.
func Attend(scores []float64, values [][]float64) []float64 {
	w := dl.Softmax(dl.New(scores, 1, len(scores)), 1).Data()
	out := make([]float64, len(values[0]))
	for i, v := range values {
		for j := range out {
			out[j] += w[i] * v[j]
		}
	}
	return out
}

// AdamSteps returns Adam's update of each step for one weight, with bias
// correction (notebook 15).
func AdamSteps(grads []float64, alpha, beta1, beta2, eps float64) []float64 {
	var m, v float64
	var out []float64
	for t, g := range grads {
		m = beta1*m + (1-beta1)*g
		v = beta2*v + (1-beta2)*g*g
		mh := m / (1 - math.Pow(beta1, float64(t+1)))
		vh := v / (1 - math.Pow(beta2, float64(t+1)))
		out = append(out, alpha*mh/(math.Sqrt(vh)+eps))
	}
	return out
}

// OptimalD returns the best discriminator for a fixed generator
// (notebook 16): pData / (pData + pG).
func OptimalD(pData, pG float64) float64 { return pData / (pData + pG) }

// ChainGrad returns the derivative of a stack of blocks (notebook 17): the
// product of F' for plain blocks, of 1 + F' for residual ones.
func ChainGrad(derivs []float64, residual bool) float64 {
	g := 1.0
	for _, d := range derivs {
		if residual {
			d++
		}
		g *= d
	}
	return g
}

// PUCT returns the selection score Q + c·P·√(1+N)/(1+N(a)) (notebook 18).
func PUCT(q, p float64, n, na int, c float64) float64 {
	return q + c*p*math.Sqrt(1+float64(n))/(1+float64(na))
}

// CausalAttention returns one head of causal, scaled dot-product
// self-attention (notebook 19).
func CausalAttention(q, k, v [][]float64) [][]float64 {
	out := make([][]float64, len(q))
	for i := range q {
		scores := make([]float64, i+1)
		for j := range scores {
			for d := range q[i] {
				scores[j] += q[i][d] * k[j][d]
			}
			scores[j] /= math.Sqrt(float64(len(q[i])))
		}
		out[i] = Attend(scores, v[:i+1])
	}
	return out
}

// BERTMasking corrupts ids as BERT does (notebook 20): each position is
// chosen with probability 0.15; a chosen one becomes [MASK] with
// probability 0.8, a random token with 0.1, and stays as it is otherwise.
func BERTMasking(rng *rand.Rand, ids []int, maskID, vocab int) []int {
	out := append([]int(nil), ids...)
	for i := range out {
		if rng.Float64() >= 0.15 {
			continue
		}
		switch u := rng.Float64(); {
		case u < 0.8:
			out[i] = maskID
		case u < 0.9:
			out[i] = rng.IntN(vocab)
		}
	}
	return out
}

// ParamsForLoss inverts the law L(N) = a·N^(−α) + c (notebook 21): the N
// where L reaches target, N = (a / (target − c))^(1/α), or +Inf when the
// target is at or below the floor c.
func ParamsForLoss(a, alpha, c, target float64) float64 {
	if target <= c {
		return math.Inf(1)
	}
	return math.Pow(a/(target-c), 1/alpha)
}

// NTXent is SimCLR's loss by hand (notebook 22): the mean over all 2n
// embeddings of the cross-entropy of finding the other view among the
// 2n − 1 others, with cosine similarities divided by the temperature.
func NTXent(z1, z2 [][]float64, temperature float64) float64 {
	z := append(append([][]float64(nil), z1...), z2...)
	n := len(z1)
	unit := make([][]float64, len(z))
	for i, row := range z {
		norm := 0.0
		for _, v := range row {
			norm += v * v
		}
		norm = math.Sqrt(norm)
		for _, v := range row {
			unit[i] = append(unit[i], v/norm)
		}
	}
	sim := func(a, b int) float64 {
		s := 0.0
		for d := range unit[a] {
			s += unit[a][d] * unit[b][d]
		}
		return s / temperature
	}
	total := 0.0
	for a := range unit {
		p := (a + n) % (2 * n) // the other view of the same example
		sum := 0.0
		for b := range unit {
			if b != a {
				sum += math.Exp(sim(a, b))
			}
		}
		total += math.Log(sum) - sim(a, p)
	}
	return total / float64(2*n)
}
