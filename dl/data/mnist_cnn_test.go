package data_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data/mnist"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
)

// TestMNISTCNN trains a small CNN on MNIST for a fixed number of steps and
// checks that it gets at least 98% of the 10000 test images right: the
// end-to-end test of the images path (mnist.Load, mnist.Images, nn.Conv2D,
// nn.MaxPool2D, optim.Adam, train.Fit and train.Evaluate).
//
// The model, two 3×3 convolutions of 8 and 16 channels, each followed by
// ReLU and 2×2 max pooling, then one Linear layer (9,098 parameters), is
// about the smallest that reaches 98% here in two epochs: with one epoch
// it stays near 97.9%. It takes 40 to 80 seconds on two shared cores; go test
// -short skips it.
func TestMNISTCNN(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a CNN on MNIST for about a minute; run without -short")
	}
	trainSet, testSet, err := mnist.Load()
	if err != nil {
		t.Fatal(err)
	}
	const (
		epochs = 2
		batch  = 32
		lr     = 2e-3
	)
	rng := rand.New(rand.NewPCG(1, 2))
	pad := dl.ConvOptions{Padding: 1}
	model := nn.NewSequential(
		nn.NewConv2D(rng, 1, 8, 3, pad), nn.ReLU{}, nn.MaxPool2D{Size: 2}, // [n, 8, 14, 14]
		nn.NewConv2D(rng, 8, 16, 3, pad), nn.ReLU{}, nn.MaxPool2D{Size: 2}, // [n, 16, 7, 7]
		nn.Flatten{},
		nn.NewLinear(rng, 16*7*7, 10),
	)
	// Adam with the learning rate annealed along a cosine to lr/50.
	steps := epochs * ((trainSet.Len() + batch - 1) / batch) // 3750
	sched := optim.Cosine(lr, lr/50, steps)
	opt := optim.NewAdam(lr)
	done := 0
	start := time.Now()
	_, err = train.Fit(model, mnist.Images(trainSet), train.Config{
		Loss:      nn.CrossEntropy,
		Optimizer: opt,
		Epochs:    epochs,
		BatchSize: batch,
		Seed:      1,
		Callbacks: []train.Callback{func(e train.Event) error {
			if e.Kind == train.StepEnd {
				done++
				opt.SetLR(sched(done))
			}
			return nil
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	fit := time.Since(start)
	if done != steps {
		t.Errorf("Fit took %d steps, want %d", done, steps)
	}
	start = time.Now()
	loss, m := train.Evaluate(model, mnist.Images(testSet), nn.CrossEntropy, train.AccuracyMetric)
	t.Logf("%d steps in %v, test set evaluated in %v: loss %.4f, accuracy %.4f", done, fit, time.Since(start), loss, m["accuracy"])
	if acc := m["accuracy"]; acc < 0.98 {
		t.Errorf("test accuracy %.4f after %d steps, want at least 0.98", acc, done)
	}
}
