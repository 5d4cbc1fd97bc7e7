package nn

import "github.com/dlnb/dlnb/dl"

// Buffered is a module that holds state besides its parameters: values
// that Forward uses and may update but that training does not learn by
// gradient, such as the running statistics of [BatchNorm]. PyTorch calls
// them buffers. Saving a model must save them too, or a loaded model
// predicts differently in evaluation mode.
//
// Buffers returns tensors that share memory with the module's state, so
// that writing into their Data changes the module; it returns them in the
// same order on every call.
type Buffered interface {
	Buffers() []*dl.Tensor
}

// Buffers returns m's buffers when m implements [Buffered], and nil
// otherwise: most layers hold nothing but their parameters.
func Buffers(m Module) []*dl.Tensor {
	if b, ok := m.(Buffered); ok {
		return b.Buffers()
	}
	return nil
}

// Buffers returns RunningMean and RunningVar as [c] tensors that share
// their memory: writing into the tensors' Data changes the running
// statistics.
func (b *BatchNorm) Buffers() []*dl.Tensor {
	return []*dl.Tensor{dl.New(b.RunningMean), dl.New(b.RunningVar)}
}

// Buffers returns the buffers of all layers, first layer first, including
// those of nested Sequentials.
func (s *Sequential) Buffers() []*dl.Tensor {
	var bs []*dl.Tensor
	for _, l := range s.Layers {
		bs = append(bs, Buffers(l)...)
	}
	return bs
}

// Buffers returns Inner's buffers.
func (r Residual) Buffers() []*dl.Tensor { return Buffers(r.Inner) }
