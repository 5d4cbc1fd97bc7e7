package jupyter

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestGoNB runs the client against a real GoNB kernel. It needs the gonb
// binary, with goimports next to it, named by $DLNB_GONB, for example:
//
//	go build -o /tmp/jtest/ github.com/janpfeifer/gonb golang.org/x/tools/cmd/goimports
//	DLNB_GONB=/tmp/jtest/gonb go test -race -run GoNB -v ./kernel/jupyter
func TestGoNB(t *testing.T) {
	gonb := os.Getenv("DLNB_GONB")
	if gonb == "" {
		t.Skip("DLNB_GONB is not set to a gonb binary")
	}
	if testing.Short() {
		t.Skip("compiles Go cells: slow")
	}
	c, cmd := startGoNB(t, gonb)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	info, err := c.KernelInfo(ctx)
	if err != nil {
		t.Fatalf("KernelInfo: %v", err)
	}
	var ki struct {
		Implementation string `json:"implementation"`
		LanguageInfo   struct {
			Name string `json:"name"`
		} `json:"language_info"`
	}
	if err := info.Decode(&ki); err != nil {
		t.Fatal(err)
	}
	if ki.Implementation != "gonb" || ki.LanguageInfo.Name != "go" {
		t.Errorf("kernel_info_reply = %+v, want gonb / go", ki)
	}
	if err := c.Heartbeat(ctx); err != nil {
		t.Errorf("Heartbeat: %v", err)
	}

	t.Run("print", func(t *testing.T) {
		out, reply := runCell(ctx, t, c, "%%\nfmt.Println(\"hi\")")
		if reply.Status != "ok" {
			t.Errorf("reply = %+v, want status ok", reply)
		}
		if got := out.stream("stdout"); got != "hi\n" {
			t.Errorf("stdout = %q, want %q", got, "hi\n")
		}
		out.checkFraming(t)
	})

	t.Run("compile error", func(t *testing.T) {
		out, reply := runCell(ctx, t, c, "%%\nfmt.Println(undefinedVariable)")
		if reply.Status != "error" {
			t.Errorf("reply = %+v, want status error", reply)
		}
		if !out.has("error") {
			t.Errorf("no iopub error message; got %v", out.types())
		}
		// The compiler's message is in evalue; the traceback shows the
		// offending cell line.
		if !strings.Contains(reply.EValue, "undefined: undefinedVariable") {
			t.Errorf("evalue = %q, want the compiler error", reply.EValue)
		}
		if !strings.Contains(strings.Join(reply.Traceback, "\n"), "fmt.Println(undefinedVariable)") {
			t.Errorf("traceback = %q, want the cell line", reply.Traceback)
		}
		out.checkFraming(t)
	})

	// GoNB reports a program that fails at run time (panic, non-zero exit,
	// signal) with status "ok": the failure shows only as the program's
	// stderr followed by a line such as "exit status 2".
	t.Run("panic", func(t *testing.T) {
		out, reply := runCell(ctx, t, c, "%%\nfmt.Println(\"before\")\npanic(\"boom\")")
		if reply.Status != "ok" {
			t.Errorf("reply = %+v, want status ok", reply)
		}
		if got := out.stream("stdout"); got != "before\n" {
			t.Errorf("stdout = %q, want %q", got, "before\n")
		}
		if stderr := out.stream("stderr"); !strings.Contains(stderr, "panic: boom") || !strings.HasSuffix(stderr, "exit status 2\n") {
			t.Errorf("stderr = %q, want the panic and \"exit status 2\"", stderr)
		}
		out.checkFraming(t)
	})

	t.Run("interrupt", func(t *testing.T) {
		var out outputs
		short, cancelShort := context.WithTimeout(ctx, 20*time.Second)
		defer cancelShort()
		code := "%%\nfmt.Println(\"started\")\ntime.Sleep(time.Minute)\nfmt.Println(\"not reached\")"
		// Wait until the program runs (compiling takes a few seconds).
		reply, err := c.Execute(short, code, func(m *Message) {
			out.add(m)
			if m.Header.MsgType == "stream" {
				cancelShort()
			}
		})
		var ee *ExecuteError
		if !errors.As(err, &ee) {
			t.Fatalf("Execute = %+v, %v; want an *ExecuteError", reply, err)
		}
		if err := c.Interrupt(ctx); err != nil {
			t.Fatalf("Interrupt: %v", err)
		}
		if err := c.Drain(ctx, ee.MsgID, out.add); err != nil {
			t.Fatalf("Drain: %v", err)
		}
		if got := out.stream("stdout"); got != "started\n" {
			t.Errorf("stdout = %q, want %q", got, "started\n")
		}
		if got := out.stream("stderr"); got != "signal: interrupt\n" {
			t.Errorf("stderr = %q, want %q", got, "signal: interrupt\n")
		}
		out.checkFraming(t)
	})

	// GoNB signs every message with a new header: none may be taken for a
	// replay, or fail its signature.
	if d := c.Drops(); d != (Drops{}) {
		t.Errorf("Drops() = %#v, want none", d)
	}

	if err := c.Shutdown(ctx, false); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		t.Logf("kernel exited: %v", err)
	case <-time.After(10 * time.Second):
		t.Errorf("kernel still running 10s after Shutdown")
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// startGoNB starts the kernel in its own process group, connects to it,
// and arranges for both to be stopped at the end of the test.
func startGoNB(t *testing.T, gonb string) (*Client, *exec.Cmd) {
	t.Helper()
	dir := t.TempDir()
	info, err := NewConnectionInfo()
	if err != nil {
		t.Fatal(err)
	}
	connFile := filepath.Join(dir, "kernel.json")
	if err := info.WriteFile(connFile); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(gonb, "--kernel", connFile, "--raw_error")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"PATH="+filepath.Dir(gonb)+string(filepath.ListSeparator)+os.Getenv("PATH"),
		"TMPDIR="+dir, // GoNB's work folder goes away with the test's
	)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stdout = &testWriter{t: t, prefix: "gonb stdout: "}
	cmd.Stderr = &testWriter{t: t, prefix: "gonb: "}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := Dial(ctx, info, WithLogf(t.Logf))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, cmd
}

// testWriter forwards a process's output to the test log, line by line.
type testWriter struct {
	t      *testing.T
	prefix string
}

func (w *testWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		w.t.Log(w.prefix + line)
	}
	return len(p), nil
}

// runCell executes code, failing the test on an Execute error.
func runCell(ctx context.Context, t *testing.T, c *Client, code string) (*outputs, *ExecuteReply) {
	t.Helper()
	var out outputs
	reply, err := c.Execute(ctx, code, out.add)
	if err != nil {
		t.Fatalf("Execute(%q): %v", code, err)
	}
	t.Logf("iopub: %v; reply: %+v", out.types(), reply)
	return &out, reply
}
