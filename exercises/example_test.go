package exercises_test

import (
	"fmt"

	"github.com/dlnb/dlnb/exercises"
)

// An exercise cell of notebook 01 as it ships, unsolved: the checker prints
// a hint.
func ExampleNAND() {
	w1, w2, b := 0.0, 0.0, 0.0 // your weights
	fmt.Println(exercises.NAND(w1, w2, b))
	// Output:
	// ✗ wrong on 3 of 4 inputs: on input (0, 0) the perceptron says 0, NAND says 1. Remember that step(0) = 0.
}

// A backward rule for Div that forgets the chain rule's upstream gradient:
// the checker compares it with finite differences and says where it fails.
func ExampleDivBackward() {
	rule := func(a, b, grad float64) (da, db float64) {
		return 1 / b, -a / (b * b)
	}
	fmt.Println(exercises.DivBackward(rule))
	// Output:
	// ✗ at a = 2, b = -4, grad = 0.5: da = -0.25, but a finite difference gives -0.125. How does a/b change when a grows by a little?
}

// A learning rate that is too large for notebook 03's 2-D runs.
func ExampleLearningRate() {
	fmt.Println(exercises.LearningRate(0.5))
	// Output:
	// ✗ with lr = 0.5 gradient descent does not converge: along the steepest direction each step overshoots the minimum by more than it started from. Try smaller rates.
}

// A checker never panics: a nil function gets a hint.
func ExampleTDTarget() {
	fmt.Println(exercises.TDTarget(nil))
	// Output:
	// ✗ target is nil: write a func(r, gamma float64, nextQ []float64, done bool) float64.
}
