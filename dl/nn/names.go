package nn

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/dlnb/dlnb/dl"
)

// Named is a module that names what it holds, as PyTorch's modules name
// the keys of their state_dict: its own parameters, its own buffers, and
// the modules it is built from. Every layer of this package implements it.
//
// The names are strings that each layer writes out, not the names of its
// Go fields, so renaming a field, or building a layer differently, does
// not change them. A tensor's full name is the path to it through the
// modules, joined with dots, as [NamedParams] returns it: "0.W" is the
// weight of layer 0 of a [Sequential], "1.Attn.Wq.B" a bias of the
// attention of a [TransformerBlock] that is layer 1, and "2.RunningMean" a
// buffer of a [BatchNorm]. train.Save writes these names into a file, and
// train.Summary and the plots label a Sequential's layers with them.
//
// Parts must list the tensors that Params returns: the module's own
// parameters together with those of its modules are exactly its Params
// (in any order, though listing them in the order of Params keeps files
// in that order), the same tensors on every call.
//
// A module of your own that builds on other modules implements Named by
// listing them:
//
//	func (m *Net) Parts() nn.Parts {
//		return nn.Parts{Modules: []nn.NamedModule{
//			{Name: "Encoder", Module: m.Encoder},
//			{Name: "Head", Module: m.Head},
//		}}
//	}
//
// A module that does not implement Named is a leaf: its parameters are
// named by their position in its Params, "param0", "param1", …, and it
// has no buffers. Such a module that holds a BatchNorm (whose running
// statistics are buffers) must implement Named for them to be saved.
type Named interface {
	Module
	Parts() Parts
}

// Parts is what a [Named] module holds, each part with its name. A name is
// not empty and is unique among the module's parts; it may hold a dot to
// number a list, as "Blocks.0", "Blocks.1" for a slice of blocks.
type Parts struct {
	// Params are the module's own parameters, such as {"W", l.W}.
	Params []NamedTensor
	// Buffers are the module's own buffers: state that Forward uses, and
	// may update, but that training does not learn by gradient, such as
	// the running statistics of [BatchNorm] (PyTorch calls them buffers).
	// A saved model must keep them, or once loaded it predicts otherwise
	// in evaluation mode. A buffer shares memory with the module's state,
	// so that writing into its Data changes the module.
	Buffers []NamedTensor
	// Modules are the modules the module is built from, such as
	// {"0", layer} for the first layer of a Sequential.
	Modules []NamedModule
}

// NamedTensor is a tensor with its name.
type NamedTensor struct {
	Name   string
	Tensor *dl.Tensor
}

// NamedModule is a module with its name.
type NamedModule struct {
	Name   string
	Module Module
}

// NamedParams returns the parameters of m with their full names: a
// module's own parameters first, then those of each of its modules in
// turn, the path of names joined with dots (see [Named]). A tensor that
// several layers share appears once, under its first name. For
// MLP(rng, 2, 8, 2) they are "0.W", "0.B", "2.W", "2.B".
//
// NamedParams panics if the tensors that m's parts name are not those of
// m.Params(): a [Named] module of your own whose Parts misses a layer.
func NamedParams(m Module) []NamedTensor {
	params, _ := walk(m)
	checkParts(m, params)
	return params
}

// NamedBuffers returns the buffers of m with their full names, in the
// order of [NamedParams], such as "1.RunningMean" and "1.RunningVar" for
// a BatchNorm that is layer 1 of a Sequential. It returns nil for a model
// without buffers. A BatchNorm used at two places of a model has its
// buffers under both names: its Parts make new tensors on each call, views
// of the same running statistics.
func NamedBuffers(m Module) []NamedTensor {
	_, buffers := walk(m)
	return buffers
}

// Buffers returns the buffers of m, in the order of [NamedBuffers]: the
// running statistics of every [BatchNorm] in it, for example. It returns
// nil for a model without buffers, as most are.
func Buffers(m Module) []*dl.Tensor {
	var bs []*dl.Tensor
	for _, b := range NamedBuffers(m) {
		bs = append(bs, b.Tensor)
	}
	return bs
}

