package kernel

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/dlnb/dlnb/kernel/jupyter"
)

func msg(t *testing.T, msgType string, content any) *jupyter.Message {
	t.Helper()
	data, err := json.Marshal(content)
	if err != nil {
		t.Fatal(err)
	}
	return &jupyter.Message{Header: jupyter.Header{MsgType: msgType}, Content: data}
}

func TestOutputsFolding(t *testing.T) {
	var o outputs
	o.add(msg(t, "status", map[string]any{"execution_state": "busy"}))
	o.add(msg(t, "stream", map[string]any{"name": "stdout", "text": "a\n"}))
	o.add(msg(t, "stream", map[string]any{"name": "stdout", "text": "b\n"}))
	o.add(msg(t, "stream", map[string]any{"name": "stderr", "text": "warn\n"}))
	o.add(msg(t, "display_data", map[string]any{"data": map[string]any{"text/html": "step 1"}, "metadata": map[string]any{}, "transient": map[string]any{"display_id": "d1"}}))
	o.add(msg(t, "display_data", map[string]any{"data": map[string]any{"image/png": "iVBOR"}}))
	o.add(msg(t, "update_display_data", map[string]any{"data": map[string]any{"text/html": "done"}, "transient": map[string]any{"display_id": "d1"}}))
	o.add(msg(t, "update_display_data", map[string]any{"data": map[string]any{"text/html": "nobody"}, "transient": map[string]any{"display_id": "unknown"}}))
	o.add(msg(t, "error", map[string]any{"ename": "E", "evalue": "v", "traceback": []string{"tb"}}))

	var types []string
	for _, out := range o.list {
		types = append(types, out.OutputType+"/"+out.Name)
	}
	want := []string{"stream/stdout", "stream/stderr", "display_data/", "display_data/", "error/"}
	if !reflect.DeepEqual(types, want) {
		t.Fatalf("outputs %v, want %v", types, want)
	}
	if o.list[0].Text != "a\nb\n" {
		t.Errorf("stdout was not joined: %q", o.list[0].Text)
	}
	if got := o.list[2].Data["text/html"]; got != "done" {
		t.Errorf("the updated display shows %v, want done", got)
	}
	if o.stderr.String() != "warn\n" {
		t.Errorf("stderr = %q", o.stderr.String())
	}

	o.add(msg(t, "clear_output", map[string]any{"wait": true}))
	if len(o.list) != 5 {
		t.Error("clear_output(wait=True) cleared before the next output")
	}
	o.add(msg(t, "stream", map[string]any{"name": "stdout", "text": "fresh"}))
	if len(o.list) != 1 || o.list[0].Text != "fresh" {
		t.Errorf("after clear_output(wait) and a stream: %d outputs", len(o.list))
	}
	o.add(msg(t, "clear_output", map[string]any{"wait": false}))
	if len(o.list) != 0 {
		t.Error("clear_output did not clear")
	}
}

func TestCrashLine(t *testing.T) {
	for text, want := range map[string]bool{
		"panic: runtime error: integer divide by zero\n\ngoroutine 1 [running]:\n": true,
		"some log\nexit status 2\n":                 true,
		"fatal error: all goroutines are asleep\n":  true,
		"the word panic: in the middle of a line\n": false,
		"exit status of the job was fine\n":         false,
		"W1127 warning from a library, no panic\n":  false,
	} {
		if got := CrashLine(text) != ""; got != want {
			t.Errorf("CrashLine(%q) = %q, want a line: %v", text, CrashLine(text), want)
		}
	}
}

func TestNotebooks(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"02_b.ipynb", "01_a.ipynb", "01_a.out.ipynb", "notes.md"} {
		os.WriteFile(filepath.Join(dir, n), []byte("{}"), 0o644)
	}
	os.Mkdir(filepath.Join(dir, ".ipynb_checkpoints"), 0o755)
	got, err := Notebooks([]string{dir, "testdata/hello.ipynb"})
	want := []string{filepath.Join(dir, "01_a.ipynb"), filepath.Join(dir, "02_b.ipynb"), "testdata/hello.ipynb"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Notebooks = %v, %v; want %v", got, err, want)
	}
	if _, err := Notebooks([]string{filepath.Join(dir, "missing.ipynb")}); err == nil {
		t.Error("a missing notebook gave no error")
	}
	if _, err := Notebooks([]string{t.TempDir()}); err == nil {
		t.Error("an empty folder gave no error")
	}
}

func TestOutPaths(t *testing.T) {
	o := RunOptions{}
	if nb, html := o.outPaths("notebooks/01_x.ipynb"); nb != "notebooks/01_x.out.ipynb" || html != "notebooks/01_x.out.html" {
		t.Errorf("next to the input: %s %s", nb, html)
	}
	o.OutDir = "out"
	if nb, html := o.outPaths("notebooks/01_x.ipynb"); nb != "out/01_x.ipynb" || html != "out/01_x.html" {
		t.Errorf("into --out: %s %s", nb, html)
	}
}
