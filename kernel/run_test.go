package kernel

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

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

	list := o.done()
	var types []string
	for _, out := range list {
		types = append(types, out.OutputType+"/"+out.Name)
	}
	want := []string{"stream/stdout", "stream/stderr", "display_data/", "display_data/", "error/"}
	if !reflect.DeepEqual(types, want) {
		t.Fatalf("outputs %v, want %v", types, want)
	}
	if list[0].Text != "a\nb\n" {
		t.Errorf("stdout was not joined: %q", list[0].Text)
	}
	if got := list[2].Data["text/html"]; got != "done" {
		t.Errorf("the updated display shows %v, want done", got)
	}
	if o.lastStderr != "warn\n" {
		t.Errorf("the last stderr message = %q", o.lastStderr)
	}

	o.add(msg(t, "clear_output", map[string]any{"wait": true}))
	o.add(msg(t, "status", map[string]any{"execution_state": "idle"}))
	if len(o.done()) != 5 {
		t.Error("clear_output(wait=True) cleared before the next output")
	}
	o.add(msg(t, "stream", map[string]any{"name": "stdout", "text": "fresh"}))
	if list := o.done(); len(list) != 1 || list[0].Text != "fresh" {
		t.Errorf("after clear_output(wait) and a stream: %d outputs", len(list))
	}
	o.add(msg(t, "clear_output", map[string]any{"wait": false}))
	if len(o.done()) != 0 {
		t.Error("clear_output did not clear")
	}
}

// feed passes n bytes of text to o as stream messages of up to 8 KiB, in
// lines of two-byte characters, so that a cut may fall inside one.
func feed(t *testing.T, o *outputs, name string, n int) {
	t.Helper()
	line := strings.Repeat("é", 40) + "\n" // 81 bytes
	chunk := strings.Repeat(line, 8<<10/len(line))
	for n > 0 {
		text := chunk
		if n < len(chunk) {
			text = strings.Repeat("x", n)
		}
		o.add(msg(t, "stream", map[string]any{"name": name, "text": text}))
		n -= len(text)
	}
}

// A cell that prints 50 MB keeps its first and last 5 MiB, with a note on
// what was cut, and folding takes linear time: the old code (Text +=)
// needed minutes for this.
func TestOutputsCutLongText(t *testing.T) {
	var o outputs
	const printed = 50 << 20
	feed(t, &o, "stdout", printed-len("\nthe end\n"))
	o.add(msg(t, "stream", map[string]any{"name": "stdout", "text": "\nthe end\n"}))
	list := o.done()
	if len(list) != 3 || list[1].Name != "stdout" {
		t.Fatalf("want the head, the note and the tail in stdout; got %d outputs", len(list))
	}
	head, note, tail := list[0].Text, list[1].Text, list[2].Text
	if len(head) > streamHead || len(head) < streamHead-1 || len(tail) > streamTail || len(tail) < streamTail-1 {
		t.Errorf("kept %d and %d bytes, want %d and %d (less a byte to keep characters whole)", len(head), len(tail), streamHead, streamTail)
	}
	if !utf8.ValidString(head) || !utf8.ValidString(tail) || !strings.HasPrefix(head, "éé") || !strings.HasSuffix(tail, "x\nthe end\n") {
		t.Errorf("the cut split a character, or the kept text is not the start and the end")
	}
	cut := printed - len(head) - len(tail)
	want := fmt.Sprintf("cut %d bytes (%.1f MiB) of output here: the cell printed 50.0 MiB; the first 5.0 MiB and the last 5.0 MiB are kept", cut, float64(cut)/(1<<20))
	if !strings.Contains(note, want) {
		t.Errorf("the note says %q, want %q", note, want)
	}
}

// The cut keeps outputs that are not text in their place, and cuts the
// oldest text of the tail first, whichever stream holds it.
func TestOutputsCutAcrossStreams(t *testing.T) {
	var o outputs
	feed(t, &o, "stdout", 6<<20)
	o.add(msg(t, "display_data", map[string]any{"data": map[string]any{"text/plain": "a picture"}}))
	feed(t, &o, "stderr", 6<<20)
	list := o.done()
	var kinds []string
	for _, out := range list {
		kinds = append(kinds, fmt.Sprintf("%s/%s:%d", out.OutputType, out.Name, (len(out.Text)+1<<19)>>20))
	}
	// The head is 5 MiB of stdout; the tail had 1 MiB of stdout and 6 MiB
	// of stderr, of which 2 MiB were cut: all its stdout, and 1 MiB of stderr.
	want := []string{"stream/stdout:5", "stream/stdout:0", "display_data/:0", "stream/stderr:5"}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("outputs (type/stream:MiB) %v, want %v", kinds, want)
	}
	if len(list) == 4 && !strings.Contains(list[1].Text, "cut 2097") {
		t.Errorf("note %q, want about 2 MiB cut", list[1].Text)
	}
}

// panicTrace is what a Go program that panics writes to stderr, as GoNB
// passes it on.
const panicTrace = "panic: runtime error: integer divide by zero\n\ngoroutine 1 [running]:\nmain.divide(...)\n\t/tmp/gonb_1/main.go:5 \x1b[7m[[ Cell [2] Line 1 ]]\x1b[0m\nmain.main()\n\t/tmp/gonb_1/main.go:12 +0x1d\n"

