package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dlnb/dlnb/internal/dlnbtest"
	"github.com/dlnb/dlnb/kernel"
	"github.com/dlnb/dlnb/kernel/jupyter"
)

// TestLibraryEditReachesCells checks what README promises for an edit to
// the library during a Jupyter session: after `dlnb install` and a kernel
// restart, the next cell runs the edited code. The cells before the edit
// share their imports, so the kernel's go stand-in replays their builds
// (kernel/internal/goshim/fastbuild.go); the edit must still get through.
func TestLibraryEditReachesCells(t *testing.T) {
	e := dlnbtest.Setup(t)
	src := copyCheckout(t, e.Root)
	marker := filepath.Join(src, "dl", "zz_marker.go")
	setMarker := func(v string) {
		t.Helper()
		if err := os.WriteFile(marker, []byte("package dl\n\n// Marker is a test's mark.\nconst Marker = \""+v+"\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data := t.TempDir()
	install := func() {
		t.Helper()
		if r := e.Run(t, src, []string{"JUPYTER_DATA_DIR=" + data}, "install", "--src", src); r.Code != 0 {
			t.Fatalf("dlnb install exited %d", r.Code)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cells := func(codes ...string) string {
		t.Helper()
		k, err := kernel.StartKernel(ctx, filepath.Join(data, "kernels", "dlnb"), kernel.StartOptions{NoLSP: true})
		if err != nil {
			t.Fatal(err)
		}
		defer k.Close()
		var out strings.Builder
		for _, code := range codes {
			reply, err := k.Execute(ctx, code, func(m *jupyter.Message) {
				var s struct{ Name, Text string }
				if m.Header.MsgType == "stream" && m.Decode(&s) == nil {
					out.WriteString(s.Text)
				}
			})
			if err != nil || reply.Status != "ok" {
				t.Fatalf("cell %q: %v %+v\n%s", code, err, reply, k.LogTail(30))
			}
		}
		return out.String()
	}

	setMarker("before")
	install()
	got := cells(`import ("fmt"; "github.com/dlnb/dlnb/dl")`, `%%`+"\nfmt.Println(\"one\", dl.Marker)", `%%`+"\nfmt.Println(\"two\", dl.Marker)")
	if got != "one before\ntwo before\n" {
		t.Errorf("before the edit the cells printed %q", got)
	}
	setMarker("after")
	install()
	got = cells(`import ("fmt"; "github.com/dlnb/dlnb/dl")`, `%%`+"\nfmt.Println(\"three\", dl.Marker)")
	if got != "three after\n" {
		t.Errorf("after the edit, dlnb install and a restart, the cell printed %q; want the edited library", got)
	}
}

// copyCheckout copies the files git tracks in root into a new folder.
func copyCheckout(t *testing.T, root string) string {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("git ls-files in %s: %v", root, err)
	}
	dst := t.TempDir()
	for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}
