package nn

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/dlnb/dlnb/dl"
)

// Module is a layer or a whole network: Forward maps a batch of inputs to a
// batch of outputs, recording the graph so that Backward reaches the
// parameters, and Params lists the tensors that training changes.
//
// Params returns the same tensors on every call, so an optimizer can keep
// state (such as momentum) for each of them. A module without parameters
// returns nil.
type Module interface {
	Forward(x *dl.Tensor) *dl.Tensor
	Params() []*dl.Tensor
}

// Sequential chains modules: the output of each layer is the input of the
// next, as in torch.nn.Sequential.
type Sequential struct {
	Layers []Module
}

// NewSequential returns the chain of layers, applied in the order given.
// It panics if a layer is nil.
func NewSequential(layers ...Module) *Sequential {
	for i, l := range layers {
		if l == nil {
			panic(fmt.Sprintf("nn: NewSequential: layer %d is nil", i))
		}
	}
	return &Sequential{Layers: layers}
}

// Forward applies the layers in order to x. An empty Sequential returns x.
// It panics where a layer panics, for example on shapes that do not fit.
func (s *Sequential) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("Sequential", "x", x)
	for i, l := range s.Layers {
		x = l.Forward(x)
		if x == nil {
			panic(fmt.Sprintf("nn: Sequential: layer %d (%T) returned nil", i, l))
		}
	}
	return x
}

// notNil panics if the tensor t, the argument arg of op, is nil, with a
// message that names both, "nn: Linear: x is nil", rather than the bare
// nil dereference that would follow.
func notNil(op, arg string, t *dl.Tensor) {
	if t == nil {
		panic(fmt.Sprintf("nn: %s: %s is nil", op, arg))
	}
}

// Params returns the parameters of all layers, first layer first.
func (s *Sequential) Params() []*dl.Tensor {
	var ps []*dl.Tensor
	for _, l := range s.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// Parts names the layers by their index, "0", "1", …, as PyTorch's
// nn.Sequential does, so that the weight of layer 2 is "2.W" (see
// [Named]).
func (s *Sequential) Parts() Parts {
	var p Parts
	for i, l := range s.Layers {
		p.Modules = append(p.Modules, NamedModule{strconv.Itoa(i), l})
	}
	return p
}

// MLP returns a multilayer perceptron with the given layer sizes: sizes[0]
// inputs, sizes[len(sizes)-1] outputs, and a [Linear] layer between each
// pair of neighbouring sizes. A [ReLU] follows every Linear layer except the
// last, so the outputs are raw scores (logits) for a loss such as
// [CrossEntropy]. The weights get He initialization ([NewLinearHe]), which
// suits ReLU.
//
// For example MLP(rng, 2, 8, 2) maps [batch, 2] to [batch, 2] through 8
// hidden units: Linear(2→8), ReLU, Linear(8→2).
//
// Layered networks go back to Rosenblatt's multilayer perceptrons (1962);
// they became trainable with backpropagation (Rumelhart, Hinton & Williams,
// 1986). MLP panics with fewer than 2 sizes or with a size below 1.
func MLP(rng *rand.Rand, sizes ...int) *Sequential {
	if len(sizes) < 2 {
		panic(fmt.Sprintf("nn: MLP: sizes %v; want at least 2 (inputs and outputs), e.g. MLP(rng, 2, 8, 2)", sizes))
	}
	var layers []Module
	for i := 0; i+1 < len(sizes); i++ {
		if i > 0 {
			layers = append(layers, ReLU{})
		}
		layers = append(layers, NewLinearHe(rng, sizes[i], sizes[i+1]))
	}
	return NewSequential(layers...)
}

// ReLU is the activation max(0, x) (Nair & Hinton, 2010) as a module; it
// keeps the shape of its input and has no parameters.
type ReLU struct{}

// Forward returns max(0, x) element by element, of x's shape.
func (ReLU) Forward(x *dl.Tensor) *dl.Tensor { return dl.ReLU(x) }

// Params returns nil: ReLU learns nothing.
func (ReLU) Params() []*dl.Tensor { return nil }

// Parts returns no parts: ReLU holds nothing (see [Named]).
func (ReLU) Parts() Parts { return Parts{} }

// Sigmoid is the logistic activation 1/(1+e^-x) of the early neural
// networks (Rumelhart, Hinton & Williams, 1986) as a module; it keeps the
// shape of its input and has no parameters.
type Sigmoid struct{}

// Forward returns 1/(1+e^-x) element by element, of x's shape.
func (Sigmoid) Forward(x *dl.Tensor) *dl.Tensor { return dl.Sigmoid(x) }

// Params returns nil: Sigmoid learns nothing.
func (Sigmoid) Params() []*dl.Tensor { return nil }

// Parts returns no parts: Sigmoid holds nothing (see [Named]).
func (Sigmoid) Parts() Parts { return Parts{} }

// Tanh is the hyperbolic tangent activation (LeCun et al., 1998, "Efficient
// BackProp", recommends it over the sigmoid) as a module; it keeps the
// shape of its input and has no parameters.
type Tanh struct{}

// Forward returns tanh(x) element by element, of x's shape.
func (Tanh) Forward(x *dl.Tensor) *dl.Tensor { return dl.Tanh(x) }

// Params returns nil: Tanh learns nothing.
func (Tanh) Params() []*dl.Tensor { return nil }

// Parts returns no parts: Tanh holds nothing (see [Named]).
func (Tanh) Parts() Parts { return Parts{} }
