package plotting_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/plotting"
)

// Training compute against the year, on a log axis, with a trend line
// per group. The numbers, in petaflop/s-days converted to FLOPs, are of
// the order of those in Amodei and Hernandez, "AI and Compute" (2018),
// rounded, for illustration only: notebook 11 gives sourced ones.
func ExampleTimeline() {
	const pfsDay = 8.64e19 // FLOPs in a petaflop/s-day
	points := []plotting.TimelinePoint{
		{Label: "AlexNet", Year: 2012.4, Value: 0.0058 * pfsDay, Group: "AI and Compute"},
		{Label: "VGG", Year: 2014.7, Value: 0.1 * pfsDay, Group: "AI and Compute"},
		{Label: "ResNet", Year: 2015.9, Value: 0.12 * pfsDay, Group: "AI and Compute"},
		{Label: "Neural Machine Translation", Year: 2016.7, Value: 80 * pfsDay, Group: "AI and Compute"},
		{Label: "AlphaGo Zero", Year: 2017.8, Value: 1900 * pfsDay, Group: "AI and Compute"},
	}
	plotting.Timeline(points, plotting.Options{Title: "training compute", YLabel: "FLOPs"}).Show()
	var years, flops []float64
	for _, p := range points {
		years, flops = append(years, p.Year), append(flops, p.Value)
	}
	fmt.Printf("doubling time: %.1f months\n", plotting.DoublingTime(years, flops))
	// Output:
	// doubling time: 3.6 months
}

// A series that doubles every half year has a doubling time of 6 months.
func ExampleDoublingTime() {
	years := []float64{2020, 2020.5, 2021, 2021.5, 2022}
	values := []float64{1e15, 2e15, 4e15, 8e15, 16e15}
	fmt.Printf("%.3g months\n", plotting.DoublingTime(years, values))
	// Output:
	// 6 months
}

// The images a generator makes at chosen training steps, one row per
// step. Here the "generator" blurs noise into a blob, more as it
// "trains".
func ExampleImageRows() {
	rng := rand.New(rand.NewPCG(1, 2))
	var rows []*dl.Tensor
	var labels []string
	for _, step := range []int{0, 500, 2000} {
		x := dl.Randn(rng, 8, 8, 8)
		v := x.Data()
		for i := range v {
			r, c := float64(i%64/8)-3.5, float64(i%8)-3.5
			t := float64(step) / 2000
			v[i] = (1-t)*v[i] + t*4*math.Exp(-(r*r+c*c)/8)
		}
		rows = append(rows, x)
		labels = append(labels, fmt.Sprintf("step %d", step))
	}
	plotting.ImageRows(rows, labels, plotting.ImageOptions{Title: "generated images"}).Show()
}

// Snapshots of a generator's samples over the target density of a ring
// of 8 Gaussians, side by side with the same axes: early on the samples
// sit on 2 modes (mode collapse), later on all 8. (Here the "samples"
// are drawn from the ring itself, from 2 modes and then from all.)
func ExampleSamples() {
	rng := rand.New(rand.NewPCG(1, 2))
	target := data.RingDensity(8, 2, 0.05)
	box := plotting.SamplesOptions{Range: [4]float64{-2.6, 2.6, -2.6, 2.6}}
	var figs []*plotting.Figure
	for _, modes := range []int{2, 8} {
		ring := data.Ring(rng, 400, modes, 2, 0.05)
		box.Title = fmt.Sprintf("%d modes covered", modes)
		figs = append(figs, plotting.Samples(ring.X, target, box))
	}
	plotting.Row(figs...).Show()
}

// The norm of the gradient that reaches each layer of a plain sigmoid
// network at initialization, for depths 4 and 32: in the deep network it
// vanishes towards the input, by orders of magnitude (hence LogY).
func ExampleLayerBars() {
	rng := rand.New(rand.NewPCG(1, 2))
	set := data.Blobs(rng, 128, 2, 1)
	var series []plotting.Series
	for _, depth := range []int{4, 32} {
		layers := []nn.Module{nn.NewLinear(rng, 2, 32), nn.Sigmoid{}}
		for range depth - 2 {
			layers = append(layers, nn.NewLinear(rng, 32, 32), nn.Sigmoid{})
		}
		model := nn.NewSequential(append(layers, nn.NewLinear(rng, 32, 2))...)
		nn.CrossEntropy(model.Forward(set.X), set.Y).Backward()
		var norms []float64
		for _, l := range model.Layers {
			if lin, ok := l.(*nn.Linear); ok {
				norms = append(norms, math.Sqrt(dot(lin.W.Grad(), lin.W.Grad())))
			}
		}
		series = append(series, plotting.Series{Name: fmt.Sprintf("depth %d", depth), Y: norms})
		fmt.Printf("depth %d: first layer %.1e, last layer %.1e\n", depth, norms[0], norms[len(norms)-1])
	}
	plotting.LayerBars(series, plotting.Options{Title: "gradient norm per layer", YLabel: "‖∂L/∂W‖", LogY: true}).Show()
	// Output:
	// depth 4: first layer 3.6e-02, last layer 7.1e-01
	// depth 32: first layer 3.3e-20, last layer 1.1e-01
}

// dot returns the dot product of a and b.
func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
