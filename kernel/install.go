package kernel

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/dlnb/dlnb/internal/atomicfile"
)

// Tools are the programs that `dlnb install` builds from the versions
// pinned in go.mod. GoNB finds goimports and gopls on its PATH, and the
// go command there is goShim, which saves most cells a `go get`. The
// gopls there is lspShim, which hands GoNB's messages to the real gopls
// so that it sees whole files.
var Tools = []string{
	"github.com/janpfeifer/gonb",
	"golang.org/x/tools/cmd/goimports",
	"golang.org/x/tools/gopls",
	goShim,
	lspShim,
}

// goShim is installed as bin/go and lspShim as bin/lsp/gopls, with the
// real gopls beside it as gopls-real; see their package docs.
const (
	goShim  = ModulePath + "/kernel/internal/goshim"
	lspShim = ModulePath + "/kernel/internal/lspshim"
)

// cellModDir is the folder in the kernelspec where install leaves the
// go.mod and go.sum that a cell importing this module starts from.
const cellModDir = "cellmod"

// lspDir is the folder inside bin/ that holds gopls. It is on the kernel's
// PATH by itself, so that `dlnb run`, which needs no code completion, can
// start the kernel without gopls.
const lspDir = "lsp"

// toolFile is where tool pkg is installed under bin.
func toolFile(bin, pkg string) string {
	switch name := filepath.Base(pkg); {
	case name == "gopls":
		return filepath.Join(bin, lspDir, "gopls-real")
	case pkg == lspShim:
		return filepath.Join(bin, lspDir, "gopls")
	case pkg == goShim:
		return filepath.Join(bin, "go")
	default:
		return filepath.Join(bin, name)
	}
}

// InstallOptions configures Install.
type InstallOptions struct {
	// Src is the root of the dlnb checkout whose code cells will import.
	Src string
	// Scope says which Jupyter data directory gets the kernelspec.
	Scope Scope
	// Log receives progress lines; nil discards them.
	Log io.Writer
	// Rebuild builds the tools even when the installed ones are current.
	Rebuild bool
	// Quiet logs nothing when the kernel was already current.
	Quiet bool
}

// Spec is the kernel.json of a kernelspec
// (https://jupyter-client.readthedocs.io/en/latest/kernels.html#kernel-specs).
type Spec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env"`
	Metadata      SpecMetadata      `json:"metadata"`
}

// SpecMetadata records what dlnb installed, so that later runs can tell
// whether the kernel serves the current checkout.
type SpecMetadata struct {
	DLNB struct {
		Src     string `json:"src"`
		Version string `json:"version"`
	} `json:"dlnb"`
}

// ReadSpec reads dir/kernel.json.
func ReadSpec(dir string) (*Spec, error) {
	data, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		return nil, err
	}
	var s Spec
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: broken kernel.json (%v); reinstall with: go run ./cmd/dlnb install", dir, err)
	}
	if len(s.Argv) == 0 {
		return nil, fmt.Errorf("%s: kernel.json has no argv; reinstall with: go run ./cmd/dlnb install", dir)
	}
	return &s, nil
}

// Install builds the pinned tools and registers the dlnb kernelspec. It is
// idempotent: tools already built from the same pins are kept, and an
// unchanged checkout keeps its published version. It returns the
// kernelspec directory.
//
// Everything it writes lives in that directory: kernel.json, the logos,
// bin/ (gonb, goimports, lsp/gopls) and proxy/ (the checkout as a module).
func Install(ctx context.Context, opt InstallOptions) (string, error) {
	logf := func(format string, args ...any) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, format+"\n", args...)
		}
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("the go command is not on PATH; install Go 1.26 or newer (https://go.dev/doc/install) and check that `go version` works in this shell")
	}
	src, err := filepath.Abs(opt.Src)
	if err != nil {
		return "", err
	}
	data, err := opt.Scope.DataDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(data, "kernels", Name)
	if err := checkWritable(dir); err != nil {
		return "", err
	}

	env, err := goEnv(ctx, src, "GOMODCACHE", "GOPROXY", "GOFLAGS")
	if err != nil {
		return "", err
	}
	built, err := buildTools(ctx, src, dir, opt.Rebuild, logf)
	if err != nil {
		return "", err
	}

	old, _ := ReadSpec(dir)
	version, err := PublishSnapshot(src, filepath.Join(dir, "proxy"))
	if err != nil {
		return "", err
	}
	spec := newSpec(dir, src, version, goBin, env)
	// The version changes only when the checkout does; only then is the
	// warm-up needed again.
	_, cellModErr := os.Stat(filepath.Join(dir, cellModDir, "go.sum")) // an older install left none
	if old == nil || old.Metadata.DLNB.Version != version || opt.Rebuild || cellModErr != nil {
		logf("dlnb: checking that cells resolve %s@%s, and warming the build cache", ModulePath, version)
		if err := warmUp(ctx, spec, version); err != nil {
			return "", err
		}
	}

	js, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return "", err
	}
	js = append(js, '\n')
	oldJS, _ := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err := writeFileAtomic(filepath.Join(dir, "kernel.json"), js); err != nil {
		return "", err
	}
	if err := writeLogos(dir); err != nil {
		return "", err
	}
	if built || !bytes.Equal(oldJS, js) {
		logf("dlnb: kernel %q (%s) installed in %s, serving %s@%s", Name, spec.DisplayName, dir, ModulePath, version)
	} else if !opt.Quiet {
		logf("dlnb: kernel %q in %s is up to date, serving %s@%s", Name, dir, ModulePath, version)
	}
	return dir, nil
}

