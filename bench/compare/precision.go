package main

import (
	"fmt"

	"github.com/dlnb/dlnb/dl"
)

// matMulPrecisions holds, for each precision that dl can compute its
// matrix products in (by bits: 64 or 32), the call that selects it
// program-wide (dl.SetMatMulPrecision). Each dl run selects its own, so
// that -precision both does not carry float32 into the float64 column.
var matMulPrecisions = map[int]func(){
	64: func() { dl.SetMatMulPrecision(dl.Float64) },
	32: func() { dl.SetMatMulPrecision(dl.Float32) },
}

// matMulPrecision returns the function that makes dl compute its matrix
// products with bits-bit floats, for the dl runs that follow it. It
// returns an error for a precision that dl does not have.
func matMulPrecision(bits int) (func(), error) {
	set, ok := matMulPrecisions[bits]
	if !ok {
		return nil, fmt.Errorf("dl has no float%d products: -precision takes 64, 32 or both", bits)
	}
	return set, nil
}
