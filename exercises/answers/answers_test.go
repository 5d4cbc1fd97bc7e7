package answers_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/exercises"
	"github.com/dlnb/dlnb/exercises/answers"
)

// check is one call of a checker and whether it must pass.
type check struct {
	name string
	run  func() exercises.Result
	ok   bool
}

// verify runs the checks: the right answers must give "✓", the wrong ones a
// "✗" hint, and none may panic.
func verify(t *testing.T, checks []check) {
	t.Helper()
	for _, c := range checks {
		r := c.run()
		s := r.String()
		t.Logf("%s: %s", c.name, s)
		if r.OK != c.ok {
			t.Errorf("%s: OK = %v, want %v: %s", c.name, r.OK, c.ok, s)
		}
		prefix := "✗ "
		if c.ok {
			prefix = "✓ "
		}
		if !strings.HasPrefix(s, prefix) {
			t.Errorf("%s: %q does not start with %q", c.name, s, prefix)
		}
	}
}

func TestBasics(t *testing.T) {
	nand := func(w1, w2, b float64) func() exercises.Result {
		return func() exercises.Result { return exercises.NAND(w1, w2, b) }
	}
	hidden, out := answers.XNOR()
	wrongHidden := hidden
	wrongHidden[1] = [3]float64{1, 1, -0.5} // OR instead of NOR
	verify(t, []check{
		{"NAND answer", func() exercises.Result { return exercises.NAND(answers.NAND()) }, true},
		{"NAND unsolved", nand(0, 0, 0), false},
		{"NAND is AND", nand(1, 1, -1.5), false},
		{"NAND with a wrong bias", nand(-1, -1, 1), false},
		{"XNOR answer", func() exercises.Result { return exercises.XNOR(answers.XNOR()) }, true},
		{"XNOR unsolved", func() exercises.Result { return exercises.XNOR([2][3]float64{}, [3]float64{}) }, false},
		{"XNOR with OR hidden", func() exercises.Result { return exercises.XNOR(wrongHidden, out) }, false},
		{"LR answer", func() exercises.Result { return exercises.LearningRate(answers.LearningRate()) }, true},
		{"LR unsolved", func() exercises.Result { return exercises.LearningRate(0) }, false},
		{"LR too large", func() exercises.Result { return exercises.LearningRate(0.49) }, false},
		{"LR too timid", func() exercises.Result { return exercises.LearningRate(0.4) }, false},
		{"LR 1-D bound", func() exercises.Result { return exercises.LearningRate(2 / 2.47) }, false},
		{"Div answer", func() exercises.Result { return exercises.DivBackward(answers.DivBackward) }, true},
		{"Div nil", func() exercises.Result { return exercises.DivBackward(nil) }, false},
		{"Div unsolved", func() exercises.Result {
			return exercises.DivBackward(func(a, b, grad float64) (float64, float64) { return 0, 0 })
		}, false},
		{"Div sign of db", func() exercises.Result {
			return exercises.DivBackward(func(a, b, g float64) (float64, float64) { return g / b, g * a / (b * b) })
		}, false},
		{"Div no chain rule", func() exercises.Result {
			return exercises.DivBackward(func(a, b, g float64) (float64, float64) { return 1 / b, -a / (b * b) })
		}, false},
		{"Div panics", func() exercises.Result {
			return exercises.DivBackward(func(a, b, g float64) (float64, float64) { panic("not yet") })
		}, false},
	})
}

func TestStableBound(t *testing.T) {
	// The notebook says: curvature about 4.2, so steps above 2/4.2 ≈ 0.48 diverge.
	b := exercises.StableBound(exercises.Points03())
	if b < 0.47 || b > 0.49 {
		t.Errorf("StableBound = %v, want about 0.48", b)
	}
}

func TestDigits(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network")
	}
	untrained := nn.MLP(rand.New(rand.NewPCG(1, 2)), 64, 128, 64, 10)
	wrongShape := nn.MLP(rand.New(rand.NewPCG(1, 2)), 10, 10)
	verify(t, []check{
		{"Digits answer", func() exercises.Result { return exercises.Digits(answers.Digits()) }, true},
		{"Digits nil", func() exercises.Result { return exercises.Digits(nil) }, false},
		{"Digits untrained", func() exercises.Result { return exercises.Digits(untrained) }, false},
		{"Digits wrong shape", func() exercises.Result { return exercises.Digits(wrongShape) }, false},
	})
}

