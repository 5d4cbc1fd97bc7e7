//go:build !amd64 || purego

package loops

// useAVX2 is false: this build has no assembly loops, and exp.go's
// functions run the portable Go, which gives the same bits.
const useAVX2 = false

func expAVX2(dst, src *float64, n int)             { panic("loops: no assembly in this build") }
func geluAVX2(dst, th, src *float64, n int)        { panic("loops: no assembly in this build") }
func geluGradAVX2(gx, grad, x, th *float64, n int) { panic("loops: no assembly in this build") }
func sigmoidAVX2(dst, src *float64, n int)         { panic("loops: no assembly in this build") }
func tanhAVX2(dst, src *float64, n int)            { panic("loops: no assembly in this build") }
func expShiftAVX2(dst, src *float64, n int, shift float64, acc *[4]float64) {
	panic("loops: no assembly in this build")
}

func maxAVX2(x *float64, n int, m *[4]float64) { panic("loops: no assembly in this build") }
func scaleAVX2(x *float64, n int, c float64)   { panic("loops: no assembly in this build") }
