//go:build unix

package main

// This file holds the fast path for GoNB's `go build -o BIN` of a cell.
//
// A warm cell's build spends a third of its time in the go command itself
// (loading and hashing some 250 packages, planning) before it compiles the
// cell's one package and links. When nothing but the cell's own code has
// changed since the last build, that work gives the same answer: the same
// compile and link commands, reading the same compiled packages from the
// build cache. So a successful build records them (from `go build -x`),
// and the next build with the same key replays them directly.
//
// The key is everything the go command decides from and that can change
// between cells: the cell's file names and import set, go.mod and go.sum,
// the environment variables that change a build (GOFLAGS with its tags and
// linker flags, CGO_ENABLED, GOAMD64, GOOS, GOARCH, GOEXPERIMENT, GOROOT,
// the caches' folders, ...) and the go binary itself. A replay also checks
// that every compiled package file it names is still in the build cache.
// Anything else falls back to the real `go build`: a changed key, a
// missing file, a module replaced by a local folder or a go.work (whose
// sources can change without go.mod changing), cgo or //go:embed in the
// cell, and a compile error, so that GoNB shows the go command's own
// message. DLNB_FAST_BUILD=off turns the fast path off, and
// DLNB_FAST_BUILD=trace says on stderr when a build was replayed.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// recordDir is where a cell module keeps its last build's record. The go
// command ignores folders whose names start with a dot.
const recordDir = ".dlnb-build"

// keyEnv are the environment variables that change what `go build` does.
var keyEnv = []string{
	"GOFLAGS", "CGO_ENABLED", "GOAMD64", "GOARM64", "GOOS", "GOARCH", "GOEXPERIMENT", "GOROOT", "GOTOOLCHAIN",
	"GOCACHE", "GOMODCACHE", "GOPATH", "GOENV", "GOWORK", "GO111MODULE", "GODEBUG", "HOME", "XDG_CACHE_HOME",
	"CC", "CGO_CFLAGS", "CGO_LDFLAGS",
}

// A record is a successful build's compile and link, to replay.
type record struct {
	Key           string
	Compile, Link command
	ImportCfg     string   // the compile's import config, with "$WORK" for the work folder
	LinkCfg       string   // the link's
	BinInWork     string   // where the link writes the program, under $WORK
	PackageFiles  []string // the compiled packages they read, in the build cache
}

// A command is one tool run of a build: its environment additions and its
// arguments, with "$WORK" standing for the build's work folder.
type command struct {
	Env  []string
	Args []string
}

// cellBuild returns BIN if args are GoNB's `build -o BIN`, with no other
// flags.
func cellBuild(args []string) (string, bool) {
	if len(args) == 3 && args[0] == "build" && args[1] == "-o" && args[2] != "" {
		return args[2], true
	}
	return "", false
}

// buildKey returns the key of a build of the cell module in dir with the
// go command goBin, or false if the fast path must not be used for it.
func buildKey(dir, goBin string) (string, bool) {
	if os.Getenv("DLNB_FAST_BUILD") == "off" {
		return "", false
	}
	mf := cellModule(dir)
	if mf == nil || len(mf.Replace) > 0 || hasGoWork(dir) {
		return "", false
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		return "", false
	}
	h := sha256.New()
	fset := token.NewFileSet()
	var imports []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil || bytes.Contains(src, []byte("//go:embed")) || bytes.Contains(src, []byte("//go:build")) {
			return "", false
		}
		ast, err := parser.ParseFile(fset, f, src, parser.ImportsOnly)
		if err != nil {
			return "", false
		}
		for _, imp := range ast.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil || p == "C" {
				return "", false
			}
			imports = append(imports, p)
		}
		fmt.Fprintf(h, "file %s\n", filepath.Base(f))
	}
	slices.Sort(imports)
	fmt.Fprintf(h, "imports %q\n", slices.Compact(imports))
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !(name == "go.sum" && errors.Is(err, os.ErrNotExist)) {
			return "", false
		}
		fmt.Fprintf(h, "%s %d\n%s\n", name, len(data), data)
	}
	for _, k := range keyEnv {
		v, set := os.LookupEnv(k)
		fmt.Fprintf(h, "env %s=%q %v\n", k, v, set)
	}
	st, err := os.Stat(goBin)
	if err != nil {
		return "", false
	}
	fmt.Fprintf(h, "go %s %d %d\n", goBin, st.Size(), st.ModTime().UnixNano())
	return hex.EncodeToString(h.Sum(nil)), true
}

