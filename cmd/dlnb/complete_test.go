package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dlnb/dlnb/internal/dlnbtest"
	"github.com/dlnb/dlnb/kernel"
)

// TestCompletionAcrossImports drives code completion (Tab) and inspection
// (Shift-Tab) as a front end does, with gopls, around cells that change
// the imports: a cell module whose go.mod changes under gopls must not
// break them. With GoNB v0.11.1 talking to gopls directly, the second
// completion below found nothing and inspection failed with "repeated
// module statement" until the kernel restarted (issue 18).
func TestCompletionAcrossImports(t *testing.T) {
	e := dlnbtest.Setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	t.Setenv("JUPYTER_DATA_DIR", e.DataDir)
	k, err := kernel.StartKernel(ctx, e.SpecDir(), kernel.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()

	run := func(code string) {
		t.Helper()
		if _, err := k.Execute(ctx, code, nil); err != nil {
			t.Fatalf("running %q: %v\n%s", code, err, k.LogTail(30))
		}
	}
	// GoNB gives gopls 2 s to answer. After a cell that imports a package
	// gopls has not loaded yet, a loaded machine can take longer than that,
	// and the front end gets an empty answer; the user presses Tab again.
	// So each check retries for a while: the bug this test guards against
	// never recovered.
	retry := func(what string, ok func() (bool, string)) {
		t.Helper()
		var last string
		for start := time.Now(); time.Since(start) < 90*time.Second; time.Sleep(time.Second) {
			var good bool
			if good, last = ok(); good {
				return
			}
		}
		t.Errorf("%s: %s\n%s", what, last, k.LogTail(20))
	}
	complete := func(code, want string) {
		t.Helper()
		retry(fmt.Sprintf("completing %q", code), func() (bool, string) {
			r, err := k.Complete(ctx, code, utf8.RuneCountInString(code))
			if err != nil {
				t.Fatalf("completing %q: %v", code, err)
			}
			return r.Status == "ok" && slices.Contains(r.Matches, want),
				fmt.Sprintf("status %q, %d matches %.200q; want %q among them", r.Status, len(r.Matches), r.Matches, want)
		})
	}
	inspect := func(code, name, want string) {
		t.Helper()
		pos := utf8.RuneCountInString(code[:strings.Index(code, name)+len(name)-1])
		retry(fmt.Sprintf("inspecting %s in %q", name, code), func() (bool, string) {
			r, err := k.Inspect(ctx, code, pos)
			if err != nil {
				t.Fatalf("inspecting %s in %q: %v", name, code, err)
			}
			text := fmt.Sprint(r.Data)
			return r.Status == "ok" && r.Found && strings.Contains(text, want),
				fmt.Sprintf("status %q found %v %s: %s; data %.300s; want %q in it", r.Status, r.Found, r.EName, r.EValue, text, want)
		})
	}

	run(`import "github.com/dlnb/dlnb/dl"`)
	complete("%%\ndl.", "MatMul")
	complete("%%\ndl.Mat", "MatMul")
	inspect("%%\nx := dl.MatMul(a, b)", "MatMul", "func dl.MatMul(")
	run(`import "github.com/dlnb/dlnb/plotting"`)
	complete("%%\nplotting.Li", "Lines")
	complete("%%\ndl.Ten", "Tensor")
	inspect("%%\nplotting.Lines(nil)", "Lines", "func plotting.Lines(")
	run("import \"gonum.org/v1/gonum/mat\"\n\nfunc f() *mat.Dense { return nil }")
	complete("%%\nmat.NewD", "NewDense")
	inspect("%%\ndl.MatMul(a, b)", "MatMul", "func dl.MatMul(")
}
