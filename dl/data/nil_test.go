package data_test

import (
	"math/rand/v2"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

// TestNilArgs checks that every function of data that takes a tensor
// panics on a nil one with a message that names the function and the
// argument, "data: OneHot: y is nil", not with a bare nil dereference;
// and that no tensor argument is left without such a case.
func TestNilArgs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	probs, labels := dl.New([]float64{0.5, 0.5}, 1, 2), dl.Zeros(1)
	nilArg := testutil.Nil
	testutil.CheckNilArgs(t, "data", ".", []testutil.NilCase{
		nilArg("UncertaintyQuery", "scores", func() { data.UncertaintyQuery(nil, 1) }),
		nilArg("MarginQuery", "scores", func() { data.MarginQuery(nil, 1) }),
		nilArg("RandomShift", "x", func() { data.RandomShift(nil, 2, 2, 1, rng) }),
		nilArg("GaussianNoise", "x", func() { data.GaussianNoise(nil, 1, rng) }),
		nilArg("RandomErase", "x", func() { data.RandomErase(nil, 2, 2, 0.5, 1, rng) }),
		nilArg("RandomResizedCrop", "x", func() { data.RandomResizedCrop(nil, 2, 2, 0.5, rng) }),
		nilArg("Augmentation.Apply", "x", func() { data.Augmentation{H: 2, W: 2}.Apply(nil, rng) }),
		nilArg("TwoViews", "x", func() { data.TwoViews(nil, data.Augmentation{H: 2, W: 2}, rng) }),
		nilArg("Thresholds", "probs", func() { data.Thresholds(nil, labels) }),
		nilArg("Thresholds", "labels", func() { data.Thresholds(probs, nil) }),
		nilArg("FlagLabels", "probs", func() { data.FlagLabels(nil, labels) }),
		nilArg("FlagLabels", "labels", func() { data.FlagLabels(probs, nil) }),
		nilArg("OneHot", "y", func() { data.OneHot(nil, 2) }),
		nilArg("ModeCoverage", "samples", func() { data.ModeCoverage(nil, probs, 1) }),
		nilArg("ModeCoverage", "centres", func() { data.ModeCoverage(probs, nil, 1) }),
	})
}
