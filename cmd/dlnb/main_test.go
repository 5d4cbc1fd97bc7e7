package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dlnb/dlnb/internal/dlnbtest"
	"github.com/dlnb/dlnb/kernel/ipynb"
)

func TestMain(m *testing.M) {
	code := m.Run()
	dlnbtest.Cleanup()
	os.Exit(code)
}

// testdata is the folder of the kernel's test notebooks.
var testdata, _ = filepath.Abs("../../kernel/testdata")

func nb(name string) string { return filepath.Join(testdata, name+".ipynb") }

// readOut reads an executed notebook.
func readOut(t *testing.T, path string) *ipynb.Notebook {
	t.Helper()
	n, err := ipynb.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// text joins a cell's stream outputs and text/plain or text/html data.
func text(c *ipynb.Cell) string {
	var b strings.Builder
	for _, o := range c.Outputs {
		b.WriteString(o.Text)
		for _, mime := range []string{"text/plain", "text/html", "text/markdown"} {
			if s, ok := o.Data[mime].(string); ok {
				b.WriteString(s)
			}
		}
		b.WriteString(o.EValue)
	}
	return b.String()
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"help"}, &out, &errOut); err != nil || !strings.Contains(out.String(), "dlnb run [flags] NOTEBOOK|DIR") {
		t.Errorf("help: %v\n%s", err, out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, &out, &errOut); err != exitError(2) || !strings.Contains(errOut.String(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %v\n%s", err, errOut.String())
	}
	errOut.Reset()
	if err := run(context.Background(), []string{"run"}, &out, &errOut); err != exitError(2) || !strings.Contains(errOut.String(), "--timeout") {
		t.Errorf("run without notebooks: %v\n%s", err, errOut.String())
	}
}

func TestInstallIdempotent(t *testing.T) {
	e := dlnbtest.Setup(t)
	spec := e.SpecDir()
	for _, f := range []string{"kernel.json", "logo-32x32.png", "logo-64x64.png", "logo-svg.svg", "bin/gonb", "bin/goimports", "bin/lsp/gopls", "bin/lsp/gopls-real"} {
		if _, err := os.Stat(filepath.Join(spec, f)); err != nil {
			t.Errorf("the kernelspec lacks %s: %v", f, err)
		}
	}
	before, _ := os.ReadFile(filepath.Join(spec, "kernel.json"))
	gonb, _ := os.Stat(filepath.Join(spec, "bin", "gonb"))
	r := e.Run(t, e.Root, nil, "install")
	after, _ := os.ReadFile(filepath.Join(spec, "kernel.json"))
	gonb2, _ := os.Stat(filepath.Join(spec, "bin", "gonb"))
	if r.Code != 0 || !bytes.Equal(before, after) || !gonb.ModTime().Equal(gonb2.ModTime()) {
		t.Errorf("a second install changed the kernel (exit %d):\n%s\n---\n%s", r.Code, before, after)
	}
	if !strings.Contains(string(after), `"display_name": "Go (dlnb)"`) {
		t.Errorf("kernel.json: %s", after)
	}
}

func TestRunGoodNotebooks(t *testing.T) {
	e := dlnbtest.Setup(t)
	out := t.TempDir()
	r := e.Run(t, e.Root, nil, "run", "--out", out, "--html", nb("hello"), nb("import"), nb("png"), nb("update"), nb("lookalike"))
	if r.Code != 0 {
		t.Fatalf("exit %d", r.Code)
	}
	if !strings.Contains(r.Stdout, "notebooks: 5 passed, 0 failed") || !strings.Contains(r.Stdout, "hello.ipynb  cell 1/1 (#2)") {
		t.Errorf("missing the per-cell lines or the summary:\n%s", r.Stdout)
	}
	// Printing "panic: " or "exit status 2" to stderr is not a crash.
	look := readOut(t, filepath.Join(out, "lookalike.ipynb"))
	if got := text(look.Cells[1]) + text(look.Cells[2]); strings.Count(got, "panic: not really") != 2 || !strings.Contains(got, "all is well") {
		t.Errorf("lookalike printed %q", got)
	}

	if got := text(readOut(t, filepath.Join(out, "hello.ipynb")).Cells[1]); got != "hello from dlnb\n" {
		t.Errorf("hello printed %q", got)
	}
	if got := text(readOut(t, filepath.Join(out, "import.ipynb")).Cells[0]); !strings.Contains(got, "a new notebook is nbformat 4.5") {
		t.Errorf("import printed %q", got)
	}

	cell := readOut(t, filepath.Join(out, "png.ipynb")).Cells[0]
	var found bool
	for _, o := range cell.Outputs {
		if s, ok := o.Data["image/png"].(string); ok && o.OutputType == "display_data" {
			data, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil || img.Bounds().Dx() != 8 {
				t.Errorf("the PNG output does not decode to the 8×8 image: %v", err)
			}
			found = true
		}
	}
	if !found || !strings.Contains(text(cell), "drew a diagonal") {
		t.Errorf("png: no image/png display_data, or no text; outputs: %+v", cell.Outputs)
	}

	cell = readOut(t, filepath.Join(out, "update.ipynb")).Cells[0]
	if len(cell.Outputs) != 1 || text(cell) != "<b>training done</b>" {
		t.Errorf("update: want one output showing the last update, got %d: %q", len(cell.Outputs), text(cell))
	}

	page, err := os.ReadFile(filepath.Join(out, "png.html"))
	if err != nil || !bytes.Contains(page, []byte("data:image/png;base64,")) {
		t.Errorf("png.html lacks the inline image (%v)", err)
	}
}

// assertNotRun checks that cells from index i on were left unexecuted.
func assertNotRun(t *testing.T, n *ipynb.Notebook, from int) {
	t.Helper()
	for _, c := range n.Cells[from:] {
		if c.ExecutionCount != nil || len(c.Outputs) > 0 {
			t.Errorf("a cell after the failed one ran: %q", c.Source)
		}
	}
}

func TestRunFailures(t *testing.T) {
	e := dlnbtest.Setup(t)
	for _, tc := range []struct {
		name, want string
		failed     int // index of the failed cell
	}{
		{"compile_error", "cell 2: ", 1},
		{"panic", "cell 2: panic: runtime error: integer divide by zero", 1},
		{"exit", "cell 2: the cell's program failed: exit status 3", 1},
		// GoNB asks for input: the cell is stopped at once, well before
		// the timeout, which it would otherwise wait for.
		{"input", `cell 1: the cell asked for input (prompt "your name: ") and was interrupted: notebooks run by dlnb run get no standard input`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			r := e.Run(t, e.Root, nil, "run", "--timeout", "5m", "--out", out, nb(tc.name))
			if r.Code != 1 || !strings.Contains(r.Stdout, "FAIL") || !strings.Contains(r.Stdout, tc.want) {
				t.Fatalf("want exit 1 and %q; got exit %d", tc.want, r.Code)
			}
			n := readOut(t, filepath.Join(out, tc.name+".ipynb"))
			if tc.failed > 0 && text(n.Cells[0]) == "" {
				t.Error("the output of the first cell was lost")
			}
			if len(n.Cells[tc.failed].Outputs) == 0 {
				t.Error("the failed cell has no output")
			}
			assertNotRun(t, n, tc.failed+1)
		})
	}
}

