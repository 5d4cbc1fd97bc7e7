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
// a tensor's value and gradient. Backward keeps the gradients of the
// intermediate tensors only when asked to, with dl.RetainGrads.
func ExampleGraph() {
	a, b := dl.Param(dl.Scalar(2)), dl.Param(dl.Scalar(-3))
	c, f := dl.Param(dl.Scalar(10)), dl.Param(dl.Scalar(-2))
	L := dl.Mul(dl.Add(dl.Mul(a, b), c), f)
	L.Backward(dl.RetainGrads)

	g := plotting.Graph(L) // in a notebook: plotting.Graph(L).Show()
	dir, err := os.MkdirTemp("", "graph")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "graph.svg")
	if err := g.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	svg := string(raw)
	fmt.Println("boxes:", strings.Count(svg, ">param<"), "param,", strings.Count(svg, ">Mul<"), "Mul,", strings.Count(svg, ">Add<"), "Add")
	for _, s := range []string{"data -8.000", "grad 1.000", "grad 6.000"} {
		fmt.Println(s, strings.Contains(svg, ">"+s+"<"))
	}
	// Output:
	// boxes: 4 param, 2 Mul, 1 Add
	// data -8.000 true
	// grad 1.000 true
	// grad 6.000 true
}

// Outside a notebook, Live prints one line per epoch; in a notebook it
// draws the loss curve as training goes. After training, live.Show()
// shows the last frame again, and live.Save writes it.
func ExampleLive() {
	rng := rand.New(rand.NewPCG(1, 2))
	model := nn.MLP(rng, 2, 8, 2)
	live := plotting.NewLive(plotting.Options{Title: "XOR"})
	_, err := train.Fit(model, data.XOR(), train.Config{
		Loss:      nn.CrossEntropy,
		Optimizer: &optim.SGD{LR: 0.1, Momentum: 0.9},
		Epochs:    3,
		Metrics:   []train.Metric{train.AccuracyMetric},
		Callbacks: []train.Callback{live.Callback},
	})
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println("the last frame:", live.Figure().Plot().Title.Text)
	// Output:
	// epoch 1/3  loss 0.5907  accuracy 0.5000  0.0s
	// epoch 2/3  loss 0.5583  accuracy 0.5000  0.0s
	// epoch 3/3  loss 0.5180  accuracy 0.7500  0.0s
	// the last frame: XOR
}

// A notebook cell shows the loss curves of a training run with one call.
func ExampleCurves() {
	h := &train.History{
		Loss:    []float64{0.9, 0.5, 0.35, 0.3},
		ValLoss: []float64{0.95, 0.6, 0.45, 0.44},
	}
	plotting.Curves(h, "loss").Show() // does nothing outside a notebook
}

// Every figure function takes the data, then its options; the zero
// Options is fine, so a figure that needs none takes none.
func ExampleOptions() {
	h := &train.History{Loss: []float64{2.3, 0.9, 0.2, 0.04, 0.01}}
	f := plotting.Curves(h, "loss", plotting.Options{Title: "digits", YLabel: "cross-entropy", LogY: true})
	fmt.Println(f.Plot().Title.Text, "/", f.Plot().X.Label.Text, "/", f.Plot().Y.Label.Text)
	f.Show()
	// Output:
	// digits / epoch / cross-entropy
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
	plotting.Row(plotting.Scatter(moons, plotting.Options{Title: "moons"}), plotting.Boundary(model, moons)).Show()
}

// Optimizer paths on a loss surface.
func ExamplePath() {
	loss := func(x, y float64) float64 { return x*x + 10*y*y }
	grad := func(x, y float64) (float64, float64) { return 2 * x, 20 * y }
	f := plotting.Contour(loss, -2, 2, -1, 1)
	for _, lr := range []float64{0.02, 0.09} {
		pts := [][2]float64{{-1.8, 0.8}}
		for range 30 {
			x, y := pts[len(pts)-1][0], pts[len(pts)-1][1]
			gx, gy := grad(x, y)
			pts = append(pts, [2]float64{x - lr*gx, y - lr*gy})
		}
		plotting.Path(f, pts, fmt.Sprintf("lr %g", lr))
	}
	f.Show()
}

// The derivative of sin at 1 is cos(1).
func ExampleTangent() {
	plotting.Tangent(math.Sin, 1, -math.Pi, math.Pi).Show()
}

// Save writes a PNG or an SVG.
func ExampleFigure_Save() {
	dir, err := os.MkdirTemp("", "plotting")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	f := plotting.Tangent(func(x float64) float64 { return x * x }, 1, -2, 2)
	fmt.Println(f.Save(filepath.Join(dir, "tangent.svg")))
	err = f.Save(filepath.Join(dir, "tangent.gif"))
	fmt.Println(strings.Replace(err.Error(), dir, "DIR", 1))
	// Output:
	// <nil>
	// plotting: cannot save DIR/tangent.gif: the extension must be .png or .svg
}

// Plot returns the gonum/plot plot of a figure, for changes that the
// options do not offer.
func ExampleFigure_Plot() {
	f := plotting.Tangent(math.Exp, 0, -2, 2)
	p := f.Plot()
	p.Y.Min = 0
	fmt.Println(p.Title.Text)
	f.Show()
	// Output:
	// tangent at x = 0
}

// The first 8×8 digits with their labels.
func ExampleImages() {
	first := data.Digits().Head(10)
	var labels []string
	for _, y := range first.Labels() {
		labels = append(labels, fmt.Sprintf("label %d", y))
	}
	plotting.Images(first.X, plotting.ImageOptions{Captions: labels, Columns: 5}).Show()
}

// The mistakes of a perceptron in each epoch, one line per truth table.
func ExampleLines() {
	and := plotting.IntSeries("AND", []int{2, 3, 1, 0, 0, 0})
	xor := plotting.IntSeries("XOR", []int{2, 3, 4, 4, 4, 4})
	plotting.Lines([]plotting.Series{and, xor}, plotting.Options{Title: "Mistakes per epoch", XLabel: "epoch", YLabel: "mistakes"}).Show()
}
