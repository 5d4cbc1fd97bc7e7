package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/internal/mem"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
)

// Config holds the settings of [Fit]. Only Loss is required; the zero
// value of every other field means its default.
type Config struct {
	// Loss compares predictions yHat with targets y and returns a scalar
	// tensor, e.g. nn.CrossEntropy, nn.BCE or nn.MSE. Required.
	Loss func(yHat, y *dl.Tensor) *dl.Tensor
	// Optimizer updates the parameters after each batch; nil means
	// optim.NewSGD(0.01), plain SGD with a learning rate of 0.01. Fit
	// checks its settings before training (see optim.Validator).
	Optimizer optim.Optimizer
	// Epochs is the number of passes over the training set; 0 means 1.
	Epochs int
	// BatchSize is the number of examples per step; 0 means the whole set
	// (full-batch gradient descent).
	BatchSize int
	// Seed seeds the shuffling of the batches.
	Seed uint64
	// Val is optional validation data, evaluated after each epoch.
	Val *data.Set
	// Metrics are computed per epoch, on the training batches and on Val.
	Metrics []Metric
	// Callbacks are called, in order, after each step, after each epoch
	// and once at the end.
	Callbacks []Callback
}

// History is what happened during [Fit], one entry per epoch.
type History struct {
	Loss    []float64 // mean training loss of each epoch, over its batches
	ValLoss []float64 // loss on Config.Val after each epoch; empty without Val

	// Metrics holds the value of each metric per epoch, by name, computed
	// on the predictions made for the epoch's training batches (each made
	// before that batch's step). ValMetrics holds them on Config.Val after
	// the epoch; it is empty without Val.
	Metrics, ValMetrics map[string][]float64

	// FLOPs is the compute of the run so far, as dl.FLOPCounter counts it:
	// the forward and backward passes of the training steps, and the
	// forward passes on Config.Val and of Fit's own checks. The
	// optimizer's steps are not counted.
	FLOPs float64
}

// EventKind says when an [Event] happens.
type EventKind int

const (
	StepEnd  EventKind = iota // after each optimizer step
	EpochEnd                  // after each epoch, once validation is done
	End                       // once, when Fit returns
)

