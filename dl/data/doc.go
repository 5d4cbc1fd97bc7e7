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
//     [Standardize].
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
