package optim_test

import (
	"fmt"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/optim"
)

// SGD with momentum walks down the bowl (w − 3)² to its bottom at w = 3;
// the velocity carries it past 3 before it settles.
func ExampleSGD() {
	w := dl.Param(dl.Scalar(0))
	opt := &optim.SGD{LR: 0.1, Momentum: 0.5}
	for step := 1; step <= 30; step++ {
		dl.ZeroGrad(w)
		d := dl.Sub(w, dl.Scalar(3))
		loss := dl.Mul(d, d)
		loss.Backward() // dloss/dw = 2(w − 3)
		opt.Step([]*dl.Tensor{w})
		if step%10 == 0 || step <= 2 {
			fmt.Printf("step %2d: w = %.4f\n", step, w.Item())
		}
	}
	// Output:
	// step  1: w = 0.6000
	// step  2: w = 1.3800
	// step 10: w = 3.0976
	// step 20: w = 2.9992
	// step 30: w = 2.9999
}