// walk returns the parameters and buffers of m with their full names, each
// tensor once. A nil tensor is left out. It panics if a module's parts
// have an empty name or two the same, or if two tensors get the same
// full name.
func walk(m Module) (params, buffers []NamedTensor) {
	seen := map[*dl.Tensor]bool{}
	taken := map[string]bool{}
	var visit func(m Module, path string)
	visit = func(m Module, path string) {
		add := func(to *[]NamedTensor, name string, t *dl.Tensor) {
			if t == nil || seen[t] {
				return
			}
			full := join(path, name)
			if taken[full] {
				panic(fmt.Sprintf("nn: two tensors of the model are named %q; give the parts different names", full))
			}
			seen[t], taken[full] = true, true
			*to = append(*to, NamedTensor{full, t})
		}
		n, ok := m.(Named)
		if !ok {
			for i, t := range m.Params() {
				add(&params, "param"+strconv.Itoa(i), t)
			}
			return
		}
		parts := n.Parts()
		checkNames(m, parts)
		for _, p := range parts.Params {
			add(&params, p.Name, p.Tensor)
		}
		for _, b := range parts.Buffers {
			add(&buffers, b.Name, b.Tensor)
		}
		for _, c := range parts.Modules {
			visit(c.Module, join(path, c.Name))
		}
	}
	visit(m, "")
	return params, buffers
}

// checkNames panics if a name of m's parts is empty or used twice.
func checkNames(m Module, parts Parts) {
	var all []string
	for _, ts := range [][]NamedTensor{parts.Params, parts.Buffers} {
		for _, t := range ts {
			all = append(all, t.Name)
		}
	}
	for _, c := range parts.Modules {
		all = append(all, c.Name)
	}
	used := map[string]bool{}
	for _, name := range all {
		if name == "" || used[name] {
			panic(fmt.Sprintf("nn: the %T's Parts have the name %q twice, or an empty one; give each part its own name", m, name))
		}
		used[name] = true
	}
}

// checkParts panics if named does not hold the tensors of m.Params().
func checkParts(m Module, named []NamedTensor) {
	inNamed := map[*dl.Tensor]bool{}
	for _, p := range named {
		inNamed[p.Tensor] = true
	}
	inParams := map[*dl.Tensor]bool{}
	for i, p := range m.Params() {
		if p != nil && !inNamed[p] {
			panic(fmt.Sprintf("nn: NamedParams: parameter %d %v of the %T's Params is in none of its Parts; list every layer in Parts", i, p.Shape(), m))
		}
		inParams[p] = true
	}
	for _, p := range named {
		if !inParams[p.Tensor] {
			panic(fmt.Sprintf("nn: NamedParams: the %T's Parts name %q %v, which its Params does not return", m, p.Name, p.Tensor.Shape()))
		}
	}
}

// join joins a path and a name with a dot, skipping an empty path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// Layers returns the layers of m as train.Summary and the plots of
// activations list them: for a [Sequential] its layers, named "0", "1", …
// as in the names of [NamedParams]; any other module is a single layer
// with the empty name, since it is the whole model.
func Layers(m Module) []NamedModule {
	s, ok := m.(*Sequential)
	if !ok {
		return []NamedModule{{"", m}}
	}
	return s.Parts().Modules
}

// TypeName names the type of m for tables and plots: the Go type without
// package or pointer, such as "Linear" for *nn.Linear, with the type of
// Inner for a [Residual], "Residual(Linear)", and the number of layers for
// a [Sequential], "Sequential(3 layers)".
func TypeName(m Module) string {
	switch l := m.(type) {
	case Residual:
		return "Residual(" + TypeName(l.Inner) + ")"
	case *Residual:
		return "Residual(" + TypeName(l.Inner) + ")"
	case *Sequential:
		return fmt.Sprintf("Sequential(%d layers)", len(l.Layers))
	}
	t := reflect.TypeOf(m)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" { // such as an unnamed struct type
		return t.String()
	}
	return t.Name()
}
