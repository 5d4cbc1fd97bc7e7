package train_test

import (
	"fmt"
	"math/rand/v2"

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
