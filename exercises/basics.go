package exercises

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/train"
)

// inputs are the four rows of a truth table with two inputs.
var inputs = [4][2]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}}

// NAND checks perceptron weights for NAND (notebook 01): step(w1·x1 + w2·x2 + b)
// must be 1 unless both inputs are 1, on all four inputs.
func NAND(w1, w2, b float64) Result {
	wrong := 0
	first := ""
	for _, x := range inputs {
		got := step(w1*x[0] + w2*x[1] + b)
		want := 1.0
		if x[0] == 1 && x[1] == 1 {
			want = 0
		}
		if got != want {
			if wrong == 0 {
				first = fmt.Sprintf("on input (%v, %v) the perceptron says %v, NAND says %v", x[0], x[1], got, want)
			}
			wrong++
		}
	}
	if wrong > 0 {
		return fail("wrong on %d of 4 inputs: %s. Remember that step(0) = 0.", wrong, first)
	}
	return pass("NAND: right on all 4 inputs.")
}

// XNOR checks a network of three perceptrons for XNOR (notebook 02). Each
// row of hidden is one hidden unit's weights (w1, w2, b) on the inputs, and
// out holds the output unit's weights (w1, w2, b) on the two hidden outputs;
// every unit applies step. The network must give 1 exactly when both inputs
// are equal, on all four inputs.
func XNOR(hidden [2][3]float64, out [3]float64) Result {
	for _, x := range inputs {
		var h [2]float64
		for j, u := range hidden {
			h[j] = step(u[0]*x[0] + u[1]*x[1] + u[2])
		}
		got := step(out[0]*h[0] + out[1]*h[1] + out[2])
		want := 0.0
		if x[0] == x[1] {
			want = 1
		}
		if got != want {
			return fail("on input (%v, %v) the hidden units give (%v, %v) and the network says %v; XNOR says %v. "+
				"Which two simple gates could the hidden units be, so that one line separates their outputs?",
				x[0], x[1], h[0], h[1], got, want)
		}
	}
	return pass("XNOR: right on all 4 inputs; no single perceptron can do that.")
}

// Points03 returns the inputs of notebook 03's 20 points, x = 0, 0.1, …, 1.9.
// The learning rate's stability bound depends only on them, not on y.
func Points03() []float64 {
	xs := make([]float64, 20)
	for i := range xs {
		xs[i] = float64(i) / 10
	}
	return xs
}

// StableBound returns the largest learning rate for which gradient descent on
// the MSE of the line w·x + b over xs converges: 2 / λ, where λ is the largest
// eigenvalue of the loss's Hessian (2/n)·[[Σx², Σx], [Σx, n]].
func StableBound(xs []float64) float64 {
	n := float64(len(xs))
	var sx, sxx float64
	for _, x := range xs {
		sx += x
		sxx += x * x
	}
	a, b, d := 2*sxx/n, 2*sx/n, 2.0
	lambda := (a+d)/2 + math.Sqrt((a-d)*(a-d)/4+b*b)
	return 2 / lambda
}

// LearningRate checks the largest learning rate that still converges in
// notebook 03's 2-D gradient descent (on w and b). It is compared with the
// true bound 2/λ computed from the notebook's points (about 0.48); an answer
// within 5% below it passes.
func LearningRate(lr float64) Result {
	bound := StableBound(Points03())
	switch {
	case !(lr > 0):
		return fail("a learning rate must be positive; try a few values in the cell of the 2-D runs and watch which ones fly off.")
	case lr >= bound:
		return fail("with lr = %.3g gradient descent does not converge: along the steepest direction each step overshoots the minimum by more than it started from. Try smaller rates.", lr)
	case lr < 0.95*bound:
		return fail("lr = %.3g converges, but it is more than 5%% below the largest rate that does. Look for the edge.", lr)
	}
	return pass("lr = %.3g converges, and it is within 5%% of the edge, 2/L'' = %.4f (L'' = %.3f, the steepest curvature).", lr, bound, 2/bound)
}

// DivBackward checks a backward rule for division, out = a / b (notebook 04).
// rule gets a, b and the gradient of the loss with respect to out, and must
// return the gradients with respect to a and b. They are compared with
// central finite differences at several points, negative b included.
func DivBackward(rule func(a, b, grad float64) (da, db float64)) Result {
	if rule == nil {
		return fail("rule is nil: write a func(a, b, grad float64) (da, db float64).")
	}
	const h = 1e-6
	for _, p := range [][3]float64{{3, 2, 1}, {-1.5, 0.5, 1}, {2, -4, 0.5}, {0.7, 1.3, -2}} {
		a, b, g := p[0], p[1], p[2]
		var da, db float64
		if hint := safely(func() { da, db = rule(a, b, g) }); hint != nil {
			return *hint
		}
		wantA := g * ((a+h)/b - (a-h)/b) / (2 * h)
		wantB := g * (a/(b+h) - a/(b-h)) / (2 * h)
		if !close(da, wantA, 1e-5) {
			return fail("at a = %v, b = %v, grad = %v: da = %.4g, but a finite difference gives %.4g. How does a/b change when a grows by a little?", a, b, g, da, wantA)
		}
		if !close(db, wantB, 1e-5) {
			return fail("at a = %v, b = %v, grad = %v: db = %.4g, but a finite difference gives %.4g. Write a/b as a·b⁻¹ and differentiate b⁻¹.", a, b, g, db, wantB)
		}
	}
	return pass("Div's backward rule matches finite differences at 4 points, with the chain rule's upstream gradient.")
}

// DigitsSplit returns notebook 05's split of the 8×8 digits: the test set of
// 05 (a quarter of the digits, the same split as the notebook), and its
// training set split again into a training part and a validation part (a
// fifth). Train on train, choose by val, and keep test for the final number.
func DigitsSplit() (trainSet, val, test data.Set) {
	rest, test := data.Split(data.Digits(), 0.25, rand.New(rand.NewPCG(5, 5)))
	trainSet, val = data.Split(rest, 0.2, rand.New(rand.NewPCG(5, 6)))
	return trainSet, val, test
}

// DigitsTarget is the validation accuracy that [Digits] asks for.
const DigitsTarget = 0.97

// Digits checks a trained digit classifier (notebook 05): its accuracy on
// the validation set of [DigitsSplit] must reach [DigitsTarget]. The model
// takes [n, 64] images and returns [n, 10] scores.
func Digits(model nn.Module) Result {
	if model == nil {
		return fail("model is nil: train a network on the training part of exercises.DigitsSplit().")
	}
	_, val, _ := DigitsSplit()
	var acc float64
	if hint := safely(func() { acc = train.Accuracy(train.Predict(model, val.X), val.Y) }); hint != nil {
		return *hint
	}
	if math.IsNaN(acc) || acc < DigitsTarget {
		return fail("validation accuracy %.3f, below %.2f. Has the model been trained (on the training part only)? Notebook 05's recipe gets about 0.96 here: try other optimizers, epochs, widths, regularization or input scaling, and judge each by the validation set.", acc, DigitsTarget)
	}
	return pass("validation accuracy %.3f on %d images, at least %.2f. Now, and only now, measure the test set once.", acc, val.Len(), DigitsTarget)
}
