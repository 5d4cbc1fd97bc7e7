package train_test

import (
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
)

// A notebook cell asks for a trained model by its settings: the first call
// trains it and stores it, every later one (in any later cell) loads it,
// and an edited setting trains anew.
func ExampleCached() {
	dir, _ := os.MkdirTemp("", "models") // a notebook keeps the default folder
	defer os.RemoveAll(dir)
	old, had := os.LookupEnv("DLNB_MODEL_CACHE")
	os.Setenv("DLNB_MODEL_CACHE", dir)
	defer func() {
		if had {
			os.Setenv("DLNB_MODEL_CACHE", old)
		} else {
			os.Unsetenv("DLNB_MODEL_CACHE")
		}
	}()

	set := data.XOR()
	trainXOR := func(lr float64) (*nn.Sequential, *train.History, train.CacheInfo) {
		model := nn.MLP(rand.New(rand.NewPCG(1, 2)), 2, 16, 2)
		cfg := train.Config{Loss: nn.CrossEntropy, Optimizer: optim.NewAdam(lr), Epochs: 200}
		h, info, err := train.Cached(train.Key{Notebook: "example", Name: "xor", Settings: cfg, Data: []data.Set{set}},
			func() (*train.History, error) { return train.Fit(model, set, cfg) }, model)
		if err != nil {
			panic(err)
		}
		return model, h, info
	}

	_, h, first := trainXOR(0.05)
	fmt.Printf("lr 0.05: hit %v, final loss %.4f\n", first.Hit, h.Loss[len(h.Loss)-1])
	model, h, again := trainXOR(0.05)
	fmt.Printf("lr 0.05: hit %v, final loss %.4f, accuracy %.2f, FLOPs as trained %v\n", again.Hit, h.Loss[len(h.Loss)-1],
		train.Accuracy(train.Predict(model, set.X), set.Y), again.FLOPs == first.FLOPs)
	_, _, edited := trainXOR(0.1)
	fmt.Printf("lr 0.1:  hit %v\n", edited.Hit)
	// Output:
	// lr 0.05: hit false, final loss 0.0006
	// lr 0.05: hit true, final loss 0.0006, accuracy 1.00, FLOPs as trained true
	// lr 0.1:  hit false
}
