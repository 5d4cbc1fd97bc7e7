package unsup_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/dl/unsup"
)

// k-means finds the three blobs without seeing their labels; the inertia
// falls, then stays flat once the labels stop changing.
func ExampleKMeans() {
	rng := rand.New(rand.NewPCG(1, 2))
	blobs := data.Blobs(rng, 300, 3, 1.0) // the labels blobs.Y stay unused
	km := unsup.KMeans(blobs.X, 3, 100, rng)
	fmt.Println("iterations:", km.Iterations)
	fmt.Printf("inertia: %.1f\n", km.Inertia)
	for c := range 3 {
		fmt.Printf("centre %d: %.2f\n", c, km.Centers.Data()[2*c:2*c+2])
	}
	sizes := make([]int, 3)
	for _, l := range km.Labels {
		sizes[l]++
	}
	fmt.Println("group sizes:", sizes)
	// Output:
	// iterations: 4
	// inertia: [2021.9 918.5 576.5 570.1]
	// centre 0: [-1.47 -2.64]
	// centre 1: [2.87 0.00]
	// centre 2: [-1.28 2.59]
	// group sizes: [100 100 100]
}

// Points near the line y = x: the first principal component is the
// direction (1, 1)/√2 and explains almost all of the variance.
func ExamplePCA() {
	x := dl.New([]float64{
		1, 1.1,
		2, 1.9,
		3, 3.2,
		4, 3.9,
		5, 5.0,
	}, 5, 2)
	p := unsup.PCA(x, 2)
	fmt.Printf("mean %.2f\n", p.Mean.Data())
	fmt.Printf("components %.3f\n", p.Components.Data())
	fmt.Printf("ratio %.4f\n", p.Ratio)

	first := unsup.PCA(x, 1) // keep one number per point
	z := first.Project(x)    // [5, 1]
	fmt.Printf("codes %.3f\n", z.Data())
	fmt.Printf("rebuilt %.2f\n", first.Reconstruct(z).Data())
	// Output:
	// mean [3.00 3.02]
	// components [0.713 0.701 -0.701 0.713]
	// ratio [0.9983 0.0017]
	// codes [-2.772 -1.498 0.126 1.330 2.814]
	// rebuilt [1.02 1.08 1.93 1.97 3.09 3.11 3.95 3.95 5.01 4.99]
}

// An autoencoder squeezes 8 numbers through a code of 2 and learns to
// rebuild them, trained by train.Fit with the input as its own target.
func ExampleAutoencoder() {
	rng := rand.New(rand.NewPCG(1, 2))
	x := dl.New(make([]float64, 32*8), 32, 8) // 32 rows of 8 pixels in [0, 1]
	for i := range 32 {
		for j := range 8 { // a bright bar that starts at column i%5 and has width 1 + i%4
			if j >= i%5 && j < i%5+1+i%4 {
				x.Data()[i*8+j] = 1
			}
		}
	}
	ae := unsup.NewAutoencoder(rng, 8, 16, 2)
	h, err := train.Fit(ae, data.Set{X: x, Y: x}, train.Config{
		Loss:      nn.MSE,
		Optimizer: &optim.SGD{LR: 0.5, Momentum: 0.9},
		Epochs:    500,
		BatchSize: 8,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("code shape:", ae.Encode(x).Shape())
	for _, e := range []int{1, 10, 100, 500} {
		fmt.Printf("epoch %3d: reconstruction MSE %.4f\n", e, h.Loss[e-1])
	}
	// Output:
	// code shape: [32 2]
	// epoch   1: reconstruction MSE 0.2580
	// epoch  10: reconstruction MSE 0.0631
	// epoch 100: reconstruction MSE 0.0044
	// epoch 500: reconstruction MSE 0.0039
}
