package dl

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Finite-difference gradient checks: for every op, the gradient Backward
// computes must match (loss(x+ε) - loss(x-ε)) / 2ε, element by element.
// The loss is Sum(op(x) * R) for a random R of op's output shape, so that
// every output element's gradient counts, each with its own weight.

// gradCase is one op to check on inputs of the given shapes.
type gradCase struct {
	name   string
	shapes [][]int
	draw   []func(*rand.Rand) float64 // how to draw each input; normal by default
	f      func(in []*Tensor) *Tensor
}

// Ways to draw inputs, for ops defined or smooth only on part of the line.
func normal(rng *rand.Rand) float64   { return rng.NormFloat64() }
func positive(rng *rand.Rand) float64 { return 0.5 + 2*rng.Float64() }
func wide(rng *rand.Rand) float64     { return 5 * rng.NormFloat64() }

// awayFromZero keeps kinks (ReLU, Abs) and poles (Div) out of reach of ε.
func awayFromZero(rng *rand.Rand) float64 {
	v := rng.NormFloat64()
	return math.Copysign(0.2+math.Abs(v), v)
}

// randShape returns a shape of dims sizes, each from 2 to 4 (sizes of 1
// come in the broadcasting cases).
func randShape(rng *rand.Rand, dims int) []int {
	s := make([]int, dims)
	for i := range s {
		s[i] = 2 + rng.IntN(3)
	}
	return s
}

