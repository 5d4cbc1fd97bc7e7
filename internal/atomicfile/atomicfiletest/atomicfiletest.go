// Package atomicfiletest checks that a function that saves a file keeps
// the promises of package atomicfile. The tests of each package that
// writes files with atomicfile run [Check] on their own save function, so
// that the promises are proved where they are made.
package atomicfiletest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dlnb/dlnb/internal/atomicfile"
)

// deadPID is a process id that no process has: Linux's pid_max is at most
// 2^22 and macOS's 99999.
const deadPID = 1<<31 - 1

// Check checks, in a fresh folder, that save (which writes a file at the
// path it is given) and fail (which must try to and fail):
//
//   - keep the mode of an existing 0600 file, and give a new file the
//     mode of os.WriteFile(path, data, 0o644);
//   - write through a symbolic link to its target, and keep the link; a
//     dangling link's target is created;
//   - remove the stale temporary files of killed writers, and keep those
//     of live ones;
//   - leave the old file as it was, and no temporary file, when fail
//     fails;
//   - leave no temporary file behind.
func Check(t *testing.T, save, fail func(path string) error) {
	t.Helper()
	t.Run("mode kept", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "f")
		writeOld(t, path, 0o600)
		mustSave(t, save, path)
		checkMode(t, path, 0o600)
		if got := read(t, path); bytes.Equal(got, old) {
			t.Error("save did not change the file")
		}
		// A new file gets os.WriteFile's mode, umask included.
		writeOld(t, filepath.Join(dir, "ref"), 0o644)
		want := stat(t, filepath.Join(dir, "ref")).Mode().Perm()
		mustSave(t, save, filepath.Join(dir, "new"))
		checkMode(t, filepath.Join(dir, "new"), want)
		checkNoTemp(t, dir)
	})
	t.Run("symlink kept", func(t *testing.T) {
		dir := t.TempDir()
		sub := filepath.Join(dir, "sub")
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(sub, "target")
		writeOld(t, target, 0o640)
		link := filepath.Join(dir, "link")
		symlink(t, "sub/target", link)
		mustSave(t, save, link)
		if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("the link is no longer a link: %v", describe(info, err))
		}
		if got := read(t, target); bytes.Equal(got, old) {
			t.Error("the link's target still holds the old contents")
		}
		checkMode(t, target, 0o640)
		// A link to a link to a file that does not exist yet.
		symlink(t, "link3", filepath.Join(dir, "link2"))
		symlink(t, "sub/made", filepath.Join(dir, "link3"))
		mustSave(t, save, filepath.Join(dir, "link2"))
		if got, want := read(t, filepath.Join(sub, "made")), read(t, target); !bytes.Equal(got, want) {
			t.Error("saving through a dangling link did not create its target with the same contents")
		}
		for _, l := range []string{"link2", "link3"} {
			if info, err := os.Lstat(filepath.Join(dir, l)); err != nil || info.Mode()&os.ModeSymlink == 0 {
				t.Errorf("%s is no longer a link: %v", l, describe(info, err))
			}
		}
		checkNoTemp(t, dir)
		checkNoTemp(t, sub)
	})
	t.Run("stale temp removed", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "f")
		now := time.Now()
		temps := []struct {
			name  string
			idle  time.Duration
			stale bool
		}{
			{atomicfile.TempName("f", deadPID, 1), atomicfile.DeadAfter + time.Minute, true},
			{atomicfile.TempName("f", deadPID, 2), atomicfile.DeadAfter - time.Minute, false},          // its writer may be out of sight
			{atomicfile.TempName("f", os.Getpid(), 3), atomicfile.AbandonedAfter - time.Hour, false},   // a live writer
			{atomicfile.TempName("f", os.Getpid(), 4), atomicfile.AbandonedAfter + time.Hour, true},    // the pid was reused
			{atomicfile.TempName("f.other", deadPID, 5), atomicfile.AbandonedAfter + time.Hour, false}, // another file's
			{".f.tmp", atomicfile.AbandonedAfter + time.Hour, false},                                   // not the pattern
		}
		for _, tt := range temps {
			p := filepath.Join(dir, tt.name)
			writeOld(t, p, 0o600)
			if err := os.Chtimes(p, now.Add(-tt.idle), now.Add(-tt.idle)); err != nil {
				t.Fatal(err)
			}
		}
		mustSave(t, save, path)
		for _, tt := range temps {
			_, err := os.Stat(filepath.Join(dir, tt.name))
			if gone := os.IsNotExist(err); gone != tt.stale {
				t.Errorf("%s, unchanged for %v: removed %v, want %v", tt.name, tt.idle, gone, tt.stale)
			}
		}
	})
	t.Run("failed write leaves the old file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "f")
		writeOld(t, path, 0o644)
		if err := fail(path); err == nil {
			t.Fatal("fail did not fail")
		}
		if got := read(t, path); !bytes.Equal(got, old) {
			t.Errorf("after a failed save the file holds %q, want the old %q", got, old)
		}
		checkNoTemp(t, dir)
		if err := fail(filepath.Join(dir, "new")); err == nil {
			t.Fatal("fail did not fail")
		}
		if _, err := os.Stat(filepath.Join(dir, "new")); !os.IsNotExist(err) {
			t.Errorf("a failed save of a new file left one: %v", err)
		}
		checkNoTemp(t, dir)
	})
}

// old is what the tests write into a file before it is saved over.
var old = []byte("the old contents")

func writeOld(t *testing.T, path string, perm os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, old, perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil { // without the umask
		t.Fatal(err)
	}
}

func mustSave(t *testing.T, save func(string) error, path string) {
	t.Helper()
	if err := save(path); err != nil {
		t.Fatalf("save %s: %v", path, err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func stat(t *testing.T, path string) os.FileInfo {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// describe says what Lstat found: the error, or the mode.
func describe(info os.FileInfo, err error) string {
	if err != nil {
		return err.Error()
	}
	return "its mode is " + info.Mode().String()
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	if got := stat(t, path).Mode().Perm(); got != want {
		t.Errorf("%s has mode %v, want %v", filepath.Base(path), got, want)
	}
}

// checkNoTemp fails if dir holds a file whose name ends in ".tmp".
func checkNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("a temporary file is left in %s: %s", dir, e.Name())
		}
	}
}
