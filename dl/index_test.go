package dl

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestGradientsIndex(t *testing.T) { runGradCases(t, 11, indexGradCases) }

// indexGradCases are the gradient checks of Gather, Index, Slice and
// Concat.
func indexGradCases(rng *rand.Rand) []gradCase {
	var cases []gradCase
	v, d := 3+rng.IntN(3), 2+rng.IntN(3)
	cases = append(cases,
		gradCase{name: "Gather repeated", shapes: [][]int{{v, d}},
			f: func(in []*Tensor) *Tensor { return Gather(in[0], []int{1, 0, 1, v - 1, 1}) }},
		gradCase{name: "Gather none", shapes: [][]int{{v, d}},
			f: func(in []*Tensor) *Tensor { return Add(Sum(Gather(in[0], nil)), Sum(in[0])) }})
	x3 := randShape(rng, 3)
	for _, axis := range []int{0, 1, 2, -1} {
		n := x3[(axis+3)%3]
		idx := []int{n - 1, 0, n - 1, 1}
		cases = append(cases,
			gradCase{name: fmt.Sprintf("Index axis %d", axis), shapes: [][]int{x3},
				f: func(in []*Tensor) *Tensor { return Index(in[0], axis, idx) }},
			gradCase{name: fmt.Sprintf("Slice axis %d", axis), shapes: [][]int{x3},
				f: func(in []*Tensor) *Tensor { return Slice(in[0], axis, 1, n) }})
	}
	for _, axis := range []int{0, 1, 2, -2} {
		a := (axis + 3) % 3
		shapes := make([][]int, 3)
		for i := range shapes {
			shapes[i] = []int{x3[0], x3[1], x3[2]}
			shapes[i][a] = 1 + i
		}
		cases = append(cases, gradCase{name: fmt.Sprintf("Concat axis %d", axis), shapes: shapes,
			f: func(in []*Tensor) *Tensor { return Concat(axis, in...) }})
	}
	cases = append(cases,
		gradCase{name: "Concat x with itself", shapes: [][]int{{2, 3}},
			f: func(in []*Tensor) *Tensor { return Concat(1, in[0], Mul(in[0], in[0]), in[0]) }},
		gradCase{name: "Concat 1-D", shapes: [][]int{{3}, {2}},
			f: func(in []*Tensor) *Tensor { return Concat(0, in...) }},
		gradCase{name: "Concat of slices", shapes: [][]int{{4, 5}},
			f: func(in []*Tensor) *Tensor { return Concat(1, Slice(in[0], 1, 3, 5), Slice(in[0], 1, 0, 3)) }})
	return cases
}

func TestIndexOps(t *testing.T) {
	x := New([]float64{0, 1, 2, 3, 4, 5}, 2, 3) // [[0 1 2] [3 4 5]]
	for _, c := range []struct {
		name  string
		got   *Tensor
		shape []int
		want  []float64
	}{
		{"Gather", Gather(x, []int{1, 1, 0}), []int{3, 3}, []float64{3, 4, 5, 3, 4, 5, 0, 1, 2}},
		{"Gather none", Gather(x, []int{}), []int{0, 3}, []float64{}},
		{"Index axis 1", Index(x, 1, []int{2, 0}), []int{2, 2}, []float64{2, 0, 5, 3}},
		{"Index axis -2", Index(x, -2, []int{1}), []int{1, 3}, []float64{3, 4, 5}},
		{"Slice axis 1", Slice(x, 1, 1, 3), []int{2, 2}, []float64{1, 2, 4, 5}},
		{"Slice empty", Slice(x, 0, 1, 1), []int{0, 3}, []float64{}},
		{"Concat axis 0", Concat(0, x, Slice(x, 0, 0, 1)), []int{3, 3}, []float64{0, 1, 2, 3, 4, 5, 0, 1, 2}},
		{"Concat axis 1", Concat(1, x, Slice(x, 1, 2, 3)), []int{2, 4}, []float64{0, 1, 2, 2, 3, 4, 5, 5}},
		{"Concat one", Concat(-1, x), []int{2, 3}, []float64{0, 1, 2, 3, 4, 5}},
	} {
		if !slices.Equal(c.got.Shape(), c.shape) || !slices.Equal(c.got.Data(), c.want) {
			t.Errorf("%s: %v %v, want %v %v", c.name, c.got.Shape(), c.got.Data(), c.shape, c.want)
		}
	}
	// Repeated indices add up their rows' gradients.
	table := Param(New([]float64{1, 2, 3, 4, 5, 6}, 3, 2))
	Sum(Gather(table, []int{2, 0, 2, 2})).Backward()
	if got, want := table.Grad(), []float64{1, 1, 0, 0, 3, 3}; !slices.Equal(got, want) {
		t.Errorf("Gather gradient = %v, want %v", got, want)
	}
}
