// Package atomicfile replaces the contents of a file atomically: [Write]
// writes a temporary file in the same folder and renames it over the
// file, so that the file holds either its old contents or the new ones,
// never half of them, whenever the writer is killed or the disk fills up.
//
// It is the one writer of files that dlnb's packages share:
// train.SaveFile (model parameters) and ipynb.WriteFile (notebooks) use
// it. It imports nothing of dlnb.
//
// # What is kept
//
// Write keeps what a user sees as the file:
//
//   - its mode: an existing file keeps its permission bits (a 0600 file
//     stays private); a new file gets 0644 less the umask, as
//     os.WriteFile(path, data, 0o644) would give it;
//   - a symbolic link: the file that the link points to gets the new
//     contents, and the link stays a link (a dangling link's target is
//     created);
//   - its name, on disk: after the rename Write syncs the folder (on Unix),
//     so that the new file is still there after a power cut.
//
// Not kept: the owner (the file becomes the writer's), other hard links to
// the file (they keep the old contents), and extended attributes. Editors
// that save atomically, and Jupyter, behave the same.
//
// # Temporary files
//
// The temporary file is named ".NAME.PID-N.tmp", next to NAME, where PID
// is the writer's process id and N a random number. A writer that is
// killed (SIGKILL, the OOM killer, a power cut) leaves it behind, so each
// Write removes the stale temporary files of its path: a regular file of
// that pattern is stale when
//
//   - the process PID is not running on this machine and the file has not
//     changed for [DeadAfter] (10 minutes), or
//   - the file has not changed for [AbandonedAfter] (a day), whatever PID
//     says (process ids are reused).
//
// A live writer's file is never removed: its process runs, and while it
// writes, the file changes. The 10 minutes are for a writer that this
// machine cannot see, such as a process in another container that shares
// the folder: it could be between two writes, or waiting for the disk to
// sync, but not for 10 minutes. Where process ids cannot be checked
// (outside Unix), only the day counts.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// How long a temporary file must have been left unchanged before Write
// removes it; see "Temporary files" in the package documentation.
const (
	DeadAfter      = 10 * time.Minute // when its writer is not running
	AbandonedAfter = 24 * time.Hour   // in any case
)

// maxLinks bounds the symbolic links that Write follows, as the kernel's
// ELOOP does.
const maxLinks = 40

// Write replaces the contents of the file path with what write writes to
// the io.Writer that it is given, atomically: it writes a temporary file
// in the folder of path (of the file that path links to, if path is a
// symbolic link), syncs it, gives it the mode of the file it replaces and
// renames it over that file. Before that it removes the stale temporary
// files of earlier, killed writes of the same path.
//
// If write returns an error or panics, or if creating, writing, syncing
// or renaming fails, Write removes the temporary file and returns that
// error (or panics again): path holds what it held before, or does not
// exist if it did not. An error from syncing the folder, after the
// rename, means that path already holds the new contents, which may not
// survive a power cut; its message says so.
//
// Write returns an error, and writes nothing, if path exists and is not a
// regular file (a folder, a device).
func Write(path string, write func(w io.Writer) error) error {
	target, err := resolve(path)
	if err != nil {
		return err
	}
	perm, exists := fs.FileMode(0o644), false
	switch info, err := os.Stat(target); {
	case err == nil && !info.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file (mode %v); write to a file", target, info.Mode())
	case err == nil:
		perm, exists = info.Mode().Perm(), true
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	dir, name := filepath.Dir(target), filepath.Base(target)
	removeStale(dir, name, time.Now())

	// The temporary file is created with the final mode, less the umask,
	// so it is never readable by more people than the file will be.
	f, err := create(dir, name, perm)
	if err != nil {
		return err
	}
	renamed := false
	defer func() { // also when write panics
		if !renamed {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if exists { // undo the umask: the file keeps its mode exactly
		if err := f.Chmod(perm); err != nil {
			return err
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), target); err != nil {
		return err
	}
	renamed = true
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("%s is written, but syncing its folder failed, so it may not survive a power cut: %w", target, err)
	}
	return nil
}

// resolve follows path through symbolic links to the file that gets the
// contents. That file need not exist: a dangling link names the file to
// create.
func resolve(path string) (string, error) {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		return target, nil
	}
	p := path
	for range maxLinks {
		info, err := os.Lstat(p)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return p, nil // a new file; or an error that creating it will report
		}
		link, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			dir, err := filepath.EvalSymlinks(filepath.Dir(p))
			if err != nil {
				return "", err
			}
			link = filepath.Join(dir, link)
		}
		p = link
	}
	return "", fmt.Errorf("%s: more than %d symbolic links in a row", path, maxLinks)
}

// TempName returns the name of a temporary file of the writer pid for the
// file name (a base name, without folder), with n the random part:
// ".NAME.PID-N.tmp".
func TempName(name string, pid int, n uint32) string {
	return "." + name + "." + strconv.Itoa(pid) + "-" + strconv.FormatUint(uint64(n), 10) + ".tmp"
}

// parseTemp returns the writer's pid if file is a name that TempName
// gives for name, and ok false otherwise.
func parseTemp(file, name string) (pid int, ok bool) {
	middle, found := strings.CutPrefix(file, "."+name+".")
	if !found {
		return 0, false
	}
	if middle, found = strings.CutSuffix(middle, ".tmp"); !found {
		return 0, false
	}
	p, n, found := strings.Cut(middle, "-")
	if !found || !digits(p) || !digits(n) {
		return 0, false
	}
	pid, err := strconv.Atoi(p)
	if err != nil || pid < 1 || pid > math.MaxInt32 {
		return 0, false
	}
	if _, err := strconv.ParseUint(n, 10, 32); err != nil {
		return 0, false
	}
	return pid, true
}

// digits reports whether s is a non-empty string of ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// create creates a new temporary file for name in dir, with mode perm
// less the umask.
func create(dir, name string, perm fs.FileMode) (*os.File, error) {
	for {
		tmp := filepath.Join(dir, TempName(name, os.Getpid(), rand.Uint32()))
		f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
}

// removeStale removes the stale temporary files of name in dir, as the
// package documentation defines them, as of now. It is best effort: a
// file that cannot be removed stays.
func removeStale(dir, name string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, ok := parseTemp(e.Name(), name)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		idle := now.Sub(info.ModTime())
		if idle > AbandonedAfter || idle > DeadAfter && !running(pid) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
