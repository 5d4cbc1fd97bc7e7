package nn_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

// names returns the names of ts.
func names(ts []nn.NamedTensor) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return out
}

func TestNamedParams(t *testing.T) {
	rng := newRNG(20)
	shared := nn.NewLinear(rng, 4, 4)
	tests := []struct {
		name         string
		model        nn.Module
		params, bufs []string
	}{
		{"MLP", nn.MLP(rng, 2, 8, 2), []string{"0.W", "0.B", "2.W", "2.B"}, nil},
		{"a Linear alone", nn.NewLinear(rng, 2, 3), []string{"W", "B"}, nil},
		{"nested Sequential, Residual and BatchNorm", nn.NewSequential(
			nn.NewConv2D(rng, 1, 2, 3, dl.ConvOptions{}),
			nn.NewBatchNorm(2),
			nn.Flatten{},
			nn.Residual{Inner: nn.NewSequential(nn.NewLinear(rng, 4, 4), nn.Tanh{}, nn.NewSequential(nn.NewLayerNorm(4)))},
			nn.NewEmbedding(rng, 5, 4),
		), []string{"0.W", "0.B", "1.Gamma", "1.Beta", "3.Inner.0.W", "3.Inner.0.B", "3.Inner.2.0.Gamma", "3.Inner.2.0.Beta", "4.Table"},
			[]string{"1.RunningMean", "1.RunningVar"}},
		{"a layer used twice is named once", nn.NewSequential(shared, nn.ReLU{}, shared), []string{"0.W", "0.B"}, nil},
		{"TransformerBlock", nn.NewTransformerBlock(rng, 4, 2, true), []string{
			"Attn.Wq.W", "Attn.Wq.B", "Attn.Wk.W", "Attn.Wk.B", "Attn.Wv.W", "Attn.Wv.B", "Attn.Wo.W", "Attn.Wo.B",
			"Norm1.Gamma", "Norm1.Beta", "Norm2.Gamma", "Norm2.Beta", "FC1.W", "FC1.B", "FC2.W", "FC2.B"}, nil},
		{"blocks of a GPT", &gpt{Blocks: []*nn.TransformerBlock{nn.NewTransformerBlock(rng, 4, 2, true), nn.NewTransformerBlock(rng, 4, 2, true)}},
			nil, nil}, // checked below
		{"a module of your own without Parts", nn.NewSequential(nn.NewLinear(rng, 2, 2), hidden{nn.NewLinear(rng, 2, 2)}),
			[]string{"0.W", "0.B", "1.param0", "1.param1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, bs := nn.NamedParams(tt.model), nn.NamedBuffers(tt.model)
			if tt.params != nil && !slices.Equal(names(ps), tt.params) {
				t.Errorf("NamedParams:\n%q\nwant\n%q", names(ps), tt.params)
			}
			if !slices.Equal(names(bs), tt.bufs) {
				t.Errorf("NamedBuffers: %q; want %q", names(bs), tt.bufs)
			}
			// The built-in layers list their tensors in the order of Params.
			if got, want := tensorsOf(ps), slices.Compact(tt.model.Params()); !slices.Equal(got, want) && tt.name != "a layer used twice is named once" {
				t.Errorf("NamedParams gives other tensors than Params, or in another order")
			}
		})
	}
	ps := names(nn.NamedParams(tests[5].model))
	if len(ps) != 32 || ps[0] != "Blocks.0.Attn.Wq.W" || ps[16] != "Blocks.1.Attn.Wq.W" || ps[31] != "Blocks.1.FC2.B" {
		t.Errorf("NamedParams of a model of two blocks: %q", ps)
	}
}

func tensorsOf(ts []nn.NamedTensor) []*dl.Tensor {
	var out []*dl.Tensor
	for _, t := range ts {
		out = append(out, t.Tensor)
	}
	return out
}

// gpt is a model of one's own that names its blocks as a list.
type gpt struct{ Blocks []*nn.TransformerBlock }

func (g *gpt) Forward(x *dl.Tensor) *dl.Tensor {
	for _, b := range g.Blocks {
		x = b.Forward(x)
	}
	return x
}

func (g *gpt) Params() []*dl.Tensor {
	var ps []*dl.Tensor
	for _, b := range g.Blocks {
		ps = append(ps, b.Params()...)
	}
	return ps
}

func (g *gpt) Parts() nn.Parts {
	var p nn.Parts
	for i, b := range g.Blocks {
		p.Modules = append(p.Modules, nn.NamedModule{Name: fmt.Sprintf("Blocks.%d", i), Module: b})
	}
	return p
}

// hidden is a module of one's own that does not implement nn.Named.
type hidden struct{ l *nn.Linear }

func (h hidden) Forward(x *dl.Tensor) *dl.Tensor { return h.l.Forward(x) }
func (h hidden) Params() []*dl.Tensor            { return h.l.Params() }

