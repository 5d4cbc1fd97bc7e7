//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestIsCellGet(t *testing.T) {
	for args, want := range map[string]bool{
		"get": true, "get -t": true, "get -t -t": true,
		"": false, "build": false, "get ./...": false, "get -u": false, "mod tidy": false,
	} {
		if got := isCellGet(strings.Fields(args)); got != want {
			t.Errorf("isCellGet(%q) = %v, want %v", args, got, want)
		}
	}
}

func TestImportsResolved(t *testing.T) {
	const gomod = "module gonb_1234\n\ngo 1.26\n\nrequire (\n\tgithub.com/dlnb/dlnb v0.0.0-20261127070625-049572a1765f\n\tgonum.org/v1/gonum v0.17.0 // indirect\n)\n"
	for _, c := range []struct {
		name, gomod, src string
		want             bool
	}{
		{"stdlib and required modules", gomod, `import ("fmt"; "github.com/dlnb/dlnb/dl"; "gonum.org/v1/gonum/mat")`, true},
		{"the module root itself", gomod, `import "github.com/dlnb/dlnb"`, true},
		{"no imports", gomod, ``, true},
		{"a module not required yet", gomod, `import "gonum.org/v1/plot"`, false},
		{"a prefix that is not a module path", gomod, `import "github.com/dlnb/dlnbx/a"`, false},
		{"cgo", gomod, `import "C"`, false},
		{"not a GoNB module", strings.Replace(gomod, "gonb_1234", "example.com/me", 1), `import "fmt"`, false},
		{"a syntax error", gomod, `import (`, false},
		{"no go.mod", "", `import "fmt"`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if c.gomod != "" {
				os.WriteFile(filepath.Join(dir, "go.mod"), []byte(c.gomod), 0o644)
			}
			os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n"+c.src+"\nfunc main() {}\n"), 0o644)
			if got := importsResolved(dir); got != c.want {
				t.Errorf("importsResolved = %v, want %v", got, c.want)
			}
		})
	}
}

// TestPassesThrough builds goshim as bin/go and checks that other calls
// reach the real go command, even when DLNB_GO names goshim itself.
func TestPassesThrough(t *testing.T) {
	if testing.Short() {
		t.Skip("builds goshim")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin := t.TempDir()
	shim := filepath.Join(bin, "go")
	if out, err := exec.Command(goBin, "build", "-o", shim, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, dlnbGo := range []string{goBin, shim, ""} {
		cmd := exec.Command(shim, "env", "GOVERSION")
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "DLNB_GO="+dlnbGo)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), "go1.") {
			t.Errorf("DLNB_GO=%q: go env GOVERSION through goshim = %q, %v", dlnbGo, out, err)
		}
	}
	// A cell's get with every import resolved returns at once, doing nothing.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module gonb_1\n\ngo 1.26\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\nimport \"fmt\"\nfunc main() { fmt.Println() }\n"), 0o644)
	cmd := exec.Command(shim, "get")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DLNB_GO=/nonexistent/go")
	if out, err := cmd.CombinedOutput(); err != nil || len(out) != 0 {
		t.Errorf("go get in a resolved cell module: %v %q", err, out)
	}
	// Anything else with no real go anywhere fails with advice.
	cmd = exec.Command(shim, "version")
	cmd.Env = []string{"PATH=" + bin, "DLNB_GO="}
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "dlnb install") {
		t.Errorf("no real go: %v %q", err, out)
	}
}

func TestStartFrom(t *testing.T) {
	tmpl := t.TempDir()
	os.WriteFile(filepath.Join(tmpl, "go.mod"), []byte("module warmup\n\ngo 1.26\n\nrequire (\n\tgithub.com/dlnb/dlnb v0.0.0-20261127070625-049572a1765f\n\tgonum.org/v1/gonum v0.17.0 // indirect\n)\n"), 0o644)
	const sum = "gonum.org/v1/gonum v0.17.0 h1:abc=\ngonum.org/v1/gonum v0.17.0/go.mod h1:def=\n"
	os.WriteFile(filepath.Join(tmpl, "go.sum"), []byte(sum), 0o644)
	const empty = "module gonb_1\n\ngo 1.26\n"
	for _, c := range []struct {
		name, gomod, imports string
		want                 bool
	}{
		{"first cell", empty, `import ("fmt"; "github.com/dlnb/dlnb/dl")`, true},
		{"an import the template lacks", empty, `import "gonum.org/v1/plot"`, false},
		{"a module that already requires", empty + "\nrequire gonum.org/v1/gonum v0.16.0\n", `import "github.com/dlnb/dlnb/dl"`, false},
		{"not a GoNB module", "module me\n\ngo 1.26\n", `import "github.com/dlnb/dlnb/dl"`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "go.mod"), []byte(c.gomod), 0o644)
			os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n"+c.imports+"\nfunc main() {}\n"), 0o644)
			if got := startFrom(dir, tmpl); got != c.want {
				t.Fatalf("startFrom = %v, want %v", got, c.want)
			}
			gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
			gosum, err := os.ReadFile(filepath.Join(dir, "go.sum"))
			if !c.want {
				if string(gomod) != c.gomod || err == nil {
					t.Errorf("a refused start changed the module: go.mod %q, go.sum err %v", gomod, err)
				}
				return
			}
			if string(gosum) != sum {
				t.Errorf("go.sum = %q, want the template's", gosum)
			}
			mf := cellModule(dir)
			if mf == nil || len(mf.Require) != 2 || mf.Module.Mod.Path != "gonb_1" || !importsResolved(dir) {
				t.Errorf("go.mod after the start:\n%s", gomod)
			}
		})
	}
	if startFrom(t.TempDir(), "") {
		t.Error("startFrom with no template folder did something")
	}
}
