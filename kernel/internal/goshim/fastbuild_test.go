//go:build unix

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	c, ok := parseCommand(`GOROOT='/usr/local/go' /go/pkg/tool/link -o $WORK/b001/exe/a.out -trimpath "$WORK/b001=>" -w "a \"b\"" $WORK/b001/_pkg_.a`)
	want := []string{"/go/pkg/tool/link", "-o", "$WORK/b001/exe/a.out", "-trimpath", "$WORK/b001=>", "-w", `a "b"`, "$WORK/b001/_pkg_.a"}
	if !ok || strings.Join(c.Args, "|") != strings.Join(want, "|") || len(c.Env) != 1 || c.Env[0] != "GOROOT=/usr/local/go" {
		t.Errorf("parseCommand = %q %q %v; want %q and GOROOT", c.Env, c.Args, ok, want)
	}
	for _, bad := range []string{`a "unterminated`, `a 'b c'`} {
		if _, ok := parseCommand(bad); ok {
			t.Errorf("parseCommand(%q) succeeded", bad)
		}
	}
}

func TestCellBuild(t *testing.T) {
	for args, want := range map[string]bool{
		"build -o /tmp/x": true, "build -o": false, "build": false, "build -o /tmp/x -tags a": false,
		"build -tags a -o /tmp/x": false, "test -c -o /tmp/x": false, "get": false,
	} {
		if _, got := cellBuild(strings.Fields(args)); got != want {
			t.Errorf("cellBuild(%q) = %v, want %v", args, got, want)
		}
	}
}

// TestFastBuild builds a cell module through goshim as GoNB does, cell
// after cell, and checks that each program prints what its cell says:
// replayed when only the code changed, rebuilt by the go command when the
// imports change, when the build cache lost a file, when go.mod gains a
// replace, or when the fast path is off; and that a compile error comes out
// as the go command's message.
func TestFastBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds goshim and cells")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	shim := filepath.Join(t.TempDir(), "go")
	if out, err := exec.Command(goBin, "build", "-o", shim, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir, cache := t.TempDir(), t.TempDir()
	bin := filepath.Join(dir, "cell")
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module gonb_1\n\ngo 1.26\n"), 0o644)
	recordFile := filepath.Join(dir, recordDir, "record.json")

	// cell writes main.go, builds it through goshim, runs it and returns
	// its output, and whether the build was replayed.
	cell := func(src string, env ...string) (string, bool) {
		t.Helper()
		os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644)
		cmd := exec.Command(shim, "build", "-o", bin)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), append([]string{"DLNB_GO=" + goBin, "GOCACHE=" + cache, "GOFLAGS=-mod=mod", "DLNB_FAST_BUILD=trace"}, env...)...)
		built, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("build of\n%s\nfailed: %v\n%s", src, err, built)
		}
		out, err := exec.Command(bin).CombinedOutput()
		if err != nil {
			t.Fatalf("running the cell: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out)), strings.Contains(string(built), "dlnb: replayed the last build")
	}
	prog := func(imports, body string) string {
		return "package main\n\nimport (" + imports + ")\n\nfunc main() {\n" + body + "\n}\n"
	}

	// The standard library's packages compiled once, as a warm build cache
	// holds them: a build that compiles other packages is not recorded.
	warm := exec.Command(goBin, "build", "fmt", "strings", "runtime")
	warm.Dir, warm.Env = dir, append(os.Environ(), "GOCACHE="+cache)
	if out, err := warm.CombinedOutput(); err != nil {
		t.Fatalf("warming the cache: %v\n%s", err, out)
	}
	if out, replayed := cell(prog(`"fmt"`, `fmt.Println("one")`)); out != "one" || replayed {
		t.Errorf("first cell: %q, replayed %v; want one, built by go", out, replayed)
	}
	if _, err := os.Stat(recordFile); err != nil {
		t.Fatalf("the first build left no record: %v", err)
	}
	if out, replayed := cell(prog(`"fmt"`, `fmt.Println("two")`)); out != "two" || !replayed {
		t.Errorf("same imports: %q, replayed %v; want two, replayed", out, replayed)
	}
	if out, replayed := cell(prog(`"fmt"; "strings"`, `fmt.Println(strings.Repeat("3", 3))`)); out != "333" || replayed {
		t.Errorf("a new import: %q, replayed %v; want 333, built by go", out, replayed)
	}
	if out, replayed := cell(prog(`"fmt"; "strings"`, `fmt.Println(strings.ToUpper("four"))`)); out != "FOUR" || !replayed {
		t.Errorf("same imports again: %q, replayed %v; want FOUR, replayed", out, replayed)
	}

	// The build cache loses a package file the record names.
	var r record
	data, _ := os.ReadFile(recordFile)
	if err := json.Unmarshal(data, &r); err != nil || len(r.PackageFiles) == 0 {
		t.Fatalf("record: %v, %d package files", err, len(r.PackageFiles))
	}
	for _, f := range r.PackageFiles {
		if !strings.HasPrefix(f, cache) {
			t.Errorf("the record names %s, outside the build cache %s", f, cache)
		}
	}
	os.Remove(r.PackageFiles[len(r.PackageFiles)-1])
	if out, replayed := cell(prog(`"fmt"; "strings"`, `fmt.Println(strings.ToLower("FIVE"))`)); out != "five" || replayed {
		t.Errorf("a lost cache file: %q, replayed %v; want five, built by go", out, replayed)
	}
	if out, replayed := cell(prog(`"fmt"; "strings"`, `fmt.Println(strings.TrimSpace(" six "))`), "DLNB_FAST_BUILD=off"); out != "six" || replayed {
		t.Errorf("DLNB_FAST_BUILD=off: %q, replayed %v; want six, built by go", out, replayed)
	}
	if out, replayed := cell(prog(`"fmt"; "strings"`, `fmt.Println(strings.TrimSpace(" seven "))`), "CGO_ENABLED=1"); out != "seven" || replayed {
		t.Errorf("another CGO_ENABLED: %q, replayed %v; want seven, built by go", out, replayed)
	}

	// A compile error is the go command's own message, with no -x lines.
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(prog(`"fmt"`, `fmt.Println(undefinedName)`)), 0o644)
	cmd := exec.Command(shim, "build", "-o", bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DLNB_GO="+goBin, "GOCACHE="+cache, "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "main.go:6:13: undefined: undefinedName") || strings.Contains(string(out), "WORK=") {
		t.Errorf("a compile error: %v\n%s", err, out)
	}

	// A replace directive (a library whose source can change under the
	// same go.mod) turns the fast path off.
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module gonb_1\n\ngo 1.26\n\nreplace example.com/x => ./x\n"), 0o644)
	if key, ok := buildKey(dir, goBin); ok {
		t.Errorf("a go.mod with a replace got key %s", key)
	}
}

