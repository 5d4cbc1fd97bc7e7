package dl

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	fastgemm "github.com/dlnb/dlnb/dl/internal/gemm"
)

// TestMatMulPrecision checks the setting: Float64 at the start, read back
// as set, its names, and the panic on an unknown precision, which leaves
// the setting as it was.
func TestMatMulPrecision(t *testing.T) {
	if p := MatMulPrecision(); p != Float64 {
		t.Fatalf("MatMulPrecision() = %v at the start, want Float64", p)
	}
	defer SetMatMulPrecision(Float64)
	SetMatMulPrecision(Float32)
	if p := MatMulPrecision(); p != Float32 {
		t.Errorf("after SetMatMulPrecision(Float32), MatMulPrecision() = %v", p)
	}
	if s := fmt.Sprint(Float32, Float64, Precision(7)); s != "Float32 Float64 Precision(7)" {
		t.Errorf("the precisions print as %q", s)
	}
	func() {
		const want = "dl: SetMatMulPrecision: precision Precision(7); want dl.Float64 or dl.Float32"
		defer func() {
			if r := recover(); fmt.Sprint(r) != want {
				t.Errorf("panic %q, want %q", r, want)
			}
		}()
		SetMatMulPrecision(7)
	}()
	if p := MatMulPrecision(); p != Float32 {
		t.Errorf("after a rejected precision, MatMulPrecision() = %v, want Float32 as before", p)
	}
}

// TestFloat32Products checks that every op that multiplies matrices, in
// its forward and backward passes, multiplies in float32 under Float32:
// each product that takes gemm's blocked algorithm in float64 takes it in
// float32 (the path "blocked32") and no other path changes; the results
// and gradients then differ from the float64 ones, but by less than 1e-4
// of their largest magnitude (a bias's gradient, a plain sum, does not
// differ at all). Where this build has no float32 kernel
// (gemm.Faster32 is false) the products, and their bits, stay float64.
func TestFloat32Products(t *testing.T) {
	defer SetMatMulPrecision(MatMulPrecision())
	ops := []struct {
		name   string
		shapes [][]int
		bias   bool // the last input is a bias
		f      func(in []*Tensor) *Tensor
	}{
		{"MatMul", [][]int{{40, 50}, {50, 30}}, false, func(in []*Tensor) *Tensor { return MatMul(in[0], in[1]) }},
		{"MatMul batched", [][]int{{3, 20, 30}, {3, 30, 25}}, false, func(in []*Tensor) *Tensor { return MatMul(in[0], in[1]) }},
		{"Linear", [][]int{{40, 50}, {50, 30}, {30}}, true, func(in []*Tensor) *Tensor { return Linear(in[0], in[1], in[2]) }},
		{"Conv2D", [][]int{{2, 3, 12, 12}, {16, 3, 3, 3}, {16}}, true, func(in []*Tensor) *Tensor {
			return Conv2D(in[0], in[1], in[2], ConvOptions{Padding: 1})
		}},
		{"Attention", [][]int{{2, 32, 32}, {2, 32, 32}, {2, 32, 32}}, false, func(in []*Tensor) *Tensor {
			out, _ := Attention(in[0], in[1], in[2], 2, true)
			return out
		}},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			// run returns the op's output and its inputs' gradients for
			// the loss Sum(out·r), and the paths its products took.
			run := func(p Precision) ([][]float64, map[string]int) {
				SetMatMulPrecision(p)
				rng := rand.New(rand.NewPCG(3, 4))
				in := make([]*Tensor, len(op.shapes))
				for i, s := range op.shapes {
					in[i] = Param(Randn(rng, s...))
				}
				stop := fastgemm.CountPaths()
				out := op.f(in)
				Sum(Mul(out, Randn(rng, out.Shape()...))).Backward()
				paths := stop()
				res := [][]float64{out.Data()}
				for _, x := range in {
					res = append(res, x.Grad())
				}
				return res, paths
			}
			want, paths64 := run(Float64)
			got, paths32 := run(Float32)
			if !fastgemm.Faster32() {
				if !maps.Equal(paths32, paths64) {
					t.Errorf("without a float32 kernel, Float32 changed the paths from %v to %v", paths64, paths32)
				}
				for i := range want {
					if !bitsEqual(got[i], want[i]) {
						t.Errorf("without a float32 kernel, Float32 changed result %d", i)
					}
				}
				return
			}
			if paths64["blocked"] == 0 || paths64["blocked32"] != 0 {
				t.Fatalf("in float64, the products took the paths %v; the test needs the blocked algorithm, in float64", paths64)
			}
			wantPaths := maps.Clone(paths64)
			wantPaths["blocked32"] = wantPaths["blocked"]
			delete(wantPaths, "blocked")
			if !maps.Equal(paths32, wantPaths) {
				t.Errorf("in float32, the products took the paths %v, want %v", paths32, wantPaths)
			}
			for i := range want {
				if op.bias && i == len(want)-1 {
					if !bitsEqual(got[i], want[i]) {
						t.Error("the bias's gradient changed in float32; it is no product")
					}
					continue
				}
				scale, diff := 0.0, 0.0
				for j, w := range want[i] {
					scale = max(scale, math.Abs(w))
					diff = max(diff, math.Abs(got[i][j]-w))
				}
				if diff == 0 || diff > 1e-4*scale {
					t.Errorf("result %d (0 the output, then the gradients): float32 differs from float64 by up to %.3g, largest magnitude %.3g; want 0 < difference ≤ 1e-4 of it", i, diff, scale)
				}
			}
		})
	}
}

// TestMatMulPrecisionConcurrent changes the precision while other
// goroutines multiply (run it with -race): each product reads the setting
// once, so each result is, bit for bit, the float64 one or the float32 one.
func TestMatMulPrecisionConcurrent(t *testing.T) {
	defer SetMatMulPrecision(MatMulPrecision())
	rng := rand.New(rand.NewPCG(7, 8))
	x, w := Randn(rng, 40, 50), Randn(rng, 50, 30)
	SetMatMulPrecision(Float64)
	want64 := MatMul(x, w).Data()
	SetMatMulPrecision(Float32)
	want32 := MatMul(x, w).Data()
	done := make(chan bool)
	var toggler sync.WaitGroup
	toggler.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
				SetMatMulPrecision([]Precision{Float64, Float32}[i%2])
			}
		}
	})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				if got := MatMul(x, w).Data(); !bitsEqual(got, want64) && !bitsEqual(got, want32) {
					t.Error("a product is neither the float64 one nor the float32 one")
					return
				}
			}
		})
	}
	wg.Wait()
	close(done)
	toggler.Wait()
}

// TestGradCheckInFloat64 checks that checkGrad multiplies in float64 while
// the program has set Float32, and sets Float32 back: it passes on a
// product whose inner dimension makes float32 rounding far larger than its
// tolerance (testutil's test shows that for CheckGrad).
func TestGradCheckInFloat64(t *testing.T) {
	defer SetMatMulPrecision(MatMulPrecision())
	SetMatMulPrecision(Float32)
	rng := rand.New(rand.NewPCG(5, 6))
	checkGrad(t, rng, gradCase{name: "MatMul long", shapes: [][]int{{4, 300}, {300, 8}},
		f: func(in []*Tensor) *Tensor { return MatMul(in[0], in[1]) }})
	if p := MatMulPrecision(); p != Float32 {
		t.Errorf("after checkGrad, MatMulPrecision() = %v, want Float32 as the test set it", p)
	}
}

func bitsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}
