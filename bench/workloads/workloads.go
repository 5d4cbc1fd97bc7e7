// Package workloads defines the three training workloads on which dl is
// compared with PyTorch (float32, 2 threads), and benchmarks them. Each
// workload is one training step, repeated: zero the gradients, run the
// forward pass, compute the loss, run Backward and take an optimizer step.
// Speed does not depend on the values, so the benchmarks use synthetic
// data of the right shapes; the constructors also take real batches.
//
// Each workload trains in two ways, which the benchmarks time side by
// side: Workload.Step is a hand-written loop, as the course's notebooks
// write for GANs or reinforcement learning, with one call beyond the
// textbook step, loss.Release, which lets the next step reuse the memory
// of this one; Workload.Fit trains the same model through train.Fit, which
// releases each step's graph itself.
//
// The definitions below are exact, layer by layer, so that the PyTorch
// script in bench/compare can build the same models. Initialization does
// not matter for speed and is left to each library's defaults. dl stores a
// Linear weight as [in, out] and PyTorch as [out, in]; the products are
// the same size.
//
// # MLP
//
// Batch 64 of x [64, 784] with labels [64] in 0..9.
//
//	nn.Sequential(
//	    nn.Linear(784, 256), nn.ReLU(),
//	    nn.Linear(256, 128), nn.ReLU(),
//	    nn.Linear(128, 10))
//	loss = nn.CrossEntropyLoss()(model(x), y)          # mean over the batch
//	opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
//
// # CNN
//
// Batch 64 of x [64, 1, 28, 28] with labels [64] in 0..9.
//
//	nn.Sequential(
//	    nn.Conv2d(1, 8, kernel_size=3, padding=1),      # [64, 8, 28, 28]
//	    nn.ReLU(),
//	    nn.MaxPool2d(2),                                # [64, 8, 14, 14]
//	    nn.Flatten(),                                   # [64, 1568]
//	    nn.Linear(8*14*14, 10))
//	loss = nn.CrossEntropyLoss()(model(x), y)
//	opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
//
// # Transformer
//
// A character-level GPT, nn.NewGPT(rng, GPTConfig): batch 32 of token ids
// idx [32, 64] in 0..64 (vocabulary 65, context 64) with next-token
// targets [32, 64]; d = 64, 4 heads (16 features each), 2 pre-norm blocks,
// learned positions, dropout 0.
//
//	tok = nn.Embedding(65, 64)
//	pos = nn.Embedding(64, 64)
//	h = tok(idx) + pos(torch.arange(64))               # [32, 64, 64]
//	for each of 2 blocks:
//	    a = nn.LayerNorm(64)(h)                         # eps 1e-5
//	    q, k, v = nn.Linear(64, 64)(a), nn.Linear(64, 64)(a), nn.Linear(64, 64)(a)
//	    # each viewed as [32, 4, 64, 16] (batch, heads, t, 16)
//	    s = q @ k.transpose(-2, -1) / sqrt(16)          # [32, 4, 64, 64]
//	    s = s.masked_fill(causal, -inf)                 # causal: j > i
//	    o = softmax(s, -1) @ v                          # [32, 4, 64, 16]
//	    h = h + nn.Linear(64, 64)(o merged to [32, 64, 64])
//	    m = nn.LayerNorm(64)(h)
//	    h = h + nn.Linear(256, 64)(GELU_tanh(nn.Linear(64, 256)(m)))
//	h = nn.LayerNorm(64)(h)
//	logits = nn.Linear(64, 65)(h)                       # [32, 64, 65]
//	loss = F.cross_entropy(logits.view(-1, 65), targets.view(-1))   # mean over 2048 positions
//	opt = torch.optim.AdamW(model.parameters(), lr=3e-4)           # weight_decay 0.01
//
// Every Linear has a bias; LayerNorms have a scale and a shift. GELU is
// the tanh approximation (nn.GELU(approximate="tanh")); the four attention
// projections are separate Linears (one fused [64, 192] projection does the
// same work). A sample is one sequence of 64 tokens.
package workloads

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
)

// Sizes of the workloads.
const (
	MLPBatch = 64
	CNNBatch = 64

	Vocab       = 65
	Context     = 64
	TBatch      = 32
	TDim        = 64
	THeads      = 4
	TBlocks     = 2
	ImageSide   = 28
	Classes     = 10
	MLPInputs   = ImageSide * ImageSide
	CNNChannels = 8
)

// Workload is one training step of a model on a fixed batch.
type Workload struct {
	Name   string
	Batch  int // samples per step: images, or sequences for the Transformer
	Tokens int // tokens per step for the Transformer; 0 otherwise
	// Step is a step of a hand-written loop: it zeroes the gradients, runs
	// the forward pass, the loss, Backward and the optimizer step, releases
	// the step's graph, and returns the loss.
	Step   func() float64
	Params []*dl.Tensor

	model nn.Module
	set   data.Set // the batch, for Fit
	loss  func(yHat, y *dl.Tensor) *dl.Tensor
	opt   optim.Optimizer
}

// newWorkload returns the workload that trains model on the batch x, y
// with loss and opt.
func newWorkload(name string, batch int, model nn.Module, x, y *dl.Tensor, loss func(yHat, y *dl.Tensor) *dl.Tensor, opt optim.Optimizer) *Workload {
	w := &Workload{Name: name, Batch: batch, Params: model.Params(),
		model: model, set: data.Set{X: x, Y: y}, loss: loss, opt: opt}
	w.Step = func() float64 {
		dl.ZeroGrad(w.Params...)
		l := loss(model.Forward(x), y)
		l.Backward()
		opt.Step(w.Params)
		l.Release() // the one extra call: the step's buffers serve the next step
		return l.Item()
	}
	return w
}