// gradCases returns the cases, with their random shapes drawn from rng.
// Each name starts with the op it checks.
func gradCases(rng *rand.Rand) []gradCase {
	var cases []gradCase
	one := func(f func(*Tensor) *Tensor) func([]*Tensor) *Tensor {
		return func(in []*Tensor) *Tensor { return f(in[0]) }
	}
	two := func(f func(a, b *Tensor) *Tensor) func([]*Tensor) *Tensor {
		return func(in []*Tensor) *Tensor { return f(in[0], in[1]) }
	}

	// Binary ops: same shapes, and broadcasting both ways.
	same := randShape(rng, 1+rng.IntN(3))
	pairs := []struct {
		name string
		a, b []int
	}{
		{"same shapes", same, same},
		{"[3 4] and [4]", []int{3, 4}, []int{4}},
		{"[4] and [3 4]", []int{4}, []int{3, 4}},
		{"[3 1] and [1 4]", []int{3, 1}, []int{1, 4}},
		{"[2 3 4] and [3 1]", []int{2, 3, 4}, []int{3, 1}},
		{"[1 4] and [3 1 1]", []int{1, 4}, []int{3, 1, 1}},
		{"[2 3] and scalar", []int{2, 3}, []int{}},
		{"scalar and [2 3]", []int{}, []int{2, 3}},
		{"scalars", []int{}, []int{}},
	}
	binaries := []struct {
		name string
		f    func(a, b *Tensor) *Tensor
	}{{"Add", Add}, {"Sub", Sub}, {"Mul", Mul}, {"Div", Div}}
	for _, op := range binaries {
		for _, p := range pairs {
			c := gradCase{name: op.name + " " + p.name, shapes: [][]int{p.a, p.b}, f: two(op.f)}
			if op.name == "Div" {
				c.draw = []func(*rand.Rand) float64{normal, awayFromZero}
			}
			cases = append(cases, c)
		}
	}
	cases = append(cases, gradCase{name: "Mul x by itself", shapes: [][]int{same},
		f: func(in []*Tensor) *Tensor { return Mul(in[0], in[0]) }})

	// Element-wise functions, on random shapes.
	unaries := []struct {
		name string
		f    func(*Tensor) *Tensor
		draw func(*rand.Rand) float64
	}{
		{"Neg", Neg, normal},
		{"Exp", Exp, normal},
		{"Log", Log, positive},
		{"Sqrt", Sqrt, positive},
		{"Pow 3", func(x *Tensor) *Tensor { return Pow(x, 3) }, normal},
		{"Pow 2.5", func(x *Tensor) *Tensor { return Pow(x, 2.5) }, positive},
		{"Pow -1", func(x *Tensor) *Tensor { return Pow(x, -1) }, positive},
		{"Tanh", Tanh, normal},
		{"Sigmoid", Sigmoid, normal},
		{"Sigmoid wide", Sigmoid, wide},
		{"ReLU", ReLU, awayFromZero},
		{"Abs", Abs, awayFromZero},
		{"Softplus", Softplus, normal},
		{"Softplus wide", Softplus, wide},
	}
	for _, u := range unaries {
		cases = append(cases, gradCase{name: u.name, shapes: [][]int{randShape(rng, 1+rng.IntN(3))},
			draw: []func(*rand.Rand) float64{u.draw}, f: one(u.f)})
	}

	// Reductions.
	x3 := randShape(rng, 3)
	for _, axes := range [][]int{nil, {0}, {1}, {2}, {-1}, {0, 2}, {2, 0}, {-1, -3}, {0, 1, 2}} {
		cases = append(cases,
			gradCase{name: "Sum " + fmtAxes(axes), shapes: [][]int{x3},
				f: one(func(x *Tensor) *Tensor { return Sum(x, axes...) })},
			gradCase{name: "Mean " + fmtAxes(axes), shapes: [][]int{x3},
				f: one(func(x *Tensor) *Tensor { return Mean(x, axes...) })})
	}
	cases = append(cases, gradCase{name: "Sum scalar", shapes: [][]int{{}}, f: one(func(x *Tensor) *Tensor { return Sum(x) })})
	for _, axis := range []int{0, 1, 2, -1} {
		cases = append(cases, gradCase{name: "Max " + fmtAxes([]int{axis}), shapes: [][]int{x3},
			f: one(func(x *Tensor) *Tensor { return Max(x, axis) })})
	}
	cases = append(cases, gradCase{name: "Max 1-D", shapes: [][]int{{7}},
		f: one(func(x *Tensor) *Tensor { return Max(x, 0) })})

	// Shape ops.
	for _, shape := range [][]int{{6, -1}, {24}, {4, 3, 2}, {-1, 2, 3}} {
		cases = append(cases, gradCase{name: "Reshape to " + fmtAxes(shape), shapes: [][]int{{2, 3, 4}},
			f: one(func(x *Tensor) *Tensor { return Reshape(x, shape...) })})
	}
	for dims := 2; dims <= 4; dims++ {
		cases = append(cases, gradCase{name: fmt.Sprintf("Transpose %d-D", dims),
			shapes: [][]int{randShape(rng, dims)}, f: one(Transpose)})
	}
	for _, axes := range [][]int{{0}, {1, 0}, {0, 1}, {2, 0, 1}, {1, 2, 0}, {-1, 0, 1}, {0, 2, 1, 3}, {3, 1, 0, 2}} {
		cases = append(cases, gradCase{name: "Permute " + fmtAxes(axes), shapes: [][]int{randShape(rng, len(axes))},
			f: one(func(x *Tensor) *Tensor { return Permute(x, axes...) })})
	}

	// Matrix products.
	b, m, k, n := 2+rng.IntN(2), 2+rng.IntN(3), 2+rng.IntN(3), 2+rng.IntN(3)
	cases = append(cases,
		gradCase{name: "MatMul 2-D", shapes: [][]int{{m, k}, {k, n}}, f: two(MatMul)},
		gradCase{name: "MatMul batched", shapes: [][]int{{b, m, k}, {b, k, n}}, f: two(MatMul)},
		gradCase{name: "MatMul batched, shared right", shapes: [][]int{{b, m, k}, {k, n}}, f: two(MatMul)},
		gradCase{name: "MatMul batched 4-D", shapes: [][]int{{2, b, m, k}, {2, b, k, n}}, f: two(MatMul)},
		gradCase{name: "MatMul batched 4-D, shared right", shapes: [][]int{{2, b, m, k}, {k, n}}, f: two(MatMul)},
		gradCase{name: "MatMul x by its transpose", shapes: [][]int{{m, k}},
			f: func(in []*Tensor) *Tensor { return MatMul(in[0], Transpose(in[0])) }},
	)

	// Softmax.
	for _, axis := range []int{0, 1, 2, -1} {
		cases = append(cases,
			gradCase{name: "LogSoftmax " + fmtAxes([]int{axis}), shapes: [][]int{x3},
				f: one(func(x *Tensor) *Tensor { return LogSoftmax(x, axis) })},
			gradCase{name: "Softmax " + fmtAxes([]int{axis}), shapes: [][]int{x3},
				f: one(func(x *Tensor) *Tensor { return Softmax(x, axis) })})
	}
	cases = append(cases, gradCase{name: "LogSoftmax wide", shapes: [][]int{{3, 5}},
		draw: []func(*rand.Rand) float64{wide}, f: one(func(x *Tensor) *Tensor { return LogSoftmax(x, 1) })})

	// A small network, where gradients meet along several paths.
	cases = append(cases, gradCase{name: "MLP", shapes: [][]int{{5, 3}, {3, 4}, {4}, {4, 2}},
		f: func(in []*Tensor) *Tensor {
			h := Tanh(Add(MatMul(in[0], in[1]), in[2]))
			return Mean(LogSoftmax(MatMul(h, in[3]), -1), 0)
		}})
	return cases
}

