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
//   - tools: [Set.Subset], [Split], [Shuffle], [Batches], [OneHot] and
//     [Standardize];
//   - experiments on the data itself, below: label noise, sampling, active
//     learning and finding wrong labels.
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
// # Errors
//
// Programmer errors panic with a message that starts with "data:" and names
// the function, for example a negative size or an index out of range. Data
// read from files returns an error instead, whose message also starts with
// "data:" and says what to do.
//
// # Sources
//
// The digits file, digits.csv.gz, is scikit-learn's copy of the UCI
// "Optical Recognition of Handwritten Digits" data set (Alpaydin & Kaynak,
// 1998), under CC BY 4.0; see DIGITS-LICENSE.md. It is embedded in the
// package, so nothing is downloaded at run time.
package data
