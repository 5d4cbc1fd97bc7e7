// Package exercises checks the exercises of the course's notebooks.
//
// Each exercise cell asks the learner for a value or a small function, and
// calls a checker of this package on it:
//
//	fmt.Println(exercises.NAND(w1, w2, b))
//
// A checker is a pure function that returns a [Result]. Its String is a line
// that starts with "✓" and says what was right, or a hint that starts with
// "✗" and says what is wrong without giving the answer. A checker never
// panics: an unsolved exercise (zero values, a nil function, a model that was
// never trained) gets a hint, and a panic in the learner's code is caught and
// reported as a hint too, so a notebook that ships with its exercises
// unsolved still runs to the end.
//
// The solutions are in the package answers, for teachers.
package exercises

import (
	"fmt"
	"math"
)

// Result is the verdict of a checker: OK when the answer is right, and a
// message that says what was right or, as a hint, what is wrong.
type Result struct {
	OK  bool
	Msg string
}

// String returns "✓ " or "✗ " followed by the message.
func (r Result) String() string {
	if r.OK {
		return "✓ " + r.Msg
	}
	return "✗ " + r.Msg
}

// pass and fail build results with a formatted message.
func pass(format string, a ...any) Result { return Result{true, fmt.Sprintf(format, a...)} }
func fail(format string, a ...any) Result { return Result{false, fmt.Sprintf(format, a...)} }

// safely runs the learner's code f and returns a hint if it panics.
func safely(f func()) (hint *Result) {
	defer func() {
		if r := recover(); r != nil {
			h := fail("your code panicked: %v", r)
			hint = &h
		}
	}()
	f()
	return nil
}

// close reports whether got is within tol of want, relative to the larger
// of 1 and |want|. NaN is never close.
func close(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// step is the perceptron's threshold: 1 if z > 0, else 0.
func step(z float64) float64 {
	if z > 0 {
		return 1
	}
	return 0
}