// TestBuildKeyChanges checks that the key changes with everything a build
// decides from: go.mod (a republished library has a new version there),
// go.sum, the files and imports, and the environment; and not with the
// cell's code.
func TestBuildKeyChanges(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	write := func(name, s string) { os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644) }
	write("go.mod", "module gonb_1\n\ngo 1.26\n\nrequire github.com/dlnb/dlnb v0.0.0-20261203160107-09f8371a85e1\n")
	write("go.sum", "github.com/dlnb/dlnb v0.0.0-20261203160107-09f8371a85e1 h1:a=\n")
	write("main.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(1) }\n")
	key := func() string {
		t.Helper()
		k, ok := buildKey(dir, goBin)
		if !ok {
			t.Fatal("no key")
		}
		return k
	}
	k0 := key()
	write("main.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(2) }\n")
	if key() != k0 {
		t.Error("the cell's code changed the key")
	}
	for _, c := range []struct {
		name   string
		change func()
	}{
		{"a republished library", func() {
			write("go.mod", "module gonb_1\n\ngo 1.26\n\nrequire github.com/dlnb/dlnb v0.0.0-20261203172952-7be3ebff79c5\n")
		}},
		{"go.sum", func() { write("go.sum", "github.com/dlnb/dlnb v0.0.0-20261203172952-7be3ebff79c5 h1:b=\n") }},
		{"an import", func() {
			write("main.go", "package main\n\nimport (\"fmt\"; \"os\")\n\nfunc main() { fmt.Println(os.Args) }\n")
		}},
		{"a file", func() { write("other.go", "package main\n") }},
		{"GOFLAGS", func() { t.Setenv("GOFLAGS", "-tags=x") }},
		{"GOAMD64", func() { t.Setenv("GOAMD64", "v3") }},
	} {
		before := key()
		c.change()
		if key() == before {
			t.Errorf("%s did not change the key", c.name)
		}
	}
	write("main.go", "package main\n\nimport \"C\"\n\nfunc main() {}\n")
	if _, ok := buildKey(dir, goBin); ok {
		t.Error("a cell with cgo got a key")
	}
}
