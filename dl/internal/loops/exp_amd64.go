//go:build amd64 && !purego

package loops

import (
	"math"

	"golang.org/x/sys/cpu"
)

// useAVX2 says whether the CPU runs the assembly loops of exp_amd64.s.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// The assembly loops of exp.go's functions. Each does n values, n a
// positive multiple of 4, four at a time, as the Go function named in
// parentheses does for one:
//
//   - expAVX2 sets dst to e^src (exp);
//   - geluAVX2 sets dst and th to GELU's output and tanh (gelu);
//   - geluGradAVX2 adds grad·GELU'(x) into gx (geluGrad);
//   - sigmoidAVX2 and tanhAVX2 set dst to σ(src) and tanh(src) (sigmoid,
//     tanh);
//   - expShiftAVX2 sets dst to e^(src-shift), unless dst is nil, and adds
//     those into acc[i mod 4] (expShift);
//   - maxAVX2 sets m[j] = max2(m[j], x[i]) for each i with i mod 4 = j
//     (maxOf);
//   - scaleAVX2 multiplies x by c (scale).

//go:noescape
func expAVX2(dst, src *float64, n int)

//go:noescape
func geluAVX2(dst, th, src *float64, n int)

//go:noescape
func geluGradAVX2(gx, grad, x, th *float64, n int)

//go:noescape
func sigmoidAVX2(dst, src *float64, n int)

//go:noescape
func tanhAVX2(dst, src *float64, n int)

//go:noescape
func expShiftAVX2(dst, src *float64, n int, shift float64, acc *[4]float64)

//go:noescape
func maxAVX2(x *float64, n int, m *[4]float64)

//go:noescape
func scaleAVX2(x *float64, n int, c float64)

// vecConst holds the constants of the assembly, each four times (a
// register's worth), at the offsets that exp_amd64.s names: LO is
// vecConst[0] at offset 0, HI vecConst[1] at 32, and so on. They come from
// exp.go's constants, so both sides compute with the same numbers.
var vecConst [34][4]float64

func init() {
	c := []float64{
		expLo, expHi, log2e, shifter, ln2Hi, ln2Lo, 1, // LO … ONE
		math.Float64frombits(0xfff), // MASK12
	}
	c = append(c, expPoly[:]...) // C2 … C13
	c = append(c,
		2*GELUK, GELUC, 0.5, 2, // TWOK, GELUC, HALF, TWO
		math.Float64frombits(1<<63-1), math.Float64frombits(1<<63), // ABS, SIGN
		tanhP[0], tanhP[1], tanhP[2], tanhQ[0], tanhQ[1], tanhQ[2], // TANHP0 … TANHQ2
		0.625,   // TANHCUT
		3*GELUC, // GELUC3
	)
	if len(c) != len(vecConst) {
		panic("loops: vecConst does not match its list")
	}
	for i, v := range c {
		vecConst[i] = [4]float64{v, v, v, v}
	}
}
