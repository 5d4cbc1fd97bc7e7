// Package train runs the training loop: [Fit] trains a model on a data set
// with a loss and an optimizer, and returns the [History] of losses and
// metrics per epoch. [Evaluate], [Predict], [PredictClasses], [Accuracy],
// [Confusion] and [Summary] help around it, and [Save] and [Load] keep a
// trained model.
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
// Fit shuffles the batches with a generator seeded from [Config].Seed, and
// package dl adds the parts of every parallel sum in a fixed order, with
// chunks set by the size of the problem. So the same program (the model
// built from the same seed, the same data and Config) gives a bit-identical
// History and parameters on every run and under any GOMAXPROCS: a 1-core
// laptop prints the very numbers of a 16-core server. Across CPU
// architectures, build tags and Go versions the last digits may differ;
// the Determinism section of package dl says exactly what is promised.
//
// # Saving and loading
//
// [SaveFile] writes a model's parameters and buffers (the running
// statistics of nn.BatchNorm) to a file, and [LoadFile] reads them into a
// model of the same architecture, built with any seed:
//
//	err := train.SaveFile("xor.dlnb", model)
//	...
//	fresh := nn.MLP(rng, 2, 8, 2)
//	err = train.LoadFile("xor.dlnb", fresh) // fresh now predicts as model
//
// The file holds no code: the architecture comes from the program. The
// format (version 2) is, with every integer little-endian:
//
//	offset  size  field
//	0       8     magic bytes "DLNBPARM"
//	8       4     format version, uint32: 2
//	12      4     number of tensors n, uint32
//	16            n tensors, each:
//	                2        name length L, uint16 (at most 4096)
//	                L        name, UTF-8, such as "1.W" (see StateNames)
//	                1        rank r, uint8 (at most 32)
//	                4·r      shape, r × uint32
//	                8·N      values, N = product of the shape, float64 (IEEE 754 bits), row-major
//	end−4   4     CRC-32 (IEEE) of every byte before it, uint32
//
// Save writes the tensors in the order of [StateNames]: the parameters as
// nn.NamedParams lists them, then the buffers as nn.NamedBuffers lists
// them, each shared tensor once. The names are the paths of nn.Named, like
// the keys of PyTorch's state_dict: "0.W" and "0.B" for the first layer of
// a Sequential, "1.Attn.Wq.W" inside a TransformerBlock that is layer 1,
// "2.RunningMean" for a buffer of a BatchNorm. Load finds each tensor of
// the model by its name, so the order in the file does not matter.
//
// Version 1 had the same layout, but its names came from the model's Go
// fields and types ("1.Linear.W"), and it wrote the parameters in the
// order of model.Params(), then the buffers. Load still reads it, by
// position: the k-th tensor of the file goes to the k-th tensor of the
// model in that order, if every shape agrees. Otherwise it returns an
// error that says to re-save the file: load it into the model that wrote
// it and save again, which writes version 2.
//
// # Errors
//
// Programmer errors panic with a message that starts with "train:" and
// names the function, for example a Config without a Loss, or a nil model
// ("train: Fit: model is nil"). Fit returns an error when training fails
// for reasons of the data or the settings, and says what is at fault:
//
//   - the optimizer's settings cannot work, such as a negative, NaN or
//     infinite learning rate (its Validate method says which, before the
//     first step);
//   - the loss becomes NaN or infinite: the data hold a NaN or an
//     infinity (Fit names X or Y, and the example), the model or the loss
//     already fail before the first step, or, after steps, the learning
//     rate is too large;
//   - the last step of an epoch leaves a parameter NaN or infinite (Fit
//     names it, such as "0.W"), or makes the model's output or loss so;
//   - the loss on the validation set is NaN or infinite;
//   - a callback asks it to stop.
//
// Load returns an error, and leaves the model unchanged, for a file that
// does not fit the model or is damaged; LoadFile also for a file that goes
// on after its end. SaveFile replaces a file atomically, so a crash or a
// full disk never leaves half a file.
package train