func TestData(t *testing.T) {
	verify(t, []check{
		{"BestShare answer", func() exercises.Result { return exercises.BestShare(answers.BestShare) }, true},
		{"BestShare nil", func() exercises.Result { return exercises.BestShare(nil) }, false},
		{"BestShare unsolved", func() exercises.Result { return exercises.BestShare(func(float64, int) float64 { return 0 }) }, false},
		{"BestShare no exploring hits", func() exercises.Result {
			return exercises.BestShare(func(eps float64, k int) float64 { return 1 - eps })
		}, false},
		{"Folds answer", func() exercises.Result { return exercises.Folds(answers.Folds) }, true},
		{"Folds nil", func() exercises.Result { return exercises.Folds(nil) }, false},
		{"Folds unsolved", func() exercises.Result { return exercises.Folds(func(n, k int) [][]int { return nil }) }, false},
		{"Folds uneven", func() exercises.Result {
			return exercises.Folds(func(n, k int) [][]int {
				f := make([][]int, k)
				for i := range n {
					f[min(i/(n/k), k-1)] = append(f[min(i/(n/k), k-1)], i)
				}
				return f
			})
		}, false},
		{"Folds overlap", func() exercises.Result {
			return exercises.Folds(func(n, k int) [][]int {
				f := answers.Folds(n, k)
				f[0] = append(f[0], f[1][0])
				return f
			})
		}, false},
		{"BiasedSample answer", func() exercises.Result { return exercises.BiasedSample(answers.BiasedSample()) }, true},
		{"BiasedSample unsolved", func() exercises.Result { return exercises.BiasedSample(-1, -1) }, false},
		{"BiasedSample first sample", func() exercises.Result { return exercises.BiasedSample(0, 0) }, false},
		{"BiasedSample wrong digit", func() exercises.Result { return exercises.BiasedSample(2, 3) }, false},
		{"BiasedSample out of range", func() exercises.Result { return exercises.BiasedSample(5, 12) }, false},
		{"LeastConfident answer", func() exercises.Result { return exercises.LeastConfident(answers.LeastConfident) }, true},
		{"LeastConfident nil", func() exercises.Result { return exercises.LeastConfident(nil) }, false},
		{"LeastConfident unsolved", func() exercises.Result {
			return exercises.LeastConfident(func([][]float64, int) []int { return nil })
		}, false},
		{"LeastConfident most confident", func() exercises.Result {
			return exercises.LeastConfident(func(p [][]float64, k int) []int {
				idx := answers.LeastConfident(p, len(p))
				return idx[len(p)-k:]
			})
		}, false},
		{"Thresholds answer", func() exercises.Result { return exercises.Thresholds(answers.Thresholds) }, true},
		{"Thresholds nil", func() exercises.Result { return exercises.Thresholds(nil) }, false},
		{"Thresholds unsolved", func() exercises.Result {
			return exercises.Thresholds(func([][]float64, []int, int) []float64 { return nil })
		}, false},
		{"Thresholds over all rows", func() exercises.Result {
			return exercises.Thresholds(func(p [][]float64, labels []int, classes int) []float64 {
				t := make([]float64, classes)
				for _, row := range p {
					for c := range t {
						t[c] += row[c] / float64(len(p))
					}
				}
				return t
			})
		}, false},
	})
	// Samples08 must hold the bias it claims: few 6s in sample 2, about a
	// tenth of the digits elsewhere.
	for s, set := range exercises.Samples08() {
		n := 0
		for _, y := range set.Labels() {
			if y == 6 {
				n++
			}
		}
		if (s == 2) != (n < 20) {
			t.Errorf("sample %d has %d sixes", s, n)
		}
	}
}