// String returns the name of the kind, such as "EpochEnd".
func (k EventKind) String() string {
	switch k {
	case StepEnd:
		return "StepEnd"
	case EpochEnd:
		return "EpochEnd"
	case End:
		return "End"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is what [Fit] tells the callbacks.
type Event struct {
	Kind EventKind
	// Epoch is the current epoch, 1-based, of Epochs. For End it is the
	// number of epochs that were completed.
	Epoch, Epochs int
	// Step is the step within the epoch, 1-based, of Steps (the number of
	// batches). Both are 0 for End.
	Step, Steps int
	// Loss is this step's loss (StepEnd), or the epoch's mean training
	// loss (EpochEnd; End: the last completed epoch's, NaN if none was).
	Loss float64
	// Samples counts the examples trained on since Fit began.
	Samples int
	// Elapsed is the time since Fit began.
	Elapsed time.Duration
	// History is the history so far. It is Fit's own: read it, do not
	// change it.
	History *History
}

// Callback receives the events of [Fit]. A non-nil error stops Fit, which
// returns that error after sending End to the callbacks. (To stop early on
// purpose, return your own error value and check for it with errors.Is.)
type Callback func(e Event) error

// Fit trains model on the training set: for each of cfg.Epochs epochs it
// shuffles the set into batches of cfg.BatchSize (with a generator seeded
// from cfg.Seed, so runs repeat exactly) and for each batch
//
//  1. clears the gradients (dl.ZeroGrad),
//  2. predicts yHat = model.Forward(batch.X),
//  3. computes loss = cfg.Loss(yHat, batch.Y),
//  4. calls loss.Backward,
//  5. lets the optimizer step, and
//  6. once the callbacks have seen the step, releases its graph
//     (loss.Release) and its batch.
//
// This is minibatch stochastic gradient descent, the loop of Rumelhart,
// Hinton & Williams (1986) that every deep network since trains with.
//
// Step 6 lets the next step reuse the memory of this one (see "Memory" in
// package dl's doc): the tensors that the step computed and the batch
// tensors that Fit made are released, and using one later panics. A
// model or loss that keeps a tensor of a step for later, to plot it, must
// Clone it; nn.MultiHeadAttention's Weights is released with the step, so
// run Forward again on the example to plot. The parameters, and their
// gradients from the last step, stay.
//
// Fit puts the model in training mode ([nn.SetTraining]) before each
// epoch's steps, so that layers such as nn.Dropout and nn.BatchNorm train.
//
// After each epoch Fit records the mean training loss and metrics in the
// [History] and, if cfg.Val is set, evaluates the model on it with
// [Evaluate]. It calls the callbacks with StepEnd after each step, EpochEnd
// after each epoch (after validation) and End once as it returns, even
// when it stops early with an error, so that a live plot can draw its last
// frame.
//
// Fit returns the History of the epochs it completed together with an
// error, after sending End, when a number stops being finite, or when a
// callback returns an error. The errors say where and what is at fault:
//
//   - the loss of a step is NaN or infinite: the message names the epoch
//     and step, and the cause it finds: a NaN or infinity in the batch's X
//     or Y (it names which, and the first such example of the training
//     set); before the first step, a parameter that is not finite, or
//     else the model's output or the loss function; after steps, a
//     learning rate that is too large;
//   - a parameter is NaN or infinite after the last step of an epoch: the
//     message names the epoch and the parameter, as nn.NamedParams names
//     it ("0.W"), and suggests a smaller learning rate (Fit checks every
//     parameter once per epoch, one pass over them);
//   - after the last step of the last epoch, the model's output or loss on
//     that step's batch is NaN or infinite, although the parameters are
//     finite: they grew too large, and the message names the largest
//     (this costs one forward pass per Fit; with cfg.Val, the validation
//     loss checks the same after every epoch);
//   - the loss on cfg.Val is NaN or infinite: the message names the epoch
//     and the cause, as above: the steps, Val's X or Y (and the example),
//     or the model's output on it.
//
// Before any step or event it returns an error, with an empty History, if
// the training set or cfg.Val is empty, or if the optimizer's Validate
// method (see optim.Validator) finds a setting that cannot work: a
// negative, NaN or infinite learning rate, or the Eps of 0 that a bare
// &optim.Adam{LR: 1e-3} leaves.
//
// It panics if model is nil, if cfg.Loss is nil, if cfg.Epochs or
// cfg.BatchSize is negative, if train or cfg.Val has no targets (Y), if
// train's X and Y differ in rows, if the loss is not a scalar, if two metrics have the same name, or where
// the model, loss or optimizer panic, for example on shapes that do not
// fit.
func Fit(model nn.Module, train data.Set, cfg Config) (*History, error) {
	checkModel("Fit", model)
	if cfg.Loss == nil {
		panic("train: Fit: Config.Loss is nil; set it, e.g. to nn.CrossEntropy")
	}
	if cfg.Epochs < 0 || cfg.BatchSize < 0 {
		panic(fmt.Sprintf("train: Fit: Epochs %d and BatchSize %d must not be negative (0 means the default)", cfg.Epochs, cfg.BatchSize))
	}
	if train.X != nil && train.Y == nil {
		panic(fmt.Sprintf("train: Fit: the training set has X %v but no targets Y", train.X.Shape()))
	}
	if train.X != nil && train.X.Dim() > 0 && (train.Y.Dim() == 0 || train.Y.Shape()[0] != train.X.Shape()[0]) {
		panic(fmt.Sprintf("train: Fit: the training set has X %v and Y %v, which do not have the same number of rows",
			train.X.Shape(), train.Y.Shape()))
	}
	if cfg.Val != nil && cfg.Val.X != nil && cfg.Val.Y == nil {
		panic(fmt.Sprintf("train: Fit: the validation set Config.Val has X %v but no targets Y", cfg.Val.X.Shape()))
	}
	checkMetrics("Fit", cfg.Metrics)
	h := newHistory(cfg.Metrics, cfg.Val != nil)
	n := train.Len()
	if n == 0 {
		return h, fmt.Errorf("train: Fit: the training set is empty")
	}
	if cfg.Val != nil && cfg.Val.Len() == 0 {
		return h, fmt.Errorf("train: Fit: the validation set Config.Val is empty; set Val to nil to train without one")
	}
	opt := cfg.Optimizer
	if opt == nil {
		opt = optim.NewSGD(0.01)
	}
	if v, ok := opt.(optim.Validator); ok {
		if err := v.Validate(); err != nil {
			return h, fmt.Errorf("train: Fit: %w", err)
		}
	}
	epochs := max(cfg.Epochs, 1)
	batchSize := cfg.BatchSize
	if batchSize == 0 {
		batchSize = n
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	params := model.Params()
	start := time.Now()
	flops := dl.CountFLOPs()
	samples := 0

	// emit sends an event to the callbacks, in order, and stops at the
	// first error.
	emit := func(e Event) error {
		e.Epochs, e.Samples, e.Elapsed, e.History = epochs, samples, time.Since(start), h
		h.FLOPs = flops.FLOPs()
		for _, cb := range cfg.Callbacks {
			if err := cb(e); err != nil {
				return err
			}
		}
		return nil
	}
	// end sends End and returns err, or End's own error if err is nil.
	end := func(err error) (*History, error) {
		last := math.NaN()
		if len(h.Loss) > 0 {
			last = h.Loss[len(h.Loss)-1]
		}
		if endErr := emit(Event{Kind: End, Epoch: len(h.Loss), Loss: last}); err == nil {
			err = endErr
		}
		return h, err
	}

	for epoch := 1; epoch <= epochs; epoch++ {
		// Training mode for Dropout and BatchNorm; Evaluate, on Val, switches
		// the model to evaluation mode after each epoch.
		nn.SetTraining(model, true)
		batches := batchRows(n, batchSize, rng)
		var lossSum float64
		var preds, targets []*dl.Tensor // for the training metrics
		for i, rows := range batches {
			b := batch(train, rows)
			dl.ZeroGrad(params...)
			yHat := model.Forward(b.X)
			loss := cfg.Loss(yHat, b.Y)
			if loss.Len() != 1 {
				panic(fmt.Sprintf("train: Fit: the loss has shape %v; want a scalar (reduce it, e.g. with dl.Mean)", loss.Shape()))
			}
			l := loss.Item()
			if !finite(l) {
				hint := stepHint(b, train, yHat, model, params, samples == 0, opt)
				return end(fmt.Errorf("train: loss is %v at epoch %d, step %d; %s", l, epoch, i+1, hint))
			}
			loss.Backward()
			opt.Step(params)

			samples += b.Len()
			lossSum += l * float64(b.Len()) // the loss is a mean over the batch
			if len(cfg.Metrics) > 0 {
				preds = append(preds, yHat.Detach())
				targets = append(targets, b.Y.Clone())
			}
			if err := emit(Event{Kind: StepEnd, Epoch: epoch, Step: i + 1, Steps: len(batches), Loss: l}); err != nil {
				return end(err)
			}
			loss.Release()
			mem.Drop(b.X)
			mem.Drop(b.Y)
		}

		// Every loss was finite, but the last step may have broken the
		// model, and nothing after it would see that: check that the
		// parameters are finite (one pass over them), and that the loss is,
		// on Val or, after the last epoch, on the last batch (one forward
		// pass per Fit).
		if name, v, broken := nonFiniteParam(model, params); broken {
			return end(fmt.Errorf("train: parameter %s holds %v after the last step of epoch %d; %s", name, v, epoch, lrHint(opt)))
		}
		// lastBroken runs brokenModel on the epoch's last batch.
		lastBroken := func() error {
			last := batch(train, batches[len(batches)-1])
			defer func() { mem.Drop(last.X); mem.Drop(last.Y) }()
			return brokenModel(model, params, last, cfg.Loss, epoch, opt)
		}
		var valLoss float64
		var valValues map[string]float64
		if cfg.Val != nil {
			var yHat *dl.Tensor
			valLoss, valValues, yHat = evaluate(model, *cfg.Val, cfg.Loss, cfg.Metrics)
			if !finite(valLoss) {
				err := lastBroken()
				if err == nil { // the model is fine on its training data
					hint := dataHint("validation set", *cfg.Val)
					if hint == "" {
						hint = outputHint(yHat, " on it")
					}
					err = fmt.Errorf("train: the validation loss is %v after epoch %d; %s", valLoss, epoch, hint)
				}
				return end(err)
			}
		} else if epoch == epochs {
			err := lastBroken()
			nn.SetTraining(model, true) // as Fit leaves it without Val
			if err != nil {
				return end(err)
			}
		}

		h.Loss = append(h.Loss, lossSum/float64(n))
		if len(cfg.Metrics) > 0 {
			yHat, y := concat(preds), concat(targets)
			for _, m := range cfg.Metrics {
				h.Metrics[m.Name] = append(h.Metrics[m.Name], m.Fn(yHat, y))
			}
		}
		if cfg.Val != nil {
			h.ValLoss = append(h.ValLoss, valLoss)
			for _, m := range cfg.Metrics {
				h.ValMetrics[m.Name] = append(h.ValMetrics[m.Name], valValues[m.Name])
			}
		}
		if err := emit(Event{Kind: EpochEnd, Epoch: epoch, Loss: h.Loss[len(h.Loss)-1]}); err != nil {
			return end(err)
		}
	}
	return end(nil)
}

// batchRows returns the rows of each batch of an epoch of n examples: a
// permutation drawn from rng, cut into batches of size (the last may be
// smaller), as data.Batches shuffles and cuts them.
func batchRows(n, size int, rng *rand.Rand) [][]int {
	order := rng.Perm(n)
	var rows [][]int
	for start := 0; start < n; start += size {
		rows = append(rows, order[start:min(start+size, n)])
	}
	return rows
}

// batch returns the rows of set as a batch, as Subset does; its tensors
// are an op's results (dl.Index) with memory from dl's pool, which Fit
// gives back after the step (mem.Drop), so that the next batch reuses it.
func batch(set data.Set, rows []int) data.Set {
	return data.Set{X: dl.Index(set.X, 0, rows), Y: dl.Index(set.Y, 0, rows)}
}

// newHistory returns an empty History with a slice for every metric, and
// for validation metrics when withVal.
func newHistory(metrics []Metric, withVal bool) *History {
	h := &History{Metrics: map[string][]float64{}, ValMetrics: map[string][]float64{}}
	for _, m := range metrics {
		h.Metrics[m.Name] = []float64{}
		if withVal {
			h.ValMetrics[m.Name] = []float64{}
		}
	}
	return h
}

// concat stacks tensors of shapes [n_i, rest...] into one of shape
// [Σn_i, rest...]. It returns nil for no tensors.
func concat(parts []*dl.Tensor) *dl.Tensor {
	if len(parts) == 0 {
		return nil
	}
	if len(parts) == 1 {
		return parts[0]
	}
	rows := 0
	var values []float64
	for _, p := range parts {
		rows += p.Shape()[0]
		values = append(values, p.Data()...)
	}
	shape := append([]int{rows}, parts[0].Shape()[1:]...)
	return dl.New(values, shape...)
}
