package plotting_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/plotting"
)

// MeanStd turns the results of several seeds into a band: the mean, and
// one standard deviation below and above it.
func ExampleMeanStd() {
	runs := [][]float64{ // test accuracy of 3 seeds at 3 training-set sizes
		{0.60, 0.80, 0.90},
		{0.70, 0.80, 0.92},
		{0.80, 0.80, 0.94},
	}
	mean, lo, hi := plotting.MeanStd(runs)
	for i := range mean {
		fmt.Printf("%.3f ± %.3f  [%.3f, %.3f]\n", mean[i], hi[i]-mean[i], lo[i], hi[i])
	}
	// Output:
	// 0.700 ± 0.082  [0.618, 0.782]
	// 0.800 ± 0.000  [0.800, 0.800]
	// 0.920 ± 0.016  [0.904, 0.936]
}

// Accuracy against the number of training examples, train and test, with
// the spread over seeds as a band; the x axis is logarithmic because the
// sizes span 100×.
func ExampleLearningCurve() {
	sizes := []float64{10, 30, 100, 300, 1000}
	testRuns := [][]float64{
		{0.62, 0.74, 0.83, 0.88, 0.91},
		{0.55, 0.70, 0.81, 0.87, 0.91},
		{0.66, 0.75, 0.84, 0.89, 0.92},
	}
	test := plotting.Band{Name: "test", X: sizes}
	test.Y, test.Lo, test.Hi = plotting.MeanStd(testRuns)
	train := plotting.Band{Name: "train", X: sizes, Y: []float64{1, 0.99, 0.97, 0.95, 0.94}}
	plotting.LearningCurve([]plotting.Band{train, test},
		plotting.Options{Title: "more data", XLabel: "training examples", YLabel: "accuracy"}).Show()
}

// The U-curve: test error against model size, its lowest point marked.
func ExampleBand_markMin() {
	degree := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	plotting.LearningCurve([]plotting.Band{
		{Name: "train", X: degree, Y: []float64{0.40, 0.22, 0.15, 0.11, 0.08, 0.06, 0.05, 0.04}},
		{Name: "test", X: degree, Y: []float64{0.42, 0.26, 0.21, 0.20, 0.22, 0.26, 0.31, 0.38}, MarkMin: true},
	}, plotting.Options{Title: "model size", XLabel: "polynomial degree", YLabel: "error"}).Show()
}

// A confusion matrix: true classes as rows, from the top, and predicted
// classes as columns, with the counts in the cells.
func ExampleHeatmap() {
	names := []string{"setosa", "versicolor", "virginica"}
	counts := [][]float64{
		{50, 0, 0},
		{0, 47, 3},
		{0, 4, 46},
	}
	plotting.Heatmap(counts, plotting.HeatmapOptions{Title: "confusion matrix", XLabel: "predicted", YLabel: "true",
		XTicks: names, YTicks: names, Format: "%.0f"}).Show()
}

// k-means on three blobs: the points by cluster, and the centres.
func ExampleClusters() {
	rng := rand.New(rand.NewPCG(1, 2))
	blobs := data.Blobs(rng, 150, 3, 0.5)
	labels := make([]int, 150)
	for i, y := range blobs.Y.Data() {
		labels[i] = int(y) // here the true classes; a clustering gives its own
	}
	centers := dl.New([]float64{-1.5, 2.5, 3, 0, -1.5, -2.5}, 3, 2)
	plotting.Clusters(blobs.X, labels, centers, plotting.Options{Title: "k-means, k = 3"}).Show()
}

// The points whose labels a cleaning method doubts, ringed.
func ExampleHighlight() {
	rng := rand.New(rand.NewPCG(1, 2))
	moons := data.Moons(rng, 200, 0.1)
	plotting.Highlight(moons, []int{3, 17, 42}, "flagged as wrong", plotting.Options{Title: "label noise"}).Show()
}

// The order in which an active learner asked for labels, beside the data.
func ExampleOrdered() {
	rng := rand.New(rand.NewPCG(1, 2))
	moons := data.Moons(rng, 200, 0.1)
	queries := []int{12, 40, 7, 133, 95, 61}
	plotting.Row(
		plotting.Highlight(moons, queries, "queried", plotting.Options{Title: "labels asked for"}),
		plotting.Ordered(moons, queries, plotting.Options{Title: "in this order"}),
	).Show()
}

// A bandit's estimate of each arm's value against the true means.
func ExampleBars() {
	arms := []string{"arm 0", "arm 1", "arm 2", "arm 3"}
	estimate := plotting.Series{Name: "estimate", Y: []float64{0.18, 0.55, 0.83, 0.31}}
	truth := plotting.Series{Name: "true mean", Y: []float64{0.2, 0.5, 0.8, 0.3}}
	plotting.Bars(arms, []plotting.Series{estimate, truth}, plotting.Options{Title: "a 4-armed bandit", YLabel: "value"}).Show()
}
