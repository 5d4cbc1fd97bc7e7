package plotting

import (
	"fmt"
	"math"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/unsup"
	"github.com/dlnb/dlnb/internal/testutil"
)

// blobs10 returns 300 points of 3 classes in 10 dimensions: Gaussian blobs
// of the plane, stretched 3× along dimension 0, in dimensions 0 and 4, and
// small noise in the other 8.
func blobs10() data.Set {
	rng := newRNG(7)
	b := data.Blobs(rng, 300, 3, 0.4)
	x := make([]float64, 300*10)
	for i := range 300 {
		for j := range 10 {
			x[i*10+j] = 0.05 * rng.NormFloat64()
		}
		x[i*10] = 3 * b.X.Data()[2*i]
		x[i*10+4] = b.X.Data()[2*i+1]
	}
	return data.Set{X: dl.New(x, 300, 10), Y: b.Y}
}

func TestEmbedding(t *testing.T) {
	set := blobs10()
	pca := unsup.PCA(set.X, 2)
	pc1 := fmt.Sprintf("PC1 (%.0f%% of the variance)", 100*pca.Ratio[0])
	pc2 := fmt.Sprintf("PC2 (%.0f%%)", 100*pca.Ratio[1])
	// Dimension 0 holds most of the variance: PC1 is along it.
	if pca.Ratio[0] < 0.7 || pca.Ratio[0]+pca.Ratio[1] < 0.95 {
		t.Fatalf("the test's data: PCA ratios %v, want the first above 0.7 and two above 0.95", pca.Ratio)
	}
	f := Embedding(set, Options{Title: "learned features"})
	checkSaved(t, "embedding", f, 640, 400, 8, []string{"learned features", pc1, pc2, "class 0", "class 1", "class 2"}, nil)
	// The points drawn are the projections: the axes cover PC1's and PC2's
	// ranges, with a column on the right for the legend, and the y axis is
	// not stretched for it (ten entries would squash the cloud).
	z := pca.Project(set.X).Data()
	lo, hi := [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
	for i, v := range z {
		lo[i%2], hi[i%2] = min(lo[i%2], v), max(hi[i%2], v)
	}
	p := f.Plot()
	if p.X.Min > lo[0] || p.X.Max < hi[0] || p.X.Max-p.X.Min > 1.2*(hi[0]-lo[0])/(1-legendWidth) {
		t.Errorf("x axis [%.2f, %.2f], want PC1's range [%.2f, %.2f] and room for the legend", p.X.Min, p.X.Max, lo[0], hi[0])
	}
	if p.Y.Min > lo[1] || p.Y.Max < hi[1] || p.Y.Max-p.Y.Min > 1.2*(hi[1]-lo[1]) {
		t.Errorf("y axis [%.2f, %.2f], want just around PC2's range [%.2f, %.2f]", p.Y.Min, p.Y.Max, lo[1], hi[1])
	}
	ten := data.Set{X: dl.Randn(newRNG(8), 500, 5), Y: dl.New(make([]float64, 500), 500)}
	for i := range 500 {
		ten.Y.Data()[i] = float64(i % 10)
	}
	checkSaved(t, "embedding-ten", Embedding(ten), 640, 400, 12, []string{"class 0", "class 9", "PC1"}, nil)

	// 2-D features are drawn as they are; without labels there is no legend.
	flat := Embedding(data.Set{X: dl.Slice(set.X, 1, 0, 2)})
	checkSaved(t, "embedding-2d", flat, 640, 400, 4, []string{"embedding", "feature 1", "feature 2"}, []string{"class 0", "PC1"})

	three := data.Set{X: dl.Zeros(5, 3)}
	for _, c := range []struct {
		want string
		f    func()
	}{
		{"plotting: Embedding: the set has no X", func() { Embedding(data.Set{}) }},
		{"plotting: Embedding: X has shape [5]; want features [n, d]", func() { Embedding(data.Set{X: dl.Zeros(5)}) }},
		{"plotting: Embedding: X has shape [1 3]; want features [n, d] with n ≥ 2 points", func() { Embedding(data.Set{X: dl.Zeros(1, 3)}) }},
		{"plotting: Embedding: X has shape [5 1]", func() { Embedding(data.Set{X: dl.Zeros(5, 1)}) }},
		{"plotting: Embedding: Y has shape [4] for 5 points", func() { Embedding(data.Set{X: three.X, Y: dl.Zeros(4)}) }},
		{"plotting: Embedding: X holds NaN at row 1", func() {
			Embedding(data.Set{X: dl.New([]float64{0, 1, math.NaN(), 2}, 2, 2)})
		}},
		{"plotting: Embedding: Options.LogY is not used by this figure", func() { Embedding(three, Options{LogY: true}) }},
	} {
		testutil.Panics(t, c.want, c.f)
	}
}