// CellPackages are imported by a warm-up program at install time, besides
// the packages of ModulePath: a cell's first build then finds them compiled.
var CellPackages = []string{"github.com/janpfeifer/gonb/gonbui"}

// warmUp does at install time what a cell's first build does: in a fresh
// module, with the kernel's environment, it resolves the packages of the
// published version and CellPackages, and compiles them. That proves the
// kernel can import them, and it fills the caches a cell needs offline:
// the module cache, the build cache, and the checksum database's answers
// for every module (a cell's module starts with an empty go.sum).
func warmUp(ctx context.Context, spec *Spec, version string) error {
	tmp, err := os.MkdirTemp("", "dlnb-warmup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte("module warmup\n"), 0o644); err != nil {
		return err
	}
	env := append(os.Environ(), "GOWORK=off")
	for k, v := range spec.Env {
		env = append(env, k+"="+v)
	}
	pkgs := append([]string{ModulePath + "/..."}, CellPackages...)
	for _, args := range [][]string{
		append([]string{"get", ModulePath + "/...@" + version}, CellPackages...),
		append([]string{"build"}, pkgs...),
	} {
		cmd := goCmd(ctx, tmp, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("a cell could not import %s with the kernel's settings (GOPROXY=%s): `go %s` failed:\n%s\nIf a module is missing, run install once with the Go module proxy reachable", ModulePath, spec.Env["GOPROXY"], strings.Join(args, " "), tail(out, 30))
		}
	}
	// Keep the resolved go.mod and go.sum: bin/go gives them to a kernel's
	// first cell, which then needs no `go get` of its own.
	cellMod := spec.Env["DLNB_CELLMOD"]
	if err := os.MkdirAll(cellMod, 0o755); err != nil {
		return err
	}
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(tmp, name))
		if err == nil {
			err = writeFileAtomic(filepath.Join(cellMod, name), data)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// newSpec makes the kernel.json for a kernelspec in dir.
func newSpec(dir, src, version, goBin string, env map[string]string) *Spec {
	proxy := "file://" + filepath.Join(dir, "proxy") + ",file://" + filepath.Join(env["GOMODCACHE"], "cache", "download")
	if p := env["GOPROXY"]; p != "" && p != "off" {
		proxy += "," + p // online, other modules still resolve
	}
	bin := filepath.Join(dir, "bin")
	s := &Spec{
		Argv:          []string{filepath.Join(bin, "gonb"), "--kernel", "{connection_file}"},
		DisplayName:   "Go (dlnb)",
		Language:      "go",
		InterruptMode: "message",
		Env: map[string]string{
			"PATH":         joinPath(bin, filepath.Join(bin, lspDir), filepath.Dir(goBin), os.Getenv("PATH")),
			"GOPROXY":      proxy,
			"GONOSUMDB":    ModulePath,
			"GOFLAGS":      cellFlags(env["GOFLAGS"]),
			"DLNB_GO":      goBin, // the go command that bin/go hands calls to
			"DLNB_CELLMOD": filepath.Join(dir, cellModDir),
			"CGO_ENABLED":  cellCgo(),
		},
	}
	s.Metadata.DLNB.Src = src
	s.Metadata.DLNB.Version = version
	return s
}

// cellCgo returns the kernel's CGO_ENABLED: the user's, if it is set when
// the kernel is installed, else 0. Cells need no C, and a program without
// cgo links faster (about 0.05 s of a warm cell's 0.7 s of build on the
// 2-core machine of issue 18), since the linker then leaves out
// runtime/cgo and the C parts of net and os/user.
func cellCgo() string {
	if v, ok := os.LookupEnv("CGO_ENABLED"); ok && v != "" {
		return v
	}
	return "0"
}

// cellFlags returns the GOFLAGS of the kernel's cells: the user's, plus
// -mod=mod, so that a cell's build may add to its go.mod and go.sum, and,
// unless the user passes linker flags already, -ldflags=-w. Without DWARF
// debug information a cell links about 0.15 s faster (a sixth of a warm
// cell's time); panics still print file and line, which come from the
// binary's line table.
func cellFlags(user string) string {
	flags := strings.TrimSpace(user + " -mod=mod")
	if !strings.Contains(user, "-ldflags") {
		flags += " -ldflags=-w"
	}
	return flags
}

// checkWritable makes dir and checks that files can be written in it.
func checkWritable(dir string) error {
	if err := makeWritable(dir); err != nil {
		return fmt.Errorf("cannot write the Jupyter kernel folder %s (%v); set JUPYTER_DATA_DIR to a folder you own, or pass --prefix DIR", dir, err)
	}
	return nil
}

// makeWritable makes dir if it is missing and proves that files can be
// written in it by creating and removing one.
func makeWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".probe-")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// buildTools builds Tools into dir/bin unless the binaries there were built
// from the same go.mod, go.sum and Go version.
func buildTools(ctx context.Context, src, dir string, rebuild bool, logf func(string, ...any)) (built bool, err error) {
	bin := filepath.Join(dir, "bin")
	stamp, err := toolStamp(ctx, src)
	if err != nil {
		return false, err
	}
	if !rebuild && toolsCurrent(bin, stamp) {
		return false, nil
	}
	logf("dlnb: building GoNB, goimports and gopls from the versions pinned in go.mod (a first build takes a few minutes)")
	tmp, err := os.MkdirTemp(dir, ".bin-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)
	args := append([]string{"build", "-o", tmp + string(os.PathSeparator)}, Tools...)
	if out, err := goCmd(ctx, src, args...).CombinedOutput(); err != nil {
		return false, fmt.Errorf("building GoNB failed:\n%s\nThe pinned versions come from the Go module proxy (GOPROXY) or the module cache; check that one of them is reachable, then run `go build %s` in %s to see the whole error", tail(out, 30), Tools[0], src)
	}
	if err := os.Mkdir(filepath.Join(tmp, lspDir), 0o755); err != nil {
		return false, err
	}
	for _, t := range []string{"gopls", goShim, lspShim} {
		if err := os.Rename(filepath.Join(tmp, filepath.Base(t)), toolFile(tmp, t)); err != nil {
			return false, err
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, ".stamp"), []byte(stamp), 0o644); err != nil {
		return false, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return false, err
	}
	if err := os.RemoveAll(bin); err != nil {
		return false, err
	}
	return true, os.Rename(tmp, bin)
}

func toolsCurrent(bin, stamp string) bool {
	old, err := os.ReadFile(filepath.Join(bin, ".stamp"))
	if err != nil || string(old) != stamp {
		return false
	}
	for _, t := range Tools {
		if _, err := os.Stat(toolFile(bin, t)); err != nil {
			return false
		}
	}
	return true
}

// toolStamp identifies the tool pins: go.mod, go.sum, the Go version and
// the shims' sources.
func toolStamp(ctx context.Context, src string) (string, error) {
	h := sha256.New()
	gomod, err := os.ReadFile(filepath.Join(src, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("%s is not a dlnb checkout: %v", src, err)
	}
	gosum, _ := os.ReadFile(filepath.Join(src, "go.sum")) // absent without dependencies
	h.Write(gomod)
	h.Write(gosum)
	for _, shim := range []string{"goshim", "lspshim"} {
		files, _ := filepath.Glob(filepath.Join(src, "kernel", "internal", shim, "*.go")) // sorted; if absent, the build says so
		for _, f := range files {
			if !strings.HasSuffix(f, "_test.go") {
				code, _ := os.ReadFile(f)
				fmt.Fprintf(h, "%s %d\n", filepath.Base(f), len(code))
				h.Write(code)
			}
		}
	}
	v, err := goCmd(ctx, src, "env", "GOVERSION").Output()
	if err != nil {
		return "", fmt.Errorf("`go env GOVERSION` failed in %s: %v", src, err)
	}
	h.Write(v)
	return hex.EncodeToString(h.Sum(nil)), nil
}

func goCmd(ctx context.Context, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	return cmd
}

// goEnv reads variables with `go env`.
func goEnv(ctx context.Context, dir string, names ...string) (map[string]string, error) {
	out, err := goCmd(ctx, dir, append([]string{"env"}, names...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("`go env` failed in %s: %v", dir, err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	env := make(map[string]string)
	for i, n := range names {
		if i < len(lines) {
			env[n] = lines[i]
		}
	}
	return env, nil
}

// tail returns the last n lines of out.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"…"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// writeFileAtomic writes data to path through atomicfile.Write: path
// holds either its old contents or data, never a part of data.
func writeFileAtomic(path string, data []byte) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// joinPath joins PATH lists, keeping the first of repeated entries.
func joinPath(lists ...string) string {
	var out []string
	seen := make(map[string]bool)
	for _, l := range lists {
		for _, d := range filepath.SplitList(l) {
			if d != "" && !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return strings.Join(out, string(os.PathListSeparator))
}