// Every module of the package implements Named, and its parts hold exactly
// its Params, in their order.
func TestEveryLayerIsNamed(t *testing.T) {
	rng := newRNG(22)
	layers := []nn.Module{
		nn.NewLinear(rng, 2, 3), nn.NewLinear(rng, 2, 3).WithoutBias(), nn.NewLinearHe(rng, 2, 3),
		nn.NewConv2D(rng, 1, 2, 3, dl.ConvOptions{}), nn.NewConv2D(rng, 1, 2, 3, dl.ConvOptions{}).WithoutBias(),
		nn.MaxPool2D{Size: 2}, nn.AvgPool2D{Size: 2}, nn.Flatten{}, nn.GELU{}, nn.ReLU{}, nn.Sigmoid{}, nn.Tanh{},
		nn.NewDropout(rng, 0.5), nn.NewBatchNorm(3), nn.NewLayerNorm(3), nn.NewEmbedding(rng, 4, 2),
		nn.NewMultiHeadAttention(rng, 4, 2, false), nn.NewTransformerBlock(rng, 4, 2, false),
		nn.Residual{Inner: nn.NewLinear(rng, 2, 2)}, &nn.Residual{Inner: nn.NewLinear(rng, 2, 2)},
		nn.MLP(rng, 2, 3, 2), nn.NewSequential(),
	}
	for _, l := range layers {
		if _, ok := l.(nn.Named); !ok {
			t.Errorf("%T does not implement nn.Named", l)
			continue
		}
		if got := tensorsOf(nn.NamedParams(l)); !slices.Equal(got, l.Params()) {
			t.Errorf("%T: NamedParams %q do not hold Params in their order", l, names(nn.NamedParams(l)))
		}
	}
}

// brokenNet forgets its second layer in Parts.
type brokenNet struct{ A, B *nn.Linear }

func (m *brokenNet) Forward(x *dl.Tensor) *dl.Tensor { return m.B.Forward(m.A.Forward(x)) }
func (m *brokenNet) Params() []*dl.Tensor            { return append(m.A.Params(), m.B.Params()...) }
func (m *brokenNet) Parts() nn.Parts {
	return nn.Parts{Modules: []nn.NamedModule{{Name: "A", Module: m.A}}}
}

// extraNet names a tensor that its Params does not return.
type extraNet struct{ brokenNet }

func (m *extraNet) Params() []*dl.Tensor { return m.A.Params() }
func (m *extraNet) Parts() nn.Parts {
	return nn.Parts{Modules: []nn.NamedModule{{Name: "A", Module: m.A}, {Name: "B", Module: m.B}}}
}

func TestNamedParamsPanics(t *testing.T) {
	rng := newRNG(23)
	a, b := nn.NewLinear(rng, 2, 2), nn.NewLinear(rng, 2, 2)
	testutil.Panics(t, "nn: NamedParams: parameter 2 [2 2] of the *nn_test.brokenNet's Params is in none of its Parts; list every layer in Parts",
		func() { nn.NamedParams(&brokenNet{a, b}) })
	testutil.Panics(t, `nn: NamedParams: the *nn_test.extraNet's Parts name "B.W" [2 2], which its Params does not return`,
		func() { nn.NamedParams(&extraNet{brokenNet{a, b}}) })
	testutil.Panics(t, `nn: the *nn_test.twinNet's Parts have the name "x" twice, or an empty one; give each part its own name`,
		func() { nn.NamedParams(&twinNet{brokenNet{a, b}}) })
	testutil.Panics(t, `nn: the *nn_test.twinNet's Parts have the name "" twice, or an empty one`,
		func() { nn.NamedBuffers(&twinNet{brokenNet{a, nil}}) })
	testutil.Panics(t, `nn: two tensors of the model are named "Blocks.0.W"; give the parts different names`, func() {
		nn.NamedParams(&listNet{nn.NewSequential(a), b})
	})
}

// listNet numbers a list "Blocks.0" and also holds a Sequential named
// "Blocks": the full names collide.
type listNet struct {
	Seq *nn.Sequential
	L   *nn.Linear
}

func (m *listNet) Forward(x *dl.Tensor) *dl.Tensor { return m.L.Forward(m.Seq.Forward(x)) }
func (m *listNet) Params() []*dl.Tensor            { return append(m.Seq.Params(), m.L.Params()...) }
func (m *listNet) Parts() nn.Parts {
	return nn.Parts{Modules: []nn.NamedModule{{Name: "Blocks", Module: m.Seq}, {Name: "Blocks.0", Module: m.L}}}
}

// twinNet gives its two layers the same name, or the second an empty one
// when it has none.
type twinNet struct{ brokenNet }

