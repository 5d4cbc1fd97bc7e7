package dl

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// closeTo reports whether a and b agree to 1e-12, element by element.
func closeTo(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Abs(x-y) <= 1e-12*max(1, math.Abs(y)) })
}

func TestAccumulation(t *testing.T) {
	// x is reached along two paths: y = x*x + x, so dy/dx = 2x + 1.
	x := Param(New([]float64{1, -2, 3}))
	if x.Grad() != nil {
		t.Fatalf("Grad before Backward = %v, want nil", x.Grad())
	}
	y := Sum(Add(Mul(x, x), x))
	y.Backward()
	if want := []float64{3, -3, 7}; !slices.Equal(x.Grad(), want) {
		t.Errorf("grad of x*x + x = %v, want %v", x.Grad(), want)
	}
	// A second Backward without ZeroGrad adds the same again.
	y.Backward()
	if want := []float64{6, -6, 14}; !slices.Equal(x.Grad(), want) {
		t.Errorf("grad after two Backwards = %v, want %v", x.Grad(), want)
	}
	ZeroGrad(x)
	if x.Grad() != nil {
		t.Errorf("grad after ZeroGrad = %v, want nil", x.Grad())
	}
	y.Backward()
	if want := []float64{3, -3, 7}; !slices.Equal(x.Grad(), want) {
		t.Errorf("grad after ZeroGrad and Backward = %v, want %v", x.Grad(), want)
	}
}

func TestIntermediateGradsStartFresh(t *testing.T) {
	x := Param(New([]float64{2}))
	h := Mul(x, x).RetainGrad()
	y := Mul(h, Scalar(3))
	y.Backward()
	y.Backward()
	if want := []float64{3}; !slices.Equal(h.Grad(), want) {
		t.Errorf("intermediate grad after two Backwards = %v, want %v", h.Grad(), want)
	}
	if want := []float64{24}; !slices.Equal(x.Grad(), want) {
		t.Errorf("parameter grad after two Backwards = %v, want %v", x.Grad(), want)
	}
}

func TestNoGraphForData(t *testing.T) {
	w := Param(New([]float64{1, 2}))
	x := New([]float64{3, 4})
	c := Exp(Mul(x, x))
	if c.RequiresGrad() || c.Inputs() != nil {
		t.Errorf("op on data: RequiresGrad %v, Inputs %v; want false, nil", c.RequiresGrad(), c.Inputs())
	}
	if c.Op() != "Exp" {
		t.Errorf("Op = %q, want Exp", c.Op())
	}
	y := Sum(Mul(w, c))
	if !y.RequiresGrad() || len(y.Inputs()) != 1 || y.Op() != "Sum" {
		t.Errorf("loss: RequiresGrad %v, Inputs %d, Op %q; want true, 1, Sum", y.RequiresGrad(), len(y.Inputs()), y.Op())
	}
	y.Backward()
	if x.Grad() != nil || c.Grad() != nil {
		t.Errorf("data got gradients %v and %v, want nil", x.Grad(), c.Grad())
	}
	if !closeTo(w.Grad(), c.Data()) {
		t.Errorf("grad of w = %v, want %v", w.Grad(), c.Data())
	}
	d := Sum(Mul(w.Detach(), c))
	if d.RequiresGrad() || d.Inputs() != nil {
		t.Errorf("op on a detached parameter records a graph")
	}
}

