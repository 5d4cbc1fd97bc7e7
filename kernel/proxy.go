package kernel

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// ModulePath is the module that notebook cells import.
const ModulePath = "github.com/dlnb/dlnb"

// A snapshot is the checkout, published as one pseudo-version of ModulePath
// in a file-based module proxy (https://go.dev/ref/mod#goproxy-protocol).
// GoNB's automatic `go get` resolves cell imports of the module from it,
// offline. The pseudo-version's revision part is a hash of the files, so
// publishing an unchanged checkout again is a no-op.

// snapshotFiles lists the files of the checkout that go into the module zip:
// what the go command would put in it, less hidden folders, build outputs
// (bin/, out/) and executed notebooks.
func snapshotFiles(root string) ([]modzip.File, error) {
	var files []modzip.File
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
				rel == "bin" || rel == "out") {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // a nested module is not part of this one
				}
			}
			return nil
		}
		if !d.Type().IsRegular() || strings.HasSuffix(name, ".out.ipynb") || strings.HasSuffix(name, ".out.html") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files = append(files, dirFile{rel: filepath.ToSlash(rel), path: path, info: info})
		return nil
	})
	return files, err
}

type dirFile struct {
	rel, path string
	info      fs.FileInfo
}

func (f dirFile) Path() string                 { return f.rel }
func (f dirFile) Lstat() (os.FileInfo, error)  { return f.info, nil }
func (f dirFile) Open() (io.ReadCloser, error) { return os.Open(f.path) }

// contentHash hashes the names and contents of files.
func contentHash(files []modzip.File) (string, error) {
	sort.Slice(files, func(i, j int) bool { return files[i].Path() < files[j].Path() })
	h := sha256.New()
	for _, f := range files {
		r, err := f.Open()
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00", f.Path())
		_, err = io.Copy(h, r)
		r.Close()
		if err != nil {
			return "", err
		}
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// PublishSnapshot writes the checkout at root into the file proxy at
// proxyDir as a new pseudo-version, unless the newest one there already has
// the same contents. It removes older versions and returns the version that
// is current.
func PublishSnapshot(root, proxyDir string) (version string, err error) {
	files, err := snapshotFiles(root)
	if err != nil {
		return "", fmt.Errorf("reading the checkout %s: %w", root, err)
	}
	sum, err := contentHash(files)
	if err != nil {
		return "", fmt.Errorf("reading the checkout %s: %w", root, err)
	}
	vdir := filepath.Join(proxyDir, filepath.FromSlash(ModulePath), "@v")
	if old, err := os.ReadFile(filepath.Join(vdir, "list")); err == nil {
		v := strings.TrimSpace(string(old))
		if strings.HasSuffix(v, "-"+sum[:12]) {
			if _, err := os.Stat(filepath.Join(vdir, v+".zip")); err == nil {
				return v, nil
			}
		}
	}
	now := time.Now().UTC()
	version = module.PseudoVersion("v0", "", now, sum[:12])
	mv := module.Version{Path: ModulePath, Version: version}

	var zbuf bytes.Buffer
	if err := modzip.Create(&zbuf, mv, files); err != nil {
		return "", fmt.Errorf("packing the checkout %s as a module: %w", root, err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	info, _ := json.Marshal(struct {
		Version string
		Time    time.Time
	}{version, now})

	// Write into a fresh folder, then swap it in, so that a reader never
	// sees a half-written version.
	if err := os.MkdirAll(filepath.Dir(vdir), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(vdir), ".v-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	for name, data := range map[string][]byte{
		version + ".zip":  zbuf.Bytes(),
		version + ".mod":  gomod,
		version + ".info": info,
		"list":            []byte(version + "\n"),
	} {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return "", err
		}
	}
	if err := os.RemoveAll(vdir); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, vdir); err != nil {
		return "", err
	}
	// @latest lets `go get M/pkg` pick the snapshot: the list holds only a
	// pseudo-version, which the go command does not take as a release.
	if err := os.WriteFile(filepath.Join(filepath.Dir(vdir), "@latest"), info, 0o644); err != nil {
		return "", err
	}
	return version, nil
}