// fmtAxes writes axes for a case name.
func fmtAxes(axes []int) string { return fmt.Sprint(axes) }

// gradCaseSets build every gradient check of the package: gradCases
// above and those next to each op's other tests. TestGradients runs
// gradCases; each file's own test runs its set.
var gradCaseSets = []func(*rand.Rand) []gradCase{
	gradCases, activationGradCases, attentionLinearGradCases, convGradCases,
	dropoutGradCases, indexGradCases, normGradCases, poolGradCases,
}

// gradOps are the ops that must each have a case in gradCaseSets: every
// function of the package that records a graph (TestGradOpsComplete checks
// that none is missing).
var gradOps = []string{
	// element-wise
	"Add", "Sub", "Mul", "Div", "Neg", "Exp", "Log", "Sqrt", "Pow", "Tanh", "Sigmoid", "ReLU", "Abs",
	"Softplus", "GELU", "Clip", "Where", "MaskedFill", "Dropout",
	// reductions and softmax
	"Sum", "Mean", "Max", "LogSoftmax", "Softmax",
	// shapes and indexing
	"Reshape", "Transpose", "Permute", "Gather", "Index", "Slice", "Concat",
	// products and layers
	"MatMul", "Linear", "Attention", "Conv2D", "MaxPool2D", "AvgPool2D",
	"LayerNorm", "BatchNormTrain", "BatchNormEval",
}

// notOps are the exported functions that return a tensor but record no
// graph: they make leaves.
var notOps = []string{"New", "Zeros", "Full", "Randn", "Scalar", "Param"}

func TestGradients(t *testing.T) { runGradCases(t, 1, gradCases) }

// runGradCases runs the gradient checks that set builds, with an rng
// seeded from seed both to build them and to check them.
func runGradCases(t *testing.T, seed uint64, set func(*rand.Rand) []gradCase) {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	for _, c := range set(rng) {
		t.Run(c.name, func(t *testing.T) { checkGrad(t, rng, c) })
	}
}

// TestGradOpsCovered checks that every op in gradOps has a gradient check
// in one of gradCaseSets.
func TestGradOpsCovered(t *testing.T) {
	var all []gradCase
	for _, set := range gradCaseSets {
		all = append(all, set(rand.New(rand.NewPCG(1, 2)))...)
	}
	for _, op := range gradOps {
		if !slices.ContainsFunc(all, func(c gradCase) bool { return c.name == op || strings.HasPrefix(c.name, op+" ") }) {
			t.Errorf("no gradient check for %s", op)
		}
	}
}

// TestGradOpsComplete checks that gradOps names every exported function of
// the package whose first result is a *Tensor, except those in notOps, so
// that a new op cannot go without a gradient check.
func TestGradOpsComplete(t *testing.T) {
	for _, fn := range exportedFuncs(t) {
		if star, ok := fn.Type.Results.List[0].Type.(*ast.StarExpr); !ok || fmt.Sprint(star.X) != "Tensor" {
			continue
		}
		if op := fn.Name.Name; !slices.Contains(gradOps, op) && !slices.Contains(notOps, op) {
			t.Errorf("%s returns a tensor but is neither in gradOps nor in notOps", op)
		}
	}
}

// TestOpsStateDerivative checks that the doc comment of every op in
// gradOps gives its derivative, in a paragraph that starts with
// "Derivative:", so that a learner finds the rule where the op is
// documented.
func TestOpsStateDerivative(t *testing.T) {
	docs := make(map[string]string)
	for _, fn := range exportedFuncs(t) {
		docs[fn.Name.Name] = fn.Doc.Text()
	}
	for _, op := range gradOps {
		if !strings.Contains(docs[op], "\nDerivative: ") {
			t.Errorf("the doc comment of %s has no paragraph starting with \"Derivative: \"", op)
		}
	}
}

// exportedFuncs returns the exported functions with results, not methods,
// declared in the package's non-test files.
func exportedFuncs(t *testing.T) []*ast.FuncDecl {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var fns []*ast.FuncDecl
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.IsExported() && fn.Type.Results != nil {
				fns = append(fns, fn)
			}
		}
	}
	return fns
}