// hasGoWork reports whether a go.work file lies in dir or a folder above.
func hasGoWork(dir string) bool {
	if w := os.Getenv("GOWORK"); w != "" && w != "off" {
		return true
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return true
	}
	for {
		if _, err := os.Stat(filepath.Join(abs, "go.work")); err == nil {
			return true
		}
		up := filepath.Dir(abs)
		if up == abs {
			return false
		}
		abs = up
	}
}

// fastBuild replays the recorded build of the cell module in dir into bin,
// if the record's key is key and every file it reads is still there. It
// reports whether it built bin; if not, the caller runs the real go.
func fastBuild(dir, bin, key string) bool {
	data, err := os.ReadFile(filepath.Join(dir, recordDir, "record.json"))
	if err != nil {
		return false
	}
	var r record
	if json.Unmarshal(data, &r) != nil || r.Key != key {
		return false
	}
	for _, f := range r.PackageFiles {
		if _, err := os.Stat(f); err != nil {
			return false // the build cache lost it: the go command rebuilds it
		}
	}
	work, err := os.MkdirTemp("", "dlnb-build-")
	if err != nil {
		return false
	}
	defer os.RemoveAll(work)
	if os.MkdirAll(filepath.Join(work, "b001", "exe"), 0o755) != nil ||
		os.WriteFile(filepath.Join(work, "b001", "importcfg"), []byte(strings.ReplaceAll(r.ImportCfg, "$WORK", work)), 0o644) != nil ||
		os.WriteFile(filepath.Join(work, "b001", "importcfg.link"), []byte(strings.ReplaceAll(r.LinkCfg, "$WORK", work)), 0o644) != nil {
		return false
	}
	for _, c := range []command{r.Compile, r.Link} {
		if run(dir, work, c) != nil {
			return false // a compile error: the go command reports it its own way
		}
	}
	if moveFile(strings.ReplaceAll(r.BinInWork, "$WORK", work), bin) != nil {
		return false
	}
	if os.Getenv("DLNB_FAST_BUILD") == "trace" {
		fmt.Fprintln(os.Stderr, "dlnb: replayed the last build")
	}
	return true
}

// run runs the tool command c in dir with $WORK set to work, quietly.
func run(dir, work string, c command) error {
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = strings.ReplaceAll(a, "$WORK", work)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), c.Env...)
	return cmd.Run()
}

