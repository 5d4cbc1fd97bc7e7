package train_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
)

// An MLP with one hidden layer learns XOR, which no single perceptron can.
func ExampleFit() {
	rng := rand.New(rand.NewPCG(1, 2))
	model := nn.MLP(rng, 2, 8, 2) // 2 inputs, 8 hidden units, 2 classes
	fmt.Print(train.Summary(model))

	xor := data.XOR()
	h, err := train.Fit(model, xor, train.Config{
		Loss:      nn.CrossEntropy,
		Optimizer: &optim.SGD{LR: 0.1, Momentum: 0.9},
		Epochs:    200,
		Metrics:   []train.Metric{train.AccuracyMetric},
		Callbacks: []train.Callback{func(e train.Event) error {
			if e.Kind == train.EpochEnd && e.Epoch%50 == 0 {
				fmt.Printf("epoch %3d: loss %.4f, accuracy %.2f\n", e.Epoch, e.Loss, e.History.Metrics["accuracy"][e.Epoch-1])
			}
			return nil
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, m := train.Evaluate(model, xor, nn.CrossEntropy, train.AccuracyMetric)
	fmt.Printf("final accuracy %.2f after %d epochs\n", m["accuracy"], len(h.Loss))
	// Output:
	// layer  type    params     count
	// 0      Linear  [2 8] [8]  24
	// 1      ReLU    -          0
	// 2      Linear  [8 2] [2]  18
	//        total              42
	// epoch  50: loss 0.0155, accuracy 1.00
	// epoch 100: loss 0.0068, accuracy 1.00
	// epoch 150: loss 0.0047, accuracy 1.00
	// epoch 200: loss 0.0036, accuracy 1.00
	// final accuracy 1.00 after 200 epochs
}

// A trained model is saved and loaded into a model of the same
// architecture built from another seed, which then predicts exactly the
// same.
func ExampleSave() {
	model := nn.MLP(rand.New(rand.NewPCG(1, 2)), 2, 8, 2)
	if _, err := train.Fit(model, data.XOR(), train.Config{
		Loss: nn.CrossEntropy, Optimizer: &optim.SGD{LR: 0.1, Momentum: 0.9}, Epochs: 100,
	}); err != nil {
		fmt.Println(err)
		return
	}
	var file bytes.Buffer // or train.SaveFile("xor.dlnb", model)
	if err := train.Save(&file, model); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d bytes: %q\n", file.Len(), train.StateNames(model))

	fresh := nn.MLP(rand.New(rand.NewPCG(3, 4)), 2, 8, 2)
	if err := train.Load(&file, fresh); err != nil {
		fmt.Println(err)
		return
	}
	x := data.XOR().X
	fmt.Println("same predictions:", slices.Equal(train.Predict(fresh, x).Data(), train.Predict(model, x).Data()))

	// A model of another shape does not fit the file.
	var again bytes.Buffer
	train.Save(&again, model)
	fmt.Println(train.Load(&again, nn.MLP(rand.New(rand.NewPCG(3, 4)), 2, 16, 2)))
	// Output:
	// 404 bytes: ["0.W" "0.B" "2.W" "2.B"]
	// same predictions: true
	// train: Load: parameter "0.W": file has [2 8], model has [2 16]
}

// The confusion matrix of a classifier of three blobs: row i counts the
// examples of class i by the class the model predicted.
func ExampleConfusion() {
	rng := rand.New(rand.NewPCG(1, 2))
	set := data.Blobs(rng, 90, 3, 2.5) // overlapping blobs: some mistakes
	model := nn.MLP(rng, 2, 8, 3)
	if _, err := train.Fit(model, set, train.Config{
		Loss: nn.CrossEntropy, Optimizer: optim.NewAdam(0.01), Epochs: 50, BatchSize: 16,
	}); err != nil {
		fmt.Println(err)
		return
	}
	m := train.Confusion(train.Predict(model, set.X), set.Y)
	fmt.Println("true\\predicted  0   1   2")
	for i, row := range m {
		fmt.Printf("%d              %2d  %2d  %2d\n", i, row[0], row[1], row[2])
	}
	fmt.Printf("accuracy %.3f\n", train.Accuracy(train.Predict(model, set.X), set.Y))
	// Output:
	// true\predicted  0   1   2
	// 0              24   5   1
	// 1               0  26   4
	// 2               1   2  27
	// accuracy 0.856
}

// PredictClasses gives a classifier's answers as ints, which compare
// directly with a data set's Labels.
func ExamplePredictClasses() {
	rng := rand.New(rand.NewPCG(3, 4))
	trainSet, test := data.Split(data.Blobs(rng, 200, 3, 3), 0.2, rng) // overlapping: some mistakes
	model := nn.MLP(rng, 2, 8, 3)
	if _, err := train.Fit(model, trainSet, train.Config{
		Loss: nn.CrossEntropy, Optimizer: optim.NewAdam(0.01), Epochs: 30, BatchSize: 16,
	}); err != nil {
		fmt.Println(err)
		return
	}
	pred, labels := train.PredictClasses(model, test.X), test.Labels()
	fmt.Println("predicted:", pred[:10])
	fmt.Println("labels:   ", labels[:10])
	right := 0
	for i := range pred {
		if pred[i] == labels[i] {
			right++
		}
	}
	fmt.Printf("%d of %d right\n", right, len(pred))
	// Output:
	// predicted: [2 0 2 1 1 2 1 0 2 0]
	// labels:    [2 0 2 1 0 2 2 0 0 0]
	// 31 of 40 right
}