// checkGrad compares Backward's gradients for c with central differences,
// first with every input a parameter and then with each alone, so that
// ops are also checked when only some inputs need a gradient. Like
// testutil.CheckGrad, it multiplies matrices in float64 whatever the
// precision set, and sets it back at the end. Each graph is then released
// and built again, on the buffers it gave back (which the tests' TestMain
// fills with NaN), and must give the same bits.
func checkGrad(t *testing.T, rng *rand.Rand, c gradCase) {
	old := MatMulPrecision()
	SetMatMulPrecision(Float64)
	defer SetMatMulPrecision(old)
	const eps = 1e-6
	data := make([][]float64, len(c.shapes))
	for i, shape := range c.shapes {
		draw := normal
		if i < len(c.draw) {
			draw = c.draw[i]
		}
		data[i] = make([]float64, numel(shape))
		for j := range data[i] {
			data[i][j] = draw(rng)
		}
	}
	// inputs returns fresh tensors holding the data; params lists which
	// are parameters.
	inputs := func(params ...int) []*Tensor {
		in := make([]*Tensor, len(data))
		for i := range in {
			in[i] = New(slices.Clone(data[i]), c.shapes[i]...)
		}
		for _, i := range params {
			Param(in[i])
		}
		return in
	}
	r := Randn(rng, c.f(inputs()).Shape()...)
	loss := func(in []*Tensor) *Tensor { return Sum(Mul(c.f(in), r)) }

	// Central differences, on tensors outside any graph.
	numeric := make([][]float64, len(data))
	for i := range data {
		numeric[i] = make([]float64, len(data[i]))
		for j, v := range data[i] {
			data[i][j] = v + eps
			plus := loss(inputs()).Item()
			data[i][j] = v - eps
			minus := loss(inputs()).Item()
			data[i][j] = v
			numeric[i][j] = (plus - minus) / (2 * eps)
		}
	}

	subsets := [][]int{make([]int, len(data))}
	for i := range data {
		subsets[0][i] = i
		if len(data) > 1 {
			subsets = append(subsets, []int{i})
		}
	}
	for _, params := range subsets {
		in := inputs(params...)
		l := loss(in)
		if !l.RequiresGrad() {
			t.Fatalf("params %v: loss does not require a gradient", params)
		}
		l.Backward()
		for i, x := range in {
			if !slices.Equal(x.Data(), data[i]) {
				t.Errorf("params %v: input %d changed: %v, was %v", params, i, x.Data(), data[i])
			}
			if !slices.Contains(params, i) {
				if x.Grad() != nil {
					t.Errorf("params %v: input %d is not a parameter but has a gradient", params, i)
				}
				continue
			}
			g := x.Grad()
			if len(g) != len(data[i]) {
				t.Errorf("params %v: input %d: gradient has %d elements, want %d", params, i, len(g), len(data[i]))
				continue
			}
			for j := range g {
				if want := numeric[i][j]; math.Abs(g[j]-want) > 1e-6+1e-5*math.Abs(want) {
					t.Errorf("params %v: input %d %v, element %d: gradient %.10g, finite difference %.10g",
						params, i, c.shapes[i], j, g[j], want)
				}
			}
		}
		checkReuse(t, params, in, l, func() *Tensor { return loss(in) })
	}
}

// checkReuse releases the graph of l, whose Backward has run, builds it
// again with build and runs Backward, and checks that the loss and the
// gradients of in are the same bits as l's: the second graph runs on the
// buffers that the first gave back, so an op that does not set or clear a
// buffer it takes from the pool gives other numbers (NaN, in the tests,
// which poison the pool).
func checkReuse(t *testing.T, params []int, in []*Tensor, l *Tensor, build func() *Tensor) {
	t.Helper()
	grads := make([][]float64, len(in))
	for i, x := range in {
		grads[i] = slices.Clone(x.Grad())
	}
	first := l.Item()
	l.Release()
	ZeroGrad(in...)
	again := build()
	again.Backward()
	if again.Item() != first && !(math.IsNaN(first) && math.IsNaN(again.Item())) {
		t.Errorf("params %v: loss %v on reused buffers, %v before", params, again.Item(), first)
	}
	for i, x := range in {
		if !slices.Equal(x.Grad(), grads[i]) {
			t.Errorf("params %v: input %d: gradient %v on reused buffers, %v before", params, i, x.Grad(), grads[i])
		}
	}
	again.Release()
}
