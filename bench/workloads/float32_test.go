package workloads

import (
	"math"
	"testing"

	"github.com/dlnb/dlnb/dl"
)

// inFloat32 runs f with dl's matrix products in float32
// (dl.SetMatMulPrecision(dl.Float32)), and sets the precision back after.
func inFloat32(f func()) {
	defer dl.SetMatMulPrecision(dl.MatMulPrecision())
	dl.SetMatMulPrecision(dl.Float32)
	f()
}

// BenchmarkMLP32, BenchmarkCNN32 and BenchmarkTransformer32 are
// BenchmarkMLP, BenchmarkCNN and BenchmarkTransformer with dl's matrix
// products in float32.
func BenchmarkMLP32(b *testing.B) { inFloat32(func() { benchmark(b, SyntheticMLP(1)) }) }
func BenchmarkCNN32(b *testing.B) { inFloat32(func() { benchmark(b, SyntheticCNN(1)) }) }
func BenchmarkTransformer32(b *testing.B) {
	inFloat32(func() { benchmark(b, SyntheticTransformer(1)) })
}

// TestWorkloadsLearnFloat32 checks that each workload trains with float32
// products too: its first loss is within 1e-4 of the float64 one, from the
// same seed, and the loss falls.
func TestWorkloadsLearnFloat32(t *testing.T) {
	for _, name := range []string{"MLP", "CNN", "Transformer"} {
		t.Run(name, func(t *testing.T) {
			want := Synthetic(name, 4).Step()
			inFloat32(func() {
				w := Synthetic(name, 4)
				first := w.Step()
				if math.Abs(first-want) > 1e-4*math.Abs(want) {
					t.Errorf("first loss %v in float32, %v in float64; want them within 1e-4", first, want)
				}
				steps := 30
				if name == "Transformer" {
					steps = 5
				}
				last := first
				for range steps {
					last = w.Step()
				}
				if math.IsNaN(last) || math.IsInf(last, 0) || !(last < first) {
					t.Errorf("loss went from %v to %v in %d steps; want it to fall", first, last, steps)
				}
			})
		})
	}
}
