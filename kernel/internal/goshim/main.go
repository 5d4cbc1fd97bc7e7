//go:build unix

// Command goshim stands in for the go command on the dlnb kernel's PATH,
// where it is installed as bin/go. It saves GoNB's per-cell `go get`.
//
// GoNB compiles every cell in a temporary module (named gonb_...), and
// before each build it runs `go get` there to fetch modules that new
// imports need. When every import of the cell is already provided by a
// module that the temporary go.mod requires, that `go get` has nothing to
// do, yet it still loads the whole module graph: about a fifth of a
// second per cell. goshim answers such a call at once, and passes every
// other call, unchanged, to the real go command named by $DLNB_GO (found
// on PATH after goshim's own folder when that is unset). The build that
// follows runs with -mod=mod (the kernel sets GOFLAGS), so it still adds
// any go.sum line that is missing.
//
// GoNB's `go build -o BIN` of a cell replays the compile and link of the
// previous cell's build when nothing but the cell's code changed; see
// fastbuild.go.
//
// A kernel's first cell starts from an empty go.mod, so its `go get` does
// real work: resolving this module and its dependencies. dlnb install
// leaves the result of that work, for the version it publishes, in the
// folder $DLNB_CELLMOD (a go.mod and a go.sum). When every import of the
// first cell is provided by a module required there, goshim copies those
// requirements and checksums into the cell's module instead.
package main

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/mod/modfile"
)

func main() {
	if isCellGet(os.Args[1:]) && (importsResolved(".") || startFrom(".", os.Getenv("DLNB_CELLMOD"))) {
		return
	}
	goBin, err := realGo()
	if err == nil {
		if bin, ok := cellBuild(os.Args[1:]); ok && cellModule(".") != nil {
			if key, ok := buildKey(".", goBin); ok && fastBuild(".", bin, key) {
				return
			}
			os.Exit(buildAndRecord(goBin, ".", bin))
		}
		err = syscall.Exec(goBin, append([]string{"go"}, os.Args[1:]...), os.Environ())
	}
	fmt.Fprintf(os.Stderr, "dlnb's go wrapper: %v; reinstall the kernel with `dlnb install`\n", err)
	os.Exit(2)
}

// isCellGet reports whether args are GoNB's per-cell `go get`: get, maybe
// -t, and no packages.
func isCellGet(args []string) bool {
	if len(args) == 0 || args[0] != "get" {
		return false
	}
	for _, a := range args[1:] {
		if a != "-t" {
			return false
		}
	}
	return true
}

// importsResolved reports whether dir is a GoNB cell module whose Go files
// import only the standard library and packages of modules that its
// go.mod already requires. Any doubt answers false, so that the real
// `go get` runs.
func importsResolved(dir string) bool {
	mf := cellModule(dir)
	return mf != nil && importsProvided(dir, mf)
}

// cellModule parses dir's go.mod if it is a GoNB cell module, or returns nil.
func cellModule(dir string) *modfile.File {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return nil
	}
	mf, err := modfile.Parse("go.mod", data, nil)
	if err != nil || mf.Module == nil || !strings.HasPrefix(mf.Module.Mod.Path, "gonb_") {
		return nil
	}
	return mf
}

// startFrom gives the cell module in dir, if it requires nothing yet, the
// requirements and checksums of the module in the folder tmpl, provided
// that they cover every import of dir's Go files. It reports whether it
// did.
func startFrom(dir, tmpl string) bool {
	mf := cellModule(dir)
	if tmpl == "" || mf == nil || len(mf.Require) > 0 {
		return false
	}
	data, err := os.ReadFile(filepath.Join(tmpl, "go.mod"))
	if err != nil {
		return false
	}
	t, err := modfile.Parse("go.mod", data, nil)
	if err != nil || !importsProvided(dir, t) {
		return false
	}
	sum, err := os.ReadFile(filepath.Join(tmpl, "go.sum"))
	if err != nil {
		return false
	}
	for _, r := range t.Require {
		if err := mf.AddRequire(r.Mod.Path, r.Mod.Version); err != nil {
			return false
		}
		mf.Require[len(mf.Require)-1].Indirect = r.Indirect
	}
	mf.Cleanup()
	out, err := mf.Format()
	if err != nil {
		return false
	}
	// go.sum first: a go.mod that names modules without their sums would
	// make the build fail, while extra sums are harmless.
	return os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644) == nil &&
		os.WriteFile(filepath.Join(dir, "go.mod"), out, 0o644) == nil
}

// importsProvided reports whether the Go files in dir import only the
// standard library and packages of modules that mf requires.
func importsProvided(dir string, mf *modfile.File) bool {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		return false
	}
	fset := token.NewFileSet()
	for _, f := range files {
		ast, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			return false
		}
		for _, imp := range ast.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil || !provided(path, mf) {
				return false
			}
		}
	}
	return true
}

// provided reports whether the import path is in the standard library or
// in a module that mf requires.
func provided(path string, mf *modfile.File) bool {
	first, _, _ := strings.Cut(path, "/")
	if !strings.Contains(first, ".") {
		return path != "C" // the standard library; cgo needs the real go
	}
	for _, r := range mf.Require {
		if m := r.Mod.Path; path == m || strings.HasPrefix(path, m+"/") {
			return true
		}
	}
	return false
}

// realGo finds the go command that goshim stands in for.
// It is never goshim itself, which would loop.
func realGo() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	self, _ = filepath.EvalSymlinks(self)
	candidates := []string{os.Getenv("DLNB_GO")}
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		candidates = append(candidates, filepath.Join(d, "go"))
	}
	for _, p := range candidates {
		if q, err := filepath.EvalSymlinks(p); p != "" && err == nil && q != self {
			if p, err := exec.LookPath(p); err == nil {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("no go command on PATH besides %s", self)
}
