// Package train runs the training loop: [Fit] trains a model on a data set
// with a loss and an optimizer, and returns the [History] of losses and
// metrics per epoch. [Evaluate], [Predict], [PredictClasses], [Accuracy],
// [Confusion] and [Summary] help around it, [Save] and [Load] keep a
// trained model, and [Cached] trains a model only once.
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
// # The model cache
//
// In a notebook, values do not survive from one cell to the next: only
// declarations do. So a cell that shows a model trained in an earlier cell
// would train it again. [Cached] trains it once. A cell asks for a model
// by everything that determines it, and gets it loaded from a file in
// milliseconds if the same training ran before (in any cell, in any
// earlier run), or trained and stored otherwise:
//
//	func trainCNN(seed uint64) (*nn.Sequential, *train.History, train.CacheInfo) {
//		model := cnn(rand.New(rand.NewPCG(seed, 1)))
//		cfg := train.Config{Loss: nn.CrossEntropy, Optimizer: optim.NewAdam(1e-3), Epochs: 2, BatchSize: 64, Seed: seed}
//		h, info, err := train.Cached(train.Key{Notebook: "12_alexnet_2012", Name: "cnn", Settings: cfg, Seed: seed,
//			Data: []data.Set{mnistTrain}}, func() (*train.History, error) { return train.Fit(model, mnistTrain, cfg) }, model)
//		...
//	}
//
// A hit costs hashing the key, mostly the data, at about 1.5 GB/s, and
// reading the file: some 40 ms of CPU for 10,000 MNIST images as float64,
// a quarter of a second for all 60,000.
//
// What it keeps is the models' parameters and buffers (as [Save] writes
// them), fit's result, and the FLOPs of the training ([CacheInfo].FLOPs,
// the same on a hit). Not kept: an optimizer's state, and a Dropout
// layer's random generator, so a loaded model predicts exactly as the
// trained one, but training it further goes on differently.
//
// An edited setting trains anew: a student never gets a stale model. The
// key is a SHA-256 of
//
//   - the [Key]: Notebook, Name, Settings, Seed, Steps, and Data, every
//     value of X and Y, by its bits;
//   - the models as they are when Cached is called: the types and fields
//     of their layers (so tanh for ReLU is another model), and the names,
//     shapes and initial values of their parameters and buffers (so
//     another architecture or initialization seed is another model, even
//     if Settings does not say so);
//   - the type of fit's result, and dl.MatMulPrecision;
//   - the version of dlnb and of Go. In a notebook dlnb is a module that
//     the kernel publishes, whose version is a hash of its files; where
//     dlnb is the main module (go test, go run in the checkout), it is a
//     hash of the running program's file, so any edit of the code trains
//     anew.
//
// Cached cannot see inside fit: every value that fit uses and that is
// neither in the models nor in the data, such as the learning rate, the
// epochs or a flag, must be in Settings. A train.Config can be Settings
// as it is. Settings is hashed by a walk of its value, which gives the
// same hash in every run: it follows pointers and interfaces (with the
// dynamic type's name), takes structs field by field, unexported fields
// too, maps in the order of their sorted keys, floats exactly, and a
// *dl.Tensor by its shape and values. It skips what it cannot see into,
// the values of funcs and chans: a Config's Loss and Callbacks are not
// in the key, so name the loss in Settings if it changes.
//
// The cache is the folder $DLNB_MODEL_CACHE or, if that is unset, dlnb/models
// in the user's cache folder ([CacheDir]), with one subfolder per
// notebook, so notebooks never share models, and one file per model,
// NAME-HASH.dlnbc, HASH being the key's first 16 hex digits. Files are
// written atomically. The folder is bounded in size: after storing a
// model, Cached removes the least recently used files (a hit counts as a
// use) until the folder holds at most 256 MiB, or $DLNB_MODEL_CACHE_MAX
// MiB; it never removes the file it just wrote. [ClearCache] empties it,
// and DLNB_MODEL_CACHE=off turns the cache off: Cached then always runs
// fit and stores nothing.
//
// A cache file is, with every integer little-endian: the magic bytes
// "DLNBCACH", the format version (uint32, 1), the length of a header
// (uint32), the header, JSON that people can read (the full key, what it
// was made of, the FLOPs, the time of the training and the result), and
// then each model's tensors in the order given, each as [Save] writes a
// file. A file that is damaged (truncated, a bad checksum) or holds
// another key is no error: Cached says so in one line on stderr, trains
// again, and overwrites it.
//
// # Scaling laws
//
// [FitPowerLaw] fits L(x) = a·x^(−α) + c, the law in which the loss of
// language models falls with their size, data and compute (Kaplan et al.,
// 2020), to measured points, and returns a [PowerLaw] that predicts
// points it did not see; [FitPowerLawFloor] fits it with the floor c
// given, such as c = 0 for Kaplan et al.'s pure power law:
//
//	law, err := train.FitPowerLaw(params[:4], losses[:4]) // fitted to the four smallest models
//	fmt.Printf("%v predicts %.3f for the largest\n", law, law.Predict(params[4]))
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
