package plotting

import (
	"fmt"

	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/unsup"
)

// legendWidth is about the share of a plot's width that a legend of
// "class k" entries takes.
const legendWidth = 0.24

// Embedding draws learned features in 2-D, one point per row of set.X
// [n, d], coloured by its class in set.Y with a legend "class 0",
// "class 1", ... in a column on the right. Features of more than 2 dimensions are
// projected on their first two principal components (unsup.PCA): the
// axes are "PC1" and "PC2", each with the share of the variance it shows.
// Features of exactly 2 dimensions are drawn as they are, on axes
// "feature 1" and "feature 2". The labels only colour the points: a
// network that never saw them, such as a contrastive encoder, shows
// what it learned when the classes come out as separate clouds.
//
//	plotting.Embedding(data.Set{X: features, Y: test.Y}, plotting.Options{Title: "learned features"}).Show()
//
// It uses Title, XLabel, YLabel, Width and Height of Options; the title is
// "embedding" unless opts sets it.
//
// Embedding panics if set.X is nil or not [n, d] with n ≥ 2 and d ≥ 2,
// if set.Y does not have n rows, or if set.X holds NaN or Inf.
func Embedding(set data.Set, opts ...Options) *Figure {
	o := options("Embedding", opts, "LogY")
	if set.X == nil {
		panic("plotting: Embedding: the set has no X")
	}
	s := set.X.Shape()
	if len(s) != 2 || s[0] < 2 || s[1] < 2 {
		panic(fmt.Sprintf("plotting: Embedding: X has shape %v; want features [n, d] with n ≥ 2 points and d ≥ 2 dimensions", s))
	}
	for i, v := range set.X.Data() {
		if !finite(v) {
			panic(fmt.Sprintf("plotting: Embedding: X holds %v at row %d; want finite features", v, i/s[1]))
		}
	}
	n := s[0]
	cls := classes("Embedding", set.Y, n)
	x, xlabel, ylabel := set.X.Data(), "feature 1", "feature 2"
	if s[1] > 2 {
		pca := unsup.PCA(set.X, 2)
		x = pca.Project(set.X).Data()
		xlabel = fmt.Sprintf("PC1 (%.0f%% of the variance)", 100*pca.Ratio[0])
		ylabel = fmt.Sprintf("PC2 (%.0f%%)", 100*pca.Ratio[1])
	}
	p := newPlot("embedding", xlabel, ylabel)
	addPoints(p, x, cls, set.Y != nil)
	xlo, xhi, ylo, yhi := bounds(x, 0.08)
	if set.Y != nil {
		// A column on the right for the legend, which may have ten
		// entries or more: raising the top instead, as Scatter does,
		// would squash the cloud into the bottom of the plot.
		xhi += (xhi - xlo) * legendWidth / (1 - legendWidth)
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xlo, xhi, ylo, yhi
	return single(finish(p, pairs(x)), o)
}
