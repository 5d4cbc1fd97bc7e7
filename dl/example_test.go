package dl_test

import (
	"fmt"

	"github.com/dlnb/dlnb/dl"
)

func ExampleTensor() {
	x := dl.New([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	fmt.Println(x.Shape(), x.Len())
	fmt.Println(x)
	fmt.Println(dl.Transpose(x))
	fmt.Println(dl.Sum(x))
	// Output:
	// [2 3] 6
	// [[1 2 3]
	//  [4 5 6]]
	// [[1 4]
	//  [2 5]
	//  [3 6]]
	// 21
}

func ExampleTensor_Backward() {
	// The mean squared error of a linear model y ≈ x·w, and its gradient
	// with respect to w: 2/n · xᵀ(x·w - y).
	x := dl.New([]float64{1, 2, 3, 4}, 2, 2)
	y := dl.New([]float64{1, 0}, 2, 1)
	w := dl.Param(dl.New([]float64{0.5, -1}, 2, 1))
	loss := dl.Mean(dl.Pow(dl.Sub(dl.MatMul(x, w), y), 2))
	loss.Backward()
	fmt.Printf("loss %.4f\n", loss.Item())
	fmt.Println("dloss/dw", w.Grad())
	fmt.Println("x has a gradient:", x.Grad() != nil)
	// Output:
	// loss 6.2500
	// dloss/dw [-10 -15]
	// x has a gradient: false
}

func ExampleMatMul() {
	a := dl.New([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	b := dl.New([]float64{1, 0, 0, 1, 1, 1}, 3, 2)
	fmt.Println(dl.MatMul(a, b))

	// A batch of 4 inputs of shape [2, 3] times one weight matrix [3, 2].
	batch := dl.Zeros(4, 2, 3)
	fmt.Println(dl.MatMul(batch, b).Shape())
	// Output:
	// [[ 4  5]
	//  [10 11]]
	// [4 2 2]
}

func ExampleAdd() {
	// Broadcasting: the bias [3] is added to each row of x [2, 3].
	x := dl.New([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	bias := dl.New([]float64{10, 20, 30})
	fmt.Println(dl.Add(x, bias))

	// A column [2, 1] and a row [1, 3] stretch to a table [2, 3].
	col := dl.New([]float64{0, 100}, 2, 1)
	row := dl.New([]float64{1, 2, 3}, 1, 3)
	fmt.Println(dl.Add(col, row))
	// Output:
	// [[11 22 33]
	//  [14 25 36]]
	// [[  1   2   3]
	//  [101 102 103]]
}

func ExampleArgmax() {
	scores := dl.New([]float64{
		0.1, 2.0, -1,
		3.0, 0.5, 0.2,
	}, 2, 3)
	fmt.Println(dl.Argmax(scores, 1))
	fmt.Printf("%.4f\n", dl.Softmax(scores, 1).Data()[:3])
	// Output:
	// [1 0]
	// [0.1247 0.8338 0.0415]
}

func ExampleCountFLOPs() {
	x := dl.Param(dl.Full(1, 32, 100)) // a batch of 32 inputs of 100 features
	w := dl.Param(dl.Full(0.01, 100, 10))
	c := dl.CountFLOPs()
	y := dl.MatMul(x, w) // 32·100·10 multiply-adds: 64,000 FLOPs
	fmt.Printf("forward:  %.0f FLOPs\n", c.FLOPs())
	dl.Sum(y).Backward() // the sum (320), then g·wᵀ and xᵀ·g (64,000 each)
	fmt.Printf("in all:   %.0f FLOPs\n", c.FLOPs())
	// Output:
	// forward:  64000 FLOPs
	// in all:   192640 FLOPs
}
