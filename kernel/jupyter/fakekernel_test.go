package jupyter

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// fakeKernel is a minimal kernel for tests, bound to the ports of a
// ConnectionInfo with the socket types a real kernel uses: ROUTER for
// shell, control and stdin, PUB for iopub, REP for the heartbeat.
//
// It answers kernel_info_request, interrupt_request and shutdown_request.
// An execute_request publishes busy, execute_input, then does what its code
// says (see execute), replies and publishes idle.
type fakeKernel struct {
	t      *testing.T
	info   *ConnectionInfo
	signer signer // checks what the kernel receives
	// outSigner signs what the kernel sends: with the connection file's
	// key, unless signKey is set.
	outSigner signer
	// signKey, if not empty, is the key the kernel signs with instead of
	// the connection file's, as another kernel listening on the same
	// ports would: the client must drop everything it sends.
	signKey string

	shell, control, stdin, iopub, hb zmq4.Socket
	sendMu                           sync.Mutex // serializes all sends
	lastReply                        [][]byte   // the frames of the last reply sent on shell; guarded by sendMu

	// controlRepliesOnShell makes the kernel send its control replies
	// through the shell socket, as GoNB does.
	controlRepliesOnShell bool
	// beforeTail, if set, runs in the "reply-first" execution after the
	// reply was sent and before the remaining output is published.
	beforeTail func(req *Message)
	// hbDelay delays each heartbeat echo.
	hbDelay atomic.Int64 // nanoseconds

	interrupts chan struct{}
	done       chan struct{} // closed by close
	shutdowns  atomic.Int32
	execCount  int // used by the shell goroutine only

	closeOnce sync.Once
	wg        sync.WaitGroup
}

// newFakeKernel binds a fake kernel to fresh ports, unless an option sets
// its info. Options are applied before it starts serving. The kernel is
// stopped at the end of the test.
func newFakeKernel(t *testing.T, opts ...func(*fakeKernel)) *fakeKernel {
	t.Helper()
	info, err := NewConnectionInfo()
	if err != nil {
		t.Fatal(err)
	}
	k := &fakeKernel{
		t:          t,
		info:       info,
		interrupts: make(chan struct{}, 10),
		done:       make(chan struct{}),
	}
	for _, opt := range opts {
		opt(k)
	}
	info = k.info
	k.signer = signer{key: []byte(info.Key)}
	k.outSigner = k.signer
	if k.signKey != "" {
		k.outSigner = signer{key: []byte(k.signKey)}
	}
	ctx := context.Background()
	k.shell, k.control, k.stdin = zmq4.NewRouter(ctx), zmq4.NewRouter(ctx), zmq4.NewRouter(ctx)
	k.iopub, k.hb = zmq4.NewPub(ctx), zmq4.NewRep(ctx)
	for sock, port := range map[zmq4.Socket]int{
		k.shell: info.ShellPort, k.control: info.ControlPort, k.stdin: info.StdinPort,
		k.iopub: info.IOPubPort, k.hb: info.HBPort,
	} {
		if err := sock.Listen(fmt.Sprintf("tcp://127.0.0.1:%d", port)); err != nil {
			t.Fatal(err)
		}
	}
	k.serve(k.shell, k.handleShell)
	k.serve(k.control, k.handleControl)
	k.wg.Add(1)
	go k.echoHeartbeats()
	t.Cleanup(func() {
		k.close()
		k.wait()
	})
	return k
}

// close stops the kernel: its sockets are closed, as when a kernel exits.
func (k *fakeKernel) close() {
	k.closeOnce.Do(func() {
		close(k.done)
		for _, s := range []zmq4.Socket{k.shell, k.control, k.stdin, k.iopub, k.hb} {
			_ = s.Close()
		}
	})
}

// wait waits until the kernel's goroutines have exited.
func (k *fakeKernel) wait() { k.wg.Wait() }

func (k *fakeKernel) serve(sock zmq4.Socket, handle func(*Message)) {
	k.wg.Add(1)
	go func() {
		defer k.wg.Done()
		for {
			raw, err := sock.Recv()
			if err != nil {
				return
			}
			m, err := k.signer.decode(raw.Frames)
			if err != nil {
				k.t.Errorf("fake kernel received a bad message: %v", err)
				continue
			}
			handle(m)
		}
	}()
}

func (k *fakeKernel) echoHeartbeats() {
	defer k.wg.Done()
	for {
		ping, err := k.hb.Recv()
		if err != nil {
			return
		}
		time.Sleep(time.Duration(k.hbDelay.Load()))
		if err := k.hb.Send(ping); err != nil {
			return
		}
	}
}

// message builds a message of the kernel in answer to req.
func (k *fakeKernel) message(req *Message, msgType string, content any) *Message {
	raw, err := json.Marshal(content)
	if err != nil {
		panic(err)
	}
	return &Message{
		Header:       newHeader(msgType, "kernel-session", "kernel"),
		ParentHeader: req.Header,
		Content:      raw,
	}
}

// sendOn signs m and sends it on sock, with the signature replaced by
// signature if that is not nil. It returns the frames it sent.
func (k *fakeKernel) sendOn(sock zmq4.Socket, m *Message, signature []byte) [][]byte {
	frames, err := k.outSigner.encode(m)
	if err != nil {
		panic(err)
	}
	if signature != nil {
		frames[len(m.Identities)+1] = signature
	}
	k.sendFrames(sock, frames)
	return frames
}

