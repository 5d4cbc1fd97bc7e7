package atomicfile_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/atomicfile"
	"github.com/dlnb/dlnb/internal/atomicfile/atomicfiletest"
)

// writeString returns a write function for Write that writes s.
func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

var errHalfway = errors.New("failed halfway")

// failHalfway writes part of a file, then fails.
func failHalfway(w io.Writer) error {
	io.WriteString(w, "half a fi")
	return errHalfway
}

func TestWrite(t *testing.T) {
	atomicfiletest.Check(t,
		func(path string) error { return atomicfile.Write(path, writeString("new contents")) },
		func(path string) error { return atomicfile.Write(path, failHalfway) })
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(what string) {
		t.Helper()
		if b, _ := os.ReadFile(path); string(b) != "old" {
			t.Errorf("%s: the file holds %q, want the old contents", what, b)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%s: the folder holds %v, want only the file", what, entries)
		}
	}

	if err := atomicfile.Write(path, failHalfway); !errors.Is(err, errHalfway) {
		t.Errorf("Write with a failing write: error %v, want the write's", err)
	}
	check("a failing write")

	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("Write with a panicking write: recovered %v, want the panic passed on", r)
			}
		}()
		atomicfile.Write(path, func(w io.Writer) error { io.WriteString(w, "x"); panic("boom") })
	}()
	check("a panicking write")

	// A folder or a device is not replaced.
	for _, p := range []string{dir, os.DevNull} {
		err := atomicfile.Write(p, writeString("x"))
		if err == nil || !strings.Contains(err.Error(), "is not a regular file") {
			t.Errorf("Write(%s): error %v, want one saying it is not a regular file", p, err)
		}
	}
	if err := atomicfile.Write(filepath.Join(dir, "no", "f"), writeString("x")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Write into a missing folder: error %v", err)
	}

	// A loop of links.
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if os.Symlink("b", a) != nil || os.Symlink("a", b) != nil {
		t.Skip("no symbolic links here")
	}
	if err := atomicfile.Write(a, writeString("x")); err == nil || !strings.Contains(err.Error(), "symbolic links in a row") {
		t.Errorf("Write through a loop of links: error %v", err)
	}
}