// kernelProcesses lists the processes running a binary of the kernelspec.
func kernelProcesses(t *testing.T, spec string) []string {
	t.Helper()
	out, _ := exec.Command("ps", "-eo", "pid,args").Output()
	var procs []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, spec+"/bin/") {
			procs = append(procs, strings.TrimSpace(line))
		}
	}
	return procs
}

// assertClean checks that no kernel process and no temporary file is left.
func assertClean(t *testing.T, spec, tmp string) {
	t.Helper()
	if procs := kernelProcesses(t, spec); len(procs) > 0 {
		t.Errorf("kernel processes left behind: %v", procs)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestRunTimeout(t *testing.T) {
	e := dlnbtest.Setup(t)
	out, tmp := t.TempDir(), t.TempDir()
	start := time.Now()
	r := e.Run(t, e.Root, []string{"TMPDIR=" + tmp}, "run", "--timeout", "5s", "--out", out, nb("sleep"))
	if r.Code != 1 || !strings.Contains(r.Stdout, "timeout") || !strings.Contains(r.Stdout, "--timeout 5s") {
		t.Errorf("want exit 1 reporting the timeout, got %d", r.Code)
	}
	if d := time.Since(start); d > 50*time.Second {
		t.Errorf("the run took %v: the cell was not interrupted", d)
	}
	got := text(readOut(t, filepath.Join(out, "sleep.ipynb")).Cells[0])
	if !strings.Contains(got, "going to sleep") || strings.Contains(got, "woke up") {
		t.Errorf("sleep cell output %q", got)
	}
	assertClean(t, e.SpecDir(), tmp)
}

// A cell that reads standard input, where GoNB asks nobody for it, waits
// until the timeout: the message says what it may be waiting for.
func TestRunTimeoutStdin(t *testing.T) {
	e := dlnbtest.Setup(t)
	out := t.TempDir()
	r := e.Run(t, e.Root, nil, "run", "--timeout", "5s", "--out", out, nb("stdin"))
	if r.Code != 1 || !strings.Contains(r.Stdout, "--timeout 5s and was interrupted; the cell may be waiting for standard input") {
		t.Errorf("want exit 1 saying the cell may be waiting for standard input, got %d", r.Code)
	}
	if got := text(readOut(t, filepath.Join(out, "stdin.ipynb")).Cells[0]); !strings.Contains(got, "what is your name?") {
		t.Errorf("stdin cell output %q", got)
	}
}

func TestRunCtrlC(t *testing.T) {
	e := dlnbtest.Setup(t)
	out, tmp := t.TempDir(), t.TempDir()
	cmd := exec.Command(e.Bin, "run", "--out", out, nb("sleep"))
	cmd.Dir, cmd.Env = e.Root, append(e.Environ(), "TMPDIR="+tmp)
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the cell's program is running, then press Ctrl-C.
	deadline := time.Now().Add(60 * time.Second)
	for len(kernelProcesses(t, e.SpecDir())) == 0 || !cellRunning(tmp) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the cell never started:\n%s", stdout.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit %d (%v), want 130\n%s", code, err, stdout.String())
	}
	if _, err := os.Stat(filepath.Join(out, "sleep.ipynb")); err != nil {
		t.Errorf("the interrupted notebook was not written: %v", err)
	}
	assertClean(t, e.SpecDir(), tmp)
}

