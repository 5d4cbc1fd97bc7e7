//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// running reports whether a process with id pid runs on this machine (in
// this PID namespace). A process of another user counts too.
func running(pid int) bool {
	err := syscall.Kill(pid, 0) // signal 0 checks, and sends nothing
	return !errors.Is(err, syscall.ESRCH)
}

// syncDir syncs the folder dir, so that a rename in it is on disk. File
// systems that cannot sync a folder (EINVAL, ENOTSUP) are not an error.
// It is a variable so that a test can see it called.
var syncDir = func(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err
	}
	return nil
}
