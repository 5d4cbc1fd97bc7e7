package jupyter

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testTimeout bounds every wait of these tests on the fake kernel.
const testTimeout = 10 * time.Second

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// connect dials k and waits until it is ready, as the runner does. The
// client is closed at the end of the test, before the kernel stops.
func connect(t *testing.T, k *fakeKernel, opts ...Option) *Client {
	t.Helper()
	ctx := testContext(t)
	c, err := Dial(ctx, k.info, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if _, err := c.KernelInfo(ctx); err != nil {
		t.Fatalf("KernelInfo: %v", err)
	}
	select {
	case <-c.iopubSeen:
	default:
		// KernelInfo gave up waiting for iopub: the first outputs of the
		// test might be lost.
		t.Fatal("KernelInfo returned before any iopub message arrived")
	}
	return c
}

// logRecorder collects what the client logs.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *logRecorder) logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprintf(format, args...))
}

func (r *logRecorder) contains(s string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.ContainsFunc(r.lines, func(l string) bool { return strings.Contains(l, s) })
}

// clientGoroutines counts the goroutines running code of a Client.
func clientGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "jupyter.(*Client)") {
			n++
		}
	}
	return n
}

// zmq4Goroutines returns the stacks of the goroutines running zmq4 code,
// except the writers of PUB sockets, which zmq4 v0.17.0 never stops.
func zmq4Goroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var gs []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "go-zeromq/zmq4") && !strings.Contains(g, "zmq4.newPubMWriter") {
			gs = append(gs, g)
		}
	}
	return gs
}

func TestKernelInfo(t *testing.T) {
	k := newFakeKernel(t)
	c := connect(t, k)

	// connect called KernelInfo; it returns only once iopub works (or after
	// a grace period, which would make the next tests flaky).
	select {
	case <-c.iopubSeen:
	default:
		t.Fatal("KernelInfo returned before any iopub message arrived")
	}

	reply, err := c.KernelInfo(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	var info struct{ Implementation string }
	if err := reply.Decode(&info); err != nil {
		t.Fatal(err)
	}
	if reply.Header.MsgType != "kernel_info_reply" || reply.ParentHeader.MsgType != "kernel_info_request" || info.Implementation != "fake" {
		t.Errorf("KernelInfo = %+v, content %s", reply, reply.Content)
	}
}

func TestExecute(t *testing.T) {
	k := newFakeKernel(t)
	c := connect(t, k)
	ctx := testContext(t)

	for i, code := range []string{"first\n", "second\n"} {
		var out outputs
		reply, err := c.Execute(ctx, code, out.add)
		if err != nil {
			t.Fatalf("Execute(%q): %v", code, err)
		}
		if reply.Status != "ok" || reply.ExecutionCount != i+1 {
			t.Errorf("Execute(%q) reply = %+v, want ok, count %d", code, reply, i+1)
		}
		want := []string{"status:busy", "execute_input", "stream", "status:idle"}
		if got := out.types(); !slices.Equal(got, want) {
			t.Errorf("Execute(%q) iopub = %v, want %v", code, got, want)
		}
		if got := out.stream("stdout"); got != code {
			t.Errorf("stdout = %q, want %q", got, code)
		}
		out.checkFraming(t)
		if id := out.msgs[0].ParentHeader.MsgID; reply.MsgID != id {
			t.Errorf("reply.MsgID = %q, want the request's %q", reply.MsgID, id)
		}
	}

	if reply, err := c.Execute(ctx, "no callback", nil); err != nil || reply.Status != "ok" {
		t.Errorf("Execute with nil onIOPub = %+v, %v", reply, err)
	}
	// Genuine messages are never taken for replays or forgeries.
	if d := c.Drops(); d != (Drops{}) {
		t.Errorf("Drops() = %#v, want none", d)
	}
}

// The execute_reply may arrive before the last outputs and the idle status:
// Execute must wait for both.
func TestExecuteReplyBeforeOutput(t *testing.T) {
	var client atomic.Pointer[Client]
	k := newFakeKernel(t, func(k *fakeKernel) {
		k.beforeTail = func(req *Message) {
			// Hold the remaining output until the client has the reply.
			for deadline := time.Now().Add(testTimeout); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
				if in := client.Load().lookup(req.Header.MsgID); in != nil && in.hasReply() {
					return
				}
			}
			t.Error("the client did not receive the execute_reply")
		}
	})
	c := connect(t, k)
	client.Store(c)

	var out outputs
	reply, err := c.Execute(testContext(t), "reply-first", out.add)
	if err != nil {
		t.Fatal(err)
	}
	if reply.Status != "ok" {
		t.Errorf("reply = %+v", reply)
	}
	if got := out.stream("stdout"); got != "one\ntwo\n" {
		t.Errorf("stdout = %q, want both outputs", got)
	}
	out.checkFraming(t)
}