func TestBroadcastValues(t *testing.T) {
	a23 := New([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	for _, c := range []struct {
		name  string
		got   *Tensor
		shape []int
		want  []float64
	}{
		{"[2 3] + [3]", Add(a23, New([]float64{10, 20, 30})), []int{2, 3}, []float64{11, 22, 33, 14, 25, 36}},
		{"[2 3] - [2 1]", Sub(a23, New([]float64{1, 2}, 2, 1)), []int{2, 3}, []float64{0, 1, 2, 2, 3, 4}},
		{"[3 1] * [1 2]", Mul(New([]float64{1, 2, 3}, 3, 1), New([]float64{10, 100}, 1, 2)), []int{3, 2}, []float64{10, 100, 20, 200, 30, 300}},
		{"[2] / [2 1 1]", Div(New([]float64{6, 12}), New([]float64{2, 3}, 2, 1, 1)), []int{2, 1, 2}, []float64{3, 6, 2, 4}},
		{"scalar - [2 3]", Sub(Scalar(1), a23), []int{2, 3}, []float64{0, -1, -2, -3, -4, -5}},
		{"[2 3] * scalar", Mul(a23, Scalar(2)), []int{2, 3}, []float64{2, 4, 6, 8, 10, 12}},
		{"scalar + scalar", Add(Scalar(1), Scalar(2)), []int{}, []float64{3}},
	} {
		if !slices.Equal(c.got.Shape(), c.shape) || !closeTo(c.got.Data(), c.want) {
			t.Errorf("%s = %v %v, want %v %v", c.name, c.got.Shape(), c.got.Data(), c.shape, c.want)
		}
	}
}

func TestReduceAndShapeValues(t *testing.T) {
	x := New([]float64{ // [2 2 3]
		1, 5, 2,
		7, 0, 7,

		-1, -3, -2,
		4, 9, 4,
	}, 2, 2, 3)
	for _, c := range []struct {
		name  string
		got   *Tensor
		shape []int
		want  []float64
	}{
		{"Sum", Sum(x), []int{}, []float64{33}},
		{"Sum 0 2", Sum(x, 0, 2), []int{2}, []float64{2, 31}},
		{"Mean -1", Mean(x, -1), []int{2, 2}, []float64{8.0 / 3, 14.0 / 3, -2, 17.0 / 3}},
		{"Max 0", Max(x, 0), []int{2, 3}, []float64{1, 5, 2, 7, 9, 7}},
		{"Max -1", Max(x, -1), []int{2, 2}, []float64{5, 7, -1, 9}},
		{"Reshape", Reshape(x, -1, 6), []int{2, 6}, x.Data()},
		{"Transpose", Transpose(x), []int{2, 3, 2}, []float64{1, 7, 5, 0, 2, 7, -1, 4, -3, 9, -2, 4}},
		{"Permute", Permute(x, 2, 0, 1), []int{3, 2, 2}, []float64{1, 7, -1, 4, 5, 0, -3, 9, 2, 7, -2, 4}},
	} {
		if !slices.Equal(c.got.Shape(), c.shape) || !closeTo(c.got.Data(), c.want) {
			t.Errorf("%s = %v %v, want %v %v", c.name, c.got.Shape(), c.got.Data(), c.shape, c.want)
		}
	}
	if got, want := Argmax(x, -1), []int{1, 0, 0, 1}; !slices.Equal(got, want) {
		t.Errorf("Argmax -1 = %v, want %v (ties to the first)", got, want)
	}
	if got, want := Argmax(x, 1), []int{1, 0, 1, 1, 1, 1}; !slices.Equal(got, want) {
		t.Errorf("Argmax 1 = %v, want %v", got, want)
	}
	if got, want := Argmax(New([]float64{1, math.NaN(), 3}), 0), []int{1}; !slices.Equal(got, want) {
		t.Errorf("Argmax with NaN = %v, want %v", got, want)
	}
	// The gradient of Max goes to the first maximum only.
	p := Param(New([]float64{1, 3, 3, 2}, 2, 2))
	Sum(Max(p, 0)).Backward()
	if want := []float64{0, 1, 1, 0}; !slices.Equal(p.Grad(), want) {
		t.Errorf("grad of Max 0 = %v, want %v", p.Grad(), want)
	}
	q := Param(New([]float64{3, 1, 3}))
	Max(q, 0).Backward()
	if want := []float64{1, 0, 0}; !slices.Equal(q.Grad(), want) {
		t.Errorf("grad of Max with a tie = %v, want %v", q.Grad(), want)
	}
	// Softmax slices sum to 1.
	s := Sum(Softmax(x, 1), 1)
	if !closeTo(s.Data(), []float64{1, 1, 1, 1, 1, 1}) {
		t.Errorf("Softmax along 1 sums to %v, want ones", s.Data())
	}
}

// matmulRef is the textbook triple loop, to check MatMul against.
func matmulRef(a, b []float64, m, k, n int) []float64 {
	c := make([]float64, m*n)
	for i := range m {
		for j := range n {
			for l := range k {
				c[i*n+j] += a[i*k+l] * b[l*n+j]
			}
		}
	}
	return c
}

func TestMatMulValues(t *testing.T) {
	a := New([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	b := New([]float64{7, 8, 9, 10, 11, 12}, 3, 2)
	if got, want := MatMul(a, b), []float64{58, 64, 139, 154}; !slices.Equal(got.Shape(), []int{2, 2}) || !slices.Equal(got.Data(), want) {
		t.Errorf("MatMul = %v %v, want [2 2] %v", got.Shape(), got.Data(), want)
	}

	rng := rand.New(rand.NewPCG(3, 4))
	const batch, m, k, n = 3, 4, 5, 2
	x := Randn(rng, batch, m, k)
	ws := Randn(rng, batch, k, n)
	w := Randn(rng, k, n)
	each := MatMul(x, ws)
	shared := MatMul(x, w)
	for i := range batch {
		xi := x.Data()[i*m*k : (i+1)*m*k]
		if want := matmulRef(xi, ws.Data()[i*k*n:(i+1)*k*n], m, k, n); !closeTo(each.Data()[i*m*n:(i+1)*m*n], want) {
			t.Errorf("batched MatMul, batch %d = %v, want %v", i, each.Data()[i*m*n:(i+1)*m*n], want)
		}
		if want := matmulRef(xi, w.Data(), m, k, n); !closeTo(shared.Data()[i*m*n:(i+1)*m*n], want) {
			t.Errorf("shared MatMul, batch %d = %v, want %v", i, shared.Data()[i*m*n:(i+1)*m*n], want)
		}
	}
	if want := []int{batch, m, n}; !slices.Equal(each.Shape(), want) || !slices.Equal(shared.Shape(), want) {
		t.Errorf("batched shapes %v and %v, want %v", each.Shape(), shared.Shape(), want)
	}
	// Empty matrices make empty or zero products.
	if got := MatMul(Zeros(2, 0), Zeros(0, 3)); !slices.Equal(got.Data(), make([]float64, 6)) {
		t.Errorf("MatMul [2 0] [0 3] = %v, want zeros", got.Data())
	}
}

func TestString(t *testing.T) {
	arange := func(n int, shape ...int) *Tensor {
		d := make([]float64, n)
		for i := range d {
			d[i] = float64(i)
		}
		return New(d, shape...)
	}
	for _, c := range []struct {
		name string
		t    *Tensor
		want string
	}{
		{"scalar", Scalar(3.5), "3.5"},
		{"scalar 4 digits", Scalar(math.Pi), "3.142"},
		{"1-D", New([]float64{1, 2, 3}), "[1 2 3]"},
		{"1-D aligned", New([]float64{-1, 0.5, 100, 1e-5}), "[   -1   0.5   100 1e-05]"},
		{"2-D", New([]float64{1, 2, 3, 4}, 2, 2), "[[1 2]\n [3 4]]"},
		{"2-D aligned", New([]float64{-1, 2, 3, -40}, 2, 2), "[[ -1   2]\n [  3 -40]]"},
		{"3-D", arange(12, 2, 3, 2), "[[[ 0  1]\n  [ 2  3]\n  [ 4  5]]\n\n [[ 6  7]\n  [ 8  9]\n  [10 11]]]"},
		{"4-D", arange(4, 2, 1, 1, 2), "[[[[0 1]]]\n\n\n [[[2 3]]]]"},
		{"special", New([]float64{math.NaN(), math.Inf(1), math.Inf(-1)}), "[ nan  inf -inf]"},
		{"empty", Zeros(2, 0), "[]"},
		{"wrapped", arange(30), "[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n 24 25 26 27 28 29]"},
		{"summarized 1-D", arange(1001), "[   0    1    2 ...  998  999 1000]"},
		{"summarized 2-D", arange(2000, 1000, 2), "[[   0    1]\n [   2    3]\n [   4    5]\n ...\n [1994 1995]\n [1996 1997]\n [1998 1999]]"},
		{"nil", nil, "<nil>"},
	} {
		if got := c.t.String(); got != c.want {
			t.Errorf("%s: String() =\n%s\nwant\n%s", c.name, got, c.want)
		}
	}
}