// cellRunning reports whether GoNB has built a cell's program under tmp.
func cellRunning(tmp string) bool {
	matches, _ := filepath.Glob(filepath.Join(tmp, "dlnb-kernel-*", "tmp", "gonb_*", "gonb_*"))
	return len(matches) > 0
}

func TestRunBadNotebooks(t *testing.T) {
	e := dlnbtest.Setup(t)
	for name, want := range map[string]string{
		"corrupt": "invalid JSON",
		"python":  "python notebook",
	} {
		r := e.Run(t, e.Root, nil, "run", "--out", t.TempDir(), nb(name))
		if r.Code != 1 || !strings.Contains(r.Stdout, nb(name)+": ") || !strings.Contains(r.Stdout, want) {
			t.Errorf("%s: want exit 1 naming the file and %q, got %d", name, want, r.Code)
		}
	}
	r := e.Run(t, e.Root, nil, "run", filepath.Join(testdata, "missing.ipynb"))
	if r.Code != 1 || !strings.Contains(r.Stderr, "missing.ipynb: no such notebook") {
		t.Errorf("a missing file: exit %d", r.Code)
	}
}

func TestNbconvert(t *testing.T) {
	e := dlnbtest.Setup(t)
	if !dlnbtest.HasJupyter() {
		t.Skip("jupyter nbconvert is not installed (Debian: apt-get install jupyter-nbconvert python3-nbclient); CI installs it")
	}
	out := t.TempDir()
	for name, want := range map[string]string{
		"hello":  "hello from dlnb",
		"import": "a new notebook is nbformat 4.5",
		"update": "<b>training done</b>",
		"png":    "drew a diagonal",
	} {
		path := filepath.Join(out, name+".ipynb")
		e.Nbconvert(t, nb(name), path)
		n := readOut(t, path)
		var all string
		for _, c := range n.Cells {
			all += text(c)
		}
		if !strings.Contains(all, want) {
			t.Errorf("%s under nbconvert printed %q, want %q", name, all, want)
		}
	}
}

// fakeJupyter writes an executable that records its folder and arguments.
func fakeJupyter(t *testing.T, dir, name, record string) {
	t.Helper()
	script := "#!/bin/sh\necho \"$PWD $*\" > " + record + "\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestNotebookCommand(t *testing.T) {
	e := dlnbtest.Setup(t)
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	path := "PATH=" + bin + ":" + filepath.Dir(goBin) + ":/bin:/usr/bin"
	r := e.Run(t, e.Root, []string{"PATH=" + filepath.Dir(goBin)}, "notebook")
	for _, want := range []string{"apt-get install jupyter-notebook", "pip install --user jupyterlab", "Docker"} {
		if r.Code != 1 || !strings.Contains(r.Stderr, want) {
			t.Errorf("without Jupyter: exit %d, want advice %q", r.Code, want)
		}
	}

	record := filepath.Join(t.TempDir(), "args")
	fakeJupyter(t, bin, "jupyter-notebook", record)
	r = e.Run(t, e.Root, []string{path}, "notebook", "--", "--no-browser")
	got, _ := os.ReadFile(record)
	if r.Code != 0 || string(got) != filepath.Join(e.Root, "notebooks")+" --no-browser\n" {
		t.Errorf("with jupyter-notebook: exit %d, ran %q", r.Code, got)
	}
	fakeJupyter(t, bin, "jupyter-lab", record)
	e.Run(t, e.Root, []string{path}, "notebook")
	if got, _ := os.ReadFile(record); !strings.HasSuffix(string(got), "notebooks \n") {
		t.Errorf("JupyterLab was not preferred: ran %q", got)
	}
}