func TestMilestones(t *testing.T) {
	verify(t, []check{
		{"DoublingTime answer", func() exercises.Result { return exercises.DoublingTime(answers.DoublingTime) }, true},
		{"DoublingTime nil", func() exercises.Result { return exercises.DoublingTime(nil) }, false},
		{"DoublingTime unsolved", func() exercises.Result { return exercises.DoublingTime(func(float64) float64 { return 0 }) }, false},
		{"DoublingTime in years", func() exercises.Result {
			return exercises.DoublingTime(func(s float64) float64 { return answers.DoublingTime(s) / 12 })
		}, false},
		{"ConvOut answer", func() exercises.Result { return exercises.ConvOut(answers.ConvOut) }, true},
		{"ConvOut nil", func() exercises.Result { return exercises.ConvOut(nil) }, false},
		{"ConvOut unsolved", func() exercises.Result { return exercises.ConvOut(func(int, int, int, int) int { return 0 }) }, false},
		{"ConvOut no padding", func() exercises.Result {
			return exercises.ConvOut(func(in, k, s, p int) int { return (in-k)/s + 1 })
		}, false},
		{"ConvOut divides by zero", func() exercises.Result {
			return exercises.ConvOut(func(in, k, s, p int) int { return in / (s - s) })
		}, false},
		{"TDTarget answer", func() exercises.Result { return exercises.TDTarget(answers.TDTarget) }, true},
		{"TDTarget nil", func() exercises.Result { return exercises.TDTarget(nil) }, false},
		{"TDTarget unsolved", func() exercises.Result {
			return exercises.TDTarget(func(float64, float64, []float64, bool) float64 { return 0 })
		}, false},
		{"TDTarget ignores done", func() exercises.Result {
			return exercises.TDTarget(func(r, g float64, q []float64, _ bool) float64 { return answers.TDTarget(r, g, q, false) })
		}, false},
		{"Attend answer", func() exercises.Result { return exercises.Attend(answers.Attend) }, true},
		{"Attend nil", func() exercises.Result { return exercises.Attend(nil) }, false},
		{"Attend unsolved", func() exercises.Result {
			return exercises.Attend(func([]float64, [][]float64) []float64 { return nil })
		}, false},
		{"Attend unshifted", func() exercises.Result {
			return exercises.Attend(func(s []float64, v [][]float64) []float64 {
				out := make([]float64, len(v[0]))
				sum := 0.0
				for _, x := range s {
					sum += math.Exp(x)
				}
				for i, row := range v {
					for j := range out {
						out[j] += math.Exp(s[i]) / sum * row[j]
					}
				}
				return out
			})
		}, false},
		{"AdamSteps answer", func() exercises.Result { return exercises.AdamSteps(answers.AdamSteps) }, true},
		{"AdamSteps nil", func() exercises.Result { return exercises.AdamSteps(nil) }, false},
		{"AdamSteps unsolved", func() exercises.Result {
			return exercises.AdamSteps(func([]float64, float64, float64, float64, float64) []float64 { return nil })
		}, false},
		{"AdamSteps uncorrected", func() exercises.Result {
			return exercises.AdamSteps(func(g []float64, a, b1, b2, eps float64) []float64 {
				var m, v float64
				var out []float64
				for _, x := range g {
					m, v = b1*m+(1-b1)*x, b2*v+(1-b2)*x*x
					out = append(out, a*m/(math.Sqrt(v)+eps))
				}
				return out
			})
		}, false},
		{"OptimalD answer", func() exercises.Result { return exercises.OptimalD(answers.OptimalD) }, true},
		{"OptimalD nil", func() exercises.Result { return exercises.OptimalD(nil) }, false},
		{"OptimalD unsolved", func() exercises.Result { return exercises.OptimalD(func(float64, float64) float64 { return 0 }) }, false},
		{"OptimalD swapped", func() exercises.Result {
			return exercises.OptimalD(func(pd, pg float64) float64 { return pg / (pd + pg) })
		}, false},
		{"ChainGrad answer", func() exercises.Result { return exercises.ChainGrad(answers.ChainGrad) }, true},
		{"ChainGrad nil", func() exercises.Result { return exercises.ChainGrad(nil) }, false},
		{"ChainGrad unsolved", func() exercises.Result { return exercises.ChainGrad(func([]float64, bool) float64 { return 0 }) }, false},
		{"ChainGrad residual as plain", func() exercises.Result {
			return exercises.ChainGrad(func(d []float64, _ bool) float64 { return answers.ChainGrad(d, false) })
		}, false},
		{"PUCT answer", func() exercises.Result { return exercises.PUCT(answers.PUCT) }, true},
		{"PUCT nil", func() exercises.Result { return exercises.PUCT(nil) }, false},
		{"PUCT unsolved", func() exercises.Result {
			return exercises.PUCT(func(float64, float64, int, int, float64) float64 { return 0 })
		}, false},
		{"PUCT without the 1+", func() exercises.Result {
			return exercises.PUCT(func(q, p float64, n, na int, c float64) float64 {
				return q + c*p*math.Sqrt(float64(n))/(1+float64(na))
			})
		}, false},
		{"CausalAttention answer", func() exercises.Result { return exercises.CausalAttention(answers.CausalAttention) }, true},
		{"CausalAttention nil", func() exercises.Result { return exercises.CausalAttention(nil) }, false},
		{"CausalAttention unsolved", func() exercises.Result {
			return exercises.CausalAttention(func(q, k, v [][]float64) [][]float64 { return nil })
		}, false},
		{"CausalAttention unmasked", func() exercises.Result {
			return exercises.CausalAttention(func(q, k, v [][]float64) [][]float64 {
				out := make([][]float64, len(q))
				for i := range q {
					s := make([]float64, len(k))
					for j := range k {
						for d := range q[i] {
							s[j] += q[i][d] * k[j][d] / 2
						}
					}
					out[i] = answers.Attend(s, v)
				}
				return out
			})
		}, false},
		{"CausalAttention ragged rows", func() exercises.Result {
			return exercises.CausalAttention(func(q, k, v [][]float64) [][]float64 {
				out := answers.CausalAttention(q, k, v)
				out[2] = out[2][:1]
				return out
			})
		}, false},
	})
}

