// Package data provides the data sets of the course and the tools to split
// and batch them.
//
// # Overview
//
// A [Set] holds examples and their targets: X has one example per row,
// [n, features...], and Y has the targets, [n] class labels stored as
// float64 (0, 1, 2, ...) or [n, k] regression targets.
//
//	xor := data.XOR()                          // X [4, 2], Y [4]
//	train, test := data.Split(moons, 0.2, rng) // 80% train, 20% test, shuffled
//	for _, b := range data.Batches(train, 32, rng) { ... }
//
// The package has:
//   - truth tables for the perceptron lessons: [AND], [OR], [XOR], [XNOR];
//   - toy 2-D point sets: [Blobs], [Moons], [Circles], [Spirals];
//   - real images: [Digits], the 8×8 handwritten digits of UCI (1797 images);
//   - tools: [Set.Subset], [Set.Head], [Set.Slice], [Set.Labels] (Y as
//     ints), [Split], [Shuffle], [Batches], [OneHot] and [Standardize];
//   - augmentation of images: [RandomShift] and [GaussianNoise];
//   - text for language models: [CharTokenizer], [NextTokenBatch] (GPT-style
//     windows) and [NGrams] (makemore-style fixed contexts);
//   - sequence-to-sequence tasks: [Dates] (date normalisation, with
//     disjoint train and test dates), [Reversal] and [Sorting] of digit
//     strings, padded into batches with masks by [CharTokenizer.Batch] and
//     [PadBatch];
//   - experiments on the data itself, below: label noise, sampling, active
//     learning and finding wrong labels.
//
// Two sub-packages hold the larger data sets, so that importing data stays
// quick to compile and link: [github.com/dlnb/dlnb/dl/data/mnist] loads
// MNIST and Fashion-MNIST (60000 + 10000 images of 28×28) from files on
// the machine, and [github.com/dlnb/dlnb/dl/data/corpus] embeds Moby Dick
// and two lists of first names (500 KB gzipped).
//
// # Text
//
// A language model reads token ids. [CharTokenizer] makes one token of each
// character of a text; its ids go into nn.Embedding as float64 values:
//
//	text := corpus.MobyDick()
//	tok := data.NewCharTokenizer(text) // 83 characters
//	ids := tok.Encode(text)
//	b := data.NextTokenBatch(ids, 32, 64, rng) // X, Y [32, 64]; Y is X moved by one
//
// [NGrams] gives every (context, next token) pair of short sequences, such
// as names, padded with a boundary token: the data of the bigram and MLP
// models of makemore.
//
// An encoder–decoder model reads a source and writes a target. Its
// tokenizer has the special tokens [Pad], [Begin] and [End] in front of the
// characters ([CharTokenizer.WithSpecials]), and [CharTokenizer.Batch]
// pads the pairs of a batch to its longest, with masks:
//
//	tok := data.DateTokenizer()
//	pairs := data.Dates(rng, 64, data.DateTrain) // {"3 March 2014", "2014-03-03"}, ...
//	b := tok.Batch(pairs, 32) // Src [64, S], TgtIn and TgtOut [64, 11], masks
//
// # Augmentation
//
// Data augmentation trains a model on changed copies of its images that
// keep their labels, so that it learns what does not matter: a digit moved
// by two pixels is the same digit. [RandomShift] and [GaussianNoise] return
// new tensors and never change their input; draw a new version of the
// training set for each epoch:
//
//	for range 10 {
//		x := data.RandomShift(trainSet.X, 28, 28, 2, rng) // up to 2 pixels each way
//		x = data.GaussianNoise(x, 0.1, rng)
//		train.Fit(model, data.Set{X: x, Y: trainSet.Y}, cfg) // with cfg.Epochs 1
//	}
//
// # Experiments with data
//
// The data chapter of the course tests claims about data by experiment. These
// tools change a data set in a controlled way, so that the same model can be
// trained on both versions.
//
// More data helps: [Subsample] draws n rows; with the same seed, smaller
// samples are nested in larger ones, so a learning curve adds rows rather
// than swapping them. [Biased] keeps each row with a probability that may
// depend on x and y, and [ClassWeighted] under-represents some classes.
//
// Label quality matters: [FlipLabels] replaces a fraction of the labels by
// another class at random (symmetric noise), and [SwapLabels] confuses two
// classes that look alike, such as 3 and 8. Both return the changed rows, so
// the truth is known:
//
//	noisy, flipped := data.FlipLabels(train, 0.2, 10, rng) // 20% wrong labels
//
// Active learning saves labels: a [Pool] holds a set whose labels must be
// bought one at a time. A query strategy ([RandomQuery], [UncertaintyQuery],
// [MarginQuery]) picks positions in [Pool.Unlabeled]'s inputs from a model's
// scores, and [Pool.Label] buys them; [Pool.Budget] counts the cost.
//
// Clean or collect? Andrew Ng's data-centric claim is that for small data
// sets, fixing noisy labels helps about as much as collecting more examples.
// Confident learning (Northcutt, Jiang & Chuang, 2021)
// finds likely-wrong labels from out-of-fold predictions: [Folds] splits the
// rows, a model trained on the other folds predicts each fold, and
// [FlagLabels] flags the rows whose confident class is not their label.
// [Precision] and [Recall] score the flags against the flipped rows, and
// [Relabel] fixes them at one label each, so that cleaning k labels can be
// compared with collecting k more examples.
//
// FlipLabels, SwapLabels and Relabel return a new Y but share X with their
// input, since the inputs do not change: clone X before changing it in place.
//
// # Randomness
//
// Every random choice takes a *rand.Rand from math/rand/v2, so the same seed
// gives the same data, the same split and the same batches:
//
//	rng := rand.New(rand.NewPCG(1, 2))
//	moons := data.Moons(rng, 200, 0.1)
//
// Where the rng goes follows one rule in the whole module: a constructor or
// generator takes it first ([Blobs], [Moons], [NewPool], nn.NewLinear), and
// a function that changes an input takes that input first and the rng
// last ([Split], [Shuffle], [FlipLabels], dl.Dropout):
//
//	train, test := data.Split(moons, 0.2, rng)
//	pool := data.NewPool(rng, train, 20)
//
// # Errors
//
// Programmer errors panic with a message that starts with "data:" and names
// the function, for example a negative size, an index out of range or a nil
// tensor ("data: OneHot: y is nil"). Data read from files returns an error
// instead, whose message also starts with "data:" and says what to do. The
// embedded data sets, [Digits] and those of package corpus, return no
// error: they are part of the program, and panic only if their files in the
// package were damaged.
//
// # Sources
//
// The digits file, digits.csv.gz, is scikit-learn's copy of the UCI
// "Optical Recognition of Handwritten Digits" data set (Alpaydin & Kaynak,
// 1998), under CC BY 4.0; see DIGITS-LICENSE.md. It is embedded in the
// package, so nothing is downloaded at run time.
package data
