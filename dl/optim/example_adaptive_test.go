package optim_test

import (
	"fmt"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/optim"
)

// Adam walks down the bowl (w − 3)² to its bottom at w = 3. Its first
// steps have length LR whatever the size of the gradient.
func ExampleAdam() {
	w := dl.Param(dl.Scalar(0))
	opt := optim.NewAdam(0.1)
	for step := 1; step <= 300; step++ {
		dl.ZeroGrad(w)
		d := dl.Sub(w, dl.Scalar(3))
		loss := dl.Mul(d, d)
		loss.Backward() // dloss/dw = 2(w − 3)
		opt.Step([]*dl.Tensor{w})
		if step <= 2 || step%100 == 0 {
			fmt.Printf("step %3d: w = %.4f\n", step, w.Item())
		}
	}
	// Output:
	// step   1: w = 0.1000
	// step   2: w = 0.1999
	// step 100: w = 2.9807
	// step 200: w = 3.0001
	// step 300: w = 3.0000
}

// A linear warm-up over 10 steps followed by a cosine decay over 90,
// driving Adam down the bowl (w − 3)². The optimizer's learning rate is
// set before each Step.
func ExampleWarmup() {
	sched := optim.Warmup(10, optim.Cosine(0.3, 0.001, 90))
	w := dl.Param(dl.Scalar(0))
	opt := optim.NewAdam(sched(0))
	for step := range 100 {
		opt.SetLR(sched(step)) // or opt.LR = sched(step)
		dl.ZeroGrad(w)
		d := dl.Sub(w, dl.Scalar(3))
		dl.Mul(d, d).Backward()
		opt.Step([]*dl.Tensor{w})
		if step%20 == 0 || step == 10 || step == 99 {
			fmt.Printf("step %2d: lr = %.4f, w = %.4f\n", step, sched(step), w.Item())
		}
	}
	// Output:
	// step  0: lr = 0.0273, w = 0.0273
	// step 10: lr = 0.3000, w = 1.7387
	// step 20: lr = 0.2910, w = 3.6800
	// step 40: lr = 0.2253, w = 3.0461
	// step 60: lr = 0.1245, w = 2.8657
	// step 80: lr = 0.0360, w = 2.9920
	// step 99: lr = 0.0011, w = 2.9989
}

// Every field means its value, so Adam with Beta1 0 has no momentum: its
// steps follow only the latest gradient. A bare struct literal leaves Eps
// at 0, and Validate (or the first Step) says which constructor to use.
func ExampleNewAdam() {
	opt := optim.NewAdam(0.1)
	opt.Beta1 = 0
	fmt.Println(opt.Beta1, opt.Beta2, opt.Eps, opt.Validate())

	bare := &optim.Adam{LR: 0.1}
	fmt.Println(bare.Validate())
	// Output:
	// 0 0.999 1e-08 <nil>
	// optim: Adam: Eps is 0; it must be above 0. A bare optim.Adam{...} literal leaves every field it does not name at 0: build it with optim.NewAdam(lr), which sets Beta1 0.9, Beta2 0.999 and Eps 1e-8, then change the fields you want
}