func (in *inbox) hasReply() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.replied
}

func TestExecuteDropsBadSignature(t *testing.T) {
	k := newFakeKernel(t)
	var logs logRecorder
	c := connect(t, k, WithLogf(logs.logf))

	var out outputs
	reply, err := c.Execute(testContext(t), "bad-signature", out.add)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Drops{BadSignature: 1}); reply.Dropped != want {
		t.Errorf("reply.Dropped = %#v, want %#v", reply.Dropped, want)
	}
	if got := out.stream("stdout"); got != "genuine\n" {
		t.Errorf("stdout = %q, want only the genuine output", got)
	}
	if n := c.DroppedMessages(); n != 1 {
		t.Errorf("DroppedMessages = %d, want 1", n)
	}
	if !logs.contains("bad message signature") {
		t.Errorf("the dropped message was not logged: %q", logs.lines)
	}
}

// When ctx ends first, Execute reports the request; after an interrupt,
// Drain delivers the rest of its output.
func TestExecuteTimeoutInterruptDrain(t *testing.T) {
	k := newFakeKernel(t)
	c := connect(t, k)
	ctx := testContext(t)

	var out outputs
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	reply, err := c.Execute(short, "sleep", out.add)
	var ee *ExecuteError
	if !errors.As(err, &ee) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Execute = %+v, %v; want an *ExecuteError for the deadline", reply, err)
	}

	// A Drain that gives up early can be repeated.
	short, cancel = context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := c.Drain(short, ee.MsgID, out.add); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Drain before the interrupt = %v, want the deadline", err)
	}

	if err := c.Interrupt(ctx); err != nil {
		t.Fatalf("Interrupt: %v", err)
	}
	if err := c.Drain(ctx, ee.MsgID, out.add); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	if got, want := out.types(), []string{"status:busy", "execute_input", "stream", "stream", "status:idle"}; !slices.Equal(got, want) {
		t.Errorf("iopub = %v, want %v", got, want)
	}
	if out.stream("stdout") != "started\n" || out.stream("stderr") != "interrupted\n" {
		t.Errorf("stdout %q, stderr %q", out.stream("stdout"), out.stream("stderr"))
	}
	out.checkFraming(t)

	if err := c.Drain(ctx, ee.MsgID, out.add); err == nil {
		t.Error("a second Drain of a finished request succeeded")
	}
	if reply, err := c.Execute(ctx, "after", nil); err != nil || reply.Status != "ok" {
		t.Errorf("Execute after the interrupt = %+v, %v", reply, err)
	}
}

func TestInterruptAndShutdown(t *testing.T) {
	for _, onShell := range []bool{false, true} {
		t.Run(fmt.Sprintf("replies on shell %v", onShell), func(t *testing.T) {
			k := newFakeKernel(t, func(k *fakeKernel) { k.controlRepliesOnShell = onShell })
			c := connect(t, k)
			ctx := testContext(t)
			if err := c.Interrupt(ctx); err != nil {
				t.Errorf("Interrupt: %v", err)
			}
			if len(k.interrupts) != 1 {
				t.Errorf("kernel got %d interrupts, want 1", len(k.interrupts))
			}
			if err := c.Shutdown(ctx, true); err != nil {
				t.Errorf("Shutdown: %v", err)
			}
			if n := k.shutdowns.Load(); n != 1 {
				t.Errorf("kernel got %d shutdown requests, want 1", n)
			}
		})
	}
}

func TestHeartbeat(t *testing.T) {
	k := newFakeKernel(t)
	c := connect(t, k)
	ctx := testContext(t)

	if err := c.Heartbeat(ctx); err != nil {
		t.Fatalf("Heartbeat: %v", err)
	}

	// A kernel too slow to answer: the ping times out...
	k.hbDelay.Store(int64(300 * time.Millisecond))
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := c.Heartbeat(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Heartbeat of a slow kernel = %v, want the deadline", err)
	}
	// ...and its late pong is not mistaken for the next one's.
	k.hbDelay.Store(0)
	for range 2 {
		if err := c.Heartbeat(ctx); err != nil {
			t.Fatalf("Heartbeat after a late pong: %v", err)
		}
	}
}

