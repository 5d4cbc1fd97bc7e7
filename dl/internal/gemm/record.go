package gemm

import "github.com/dlnb/dlnb/dl/internal/tally"

// paths counts the paths that products take, for tests that must show
// which paths ran.
var paths tally.Recorder

// CountPaths starts recording the paths that Dgemm takes, and returns a
// function that stops recording and returns how many products took each
// path. The paths are "naive" (a plain loop), "dots" and "outer" (the two
// skinny shortcuts, see the package doc), "blocked" (and "blocked32" in
// its place for Dgemm32's blocked algorithm in float32), and, for products
// split over threads, "outer k-split" (the inner dimension of byOuter cut
// into two or more chunks), "blocked split" (C cut into two or more
// blocks) and "blocked 2-D" (cut both across and down). Recordings may
// overlap: each one sees every product made while it runs. While nothing
// records, Dgemm pays one atomic load for this.
func CountPaths() (stop func() map[string]int) { return paths.Start() }

// note records, for CountPaths, that a product took path.
func note(path string) { paths.Note(path) }

// Skinny reports whether this build takes the skinny shortcuts "dots" and
// "outer": only with the assembly micro-kernel.
func Skinny() bool { return useAsm }
