package train_test

import (
	"fmt"

	"github.com/dlnb/dlnb/dl/train"
)

// The validation loss of five language models of growing size, in nats
// per token (made-up: the law 6·N^−0.3 + 1.5, rounded to 3 decimals): a law
// fitted to the four smallest predicts the largest, and says how much of
// the loss is left when the size grows without end (the floor c).
func ExampleFitPowerLaw() {
	params := []float64{2e3, 5e3, 15e3, 40e3, 150e3}
	loss := []float64{2.114, 1.966, 1.835, 1.750, 1.668}
	law, err := train.FitPowerLaw(params[:4], loss[:4])
	if err != nil {
		panic(err)
	}
	fmt.Printf("fitted: L(N) = %v\n", law)
	fmt.Printf("exponent α = %.2f, floor c = %.2f nats\n", law.Alpha, law.C)
	fmt.Printf("predicted for N = 150k: %.3f nats, measured %.3f\n", law.Predict(150e3), loss[4])
	// Output:
	// fitted: L(N) = 6.14·x^-0.304 + 1.51
	// exponent α = 0.30, floor c = 1.51 nats
	// predicted for N = 150k: 1.669 nats, measured 1.668
}