func TestRunKernelDies(t *testing.T) {
	e := dlnbtest.Setup(t)
	out, tmp := t.TempDir(), t.TempDir()
	r := e.Run(t, e.Root, []string{"TMPDIR=" + tmp}, "run", "--out", out, nb("die"))
	if r.Code != 1 || !strings.Contains(r.Stdout, "cell 2: the kernel died") {
		t.Errorf("want exit 1 saying the kernel died in cell 2, got %d", r.Code)
	}
	assertNotRun(t, readOut(t, filepath.Join(out, "die.ipynb")), 2)
	assertClean(t, e.SpecDir(), tmp)
}

func TestNotebookKeepsToken(t *testing.T) {
	for _, arg := range []string{"--NotebookApp.token=", "--ServerApp.token=''", `--IdentityProvider.token=""`, "--NotebookApp.password="} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), []string{"notebook", "--", arg}, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), "token authentication") {
			t.Errorf("dlnb notebook -- %s: err = %v, want a refusal", arg, err)
		}
	}
	if got := tokenOff([]string{"--port=8899", "--NotebookApp.token=s3cret"}); got != "" {
		t.Errorf("tokenOff flagged %q", got)
	}
}

// Bad flag values are refused once, with the usage, before anything runs.
func TestRunFlags(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.ipynb")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--timeout", "-1s"}, `invalid value "-1s" for flag -timeout: a limit cannot be negative; 0 means no limit`},
		{[]string{"--timeout", "ten"}, `invalid value "ten" for flag -timeout: not a duration`},
		{[]string{"-j", "0"}, `invalid value "0" for flag -j: at least 1 notebook must run at a time`},
		{[]string{"-j", "-2"}, `invalid value "-2" for flag -j: at least 1`},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append(append([]string{"run"}, c.args...), missing), &out, &errOut)
		if err != exitError(2) || strings.Count(errOut.String(), "invalid value") != 1 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("run %v: err %v (want exit status 2, which main does not print), stderr:\n%s", c.args, err, errOut.String())
		}
	}
}

// copyNotebook copies a test notebook into dir.
func copyNotebook(t *testing.T, name, dir string) string {
	t.Helper()
	data, err := os.ReadFile(nb(name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".ipynb")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// --out naming the notebook's own folder, by any path, is refused before
// any cell runs, and the notebook is left as it was.
func TestRunNeverOverwritesInput(t *testing.T) {
	e := dlnbtest.Setup(t)
	dir := t.TempDir()
	path := copyNotebook(t, "hello", dir)
	before, _ := os.ReadFile(path)
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--out", dir, path},
		{"--out", ".", "./hello.ipynb"},
		{"--out", link, path},
		{"--out", link + "/.", "hello.ipynb"},
	} {
		r := e.Run(t, dir, nil, append([]string{"run"}, args...)...)
		if r.Code != 1 || !strings.Contains(r.Stderr, "dlnb run never writes over a notebook it runs") || strings.Contains(r.Stdout, "cell 1/1") {
			t.Errorf("run %v: want exit 1 and a refusal before any cell, got %d", args, r.Code)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Fatalf("run %v changed the input notebook", args)
		}
	}
	// Without --out, the executed copy of one input may not be another.
	copyNotebook(t, "hello", dir)
	if err := os.WriteFile(filepath.Join(dir, "hello.out.ipynb"), before, 0o644); err != nil {
		t.Fatal(err)
	}
	r := e.Run(t, dir, nil, "run", "hello.ipynb", "hello.out.ipynb")
	if r.Code != 1 || !strings.Contains(r.Stderr, "would write over hello.out.ipynb") {
		t.Errorf("hello.ipynb and hello.out.ipynb: exit %d", r.Code)
	}
}

// An --out folder that cannot be written is found before the first cell.
func TestRunChecksOutFirst(t *testing.T) {
	e := dlnbtest.Setup(t)
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := e.Run(t, e.Root, nil, "run", "--out", filepath.Join(file, "out"), nb("hello"))
	if r.Code != 1 || !strings.Contains(r.Stderr, "cannot write the executed notebooks there") || strings.Contains(r.Stdout, "cell 1/1") {
		t.Errorf("--out under a file: want exit 1 before any cell ran, got %d", r.Code)
	}
	out := filepath.Join(t.TempDir(), "new", "folder")
	if r := e.Run(t, e.Root, nil, "run", "--out", out, nb("hello")); r.Code != 0 {
		t.Errorf("--out in a new folder: exit %d", r.Code)
	}
	if _, err := os.Stat(filepath.Join(out, "hello.ipynb")); err != nil {
		t.Error(err)
	}
}
