package plotting_test

import (
	"fmt"
	"math"

	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/plotting"
)

// The loss of five models of growing size (made-up numbers near the law
// 3.2·N^−0.037), a power law fitted to the four smallest, and the
// largest held out: does the law predict it? (With so few points the fit
// finds a small floor c, where the numbers came from none.)
func ExampleScalingLaw() {
	params := []float64{1760, 6592, 14496, 39520, 155840}
	loss := []float64{2.432, 2.316, 2.247, 2.168, 2.031}
	law, err := train.FitPowerLaw(params[:4], loss[:4])
	if err != nil {
		panic(err)
	}
	var points []plotting.ScalingPoint
	for i := range params {
		points = append(points, plotting.ScalingPoint{Label: fmt.Sprintf("size %d", i+1), X: params[i], Y: loss[i], HeldOut: i == 4})
	}
	plotting.ScalingLaw(points, law, plotting.Options{XLabel: "non-embedding parameters", YLabel: "loss (nats/char)"}).Show()
	fmt.Printf("fitted: %v; predicted %.3f, measured %.3f\n", law, law.Predict(params[4]), loss[4])
	// Output:
	// fitted: 2.63·x^-0.0515 + 0.644; predicted 2.064, measured 2.031
}

// Loss against compute for three model sizes (made-up curves): each
// larger model costs four times as much per step and learns as fast per
// step, towards a lower floor. With little compute the small model is
// best, with more the larger ones: the frontier passes from one to the
// next as the compute grows.
func ExampleComputeCurves() {
	var runs []plotting.Series
	for i, perStep := range []float64{1e7, 4e7, 1.6e8} {
		r := plotting.Series{Name: []string{"small", "medium", "large"}[i]}
		for step := 10.0; step <= 1000; step *= 1.5 {
			r.X = append(r.X, perStep*step)
			r.Y = append(r.Y, 1.5-0.2*float64(i)+2*math.Pow(step, -0.3))
		}
		runs = append(runs, r)
	}
	plotting.ComputeCurves(runs, plotting.Options{XLabel: "training FLOPs", YLabel: "loss"}).Show()
	front, best := plotting.Frontier(runs)
	for _, c := range []float64{1e9, 1e10, 1e11} {
		i := 0
		for i < len(front.X)-1 && front.X[i+1] <= c {
			i++
		}
		fmt.Printf("at %.0e FLOPs the best is %s: loss %.3f\n", c, runs[best[i]].Name, front.Y[i])
	}
	// Output:
	// at 1e+09 FLOPs the best is small: loss 2.019
	// at 1e+10 FLOPs the best is medium: loss 1.699
	// at 1e+11 FLOPs the best is large: loss 1.397
}