// sendFrames sends frames as they are on sock.
func (k *fakeKernel) sendFrames(sock zmq4.Socket, frames [][]byte) {
	k.sendMu.Lock()
	defer k.sendMu.Unlock()
	if sock == k.shell {
		k.lastReply = frames
	}
	_ = sock.SendMulti(zmq4.NewMsgFrom(frames...))
}

// reply answers req on sock, routed back to req's sender.
func (k *fakeKernel) reply(sock zmq4.Socket, req *Message, msgType string, content any) {
	m := k.message(req, msgType, content)
	m.Identities = req.Identities
	k.sendOn(sock, m, nil)
}

// publish publishes on iopub, with req as parent.
func (k *fakeKernel) publish(req *Message, msgType string, content any) {
	m := k.message(req, msgType, content)
	m.Identities = [][]byte{[]byte("kernel." + msgType)}
	k.sendOn(k.iopub, m, nil)
}

func (k *fakeKernel) status(req *Message, state string) {
	k.publish(req, "status", map[string]string{"execution_state": state})
}

func (k *fakeKernel) stream(req *Message, name, text string) {
	k.publish(req, "stream", map[string]string{"name": name, "text": text})
}

func (k *fakeKernel) handleShell(req *Message) {
	switch req.Header.MsgType {
	case "kernel_info_request":
		k.status(req, "busy")
		k.reply(k.shell, req, "kernel_info_reply", map[string]any{
			"status": "ok", "protocol_version": "5.3", "implementation": "fake",
		})
		k.status(req, "idle")
	case "execute_request":
		k.execute(req)
	default:
		k.t.Errorf("fake kernel: unexpected %s on shell", req.Header.MsgType)
	}
}

func (k *fakeKernel) handleControl(req *Message) {
	sock := k.control
	if k.controlRepliesOnShell {
		sock = k.shell
	}
	switch req.Header.MsgType {
	case "interrupt_request":
		k.interrupts <- struct{}{}
		k.reply(sock, req, "interrupt_reply", map[string]string{"status": "ok"})
	case "shutdown_request":
		var content struct {
			Restart bool `json:"restart"`
		}
		if err := req.Decode(&content); err != nil {
			k.t.Error(err)
		}
		k.shutdowns.Add(1)
		k.reply(sock, req, "shutdown_reply", map[string]any{"status": "ok", "restart": content.Restart})
	default:
		k.t.Errorf("fake kernel: unexpected %s on control", req.Header.MsgType)
	}
}

// execute runs an execute_request. The code selects the behavior:
//
//   - "reply-first": stream "one", reply, run beforeTail, stream "two",
//     idle: the reply comes before the last output.
//   - "bad-signature": a stream "forged" with a bad signature, then a
//     stream "genuine".
//   - "replay": a stream "once", sent twice (the same frames), then a
//     stream "after".
//   - "replay-reply": instead of replying, send the last reply sent on
//     shell again, frame for frame; no idle status follows.
//   - "sleep": stream "started", then wait for an interrupt_request; then
//     stream "interrupted" on stderr and reply with an error.
//   - "die": close all sockets, as a crashing kernel would.
//   - anything else: echo the code to stdout.
func (k *fakeKernel) execute(req *Message) {
	var content executeRequest
	if err := req.Decode(&content); err != nil {
		k.t.Error(err)
		return
	}
	if content.Silent || !content.StoreHistory || content.AllowStdin || !content.StopOnError {
		k.t.Errorf("execute_request flags = %+v", content)
	}
	k.execCount++
	k.status(req, "busy")
	k.publish(req, "execute_input", map[string]any{"code": content.Code, "execution_count": k.execCount})
	ok := map[string]any{"status": "ok", "execution_count": k.execCount, "user_expressions": map[string]any{}}

	switch content.Code {
	case "reply-first":
		k.stream(req, "stdout", "one\n")
		k.reply(k.shell, req, "execute_reply", ok)
		if k.beforeTail != nil {
			k.beforeTail(req)
		}
		k.stream(req, "stdout", "two\n")
	case "bad-signature":
		forged := k.message(req, "stream", map[string]string{"name": "stdout", "text": "forged\n"})
		k.sendOn(k.iopub, forged, []byte("0123456789abcdef"))
		k.stream(req, "stdout", "genuine\n")
		k.reply(k.shell, req, "execute_reply", ok)
	case "sleep":
		k.stream(req, "stdout", "started\n")
		select {
		case <-k.interrupts:
		case <-k.done:
			return
		case <-time.After(10 * time.Second):
			k.t.Error("fake kernel: sleep was not interrupted")
		}
		k.stream(req, "stderr", "interrupted\n")
		k.reply(k.shell, req, "execute_reply", map[string]any{
			"status": "error", "execution_count": k.execCount,
			"ename": "Interrupted", "evalue": "", "traceback": []string{},
		})
	case "replay":
		once := k.message(req, "stream", map[string]string{"name": "stdout", "text": "once\n"})
		once.Identities = [][]byte{[]byte("kernel.stream")}
		frames := k.sendOn(k.iopub, once, nil)
		k.sendFrames(k.iopub, frames)
		k.stream(req, "stdout", "after\n")
		k.reply(k.shell, req, "execute_reply", ok)
	case "replay-reply":
		k.sendMu.Lock()
		old := k.lastReply
		k.sendMu.Unlock()
		k.sendFrames(k.shell, old)
		return
	case "die":
		k.close()
		return
	default:
		k.stream(req, "stdout", content.Code)
		k.reply(k.shell, req, "execute_reply", ok)
	}
	k.status(req, "idle")
}
