package nn_test

import (
	"math"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

// This file checks dl's gradients against an independent implementation:
// a two-layer MLP with softmax cross-entropy written with plain float64
// slices and loops, with its backward pass derived by hand. It uses no dl
// at all, so a bug in dl's autograd cannot hide in both.

// refMLP is x [n, in] → h = x·W1 + b1 → a = act(h) → z = a·W2 + b2 [n, out].
// Matrices are [rows][cols].
type refMLP struct {
	W1, W2 [][]float64 // [in][hidden], [hidden][out]
	B1, B2 []float64   // [hidden], [out]
	act    string      // "relu" or "tanh"
}

// refGrads are the gradients of the loss with respect to each parameter.
type refGrads struct {
	W1, W2 [][]float64
	B1, B2 []float64
}

// lossAndGrads runs the forward pass, the mean cross-entropy against
// labels, and the backward pass by the chain rule.
func (m *refMLP) lossAndGrads(x [][]float64, labels []int) (float64, refGrads) {
	n, in, hidden, out := len(x), len(m.W1), len(m.B1), len(m.B2)

	// Forward.
	h := make([][]float64, n)
	a := make([][]float64, n)
	z := make([][]float64, n)
	for i := range n {
		h[i] = make([]float64, hidden)
		a[i] = make([]float64, hidden)
		for j := range hidden {
			h[i][j] = m.B1[j]
			for k := range in {
				h[i][j] += x[i][k] * m.W1[k][j]
			}
			if m.act == "relu" {
				a[i][j] = math.Max(h[i][j], 0)
			} else {
				a[i][j] = math.Tanh(h[i][j])
			}
		}
		z[i] = make([]float64, out)
		for j := range out {
			z[i][j] = m.B2[j]
			for k := range hidden {
				z[i][j] += a[i][k] * m.W2[k][j]
			}
		}
	}

	// Softmax and loss: p = e^z / Σe^z, loss = mean of −log p[label].
	loss := 0.0
	p := make([][]float64, n)
	for i := range n {
		zmax := z[i][0]
		for _, v := range z[i] {
			zmax = math.Max(zmax, v)
		}
		sum := 0.0
		p[i] = make([]float64, out)
		for j, v := range z[i] {
			p[i][j] = math.Exp(v - zmax)
			sum += p[i][j]
		}
		for j := range p[i] {
			p[i][j] /= sum
		}
		loss -= math.Log(p[i][labels[i]])
	}
	loss /= float64(n)

	// Backward. dL/dz = (p − onehot) / n.
	dz := make([][]float64, n)
	for i := range n {
		dz[i] = make([]float64, out)
		for j := range out {
			dz[i][j] = p[i][j] / float64(n)
			if j == labels[i] {
				dz[i][j] -= 1 / float64(n)
			}
		}
	}
	g := refGrads{W1: zeros(in, hidden), W2: zeros(hidden, out), B1: make([]float64, hidden), B2: make([]float64, out)}
	dh := zeros(n, hidden)
	for i := range n {
		for j := range out {
			g.B2[j] += dz[i][j] // b2 is added to every row
			for k := range hidden {
				g.W2[k][j] += a[i][k] * dz[i][j] // dW2 = aᵀ·dz
			}
		}
		for k := range hidden {
			da := 0.0 // da = dz·W2ᵀ
			for j := range out {
				da += dz[i][j] * m.W2[k][j]
			}
			if m.act == "relu" { // relu' = 1 where h > 0
				if h[i][k] > 0 {
					dh[i][k] = da
				}
			} else { // tanh' = 1 − tanh²
				dh[i][k] = da * (1 - a[i][k]*a[i][k])
			}
		}
		for k := range hidden {
			g.B1[k] += dh[i][k]
			for l := range in {
				g.W1[l][k] += x[i][l] * dh[i][k] // dW1 = xᵀ·dh
			}
		}
	}
	return loss, g
}

func zeros(r, c int) [][]float64 {
	m := make([][]float64, r)
	for i := range m {
		m[i] = make([]float64, c)
	}
	return m
}

// toRows copies a [r, c] tensor's data into [r][c] slices.
func toRows(d []float64, r, c int) [][]float64 {
	m := zeros(r, c)
	for i := range r {
		copy(m[i], d[i*c:(i+1)*c])
	}
	return m
}

// TestGradientsMatchReference is the check: on the same inputs, the
// gradients that dl gives for a small MLP with a cross-entropy loss match
// an independent reference implementation to within 1e-6.
func TestGradientsMatchReference(t *testing.T) {
	const n, in, hidden, out = 4, 5, 7, 3
	for _, act := range []string{"relu", "tanh"} {
		t.Run(act, func(t *testing.T) {
			rng := newRNG(9)
			var model *nn.Sequential
			if act == "relu" {
				model = nn.MLP(rng, in, hidden, out)
			} else {
				model = nn.NewSequential(nn.NewLinear(rng, in, hidden), nn.Tanh{}, nn.NewLinear(rng, hidden, out))
			}
			l1, l2 := model.Layers[0].(*nn.Linear), model.Layers[2].(*nn.Linear)
			// Non-zero biases, so that their part of the forward pass is checked too.
			for _, b := range []*dl.Tensor{l1.B, l2.B} {
				for i := range b.Data() {
					b.Data()[i] = 0.1 * rng.NormFloat64()
				}
			}
			x := dl.Randn(rng, n, in)
			labels := []float64{2, 0, 1, 2}

			loss := nn.CrossEntropy(model.Forward(x), dl.New(labels))
			dl.ZeroGrad(model.Params()...)
			loss.Backward()

			ref := &refMLP{
				W1: toRows(l1.W.Data(), in, hidden), B1: append([]float64(nil), l1.B.Data()...),
				W2: toRows(l2.W.Data(), hidden, out), B2: append([]float64(nil), l2.B.Data()...),
				act: act,
			}
			refLoss, g := ref.lossAndGrads(toRows(x.Data(), n, in), []int{2, 0, 1, 2})

			if math.Abs(loss.Item()-refLoss) > 1e-6 {
				t.Errorf("loss: dl %v, reference %v", loss.Item(), refLoss)
			}
			compare := func(name string, got []float64, want [][]float64) {
				t.Helper()
				cols := len(want[0])
				for i, row := range want {
					for j, w := range row {
						if d := math.Abs(got[i*cols+j] - w); d > 1e-6 {
							t.Errorf("%s[%d][%d]: dl %v, reference %v", name, i, j, got[i*cols+j], w)
						}
					}
				}
			}
			compare("dW1", l1.W.Grad(), g.W1)
			compare("dB1", l1.B.Grad(), [][]float64{g.B1})
			compare("dW2", l2.W.Grad(), g.W2)
			compare("dB2", l2.B.Grad(), [][]float64{g.B2})
		})
	}
}
