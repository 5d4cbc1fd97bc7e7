package nn

// Trainable is a module that behaves differently while training and while
// evaluating, such as [Dropout] (active only in training) and [BatchNorm]
// (batch statistics in training, running statistics in evaluation). Like
// PyTorch's modules, these start in training mode.
type Trainable interface {
	SetTraining(on bool)
}

// SetTraining switches m to training mode (on) or evaluation mode (off)
// when m implements [Trainable], as torch.nn.Module.train and .eval do;
// other modules, which behave the same in both modes, are left alone.
func SetTraining(m Module, on bool) {
	if t, ok := m.(Trainable); ok {
		t.SetTraining(on)
	}
}

// SetTraining switches every layer of s that implements [Trainable] to
// training mode (on) or evaluation mode (off), including the layers of
// nested Sequentials.
func (s *Sequential) SetTraining(on bool) {
	for _, l := range s.Layers {
		SetTraining(l, on)
	}
}

// SetTraining switches the layers that r wraps to training mode (on) or
// evaluation mode (off).
func (r Residual) SetTraining(on bool) { SetTraining(r.Inner, on) }
