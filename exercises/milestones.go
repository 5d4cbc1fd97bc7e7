package exercises

import (
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl/nn"
)

// DoublingTime checks notebook 11's conversion from a trend to a doubling
// time: months(slope) must return the doubling time in months of a quantity
// whose log10 grows by slope per year.
func DoublingTime(months func(slope float64) float64) Result {
	if months == nil {
		return fail("months is nil: write a func(slope float64) float64.")
	}
	for _, slope := range []float64{math.Log10(2), 1, 0.3, 1.06} {
		var got float64
		if hint := safely(func() { got = months(slope) }); hint != nil {
			return *hint
		}
		want := 12 * math.Log10(2) / slope
		if !close(got, want, 1e-6) {
			return fail("months(%.3g) = %.4g. With that slope, how many years does it take for log10 to grow by log10(2)? And how many months is that?", slope, got)
		}
	}
	return pass("a slope of 1.06 decades a year doubles every %.1f months, about AI and Compute's 3.4.", 12*math.Log10(2)/1.06)
}

// ConvOut checks the output size of a convolution or pooling layer
// (notebook 12): out(in, kernel, stride, pad) for an input of in pixels, a
// window of kernel pixels moved stride pixels at a time, and pad pixels of
// padding on each side. Among the cases: AlexNet's first layer, and the
// overlapping pooling of notebook 12's "Try this".
func ConvOut(out func(in, kernel, stride, pad int) int) Result {
	if out == nil {
		return fail("out is nil: write a func(in, kernel, stride, pad int) int.")
	}
	for _, c := range [][4]int{{28, 3, 1, 1}, {28, 2, 2, 0}, {227, 11, 4, 0}, {28, 3, 2, 0}, {13, 3, 2, 0}, {7, 3, 1, 0}} {
		var got int
		if hint := safely(func() { got = out(c[0], c[1], c[2], c[3]) }); hint != nil {
			return *hint
		}
		want := (c[0]+2*c[3]-c[1])/c[2] + 1
		if got != want {
			return fail("out(in=%d, kernel=%d, stride=%d, pad=%d) = %d. Count the positions where the whole window fits in the padded input: the first at 0, then every stride pixels.", c[0], c[1], c[2], c[3], got)
		}
	}
	return pass("right on 6 layers, among them AlexNet's first (227 → 55) and 3×3 pooling with stride 2 (28 → 13 → 6).")
}

// TDTarget checks DQN's learning target (notebook 13): target(r, gamma,
// nextQ, done) for a transition with reward r, discount gamma, the target
// network's values nextQ of the next state's actions, and done when the
// episode ended with this transition.
func TDTarget(target func(r, gamma float64, nextQ []float64, done bool) float64) Result {
	if target == nil {
		return fail("target is nil: write a func(r, gamma float64, nextQ []float64, done bool) float64.")
	}
	for _, c := range []struct {
		r, gamma float64
		q        []float64
		done     bool
	}{{0, 0.99, []float64{0.2, 0.5, -0.1}, false}, {1, 0.99, []float64{0.9, 0.3, 0.4}, true},
		{-1, 0.9, []float64{-0.5, -0.7, -0.2}, false}, {0.5, 0.5, []float64{2, 1, 3}, false}} {
		var got float64
		if hint := safely(func() { got = target(c.r, c.gamma, c.q, c.done) }); hint != nil {
			return *hint
		}
		want := c.r
		if !c.done {
			m := math.Inf(-1)
			for _, q := range c.q {
				m = math.Max(m, q)
			}
			want += c.gamma * m
		}
		if !close(got, want, 1e-9) {
			if c.done {
				return fail("target(r=%v, …, done=true) = %.4g. After the last step of an episode, what future reward is left?", c.r, got)
			}
			return fail("target(r=%v, gamma=%v, nextQ=%v) = %.4g. The agent acts greedily from the next state on: which of its values counts, and how is it discounted?", c.r, c.gamma, c.q, got)
		}
	}
	return pass("right on 4 transitions, the last step of an episode among them.")
}

