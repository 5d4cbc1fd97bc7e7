package kernel

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/mod/modfile"
)

// Name is the name of the kernelspec that dlnb installs.
const Name = "dlnb"

// Scope says where a kernelspec is installed, following the rules of
// `jupyter kernelspec install`.
type Scope struct {
	// Prefix installs into PREFIX/share/jupyter, like --prefix.
	Prefix string
	// SysPrefix installs into the active Python environment, like --sys-prefix.
	SysPrefix bool
	// Dir, if set, names the Jupyter data directory itself.
	Dir string
}

// UserDataDir returns Jupyter's per-user data directory: $JUPYTER_DATA_DIR if
// set, else $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter on Linux, and
// ~/Library/Jupyter on macOS.
func UserDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return filepath.Abs(d)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the home directory (%v); set JUPYTER_DATA_DIR to choose where the kernel goes", err)
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Jupyter"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// DataDir returns the Jupyter data directory that the scope names.
func (s Scope) DataDir() (string, error) {
	switch {
	case s.Dir != "":
		return filepath.Abs(s.Dir)
	case s.Prefix != "" && s.SysPrefix:
		return "", errors.New("--prefix and --sys-prefix cannot be used together; pick one")
	case s.Prefix != "":
		p, err := filepath.Abs(s.Prefix)
		if err != nil {
			return "", err
		}
		return filepath.Join(p, "share", "jupyter"), nil
	case s.SysPrefix:
		p, err := pythonPrefix()
		if err != nil {
			return "", err
		}
		return filepath.Join(p, "share", "jupyter"), nil
	}
	return UserDataDir()
}

// pythonPrefix finds sys.prefix of the active Python environment.
func pythonPrefix() (string, error) {
	for _, env := range []string{"VIRTUAL_ENV", "CONDA_PREFIX"} {
		if p := os.Getenv(env); p != "" {
			return p, nil
		}
	}
	out, err := exec.Command("python3", "-c", "import sys; print(sys.prefix)").Output()
	if err != nil {
		return "", fmt.Errorf("--sys-prefix needs the Python environment that runs Jupyter, but python3 did not answer (%v); use --prefix DIR instead", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// SearchPath lists the directories where Jupyter looks for kernelspecs, in
// order: $JUPYTER_PATH, the user data dir, the active Python environment,
// and the system directories.
func SearchPath() []string {
	var dirs []string
	for _, d := range filepath.SplitList(os.Getenv("JUPYTER_PATH")) {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	if d, err := UserDataDir(); err == nil {
		dirs = append(dirs, d)
	}
	for _, env := range []string{"VIRTUAL_ENV", "CONDA_PREFIX"} {
		if p := os.Getenv(env); p != "" {
			dirs = append(dirs, filepath.Join(p, "share", "jupyter"))
		}
	}
	return append(dirs, "/usr/local/share/jupyter", "/usr/share/jupyter")
}

// FindSpec returns the directory of the named kernelspec, searching
// SearchPath. The error says how to install it when it is missing.
func FindSpec(name string) (string, error) {
	for _, d := range SearchPath() {
		dir := filepath.Join(d, "kernels", name)
		if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("no Jupyter kernel named %q was found in %s; install it with: go run ./cmd/dlnb install", name, strings.Join(SearchPath(), ", "))
}

// ModuleRoot walks up from dir to the checkout of github.com/dlnb/dlnb.
func ModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && modfile.ModulePath(data) == ModulePath {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%s is not inside a checkout of %s; run dlnb from the checkout, or pass --src DIR", dir, ModulePath)
		}
	}
}
