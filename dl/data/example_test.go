package data_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl/data"
)

func ExampleXOR() {
	xor := data.XOR()
	x, y := xor.X.Data(), xor.Y.Data()
	for i := range xor.Len() {
		fmt.Printf("%v XOR %v = %v\n", x[2*i], x[2*i+1], y[i])
	}
	// Output:
	// 0 XOR 0 = 0
	// 0 XOR 1 = 1
	// 1 XOR 0 = 1
	// 1 XOR 1 = 0
}

func ExampleSplit() {
	rng := rand.New(rand.NewPCG(1, 2))
	moons := data.Moons(rng, 200, 0.1)
	train, test := data.Split(moons, 0.2, rng)
	fmt.Println("train:", train.X.Shape(), train.Y.Shape())
	fmt.Println("test: ", test.X.Shape(), test.Y.Shape())
	batches := data.Batches(train, 64, rng)
	for _, b := range batches {
		fmt.Print(b.Len(), " ")
	}
	fmt.Println()
	// Output:
	// train: [160 2] [160]
	// test:  [40 2] [40]
	// 64 64 32
}

func ExampleOneHot() {
	y := data.XOR().Y
	fmt.Println(data.OneHot(y, 2).Data())
	// Output:
	// [1 0 0 1 0 1 1 0]
}

func ExampleDigits() {
	digits, err := data.Digits()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(digits.X.Shape(), digits.Y.Shape())
	// The first image, a 0, as 8 rows of 8 pixels.
	x := digits.X.Data()
	for r := range 8 {
		for c := range 8 {
			fmt.Printf("%c", ".,:-=+*#%@"[int(x[8*r+c]*9+0.5)])
		}
		fmt.Println()
	}
	fmt.Println("label:", digits.Y.Data()[0])
	// Output:
	// [1797 64] [1797]
	// ..-#+,..
	// ..#%*%-.
	// .:%,.*+.
	// .:#..++.
	// .-+..++.
	// .:*.,#=.
	// .,%-*#..
	// ..-#*...
	// label: 0
}