func (m *twinNet) Parts() nn.Parts {
	if m.B == nil {
		return nn.Parts{Modules: []nn.NamedModule{{Name: "", Module: m.A}}}
	}
	return nn.Parts{Modules: []nn.NamedModule{{Name: "x", Module: m.A}, {Name: "x", Module: m.B}}}
}

// nested is a module of one's own that holds a Sequential with Dropout and
// BatchNorm: through its Parts, SetTraining and Buffers reach them.
type nested struct{ Body *nn.Sequential }

func (m *nested) Forward(x *dl.Tensor) *dl.Tensor { return m.Body.Forward(x) }
func (m *nested) Params() []*dl.Tensor            { return m.Body.Params() }
func (m *nested) Parts() nn.Parts {
	return nn.Parts{Modules: []nn.NamedModule{{Name: "body", Module: m.Body}}}
}

func TestSetTrainingThroughParts(t *testing.T) {
	rng := newRNG(24)
	bn := nn.NewBatchNorm(3)
	m := &nested{nn.NewSequential(nn.NewLinear(rng, 2, 3), bn, nn.NewDropout(rng, 0.5))}
	x := dl.Randn(rng, 4, 2)
	nn.SetTraining(m, false)
	if a, b := m.Forward(x), m.Forward(x); !slices.Equal(a.Data(), b.Data()) || bn.RunningMean[0] != 0 {
		t.Error("evaluation mode did not reach the layers inside a module of one's own")
	}
	nn.SetTraining(m, true)
	if a, b := m.Forward(x), m.Forward(x); slices.Equal(a.Data(), b.Data()) {
		t.Error("training mode did not reach the Dropout inside a module of one's own")
	}
	if got := names(nn.NamedBuffers(m)); !slices.Equal(got, []string{"body.1.RunningMean", "body.1.RunningVar"}) {
		t.Errorf("NamedBuffers: %q", got)
	}
}

func TestLayersAndTypeName(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	model := nn.NewSequential(nn.NewLinear(rng, 2, 2), nn.Residual{Inner: nn.NewSequential(nn.ReLU{})}, &nn.Residual{Inner: nn.GELU{}}, hidden{})
	var got []string
	for _, l := range nn.Layers(model) {
		got = append(got, l.Name+" "+nn.TypeName(l.Module))
	}
	want := []string{"0 Linear", "1 Residual(Sequential(1 layers))", "2 Residual(GELU)", "3 hidden"}
	if !slices.Equal(got, want) {
		t.Errorf("Layers and TypeName: %q; want %q", got, want)
	}
	block := nn.NewTransformerBlock(rng, 4, 2, false)
	if ls := nn.Layers(block); len(ls) != 1 || ls[0].Name != "" || ls[0].Module != block {
		t.Errorf("Layers of a model that is not a Sequential: %v; want the model itself, unnamed", ls)
	}
	if got := nn.TypeName(struct{ nn.ReLU }{}); got != "struct { nn.ReLU }" {
		t.Errorf("TypeName of an unnamed type: %q", got)
	}
}

// The names of a model, as train.Save writes them.
func ExampleNamedParams() {
	rng := rand.New(rand.NewPCG(1, 2))
	model := nn.NewSequential(nn.NewLinear(rng, 2, 4), nn.NewBatchNorm(4), nn.ReLU{}, nn.NewLinear(rng, 4, 2).WithoutBias())
	for _, p := range nn.NamedParams(model) {
		fmt.Println(p.Name, p.Tensor.Shape())
	}
	for _, b := range nn.NamedBuffers(model) {
		fmt.Println(b.Name, b.Tensor.Shape(), "(buffer)")
	}
	// Output:
	// 0.W [2 4]
	// 0.B [4]
	// 1.Gamma [4]
	// 1.Beta [4]
	// 3.W [4 2]
	// 1.RunningMean [4] (buffer)
	// 1.RunningVar [4] (buffer)
}

// Every type of the package with a Params method has a Parts method too,
// so that a layer added later cannot forget its names.
func TestEveryParamsHasParts(t *testing.T) {
	paths, _ := filepath.Glob("*.go")
	methods := map[string]map[string]bool{} // receiver type → method names
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil {
				continue
			}
			typ := fn.Recv.List[0].Type
			if star, ok := typ.(*ast.StarExpr); ok {
				typ = star.X
			}
			name := typ.(*ast.Ident).Name
			if methods[name] == nil {
				methods[name] = map[string]bool{}
			}
			methods[name][fn.Name.Name] = true
		}
	}
	layers := 0
	for typ, ms := range methods {
		if ms["Params"] {
			layers++
			if !ms["Parts"] {
				t.Errorf("nn.%s has Params but no Parts", typ)
			}
		}
	}
	if layers < 15 {
		t.Errorf("found %d types with Params; the parse missed some", layers)
	}
}
