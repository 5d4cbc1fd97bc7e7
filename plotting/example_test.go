package plotting_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/plotting"
)

// The computation graph of L = (a·b + c)·f after Backward: each box holds
// a tensor's value and gradient.
func ExampleGraph() {
	a, b := dl.Param(dl.Scalar(2)), dl.Param(dl.Scalar(-3))
	c, f := dl.Param(dl.Scalar(10)), dl.Param(dl.Scalar(-2))
	L := dl.Mul(dl.Add(dl.Mul(a, b), c), f)
	L.Backward()

	svg := plotting.Graph(L) // in a notebook: plotting.ShowGraph(L)
	fmt.Println(strings.Count(svg, `class="node"`), "boxes,", strings.Count(svg, `class="edge"`), "arrows")
	for _, s := range []string{"data -8.000", "grad 1.000", "grad 6.000"} {
		fmt.Println(s, strings.Contains(svg, s))
	}
	// Output:
	// 7 boxes, 6 arrows
	// data -8.000 true
	// grad 1.000 true
	// grad 6.000 true
}

// Outside a notebook, Live prints one line per epoch; in a notebook it
// draws the loss curve as training goes.
func ExampleLive() {
	rng := rand.New(rand.NewPCG(1, 2))
	model := nn.MLP(rng, 2, 8, 2)
	_, err := train.Fit(model, data.XOR(), train.Config{
		Loss:      nn.CrossEntropy,
		Optimizer: &optim.SGD{LR: 0.1, Momentum: 0.9},
		Epochs:    3,
		Metrics:   []train.Metric{train.AccuracyMetric},
		Callbacks: []train.Callback{plotting.Live("XOR")},
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// epoch 1/3  loss 0.5907  accuracy 0.5000  0.0s
	// epoch 2/3  loss 0.5583  accuracy 0.5000  0.0s
	// epoch 3/3  loss 0.5180  accuracy 0.7500  0.0s
}

// A notebook cell shows the loss curves of a training run with one call.
func ExampleCurves() {
	h := &train.History{
		Loss:    []float64{0.9, 0.5, 0.35, 0.3},
		ValLoss: []float64{0.95, 0.6, 0.45, 0.44},
	}
	plotting.Show(plotting.Curves(h, "loss")) // does nothing outside a notebook
}

// Boundary colours the plane by the class a model predicts; Row puts it
// beside the data.
func ExampleBoundary() {
	rng := rand.New(rand.NewPCG(1, 2))
	moons := data.Moons(rng, 200, 0.1)
	model := nn.MLP(rng, 2, 16, 2)
	if _, err := train.Fit(model, moons, train.Config{Loss: nn.CrossEntropy, Epochs: 100}); err != nil {
		fmt.Println(err)
		return
	}
	plotting.Row(plotting.Scatter(moons, "moons"), plotting.Boundary(model, moons)).Show()
}

// Optimizer paths on a loss surface.
func ExamplePath() {
	loss := func(x, y float64) float64 { return x*x + 10*y*y }
	grad := func(x, y float64) (float64, float64) { return 2 * x, 20 * y }
	p := plotting.Contour(loss, -2, 2, -1, 1)
	for _, lr := range []float64{0.02, 0.09} {
		pts := [][2]float64{{-1.8, 0.8}}
		for range 30 {
			x, y := pts[len(pts)-1][0], pts[len(pts)-1][1]
			gx, gy := grad(x, y)
			pts = append(pts, [2]float64{x - lr*gx, y - lr*gy})
		}
		plotting.Path(p, pts, fmt.Sprintf("lr %g", lr))
	}
	plotting.Show(p)
}

// The derivative of sin at 1 is cos(1).
func ExampleTangent() {
	plotting.Show(plotting.Tangent(math.Sin, 1, -math.Pi, math.Pi))
}

// Save writes a PNG or an SVG.
func ExampleSave() {
	dir, err := os.MkdirTemp("", "plotting")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	p := plotting.Tangent(func(x float64) float64 { return x * x }, 1, -2, 2)
	fmt.Println(plotting.Save(p, filepath.Join(dir, "tangent.svg")))
	err = plotting.Save(p, filepath.Join(dir, "tangent.gif"))
	fmt.Println(strings.Replace(err.Error(), dir, "DIR", 1))
	// Output:
	// <nil>
	// plotting: cannot save DIR/tangent.gif: the extension must be .png or .svg
}

// The first 8×8 digits with their labels.
func ExampleImages() {
	digits, err := data.Digits()
	if err != nil {
		fmt.Println(err)
		return
	}
	first := digits.Subset([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	var labels []string
	for _, y := range first.Y.Data() {
		labels = append(labels, fmt.Sprintf("label %g", y))
	}
	plotting.Images(first.X, 8, 8, labels, 5).Show()
}

// The mistakes of a perceptron in each epoch, one line per truth table.
func ExampleLines() {
	and := plotting.IntSeries("AND", []int{2, 3, 1, 0, 0, 0})
	xor := plotting.IntSeries("XOR", []int{2, 3, 4, 4, 4, 4})
	plotting.Show(plotting.Lines("Mistakes per epoch", "epoch", "mistakes", and, xor))
}
