package dl

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	fastgemm "github.com/dlnb/dlnb/dl/internal/gemm"
)

// TestGonumBLASUntouched checks that importing dl leaves gonum's global
// BLAS as it was, gonum's own, while dl's matrix products go through
// gemm's Dgemm where that is the faster one, and agree with gonum's.
func TestGonumBLASUntouched(t *testing.T) {
	if impl, ok := blas64.Implementation().(gonum.Implementation); !ok {
		t.Fatalf("after importing dl, blas64's implementation is %T, want gonum.Implementation", impl)
	}
	fast := reflect.ValueOf(dgemm64).Pointer() == reflect.ValueOf(fastgemm.Dgemm).Pointer()
	if fast != fastgemm.Faster() {
		t.Errorf("dl multiplies with gemm's Dgemm: %v; gemm.Faster() = %v", fast, fastgemm.Faster())
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := Randn(rng, 70, 90), Randn(rng, 90, 50)
	got := MatMul(x, y).Data()
	want := make([]float64, 70*50)
	gonum.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, 70, 50, 90, 1, x.Data(), 90, y.Data(), 50, 0, want, 50)
	for i := range want {
		if d := got[i] - want[i]; d > 1e-12 || d < -1e-12 {
			t.Fatalf("MatMul[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

// TestUseFastBLAS checks that UseFastBLAS installs gemm's Dgemm for all of
// gonum exactly where it is the faster one, and says so.
func TestUseFastBLAS(t *testing.T) {
	defer blas64.Use(blas64.Implementation())
	installed := UseFastBLAS()
	if installed != fastgemm.Faster() {
		t.Errorf("UseFastBLAS() = %v; gemm.Faster() = %v", installed, fastgemm.Faster())
	}
	_, isFast := blas64.Implementation().(fastgemm.Implementation)
	if isFast != installed {
		t.Errorf("after UseFastBLAS() = %v, blas64's implementation is %T", installed, blas64.Implementation())
	}
}

// BenchmarkMLPTrainBLAS times one forward and backward pass of an MLP
// 784-256-128-10 on a batch of 64 (without the optimizer step), with gemm's
// Dgemm (blas=gemm, what dl uses where it is faster) and with gonum's
// (blas=gonum), and reports samples per second.
func BenchmarkMLPTrainBLAS(b *testing.B) {
	const batch = 64
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []int{784, 256, 128, 10}
	var params []*Tensor
	for i := range len(sizes) - 1 {
		params = append(params, Param(Mul(Randn(rng, sizes[i], sizes[i+1]), Scalar(0.05))), Param(Zeros(sizes[i+1])))
	}
	x := Randn(rng, batch, sizes[0])
	onehot := Zeros(batch, 10)
	for i := range batch {
		onehot.Data()[i*10+rng.IntN(10)] = 1
	}
	for _, impl := range []struct {
		name  string
		dgemm dgemmFunc
	}{{"gemm", fastgemm.Dgemm}, {"gonum", gonum.Implementation{}.Dgemm}} {
		b.Run("blas="+impl.name, func(b *testing.B) {
			defer func(old dgemmFunc) { dgemm64 = old }(dgemm64)
			dgemm64 = impl.dgemm
			for b.Loop() {
				ZeroGrad(params...)
				h := x
				for i := 0; i < len(params); i += 2 {
					h = Add(MatMul(h, params[i]), params[i+1])
					if i+2 < len(params) {
						h = ReLU(h)
					}
				}
				logp := LogSoftmax(h, 1)
				loss := Neg(Mean(Sum(Mul(logp, onehot), 1)))
				loss.Backward()
			}
			b.ReportMetric(batch*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}
