package nn_test

import (
	"os"
	"testing"

	"github.com/dlnb/dlnb/dl/internal/mem"
)

// TestMain fills every buffer given back to dl's pool with NaN, so that
// code that reads a reused buffer before it sets it fails the tests,
// rather than pass on the zeros of a fresh allocation.
func TestMain(m *testing.M) {
	mem.Poison = true
	os.Exit(m.Run())
}
