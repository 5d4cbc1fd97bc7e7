package gemm

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkKernel times the micro-kernel alone, on data in the L1 cache.
func BenchmarkKernel(b *testing.B) {
	const kc = 256
	rng := rand.New(rand.NewPCG(8, 8))
	a, bb, c := randSlice(rng, kc*mr), randSlice(rng, kc*nr), make([]float64, mr*nr)
	for _, asm := range []bool{true, false} {
		if asm && !haveAsm {
			continue
		}
		name := map[bool]string{true: "asm", false: "go"}[asm]
		b.Run(name, func(b *testing.B) {
			defer func(old bool) { useAsm = old }(useAsm)
			useAsm = asm
			for b.Loop() {
				kernel(kc, a, bb, c, nr)
			}
			b.ReportMetric(2*mr*nr*kc*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}
