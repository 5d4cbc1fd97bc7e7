package kernel

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// fakeCheckout writes a tiny module with the dlnb path and one package.
func fakeCheckout(t *testing.T, greeting string) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"go.mod":              "module " + ModulePath + "\n\ngo 1.22\n",
		"hello/hello.go":      "package hello\n\n// Greeting is what the test imports.\nconst Greeting = \"" + greeting + "\"\n",
		".git/HEAD":           "ref: refs/heads/main\n",
		"notes/a.out.ipynb":   "{}",
		"bin/tool":            "binary",
		"notebooks/x.ipynb":   "{}",
		"nested/go.mod":       "module example.com/nested\n",
		"nested/nested.go":    "package nested\n",
		"_scratch/ignored.go": "package scratch\n",
	}
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestPublishSnapshot(t *testing.T) {
	src := fakeCheckout(t, "hi")
	proxy := t.TempDir()
	v1, err := PublishSnapshot(src, proxy)
	if err != nil {
		t.Fatal(err)
	}
	if !module.IsPseudoVersion(v1) {
		t.Fatalf("version %q is not a pseudo-version", v1)
	}
	vdir := filepath.Join(proxy, ModulePath, "@v")
	checked, err := modzip.CheckZip(module.Version{Path: ModulePath, Version: v1}, filepath.Join(vdir, v1+".zip"))
	if err != nil {
		t.Fatalf("the zip is not a valid module zip: %v", err)
	}
	var got []string
	for _, f := range checked.Valid {
		got = append(got, strings.TrimPrefix(f, ModulePath+"@"+v1+"/"))
	}
	want := "go.mod hello/hello.go notebooks/x.ipynb"
	if strings.Join(got, " ") != want {
		t.Errorf("zip holds %v, want %s", got, want)
	}

	v2, err := PublishSnapshot(src, proxy)
	if err != nil || v2 != v1 {
		t.Fatalf("publishing an unchanged checkout gave %q, %v; want the same version %q", v2, err, v1)
	}

	if err := os.WriteFile(filepath.Join(src, "hello", "hello.go"), []byte("package hello\n\nconst Greeting = \"changed\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v3, err := PublishSnapshot(src, proxy)
	if err != nil || v3 == v1 {
		t.Fatalf("publishing a changed checkout gave %q, %v; want a new version", v3, err)
	}
	if _, err := os.Stat(filepath.Join(vdir, v1+".zip")); !os.IsNotExist(err) {
		t.Errorf("the old version's zip is still there (%v)", err)
	}
	list, _ := os.ReadFile(filepath.Join(vdir, "list"))
	if strings.TrimSpace(string(list)) != v3 {
		t.Errorf("list = %q, want %q", list, v3)
	}
}

// TestSnapshotResolvesOffline checks the whole mechanism with the go
// command: a module that imports the snapshot builds with only the file
// proxy to fetch from, and sees the checkout's code.
func TestSnapshotResolvesOffline(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	src := fakeCheckout(t, "hello from the snapshot")
	proxy := t.TempDir()
	if _, err := PublishSnapshot(src, proxy); err != nil {
		t.Fatal(err)
	}
	user := t.TempDir()
	prog := "package main\n\nimport (\n\t\"fmt\"\n\n\t\"" + ModulePath + "/hello\"\n)\n\nfunc main() { fmt.Println(hello.Greeting) }\n"
	os.WriteFile(filepath.Join(user, "go.mod"), []byte("module cell\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(user, "main.go"), []byte(prog), 0o644)
	env := append(os.Environ(), "GOPROXY=file://"+proxy, "GONOSUMDB="+ModulePath, "GOFLAGS=-mod=mod", "GOMODCACHE="+t.TempDir())
	t.Cleanup(func() {
		// The module cache holds read-only files; this makes it removable.
		clean := exec.Command("go", "clean", "-modcache")
		clean.Env = env
		clean.Run()
	})
	get := exec.Command("go", "get", ModulePath+"/hello")
	get.Dir, get.Env = user, env
	if out, err := get.CombinedOutput(); err != nil {
		t.Fatalf("go get from the file proxy: %v\n%s", err, out)
	}
	run := exec.Command("go", "run", ".")
	run.Dir, run.Env = user, env
	out, err := run.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "hello from the snapshot" {
		t.Fatalf("go run: %v\n%s", err, out)
	}
}
