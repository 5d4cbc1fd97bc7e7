package mnist_test

import (
	"fmt"

	"github.com/dlnb/dlnb/dl/data/mnist"
)

func ExampleLoad() {
	train, test, err := mnist.Load()
	if err != nil {
		fmt.Println(err) // says which go mod download to run
		return
	}
	fmt.Println("train:", train.X.Shape(), train.Y.Shape())
	fmt.Println("test: ", test.X.Shape(), test.Y.Shape())
	fmt.Println("images:", mnist.Images(test).X.Shape())

	// The first training image, every other row and column, and its label.
	x := train.X.Data()
	for r := 4; r < 24; r += 2 {
		for c := 2; c < 26; c += 2 {
			fmt.Printf("%c", ".,:-=+*#%@"[int(x[28*r+c]*9+0.5)])
		}
		fmt.Println()
	}
	fmt.Println("label:", train.Y.Data()[0])
	// Output:
	// train: [60000 784] [60000]
	// test:  [10000 784] [10000]
	// images: [10000 1 28 28]
	// ............
	// ...,-*@@%@#.
	// ...%@@#@....
	// .....@......
	// .....#:.....
	// ......%@,...
	// .......-@...
	// ......:*@...
	// ....,%@@-...
	// ..,%@@-.....
	// label: 5
}

// LoadFashion needs Debian's dataset-fashion-mnist; this example does not
// run as a test.
func ExampleLoadFashion() {
	train, _, err := mnist.LoadFashion()
	if err != nil {
		fmt.Println(err) // says to apt-get install dataset-fashion-mnist
		return
	}
	first := int(train.Y.Data()[0])
	fmt.Println(train.X.Shape(), mnist.FashionClasses[first])
	// [60000 784] Ankle boot
}