func TestCrashLine(t *testing.T) {
	for text, want := range map[string]string{
		panicTrace + "exit status 2\n": "panic: runtime error: integer divide by zero",
		"panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x47b6e5]\n\ngoroutine 1 [running]:\nmain.main()\n": "panic: runtime error: invalid memory address or nil pointer dereference",
		"log line\npanic: an error\nthat spans lines\n\ngoroutine 7 [running]:\n":             "panic: an error",
		"fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\n": "fatal error: all goroutines are asleep - deadlock!",
		"some log\nexit status 2\n": "exit status 2",
		"signal: killed\n":          "signal: killed",

		"panic: not really\n":                         "",
		"panic: not really\nfatal error: nor this\n":  "",
		"panic: not really\ngoroutine 1 [running]:\n": "", // no blank line before the trace
		"the word panic: in the middle of a line\n":   "",
		"exit status 2\nand the cell went on\n":       "",
		"exit status of the job was fine\n":           "",
		"W1127 warning from a library, no panic\n":    "",
	} {
		if got := CrashLine(text); got != want {
			t.Errorf("CrashLine(%q) = %q, want %q", text, got, want)
		}
	}
}

// The runner sees each stream message: GoNB's report of a failed program
// is a stderr message of its own, the program's last.
func TestCrash(t *testing.T) {
	for _, c := range []struct {
		name   string
		stderr []string // stderr messages in order
		want   string
	}{
		{"a panic", []string{panicTrace, "exit status 2\n"}, "panic: runtime error: integer divide by zero"},
		{"os.Exit(3)", []string{"exit status 3\n"}, "the cell's program failed: exit status 3"},
		{"log.Fatal", []string{"2026/01/02 15:04:05 cannot go on\n", "exit status 1\n"}, "the cell's program failed: exit status 1"},
		{"killed", []string{"working\n", "signal: killed\n"}, "the cell's program failed: signal: killed"},
		{"interrupted", []string{"^C\nsignal: interrupt\n"}, "the cell's program failed: signal: interrupt"},

		{"look-alikes in one write", []string{"panic: not really\nexit status 2\n"}, ""},
		{"look-alikes, then more", []string{"panic: not really\n", "exit status 2\n", "fatal error: not either\n"}, ""},
		{"a subprocess's error, logged", []string{"exit status 2\n", "retrying\n"}, ""},
		{"exit status as part of a message", []string{"the job: exit status 2\n"}, ""},
	} {
		var o outputs
		for _, text := range c.stderr {
			o.add(msg(t, "stream", map[string]any{"name": "stderr", "text": text}))
		}
		o.add(msg(t, "stream", map[string]any{"name": "stdout", "text": "a last line on stdout\n"}))
		if got := o.crash(); got != c.want {
			t.Errorf("%s: crash() = %q, want %q", c.name, got, c.want)
		}
	}
}

// An input_request stops the cell at once: nobody will answer it.
func TestOutputsInputRequest(t *testing.T) {
	stopped := 0
	o := outputs{onInput: func() { stopped++ }}
	o.add(msg(t, "input_request", map[string]any{"prompt": "your name: ", "password": false}))
	if stopped != 1 || o.inputPrompt == nil || *o.inputPrompt != "your name: " {
		t.Errorf("after an input_request: stopped %d times, prompt %v", stopped, o.inputPrompt)
	}
	if len(o.done()) != 0 {
		t.Error("the input_request became an output")
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

// writeNotebook writes an empty notebook file at path.
func writeNotebook(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Check refuses, by file identity, an output that is an input; an output
// folder it cannot make or write; and two notebooks with one output.
func TestCheck(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	in := filepath.Join(dir, "x.ipynb")
	writeNotebook(t, in)
	link := filepath.Join(other, "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	// A notebook in other that is a symlink to in: its copy in dir is in.
	alias := filepath.Join(other, "x.ipynb")
	if err := os.Symlink(in, alias); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(other, "a-file")
	writeNotebook(t, file)
	t.Chdir(dir)

	for _, c := range []struct {
		name  string
		out   string
		paths []string
		want  string // in the error; "" for none
	}{
		{"--out is the notebook's folder", dir, []string{in}, "--out " + dir + " would write the executed copy over the notebook " + in},
		{"--out is ., the notebook ./x.ipynb", ".", []string{"./x.ipynb"}, "never writes over a notebook it runs"},
		{"--out is a symlink to the folder", link, []string{in}, "never writes over"},
		{"the notebook is a symlink to the output", dir, []string{alias}, "never writes over"},
		{"the copy of one notebook is another", "", []string{in, "x.out.ipynb"}, "its executed copy " + dir + "/x.out.ipynb would write over x.out.ipynb"},
		{"two notebooks, one output", other + "/out", []string{in, alias}, "would both be written to " + other + "/out/x.ipynb"},
		{"--out under a file", file + "/out", []string{in}, "--out " + file + "/out: cannot write the executed notebooks there"},
		{"--out elsewhere", other + "/new/out", []string{in}, ""},
		{"next to the notebook", "", []string{in}, ""},
	} {
		if c.name == "the copy of one notebook is another" {
			writeNotebook(t, filepath.Join(dir, "x.out.ipynb"))
		}
		opt := RunOptions{OutDir: c.out}
		err := opt.Check(c.paths)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: Check = %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(other, "new", "out")); err != nil {
		t.Errorf("Check did not make the --out folder: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".probe-*")); len(left) > 0 {
		t.Errorf("Check left its probe files: %v", left)
	}
}

// A folder where no file can be made is found by Check; root can write
// anywhere, so this part runs only for other users.
func TestCheckReadOnly(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write in a read-only folder")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "x.ipynb")
	writeNotebook(t, in)
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	opt := RunOptions{}
	if err := opt.Check([]string{in}); err == nil || !strings.Contains(err.Error(), "write them elsewhere with --out DIR") {
		t.Errorf("Check in a read-only folder = %v", err)
	}
}
