// Package dlnbtest sets up the dlnb command and kernel for integration
// tests: it builds cmd/dlnb, installs the kernel into a private Jupyter data
// directory, and runs the command there.
package dlnbtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Env is a built dlnb command with the kernel installed in a temporary
// Jupyter data directory.
type Env struct {
	Bin     string // the dlnb binary
	DataDir string // JUPYTER_DATA_DIR holding the kernelspec
	Root    string // the checkout
	tmp     string
}

var (
	once     sync.Once
	shared   *Env
	setupErr error
)

// Setup builds and installs once per test binary and returns the shared
// Env. It skips the test under -short, since the first install builds GoNB
// and gopls (minutes on a cold build cache).
func Setup(t *testing.T) *Env {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: builds and starts the kernel (skipped with -short)")
	}
	once.Do(func() { shared, setupErr = setup() })
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return shared
}

// Cleanup removes what Setup made; call it from TestMain after m.Run.
func Cleanup() {
	if shared != nil {
		os.RemoveAll(shared.tmp)
	}
}

func setup() (*Env, error) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
	tmp, err := os.MkdirTemp("", "dlnbtest-")
	if err != nil {
		return nil, err
	}
	e := &Env{Bin: filepath.Join(tmp, "dlnb"), DataDir: filepath.Join(tmp, "jupyter"), Root: root, tmp: tmp}
	build := exec.Command("go", "build", "-o", e.Bin, "./cmd/dlnb")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building dlnb: %v\n%s", err, out)
	}
	// The first install may fetch the pinned tools. The second, with
	// GOPROXY=off, writes a kernel.json whose only module sources are the
	// snapshot and the module cache: cells then prove they need no network.
	for _, proxy := range []string{"", "off"} {
		env := e.Environ()
		if proxy == "" {
			env = dropEnv(env, "GOPROXY")
		}
		cmd := exec.Command(e.Bin, "install")
		cmd.Dir, cmd.Env = root, env
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("dlnb install (GOPROXY=%q): %v\n%s", proxy, err, out)
		}
	}
	return e, nil
}

// Environ is the environment for commands that use the test kernel:
// JUPYTER_DATA_DIR points at it, GOPROXY=off keeps refreshes offline, and
// DLNB_MODEL_CACHE gives the notebooks a model cache of their own, empty
// at the start of the test binary, so that every notebook trains its
// models (and later cells reload them) as on a fresh machine.
func (e *Env) Environ() []string {
	env := dropEnv(os.Environ(), "JUPYTER_DATA_DIR", "JUPYTER_PATH", "GOPROXY", "DLNB_MODEL_CACHE")
	return append(env, "JUPYTER_DATA_DIR="+e.DataDir, "GOPROXY=off", "DLNB_MODEL_CACHE="+filepath.Join(e.tmp, "models"))
}

// SpecDir is the installed kernelspec.
func (e *Env) SpecDir() string { return filepath.Join(e.DataDir, "kernels", "dlnb") }

// Result is a finished command.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// Run runs dlnb with args in dir and waits for it.
func (e *Env) Run(t *testing.T, dir string, extraEnv []string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(e.Bin, args...)
	cmd.Dir, cmd.Env = dir, append(e.Environ(), extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.Code = exit.ExitCode()
	case err != nil:
		t.Fatalf("dlnb %s: %v", strings.Join(args, " "), err)
	}
	t.Logf("dlnb %s: exit %d\n%s%s", strings.Join(args, " "), r.Code, r.Stdout, r.Stderr)
	return r
}

// HasJupyter reports whether `jupyter nbconvert` can run notebooks here.
func HasJupyter() bool {
	return exec.Command("jupyter", "nbconvert", "--version").Run() == nil
}

// Nbconvert executes a notebook with Jupyter's own client, nbconvert, on
// the dlnb kernel, writing the result to out.
func (e *Env) Nbconvert(t *testing.T, in, out string) {
	t.Helper()
	cmd := exec.Command("jupyter", "nbconvert", "--to", "notebook", "--execute",
		"--ExecutePreprocessor.kernel_name=dlnb", "--ExecutePreprocessor.timeout=600",
		"--output-dir", filepath.Dir(out), "--output", filepath.Base(out), in)
	cmd.Env = e.Environ()
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("jupyter nbconvert --execute %s: %v\n%s", in, err, tail(string(output), 40))
	}
}

func dropEnv(env []string, names ...string) []string {
	var out []string
	for _, kv := range env {
		keep := true
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				keep = false
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