// A kernel that goes away fails the waiting request at once, and every
// later one.
func TestConnectionLost(t *testing.T) {
	k := newFakeKernel(t)
	c := connect(t, k)
	ctx := testContext(t)

	start := time.Now()
	if _, err := c.Execute(ctx, "die", nil); !errors.Is(err, ErrConnectionLost) {
		t.Fatalf("Execute on a dying kernel = %v, want ErrConnectionLost", err)
	}
	if d := time.Since(start); d > testTimeout/2 {
		t.Errorf("Execute took %v to notice", d)
	}
	if _, err := c.Execute(ctx, "again", nil); !errors.Is(err, ErrConnectionLost) {
		t.Errorf("Execute after the loss = %v, want ErrConnectionLost", err)
	}
	if err := c.Interrupt(ctx); !errors.Is(err, ErrConnectionLost) {
		t.Errorf("Interrupt after the loss = %v, want ErrConnectionLost", err)
	}
}

// Close ends waiting requests and returns after all the client's
// goroutines have exited.
func TestClose(t *testing.T) {
	k := newFakeKernel(t)
	c := connect(t, k)
	ctx := testContext(t)

	// Leave a heartbeat goroutine waiting for a late pong.
	k.hbDelay.Store(int64(200 * time.Millisecond))
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if err := c.Heartbeat(short); err == nil {
		t.Fatal("Heartbeat did not time out")
	}

	started := make(chan struct{})
	result := make(chan error, 1)
	go func() {
		_, err := c.Execute(ctx, "sleep", func(m *Message) {
			if m.Header.MsgType == "stream" {
				close(started)
			}
		})
		result <- err
	}()
	<-started

	if got := clientGoroutines(); got == 0 {
		t.Fatal("found no client goroutine before Close: clientGoroutines is broken")
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if n := clientGoroutines(); n != 0 {
		t.Errorf("%d client goroutines still running after Close", n)
	}
	if err := <-result; !errors.Is(err, ErrClosed) {
		t.Errorf("Execute interrupted by Close = %v, want ErrClosed", err)
	}

	// The goroutines of zmq4 behind the client's sockets end too, if only
	// a little later. The writer goroutine of a zmq4 v0.17.0 PUB socket is
	// never stopped, but that socket is the kernel's.
	k.close()
	k.wait()
	var left []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if left = zmq4Goroutines(); len(left) == 0 {
			break
		}
	}
	if len(left) > 0 {
		t.Errorf("zmq4 goroutines left running:\n%s", strings.Join(left, "\n\n"))
	}

	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := c.Execute(ctx, "x", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Execute after Close = %v, want ErrClosed", err)
	}
	if err := c.Heartbeat(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Heartbeat after Close = %v, want ErrClosed", err)
	}
	if _, err := c.KernelInfo(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("KernelInfo after Close = %v, want ErrClosed", err)
	}
}

// Dial keeps trying until the kernel listens.
func TestDialWaitsForKernel(t *testing.T) {
	info, err := NewConnectionInfo()
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		c   *Client
		err error
	}
	dialed := make(chan result, 1)
	go func() {
		c, err := Dial(testContext(t), info)
		dialed <- result{c, err}
	}()
	time.Sleep(200 * time.Millisecond)
	k := newFakeKernel(t, func(k *fakeKernel) { k.info = info })

	r := <-dialed
	if r.err != nil {
		t.Fatal(r.err)
	}
	defer r.c.Close()
	if _, err := r.c.KernelInfo(testContext(t)); err != nil {
		t.Fatalf("KernelInfo: %v", err)
	}
	if reply, err := r.c.Execute(testContext(t), "hello", nil); err != nil || reply.Status != "ok" {
		t.Errorf("Execute = %+v, %v", reply, err)
	}
	_ = k
}

func TestDialErrors(t *testing.T) {
	info, err := NewConnectionInfo() // nothing listens on its ports
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := Dial(ctx, info); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Dial without a kernel = %v, want the deadline", err)
	}

	bad := *info
	bad.SignatureScheme = "hmac-md5"
	if _, err := Dial(context.Background(), &bad); err == nil {
		t.Error("Dial accepted signature scheme hmac-md5")
	}
	if n := clientGoroutines(); n != 0 {
		t.Errorf("%d client goroutines left by failed Dials", n)
	}
}
