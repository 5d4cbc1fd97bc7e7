package nn

import (
	"fmt"

	"github.com/dlnb/dlnb/dl"
)

// Perceptron is Rosenblatt's (1958) single threshold unit:
//
//	ŷ = step(w·x + b), where step(v) = 1 if v > 0, else 0,
//
// trained by his rule, one example at a time:
//
//	w += lr·(y − ŷ)·x
//	b += lr·(y − ŷ)
//
// When the prediction is right, y − ŷ = 0 and nothing changes; when it is
// wrong, the weights move toward (y = 1) or away from (y = 0) the input.
// If the two classes can be split by a line (a hyperplane), the rule finds
// one after a finite number of mistakes (Novikoff, 1962); if they cannot,
// as with XOR (Minsky & Papert, 1969), it never stops making mistakes.
//
// Perceptron works on plain float64 slices with no autograd: the rule
// predates backpropagation, and step has no useful gradient. Labels are 0
// and 1.
type Perceptron struct {
	W  []float64 // one weight per input
	B  float64   // the bias (a threshold of −B)
	LR float64   // the learning rate; 0 means 1
}

// NewPerceptron returns a perceptron with the given number of inputs, all
// weights and the bias at 0, as Rosenblatt started. It panics if inputs is
// below 1.
func NewPerceptron(inputs int) *Perceptron {
	if inputs < 1 {
		panic(fmt.Sprintf("nn: NewPerceptron: %d inputs; want at least 1", inputs))
	}
	return &Perceptron{W: make([]float64, inputs)}
}

// Predict returns 1 if w·x + b > 0, else 0. It panics if len(x) is not the
// number of weights.
func (p *Perceptron) Predict(x []float64) float64 {
	if len(x) != len(p.W) {
		panic(fmt.Sprintf("nn: Perceptron: input of length %d does not fit %d weights", len(x), len(p.W)))
	}
	v := p.B
	for i, w := range p.W {
		v += w * x[i]
	}
	if v > 0 {
		return 1
	}
	return 0
}

// Forward returns the scores w·x + b of the rows of x [n, inputs], as a
// tensor [n] outside any graph; Predict thresholds the same score. With it
// a perceptron can be drawn like any other model. Forward panics if x is
// not [n, inputs].
func (p *Perceptron) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("Perceptron", "x", x)
	if x.Dim() != 2 || x.Shape()[1] != len(p.W) {
		panic(fmt.Sprintf("nn: Perceptron: input shape %v does not fit %d weights", x.Shape(), len(p.W)))
	}
	n, k := x.Shape()[0], len(p.W)
	scores := make([]float64, n)
	for i := range scores {
		scores[i] = p.B
		for j, w := range p.W {
			scores[i] += w * x.Data()[i*k+j]
		}
	}
	return dl.New(scores, n)
}

// Update applies one step of the perceptron rule for the example x with
// label y, and reports whether the perceptron got it wrong (only then do
// the weights change). It panics if y is not 0 or 1, or if len(x) is not
// the number of weights.
func (p *Perceptron) Update(x []float64, y float64) bool {
	if y != 0 && y != 1 {
		panic(fmt.Sprintf("nn: Perceptron: label %v is not 0 or 1", y))
	}
	diff := y - p.Predict(x) // 0 when right, ±1 when wrong
	if diff == 0 {
		return false
	}
	lr := p.LR
	if lr == 0 {
		lr = 1
	}
	for i := range p.W {
		p.W[i] += lr * diff * x[i]
	}
	p.B += lr * diff
	return true
}

// Fit runs the perceptron rule over the examples x (one []float64 per
// example) with labels y (0 or 1), in order, for up to epochs passes. It
// returns the number of mistakes in each epoch and stops early after the
// first epoch without a mistake, so the returned slice then ends with 0.
//
// Fit panics if x and y do not have the same length, or where Update
// panics.
func (p *Perceptron) Fit(x [][]float64, y []float64, epochs int) []int {
	if len(x) != len(y) {
		panic(fmt.Sprintf("nn: Perceptron: Fit: %d examples but %d labels", len(x), len(y)))
	}
	var mistakes []int
	for range epochs {
		m := 0
		for i := range x {
			if p.Update(x[i], y[i]) {
				m++
			}
		}
		mistakes = append(mistakes, m)
		if m == 0 {
			break
		}
	}
	return mistakes
}