// Attend checks attention's read-out (notebook 14): attend(scores, values)
// must turn the scores of the source positions into weights with a softmax
// and return the weighted sum of the values (one row per position). One case
// has scores near 1000, where exp overflows unless you shift the scores.
func Attend(attend func(scores []float64, values [][]float64) []float64) Result {
	if attend == nil {
		return fail("attend is nil: write a func(scores []float64, values [][]float64) []float64.")
	}
	values := [][]float64{{1, 0}, {0, 1}, {2, 2}}
	for _, s := range [][]float64{{0, 0, 0}, {1, 2, 3}, {-1, 5, 0.5}, {1000, 1001, 999}} {
		var got []float64
		if hint := safely(func() { got = attend(s, values) }); hint != nil {
			return *hint
		}
		want := readOut(s, values)
		if len(got) != len(want) {
			return fail("attend(%v, …) has %d numbers; the output has the width of one value, %d.", s, len(got), len(want))
		}
		for j := range want {
			if !close(got[j], want[j], 1e-9) {
				if math.IsNaN(got[j]) || math.IsInf(got[j], 0) {
					return fail("attend(%v, …) gives %v: exp(1000) overflows. The softmax does not change if you subtract the same number from every score.", s, got)
				}
				return fail("attend(%v, …) = %.4g. Are the weights positive, and do they sum to 1?", s, got)
			}
		}
	}
	return pass("right on 4 sets of scores, large ones included.")
}