// TestMilestonesPretraining covers the exercises of notebooks 20–22.
func TestMilestonesPretraining(t *testing.T) {
	verify(t, []check{
		{"BERTMasking answer", func() exercises.Result { return exercises.BERTMasking(answers.BERTMasking) }, true},
		{"BERTMasking nil", func() exercises.Result { return exercises.BERTMasking(nil) }, false},
		{"BERTMasking unsolved", func() exercises.Result {
			return exercises.BERTMasking(func(rng *rand.Rand, ids []int, maskID, vocab int) []int { return ids })
		}, false},
		{"BERTMasking all 15% masked", func() exercises.Result {
			return exercises.BERTMasking(func(rng *rand.Rand, ids []int, maskID, vocab int) []int {
				out := append([]int(nil), ids...)
				for i := range out {
					if rng.Float64() < 0.15 {
						out[i] = maskID
					}
				}
				return out
			})
		}, false},
		{"BERTMasking out of the vocabulary", func() exercises.Result {
			return exercises.BERTMasking(func(rng *rand.Rand, ids []int, maskID, vocab int) []int {
				out := answers.BERTMasking(rng, ids, maskID, vocab)
				out[7] = vocab
				return out
			})
		}, false},
		{"ParamsForLoss answer", func() exercises.Result { return exercises.ParamsForLoss(answers.ParamsForLoss) }, true},
		{"ParamsForLoss nil", func() exercises.Result { return exercises.ParamsForLoss(nil) }, false},
		{"ParamsForLoss unsolved", func() exercises.Result {
			return exercises.ParamsForLoss(func(a, alpha, c, target float64) float64 { return 0 })
		}, false},
		{"ParamsForLoss ignores the floor", func() exercises.Result {
			return exercises.ParamsForLoss(func(a, alpha, c, target float64) float64 { return math.Pow(a/target, 1/alpha) })
		}, false},
		{"ParamsForLoss no Inf below the floor", func() exercises.Result {
			return exercises.ParamsForLoss(func(a, alpha, c, target float64) float64 {
				return math.Pow(a/math.Abs(target-c), 1/alpha)
			})
		}, false},
		{"NTXent answer", func() exercises.Result { return exercises.NTXent(answers.NTXent) }, true},
		{"NTXent nil", func() exercises.Result { return exercises.NTXent(nil) }, false},
		{"NTXent unsolved", func() exercises.Result {
			return exercises.NTXent(func(z1, z2 [][]float64, temperature float64) float64 { return 0 })
		}, false},
		{"NTXent without the temperature", func() exercises.Result {
			return exercises.NTXent(func(z1, z2 [][]float64, temperature float64) float64 { return answers.NTXent(z1, z2, 1) })
		}, false},
		{"NTXent panics", func() exercises.Result {
			return exercises.NTXent(func(z1, z2 [][]float64, temperature float64) float64 { return z1[9][0] })
		}, false},
	})
}
