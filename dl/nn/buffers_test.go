package nn_test

import (
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

func TestBuffers(t *testing.T) {
	rng := newRNG(1)
	bn1, bn2 := nn.NewBatchNorm(3), nn.NewBatchNorm(2)
	inner := nn.NewSequential(nn.NewLinear(rng, 2, 2), bn2)
	model := nn.NewSequential(nn.NewLinear(rng, 4, 3), bn1, nn.ReLU{}, nn.NewLinear(rng, 3, 2), nn.Residual{Inner: inner})

	bs := nn.Buffers(model)
	if len(bs) != 4 {
		t.Fatalf("Buffers gives %d tensors; want 4 (two per BatchNorm)", len(bs))
	}
	want := [][]float64{bn1.RunningMean, bn1.RunningVar, bn2.RunningMean, bn2.RunningVar}
	for i, b := range bs {
		if !slices.Equal(b.Data(), want[i]) || !slices.Equal(b.Shape(), []int{len(want[i])}) {
			t.Errorf("buffer %d is %v %v; want %v", i, b.Shape(), b.Data(), want[i])
		}
	}
	// The tensors share the layers' memory, both ways.
	bs[1].Data()[2] = 7
	if bn1.RunningVar[2] != 7 {
		t.Errorf("writing into the buffer left RunningVar %v", bn1.RunningVar)
	}
	model.Forward(dl.Randn(rng, 5, 4))
	if !slices.Equal(bs[0].Data(), bn1.RunningMean) || bs[0].Data()[0] == 0 {
		t.Errorf("after a training step the buffer holds %v, RunningMean %v", bs[0].Data(), bn1.RunningMean)
	}
	if got := nn.Buffers(nn.NewLinear(rng, 2, 2)); got != nil {
		t.Errorf("a Linear has buffers %v; want nil", got)
	}
}