// softmax returns the softmax of s, shifted by its maximum.
func softmax(s []float64) []float64 {
	m := math.Inf(-1)
	for _, v := range s {
		m = math.Max(m, v)
	}
	w, sum := make([]float64, len(s)), 0.0
	for i, v := range s {
		w[i] = math.Exp(v - m)
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// readOut is the softmax-weighted sum of values.
func readOut(scores []float64, values [][]float64) []float64 {
	w := softmax(scores)
	out := make([]float64, len(values[0]))
	for i, v := range values {
		for j := range out {
			out[j] += w[i] * v[j]
		}
	}
	return out
}

// AdamSteps checks Adam's update (notebook 15), with bias correction, on one
// weight: steps(grads, alpha, beta1, beta2, eps) gets the gradients of
// successive steps and must return the update of each step, the amount
// subtracted from the weight.
func AdamSteps(steps func(grads []float64, alpha, beta1, beta2, eps float64) []float64) Result {
	if steps == nil {
		return fail("steps is nil: write a func(grads []float64, alpha, beta1, beta2, eps float64) []float64.")
	}
	for _, g := range [][]float64{{0.5, 0.5, 0.5, 0.5}, {1, -2, 0.3, 4, -0.1, 0.01}} {
		var got []float64
		if hint := safely(func() { got = steps(g, 0.01, 0.9, 0.999, 1e-8) }); hint != nil {
			return *hint
		}
		want := adam(g, 0.01, 0.9, 0.999, 1e-8, true)
		if len(got) != len(want) {
			return fail("%d updates for %d gradients: one per step.", len(got), len(g))
		}
		plain := adam(g, 0.01, 0.9, 0.999, 1e-8, false)
		for t := range want {
			if !close(got[t], want[t], 1e-6) {
				if close(got[t], plain[t], 1e-6) {
					return fail("step %d is %.4g: that is Adam without the bias correction. Both averages start at 0; how much of their weight have they gathered by step %d?", t+1, got[t], t+1)
				}
				return fail("gradients %v: step %d is %.4g, not Adam's. For a constant gradient every step should be α = 0.01.", g, t+1, got[t])
			}
		}
	}
	return pass("your updates match Adam's on two gradient sequences; for a constant gradient each is α.")
}

// adam returns Adam's updates for the gradients g, with or without the bias
// correction.
func adam(g []float64, alpha, b1, b2, eps float64, correct bool) []float64 {
	var m, v float64
	out := make([]float64, len(g))
	for t, gt := range g {
		m = b1*m + (1-b1)*gt
		v = b2*v + (1-b2)*gt*gt
		mh, vh := m, v
		if correct {
			mh, vh = m/(1-math.Pow(b1, float64(t+1))), v/(1-math.Pow(b2, float64(t+1)))
		}
		out[t] = alpha * mh / (math.Sqrt(vh) + eps)
	}
	return out
}

// OptimalD checks the best discriminator of a GAN for a fixed generator
// (notebook 16): d(pData, pG) at a point x where the data has density pData
// and the generator pG must minimise D's loss there,
// −pData·log D − pG·log(1 − D). It is checked against a numerical minimum.
func OptimalD(d func(pData, pG float64) float64) Result {
	if d == nil {
		return fail("d is nil: write a func(pData, pG float64) float64.")
	}
	loss := func(pData, pG, D float64) float64 { return -pData*math.Log(D) - pG*math.Log(1-D) }
	for _, c := range [][2]float64{{1, 1}, {0.3, 0.1}, {0.05, 0.8}, {2, 0.5}} {
		var got float64
		if hint := safely(func() { got = d(c[0], c[1]) }); hint != nil {
			return *hint
		}
		best, bestLoss := 0.0, math.Inf(1)
		for i := 1; i < 100000; i++ {
			D := float64(i) / 100000
			if l := loss(c[0], c[1], D); l < bestLoss {
				best, bestLoss = D, l
			}
		}
		if !(got > 0 && got < 1) || math.Abs(got-best) > 1e-4 {
			return fail("d(pData=%v, pG=%v) = %.4g, with a loss of %.4f, but another D in (0, 1) gets the loss down to %.4f. Set the loss's derivative in D to 0.",
				c[0], c[1], got, loss(c[0], c[1], got), bestLoss)
		}
	}
	return pass("your D minimises the loss at 4 points; where pG = pData it is 1/2: the discriminator can only guess.")
}

// ChainGrad checks how a gradient passes through a stack of blocks
// (notebook 17): grad(derivs, residual) gets the derivative F'(x) of each
// block's function F at the current point (1-D, to keep it simple) and must
// return d output / d input of the stack, for plain blocks y = F(x) or for
// residual blocks y = x + F(x).
func ChainGrad(grad func(derivs []float64, residual bool) float64) Result {
	if grad == nil {
		return fail("grad is nil: write a func(derivs []float64, residual bool) float64.")
	}
	for _, ds := range [][]float64{{0.5, 0.5, 0.5, 0.5}, {0, 0, 0}, {2, -0.5, 0.1}} {
		for _, residual := range []bool{false, true} {
			var got float64
			if hint := safely(func() { got = grad(ds, residual) }); hint != nil {
				return *hint
			}
			want := 1.0
			for _, d := range ds {
				if residual {
					d++
				}
				want *= d
			}
			if !close(got, want, 1e-9) {
				if residual {
					return fail("residual, F' = %v: %.4g. A block whose F' is 0 passes the gradient through unchanged; what is the derivative of x + F(x)?", ds, got)
				}
				return fail("plain, F' = %v: %.4g. The chain rule: what do you do with the derivatives of functions applied one after the other?", ds, got)
			}
		}
	}
	return pass("right for plain and residual stacks: 16 plain blocks with F' = 0.5 pass on %.1e of the gradient, residual ones more than 1.", math.Pow(0.5, 16))
}

// PUCT checks the selection score of notebook 18's MCTS: puct(q, p, n, na, c)
// for a move with mean value q, prior p and na visits, at a position visited
// n times, with exploration constant c, as the notebook writes it.
func PUCT(puct func(q, p float64, n, na int, c float64) float64) Result {
	if puct == nil {
		return fail("puct is nil: write a func(q, p float64, n, na int, c float64) float64.")
	}
	for _, t := range []struct {
		q, p  float64
		n, na int
		c     float64
	}{{0, 0.5, 0, 0, 1.5}, {0.2, 0.1, 10, 3, 1.5}, {-0.5, 0.9, 100, 50, 2}, {1, 0.3, 24, 0, 1}} {
		var got float64
		if hint := safely(func() { got = puct(t.q, t.p, t.n, t.na, t.c) }); hint != nil {
			return *hint
		}
		want := t.q + t.c*t.p*math.Sqrt(1+float64(t.n))/(1+float64(t.na))
		if !close(got, want, 1e-9) {
			return fail("puct(q=%v, p=%v, n=%d, na=%d, c=%v) = %.4g. Compare with the formula in section 3, term by term; note the 1 + in both places.", t.q, t.p, t.n, t.na, t.c, got)
		}
	}
	return pass("right on 4 moves, unvisited ones included: the bonus shrinks as a move is tried.")
}

// CausalAttention checks one head of causal self-attention (notebook 19):
// attention(q, k, v) gets the queries, keys and values of t tokens (t rows of
// d numbers) and must return t output rows: scores q_i·k_j/√d, the causal
// mask (j ≤ i), a softmax over each row, and the weighted sum of values.
func CausalAttention(attention func(q, k, v [][]float64) [][]float64) Result {
	if attention == nil {
		return fail("attention is nil: write a func(q, k, v [][]float64) [][]float64.")
	}
	q := [][]float64{{1, 0, 1, 0}, {0, 2, 0, 1}, {1, 1, -1, 0}, {0.5, 0, 0, 2}}
	k := [][]float64{{0, 1, 1, 0}, {1, 0, 0, 1}, {2, 1, 0, 0}, {0, 0, 1, 1}}
	v := [][]float64{{1, 0}, {0, 1}, {1, 1}, {-1, 2}}
	var got [][]float64
	if hint := safely(func() { got = attention(q, k, v) }); hint != nil {
		return *hint
	}
	want := attend(q, k, v, true, true)
	if len(got) != len(want) {
		return fail("%d output rows for %d tokens: one per token.", len(got), len(want))
	}
	unmasked, unscaled := attend(q, k, v, false, true), attend(q, k, v, true, false)
	for i := range want {
		if len(got[i]) != len(want[i]) || !closeRows(got[i], want[i]) {
			switch {
			case len(got[i]) == len(want[i]) && closeRows(got[i], unmasked[i]):
				return fail("token %d reads tokens after it: a language model must not see the future.", i)
			case len(got[i]) == len(want[i]) && closeRows(got[i], unscaled[i]):
				return fail("token %d: the scores are not scaled; what keeps wide vectors from saturating the softmax?", i)
			}
			return fail("token %d: output %.4g, not what attention gives. Go through the steps in order: scores, scale, mask, softmax, weighted sum of the values.", i, got[i])
		}
	}
	return pass("right on 4 tokens: masked, scaled, and each row's weights sum to 1.")
}

// attend is the reference attention, with or without the mask and the scale.
func attend(q, k, v [][]float64, causal, scaled bool) [][]float64 {
	out := make([][]float64, len(q))
	for i := range q {
		var scores []float64
		for j := range k {
			if causal && j > i {
				break
			}
			s := 0.0
			for d := range q[i] {
				s += q[i][d] * k[j][d]
			}
			if scaled {
				s /= math.Sqrt(float64(len(q[i])))
			}
			scores = append(scores, s)
		}
		out[i] = readOut(scores, v[:len(scores)])
	}
	return out
}

// closeRows reports whether two rows agree to 1e-9.
func closeRows(a, b []float64) bool {
	for j := range a {
		if !close(a[j], b[j], 1e-9) {
			return false
		}
	}
	return true
}

// BERTMasking checks BERT's corruption of a sequence (notebook 20): mask
// takes token ids, the id of [MASK] and the vocabulary size, and returns
// the corrupted ids, having chosen 15% of the positions and, of those,
// replaced 80% by [MASK], 10% by a random token and left 10% unchanged. The
// checker runs it on 200,000 positions and compares the shares it can see:
// [MASK] at 12%, another token at about 1.5%, the rest unchanged.
func BERTMasking(mask func(rng *rand.Rand, ids []int, maskID, vocab int) []int) Result {
	if mask == nil {
		return fail("mask is nil: write a func(rng *rand.Rand, ids []int, maskID, vocab int) []int.")
	}
	const n, vocab, maskID = 200000, 30, 3
	rng := rand.New(rand.NewPCG(20, 1))
	ids := make([]int, n)
	for i := range ids {
		ids[i] = 4 + rng.IntN(vocab-4) // ids 0..3 are the special tokens
	}
	orig := append([]int(nil), ids...)
	var got []int
	if hint := safely(func() { got = mask(rand.New(rand.NewPCG(20, 2)), ids, maskID, vocab) }); hint != nil {
		return *hint
	}
	if len(got) != n {
		return fail("%d ids back for %d: one per position.", len(got), n)
	}
	masked, changed := 0, 0
	for i, id := range got {
		switch {
		case id < 0 || id >= vocab:
			return fail("position %d became id %d, outside the vocabulary 0..%d.", i, id, vocab-1)
		case id == maskID:
			masked++
		case id != orig[i]:
			changed++
		}
	}
	// Of the 1.5% random replacements, one in 30 draws the same token back
	// (or [MASK]): about 1.4% of the positions change to another token.
	pm, pc := float64(masked)/n, float64(changed)/n
	switch {
	case masked == 0 && changed == 0:
		return fail("nothing changed: choose 15%% of the positions first.")
	case math.Abs(pm-0.12) > 0.004:
		return fail("%.1f%% of the positions became [MASK]; want 80%% of the 15%% chosen, 12%% of all.", 100*pm)
	case math.Abs(pc-0.0145) > 0.002:
		return fail("%.2f%% of the positions became another token; want about 10%% of the 15%% chosen (1.5%%, a little less since a random token can be the same one).", 100*pc)
	}
	return pass("%.2f%% [MASK] and %.2f%% random tokens over %d positions: BERT's 15%% with 80/10/10.", 100*pm, 100*pc, n)
}

// ParamsForLoss checks the inverse of a scaling law (notebook 21): given
// the law L(N) = a·N^(−α) + c and a target loss, params returns the number
// of parameters N at which the law reaches it, or +Inf for a target the
// law never reaches (at or below its floor c).
func ParamsForLoss(params func(a, alpha, c, target float64) float64) Result {
	if params == nil {
		return fail("params is nil: write a func(a, alpha, c, target float64) float64.")
	}
	for _, tt := range []struct{ a, alpha, c, target float64 }{
		{3.92, 0.0582, 0, 1.9}, {10, 0.076, 0, 2}, {5, 0.3, 1.5, 1.8}, {3.92, 0.0582, 0, 2.6}, {5, 0.3, 1.5, 1.5}, {5, 0.3, 1.5, 1.2},
	} {
		var got float64
		if hint := safely(func() { got = params(tt.a, tt.alpha, tt.c, tt.target) }); hint != nil {
			return *hint
		}
		want := math.Inf(1)
		if tt.target > tt.c {
			want = math.Pow(tt.a/(tt.target-tt.c), 1/tt.alpha)
		}
		if math.IsInf(want, 1) {
			if !math.IsInf(got, 1) {
				return fail("with floor c = %g, a target of %g is never reached, however big N: return math.Inf(1), not %g.", tt.c, tt.target, got)
			}
			continue
		}
		if !close(got, want, 1e-6) {
			return fail("for L(N) = %g·N^-%g + %g and target %g you gave N = %.4g; put it back into the law: L(%.4g) = %.4g.",
				tt.a, tt.alpha, tt.c, tt.target, got, got, tt.a*math.Pow(got, -tt.alpha)+tt.c)
		}
	}
	return pass("right on 6 laws and targets, including targets at and below the floor.")
}

// NTXent checks SimCLR's loss written by hand (notebook 22): loss takes the
// two views' embeddings z1 and z2 (n rows each; row i of z1 and row i of z2
// are a positive pair) and the temperature, and returns the mean NT-Xent
// loss over all 2n embeddings, as nn.NTXent does.
func NTXent(loss func(z1, z2 [][]float64, temperature float64) float64) Result {
	if loss == nil {
		return fail("loss is nil: write a func(z1, z2 [][]float64, temperature float64) float64.")
	}
	z1 := [][]float64{{1, 0.5, -0.2}, {0.1, 1, 0.3}, {-0.5, 0.2, 1}}
	z2 := [][]float64{{0.9, 0.4, 0}, {0.3, 0.8, 0.1}, {-0.2, 0.1, 1.2}}
	for _, tau := range []float64{0.5, 0.1} {
		var got float64
		if hint := safely(func() { got = loss(z1, z2, tau) }); hint != nil {
			return *hint
		}
		want := nn.NTXent(tensor(z1), tensor(z2), tau).Item()
		if !close(got, want, 1e-9) {
			return fail("at temperature %g: %.6g; nn.NTXent gives another value. Normalise each row, divide the cosine similarities by the temperature, leave each embedding's similarity with itself out of its softmax, and average over all %d embeddings.", tau, got, 2*len(z1))
		}
	}
	return pass("the same as nn.NTXent at temperatures 0.5 and 0.1.")
}