// Fit trains the workload's model for the given number of steps through
// train.Fit, each step an epoch of the workload's one batch (shuffled),
// with the optimizer that Step uses, and returns the last step's loss.
// It panics if Fit returns an error.
func (w *Workload) Fit(steps int) float64 {
	h, err := train.Fit(w.model, w.set, train.Config{Loss: w.loss, Optimizer: w.opt, Epochs: steps, BatchSize: w.Batch})
	if err != nil {
		panic(fmt.Sprintf("workloads: %s: %v", w.Name, err))
	}
	return h.Loss[len(h.Loss)-1]
}

// MLP returns the MLP workload on x [64, 784] and labels y [64].
func MLP(x, y *dl.Tensor, seed uint64) *Workload {
	checkShape("MLP", x, MLPBatch, MLPInputs)
	checkShape("MLP", y, MLPBatch)
	rng := rand.New(rand.NewPCG(seed, 1))
	model := nn.MLP(rng, MLPInputs, 256, 128, Classes)
	opt := &optim.SGD{LR: 0.01, Momentum: 0.9}
	return newWorkload("MLP", MLPBatch, model, x, y, nn.CrossEntropy, opt)
}

// CNN returns the CNN workload on x [64, 1, 28, 28] and labels y [64].
func CNN(x, y *dl.Tensor, seed uint64) *Workload {
	checkShape("CNN", x, CNNBatch, 1, ImageSide, ImageSide)
	checkShape("CNN", y, CNNBatch)
	rng := rand.New(rand.NewPCG(seed, 2))
	half := ImageSide / 2
	model := nn.NewSequential(
		nn.NewConv2D(rng, 1, CNNChannels, 3, dl.ConvOptions{Padding: 1}),
		nn.ReLU{},
		nn.MaxPool2D{Size: 2},
		nn.Flatten{},
		nn.NewLinear(rng, CNNChannels*half*half, Classes),
	)
	opt := &optim.SGD{LR: 0.01, Momentum: 0.9}
	return newWorkload("CNN", CNNBatch, model, x, y, nn.CrossEntropy, opt)
}

// GPTConfig is the Transformer workload's model, for nn.NewGPT.
var GPTConfig = nn.GPTConfig{Vocab: Vocab, Context: Context, Dim: TDim, Heads: THeads, Layers: TBlocks,
	Positions: nn.LearnedPositions}

// Transformer returns the Transformer workload on token ids idx [32, 64]
// and next-token targets [32, 64], both ids in 0..64 stored as float64:
// an nn.GPT of GPTConfig trained with nn.SequenceCrossEntropy.
func Transformer(idx, targets *dl.Tensor, seed uint64) *Workload {
	checkShape("Transformer", idx, TBatch, Context)
	checkShape("Transformer", targets, TBatch, Context)
	rng := rand.New(rand.NewPCG(seed, 3))
	model := nn.NewGPT(rng, GPTConfig)
	opt := optim.NewAdamW(3e-4)
	w := newWorkload("Transformer", TBatch, model, idx, targets, nn.SequenceCrossEntropy, opt)
	w.Tokens = TBatch * Context
	return w
}

// SyntheticMLP returns the MLP workload on a random batch drawn from seed.
func SyntheticMLP(seed uint64) *Workload {
	rng := rand.New(rand.NewPCG(seed, 11))
	return MLP(dl.Randn(rng, MLPBatch, MLPInputs), labels(rng, Classes, MLPBatch), seed)
}

// SyntheticCNN returns the CNN workload on a random batch drawn from seed.
func SyntheticCNN(seed uint64) *Workload {
	rng := rand.New(rand.NewPCG(seed, 12))
	return CNN(dl.Randn(rng, CNNBatch, 1, ImageSide, ImageSide), labels(rng, Classes, CNNBatch), seed)
}

// SyntheticTransformer returns the Transformer workload on random token
// ids drawn from seed.
func SyntheticTransformer(seed uint64) *Workload {
	rng := rand.New(rand.NewPCG(seed, 13))
	return Transformer(labels(rng, Vocab, TBatch, Context), labels(rng, Vocab, TBatch, Context), seed)
}

// Synthetic returns the workload of the given name ("MLP", "CNN" or
// "Transformer") on random data drawn from seed. It panics on another name.
func Synthetic(name string, seed uint64) *Workload {
	switch name {
	case "MLP":
		return SyntheticMLP(seed)
	case "CNN":
		return SyntheticCNN(seed)
	case "Transformer":
		return SyntheticTransformer(seed)
	}
	panic(fmt.Sprintf("workloads: no workload %q; want MLP, CNN or Transformer", name))
}

// labels returns a tensor of the given shape of random ids in 0..n-1.
func labels(rng *rand.Rand, n int, shape ...int) *dl.Tensor {
	t := dl.Zeros(shape...)
	for i := range t.Data() {
		t.Data()[i] = float64(rng.IntN(n))
	}
	return t
}

// checkShape panics, naming the workload, if t does not have the shape.
func checkShape(name string, t *dl.Tensor, shape ...int) {
	s := t.Shape()
	ok := len(s) == len(shape)
	for i := 0; ok && i < len(s); i++ {
		ok = s[i] == shape[i]
	}
	if !ok {
		panic(fmt.Sprintf("workloads: %s: input shape %v; want %v", name, s, shape))
	}
}
