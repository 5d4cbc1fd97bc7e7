package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

func ExampleLinear() {
	rng := rand.New(rand.NewPCG(1, 2))
	layer := nn.NewLinear(rng, 3, 2) // W [3, 2], B [2]
	x := dl.New([]float64{
		1, 0, 0,
		0, 1, 1,
	}, 2, 3) // a batch of 2 examples with 3 features
	y := layer.Forward(x)
	fmt.Println("W:", layer.W.Shape(), "B:", layer.B.Shape(), "y:", y.Shape())
	fmt.Printf("y: %.4f\n", y.Data())

	loss := nn.MSE(y, dl.Zeros(2, 2))
	loss.Backward()
	fmt.Printf("loss %.4f, dL/dB %.4f\n", loss.Item(), layer.B.Grad())
	// Output:
	// W: [3 2] B: [2] y: [2 2]
	// y: [0.3866 -0.0846 0.6712 -0.3984]
	// loss 0.1915, dL/dB [0.5289 -0.2415]
}

func ExamplePerceptron() {
	x := [][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}}
	and := []float64{0, 0, 0, 1}
	p := nn.NewPerceptron(2)
	fmt.Println("mistakes per epoch:", p.Fit(x, and, 20))
	fmt.Println("W:", p.W, "B:", p.B)
	for _, xi := range x {
		fmt.Println(xi, "→", p.Predict(xi))
	}

	xor := []float64{0, 1, 1, 0}
	q := nn.NewPerceptron(2)
	fmt.Println("XOR, mistakes per epoch:", q.Fit(x, xor, 8))
	// Output:
	// mistakes per epoch: [1 3 3 2 1 0]
	// W: [2 1] B: -2
	// [0 0] → 0
	// [0 1] → 0
	// [1 0] → 0
	// [1 1] → 1
	// XOR, mistakes per epoch: [2 3 4 4 4 4 4 4]
}

func ExampleCrossEntropy() {
	logits := dl.Param(dl.New([]float64{
		2, 0, 0, // confident in class 0
		0, 0, 0, // no idea
	}, 2, 3))
	labels := dl.New([]float64{0, 2})
	loss := nn.CrossEntropy(logits, labels)
	loss.Backward()
	fmt.Printf("loss %.4f\n", loss.Item())
	fmt.Printf("dL/dlogits %.4f\n", logits.Grad()) // (softmax − onehot) / 2
	// Output:
	// loss 0.6691
	// dL/dlogits [-0.1065 0.0533 0.0533 0.1667 0.1667 -0.3333]
}