// moveFile renames from to to, or copies it where a rename cannot.
func moveFile(from, to string) error {
	if os.Rename(from, to) == nil {
		return nil
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// buildAndRecord runs the real `go build -x -o bin` in dir and, when it
// succeeds, records its compile and link for the next build with the same
// key (computed after the build, which may add to go.mod and go.sum). A
// failed build runs again without -x, so that the errors GoNB shows are
// the go command's own. It returns the exit code.
func buildAndRecord(goBin, dir, bin string) int {
	var stderr bytes.Buffer
	cmd := exec.Command(goBin, "build", "-x", "-o", bin)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stdout, &stderr
	if err := cmd.Run(); err != nil {
		again := exec.Command(goBin, "build", "-o", bin)
		again.Dir, again.Stdout, again.Stderr = dir, os.Stdout, os.Stderr
		if err := again.Run(); err != nil {
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				return exit.ExitCode()
			}
			return 1
		}
		return 0
	}
	if key, ok := buildKey(dir, goBin); ok {
		if r, ok := parseBuild(stderr.String()); ok {
			r.Key = key
			if data, err := json.Marshal(r); err == nil && os.MkdirAll(filepath.Join(dir, recordDir), 0o755) == nil {
				os.WriteFile(filepath.Join(dir, recordDir, "record.json"), data, 0o644)
			}
		}
	}
	return 0
}

// parseBuild reads the commands that `go build -x` printed for a program
// whose only stale package was main, and returns them as a record without
// a key. It fails on anything else: other packages compiled (their files
// would be in $WORK, not in the build cache), cgo, assembly, or output it
// does not understand.
func parseBuild(x string) (record, bool) {
	var r record
	lines := strings.Split(x, "\n")
	var work string
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if w, ok := strings.CutPrefix(line, "WORK="); ok {
			work = w
			continue
		}
		if dest, ok := heredoc(line, work); ok {
			end := slices.Index(lines[i+1:], "EOF")
			if end < 0 {
				return r, false
			}
			body := strings.Join(lines[i+1:i+1+end], "\n") + "\n"
			if work != "" {
				body = strings.ReplaceAll(body, work, "$WORK")
			}
			i += end + 1
			switch dest {
			case "$WORK/b001/importcfg":
				r.ImportCfg = body
			case "$WORK/b001/importcfg.link":
				r.LinkCfg = body
			}
			continue
		}
		c, ok := parseCommand(line)
		if !ok || len(c.Args) == 0 {
			continue
		}
		switch tool := filepath.Base(c.Args[0]); {
		case tool == "compile" && slices.Contains(c.Args, "main") && slices.Contains(c.Args, "$WORK/b001/_pkg_.a"):
			if r.Compile.Args != nil {
				return r, false
			}
			r.Compile = c
		case tool == "link":
			if r.Link.Args != nil {
				return r, false
			}
			r.Link = c
			if i := slices.Index(c.Args, "-o"); i >= 0 && i+1 < len(c.Args) {
				r.BinInWork = c.Args[i+1]
			}
		case tool == "compile" || tool == "asm" || tool == "cgo" || tool == "gcc" || tool == "clang":
			return r, false // another package was built, or cgo or assembly
		}
	}
	if work == "" || r.Compile.Args == nil || r.Link.Args == nil || r.ImportCfg == "" || r.LinkCfg == "" ||
		!strings.HasPrefix(r.BinInWork, "$WORK/") {
		return r, false
	}
	for _, cfg := range []string{r.ImportCfg, r.LinkCfg} {
		for _, l := range strings.Split(cfg, "\n") {
			if _, file, ok := strings.Cut(strings.TrimPrefix(l, "packagefile "), "="); ok && strings.HasPrefix(l, "packagefile ") {
				if file == "$WORK/b001/_pkg_.a" {
					continue // the cell's own package, which the replay compiles
				}
				if !filepath.IsAbs(file) || strings.Contains(file, "$WORK") || strings.HasPrefix(file, work) {
					return r, false
				}
				r.PackageFiles = append(r.PackageFiles, file)
			}
		}
	}
	return r, len(r.PackageFiles) > 0
}

// heredoc reports whether line starts a here-document of `go build -x`
// ("cat >PATH << 'EOF' # internal"), and returns PATH with the work
// folder written as $WORK.
func heredoc(line, work string) (string, bool) {
	rest, ok := strings.CutPrefix(line, "cat >")
	if !ok {
		return "", false
	}
	dest, tail, ok := strings.Cut(rest, " << 'EOF'")
	if !ok || (tail != "" && tail != " # internal") {
		return "", false
	}
	if work != "" {
		if r, ok := strings.CutPrefix(dest, work); ok {
			dest = "$WORK" + r
		}
	}
	return dest, true
}

// parseCommand splits a command line as `go build -x` prints it: words
// separated by spaces, a word with special characters in Go's double
// quotes, and leading NAME='value' environment settings. It fails on
// lines that are not a plain command (cd, mv, mkdir and the like are
// returned too; the caller looks at the tool).
func parseCommand(line string) (command, bool) {
	var c command
	for line = strings.TrimSpace(line); line != ""; line = strings.TrimLeft(line, " ") {
		var word string
		switch {
		case line[0] == '"':
			end := 1
			for ; end < len(line) && line[end] != '"'; end++ {
				if line[end] == '\\' {
					end++
				}
			}
			if end >= len(line) {
				return c, false
			}
			w, err := strconv.Unquote(line[:end+1])
			if err != nil {
				return c, false
			}
			word, line = w, line[end+1:]
		default:
			end := strings.IndexByte(line, ' ')
			if end < 0 {
				end = len(line)
			}
			word, line = line[:end], line[end:]
			if name, v, ok := strings.Cut(word, "='"); ok && len(c.Args) == 0 && strings.HasSuffix(v, "'") {
				c.Env = append(c.Env, name+"="+strings.TrimSuffix(v, "'"))
				continue
			}
			if strings.ContainsAny(word, "'\"") {
				return c, false
			}
		}
		c.Args = append(c.Args, word)
	}
	return c, true
}
