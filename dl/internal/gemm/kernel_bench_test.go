package gemm

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkKernel times the micro-kernels alone, on data in the L1 cache:
// float64 (Dgemm's, 6×8) and float32 (Dgemm32's, 6×16), each in assembly
// where the build has it and portable.
func BenchmarkKernel(b *testing.B) {
	const kc = 256
	rng := rand.New(rand.NewPCG(8, 8))
	a, bb, c := randSlice(rng, kc*mr), randSlice(rng, kc*nr32), make([]float64, mr*nr32)
	a32, b32 := make([]float32, len(a)), make([]float32, len(bb))
	for i, v := range a {
		a32[i] = float32(v)
	}
	for i, v := range bb {
		b32[i] = float32(v)
	}
	precisions := []struct {
		name string
		cols int // of the tile
		run  func()
	}{
		{"float64", nr, func() { kernel64(kc, a, bb, c, nr, mr, nr) }},
		{"float32", nr32, func() { kernel32(kc, a32, b32, c, nr32, mr, nr32) }},
	}
	for _, asm := range []bool{true, false} {
		if asm && !haveAsm {
			continue
		}
		for _, p := range precisions {
			b.Run(p.name+"/"+map[bool]string{true: "asm", false: "go"}[asm], func(b *testing.B) {
				defer func(old bool) { useAsm = old }(useAsm)
				useAsm = asm
				for b.Loop() {
					p.run()
				}
				b.ReportMetric(2*float64(mr*p.cols*kc*b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		}
	}
}
