package dl

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	fastgemm "github.com/dlnb/dlnb/dl/internal/gemm"
)

// TestBLASInstalled checks that dl's matrix products go through gemm's
// Dgemm and agree with gonum's.
func TestBLASInstalled(t *testing.T) {
	if _, ok := blas64.Implementation().(fastgemm.Implementation); !ok {
		t.Fatalf("blas64 implementation is %T, want gemm.Implementation", blas64.Implementation())
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
