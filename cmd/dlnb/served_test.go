package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKernelServesAnotherCheckout checks that dlnb run, from one checkout,
// says so when the installed kernel serves another checkout, rather than
// run that checkout's code in silence, and leaves the kernel alone.
func TestKernelServesAnotherCheckout(t *testing.T) {
	data := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", data)
	t.Setenv("JUPYTER_PATH", "")
	other := t.TempDir() // another checkout of the module
	if err := os.WriteFile(filepath.Join(other, "go.mod"), []byte("module github.com/dlnb/dlnb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(data, "kernels", "dlnb")
	if err := os.MkdirAll(spec, 0o755); err != nil {
		t.Fatal(err)
	}
	json := `{"argv": ["gonb"], "display_name": "Go (dlnb)", "language": "go", "metadata": {"dlnb": {"src": "` + other + `"}}}`
	if err := os.WriteFile(filepath.Join(spec, "kernel.json"), []byte(json), 0o644); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	dir, err := ensureKernel(context.Background(), "dlnb", &log)
	if err != nil || dir != spec {
		t.Fatalf("ensureKernel = %q, %v; want %q", dir, err, spec)
	}
	if !strings.Contains(log.String(), "serves the checkout "+other) || !strings.Contains(log.String(), "run dlnb install here") {
		t.Errorf("no note that the kernel serves %s, and how to switch; log:\n%s", other, log.String())
	}
	if b, _ := os.ReadFile(filepath.Join(spec, "kernel.json")); string(b) != json {
		t.Errorf("the kernelspec changed:\n%s", b)
	}
}
