package plotting

import (
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"
)

func TestConfusion(t *testing.T) {
	m := [][]int{{48, 2, 0}, {5, 40, 5}, {1, 9, 40}}
	_, svg := saved(t, "confusion", Confusion(m, []string{"cat", "dog", "bird"}))
	// 128 of 150 are on the diagonal.
	for _, s := range []string{"confusion matrix: accuracy 85.3%", "predicted", "true", ">cat<", ">bird<", ">48<", ">9<", ">0<", ">40<"} {
		if !strings.Contains(svg, s) {
			t.Errorf("SVG lacks %q", s)
		}
	}
	// The cells are the counts of Heatmap, true classes as rows from the top.
	names := []string{"cat", "dog", "bird"}
	_, heat := saved(t, "confusion-heatmap", Heatmap([][]float64{{48, 2, 0}, {5, 40, 5}, {1, 9, 40}}, HeatmapOptions{
		Title: "confusion matrix: accuracy 85.3%", XLabel: "predicted", YLabel: "true", XTicks: names, YTicks: names, Format: "%.0f"}))
	if svg != heat {
		t.Error("Confusion draws otherwise than the Heatmap of its counts")
	}
	_, svg = saved(t, "confusion-nil", Confusion([][]int{{0, 0}, {0, 0}}, nil))
	if !strings.Contains(svg, ">confusion matrix<") || !strings.Contains(svg, ">1<") {
		t.Error("an empty matrix: the title or the class numbers are missing")
	}

	testutil.Panics(t, "plotting: Confusion: the matrix is empty", func() { Confusion(nil, nil) })
	testutil.Panics(t, "plotting: Confusion: row 1 has 1 counts for 2 classes", func() { Confusion([][]int{{1, 2}, {3}}, nil) })
	testutil.Panics(t, "plotting: Confusion: 3 class names for 2 classes", func() { Confusion([][]int{{1, 2}, {3, 4}}, []string{"a", "b", "c"}) })
	testutil.Panics(t, "plotting: Confusion: Options.LogY is not used by this figure", func() { Confusion([][]int{{1}}, nil, Options{LogY: true}) })
}
