//go:build !unix

package atomicfile

// running reports true: without Unix's kill(pid, 0) there is no cheap,
// portable check, so only AbandonedAfter removes temporary files.
func running(pid int) bool { return true }

// syncDir does nothing: outside Unix a folder cannot be opened to sync.
var syncDir = func(dir string) error { return nil }
