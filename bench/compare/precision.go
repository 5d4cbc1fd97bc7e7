package main

import "fmt"

// matMulPrecisions holds, for each precision that this build of dl can
// compute its matrix products in (by bits: 64 or 32), the call that selects
// it program-wide. float64 is dl's default; in a dl without
// SetMatMulPrecision it is the only precision, and selecting it has
// nothing to do.
var matMulPrecisions = map[int]func(){64: func() {}}

// matMulPrecision returns the function that makes dl compute its matrix
// products with bits-bit floats, for the dl runs that follow it. It
// returns an error for a precision that this build of dl does not have.
func matMulPrecision(bits int) (func(), error) {
	set, ok := matMulPrecisions[bits]
	if !ok {
		return nil, fmt.Errorf("this build has no float%d products yet; dl computes its matrix products in float64 (-precision 64)", bits)
	}
	return set, nil
}
