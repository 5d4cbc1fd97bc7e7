// Package train runs the training loop: [Fit] trains a model on a data set
// with a loss and an optimizer, and returns the [History] of losses and
// metrics per epoch. [Evaluate], [Predict], [Accuracy] and [Summary] help
// around it.
//
// # Overview
//
// A model learns by repeating four steps on mini-batches of examples:
// forward (predict), loss (compare with the targets), backward (compute
// the gradients) and step (move the parameters against them). One pass over
// the training set is an epoch.
//
//	model := nn.MLP(rng, 2, 8, 2)
//	h, err := train.Fit(model, data.XOR(), train.Config{
//		Loss:      nn.CrossEntropy,
//		Optimizer: &optim.SGD{LR: 0.1, Momentum: 0.9},
//		Epochs:    200,
//		Metrics:   []train.Metric{train.AccuracyMetric},
//	})
//
// # Progress and plots
//
// Fit reports progress through plain values: the History it returns, and
// [Event]s that it passes to the [Callback]s in [Config]. A live loss plot
// is a callback, so this package never imports a plotting or notebook
// package and runs the same under go test as in Jupyter.
//
// # Determinism
//
// Fit shuffles the batches with a generator seeded from [Config].Seed, so
// the same model, data and seed give the same History.
//
// # Errors
//
// Programmer errors panic with a message that starts with "train:", for
// example a Config without a Loss. Fit returns an error when training
// fails for reasons of the data or the settings: when the loss becomes NaN
// or infinite (usually a learning rate that is too large), or when a
// callback asks it to stop.
package train
