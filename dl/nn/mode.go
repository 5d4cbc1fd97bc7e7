package nn

// Trainable is a module that behaves differently while training and while
// evaluating, such as [Dropout] (active only in training) and [BatchNorm]
// (batch statistics in training, running statistics in evaluation). Like
// PyTorch's modules, these start in training mode.
type Trainable interface {
	SetTraining(on bool)
}

// SetTraining switches m to training mode (on) or evaluation mode (off),
// as torch.nn.Module.train and .eval do: m itself when it implements
// [Trainable], and otherwise every module that m is built from (its
// [Named] parts, such as the layers of a Sequential, at any depth). Other
// modules, which behave the same in both modes, are left alone.
func SetTraining(m Module, on bool) {
	if t, ok := m.(Trainable); ok {
		t.SetTraining(on)
		return
	}
	if n, ok := m.(Named); ok {
		for _, c := range n.Parts().Modules {
			SetTraining(c.Module, on)
		}
	}
}
