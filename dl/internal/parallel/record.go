package parallel

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/dlnb/dlnb/dl/internal/tally"
)

var (
	// splits counts the calls of For and Sum that run in two or more
	// chunks, for tests that must show that a parallel path ran: a
	// determinism test whose model is too small to split anything proves
	// nothing.
	splits tally.Recorder
	// root is the directory that holds dl/, cut from the file names of
	// call sites.
	root = func() string {
		_, file, _, _ := runtime.Caller(0)
		return strings.TrimSuffix(file, "dl/internal/parallel/record.go")
	}()
)

// CountSplits starts recording the calls of For and Sum that run in two or
// more chunks, and returns a function that stops recording and returns how
// many such calls each call site made. A call site is the function and the
// caller's file and line, from the module's root, as in
// "Sum dl/linear.go:55". Recordings may overlap: each one sees every call
// made while it runs. While nothing records, For and Sum pay one atomic
// load for this.
func CountSplits() (stop func() map[string]int) { return splits.Start() }

// noteSplit records, for CountSplits, that fn (For or Sum) was called to
// run in two or more chunks by the function that called it.
func noteSplit(fn string) {
	if !splits.Active() {
		return
	}
	_, file, line, _ := runtime.Caller(2) // noteSplit, fn, fn's caller
	splits.Note(fmt.Sprintf("%s %s:%d", fn, strings.TrimPrefix(file, root), line))
}
