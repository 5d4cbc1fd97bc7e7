// Package jupyter is a client for the Jupyter messaging protocol, version
// 5.3 (https://jupyter-client.readthedocs.io/en/latest/messaging.html),
// built on the pure Go ZeroMQ implementation github.com/go-zeromq/zmq4.
//
// It is what a notebook front end does, without Python: Dial connects to the
// five sockets a kernel bound according to its ConnectionInfo, and the
// Client methods send requests (execute, interrupt, shutdown, ...) and
// collect what the kernel answers and publishes.
//
// Every received message has its HMAC signature checked. A message that
// fails the check, or that repeats the signature of an earlier one (a
// replay, which jupyter_client rejects too), is dropped, counted
// (Client.Drops) and logged (WithLogf), never delivered. A request whose
// ctx ends after messages were dropped says so in its error (DroppedError),
// since a dropped message may have been its answer.
package jupyter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zeromq/zmq4"
)

var (
	// ErrClosed is returned by requests made on, or interrupted by, a
	// closed Client.
	ErrClosed = errors.New("jupyter: client closed")

	// ErrConnectionLost is wrapped by the errors of requests that fail
	// because a connection to the kernel broke, typically because the
	// kernel process exited. The Client is unusable afterwards.
	ErrConnectionLost = errors.New("jupyter: connection to kernel lost")

	// errBusy is returned when two goroutines wait for the same request.
	errBusy = errors.New("jupyter: request already being waited for")
)

// iopubGrace is how long KernelInfo waits, after the kernel_info_reply, for
// the first iopub message to prove that the iopub subscription is active;
// it asks again every iopubRetry meanwhile.
const (
	iopubGrace = time.Second
	iopubRetry = 100 * time.Millisecond
)

// username is the username sent in message headers.
const username = "dlnb"

// Option configures a Client; see Dial.
type Option func(*Client)

// WithLogf makes the Client report what it drops or cannot handle (messages
// with a bad signature, replies nobody waits for, input requests, ...) and
// the diagnostics of the underlying ZeroMQ sockets to logf. By default
// nothing is logged. logf may be called from several goroutines at once.
func WithLogf(logf func(format string, args ...any)) Option {
	return func(c *Client) { c.logf = logf }
}

// Client is a connection to one kernel. Its methods may be called from
// several goroutines, but requests that collect iopub output (Execute,
// Drain) are meant to be issued one at a time, as a notebook does.
type Client struct {
	signer  signer
	session string
	logf    func(format string, args ...any)

	shell, control, stdin *channel
	iopub                 zmq4.Socket
	hb                    *heartbeat

	// mu guards inboxes and closing.
	mu      sync.Mutex
	inboxes map[string]*inbox // by request msg_id
	closing bool              // set by Close; no goroutine may start after it

	iopubSeen     chan struct{} // closed when the first valid iopub message arrives
	iopubSeenOnce sync.Once

	dropped dropCounter

	done     chan struct{} // closed when the client stops working
	doneErr  error         // why; written before done is closed
	doneOnce sync.Once

	closeOnce sync.Once
	closeErr  error
	wg        sync.WaitGroup // every goroutine the client starts
}

// channel is a socket the client sends requests on.
type channel struct {
	name string
	mu   sync.Mutex // serializes sends
	sock zmq4.Socket
}

// Dial connects to the kernel described by info: shell, control and stdin
// with DEALER sockets, iopub with a SUB socket subscribed to everything, and
// the heartbeat with a REQ socket. It retries each connection until it
// succeeds or ctx ends, so it can be called right after starting the
// kernel process. ctx only bounds the dialing; the Client lives until
// Close.
//
// The three DEALER sockets share one ZeroMQ identity, the session id, as
// jupyter_client's do: GoNB sends its control replies through its shell
// socket, addressed to that identity. Replies are matched to requests by
// their parent msg_id, whichever socket they arrive on.
func Dial(ctx context.Context, info *ConnectionInfo, opts ...Option) (*Client, error) {
	switch {
	case info.SignatureScheme == SignatureSchemeHMACSHA256:
	case info.SignatureScheme == "" && info.Key == "":
	default:
		return nil, fmt.Errorf("jupyter: unsupported signature scheme %q", info.SignatureScheme)
	}
	c := &Client{
		signer:    signer{key: []byte(info.Key), history: newDigestHistory(digestHistorySize)},
		session:   newID(),
		inboxes:   make(map[string]*inbox),
		iopubSeen: make(chan struct{}),
		done:      make(chan struct{}),
	}
	for _, opt := range opts {
		opt(c)
	}

	// The sockets live until Close, not until ctx ends.
	sockOpts := []zmq4.Option{
		zmq4.WithLogger(c.zmqLogger()),
		zmq4.WithDialerMaxRetries(0), // dial retries until ctx ends instead
	}
	dealerOpts := slices.Concat(sockOpts, []zmq4.Option{zmq4.WithID(zmq4.SocketIdentity(c.session))})
	c.shell = &channel{name: "shell", sock: zmq4.NewDealer(context.Background(), dealerOpts...)}
	c.control = &channel{name: "control", sock: zmq4.NewDealer(context.Background(), dealerOpts...)}
	c.stdin = &channel{name: "stdin", sock: zmq4.NewDealer(context.Background(), dealerOpts...)}
	c.iopub = zmq4.NewSub(context.Background(), sockOpts...)
	c.hb = &heartbeat{sock: zmq4.NewReq(context.Background(), sockOpts...), sem: make(chan struct{}, 1)}

	// Subscribing before dialing makes the subscription part of connecting.
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		c.closeSockets()
		return nil, fmt.Errorf("jupyter: subscribing to iopub: %w", err)
	}
	for _, s := range []struct {
		sock zmq4.Socket
		port int
	}{
		{c.shell.sock, info.ShellPort},
		{c.control.sock, info.ControlPort},
		{c.stdin.sock, info.StdinPort},
		{c.iopub, info.IOPubPort},
		{c.hb.sock, info.HBPort},
	} {
		ep, err := info.endpoint(s.port)
		if err == nil {
			err = dial(ctx, s.sock, ep)
		}
		if err != nil {
			c.closeSockets()
			return nil, err
		}
	}

	c.start(func() { c.readLoop("shell", c.shell.sock, c.routeReply) })
	c.start(func() { c.readLoop("control", c.control.sock, c.routeReply) })
	c.start(func() { c.readLoop("stdin", c.stdin.sock, c.handleStdin) })
	c.start(func() { c.readLoop("iopub", c.iopub, c.routeIOPub) })
	return c, nil
}

// dial connects sock to ep, retrying with a short backoff until it
// succeeds or ctx ends.
func dial(ctx context.Context, sock zmq4.Socket, ep string) error {
	delay := 10 * time.Millisecond
	for {
		err := sock.Dial(ep)
		if err == nil {
			return nil
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("jupyter: connecting to %s: %w (last attempt: %v)", ep, ctx.Err(), err)
		case <-t.C:
		}
		delay = min(2*delay, 250*time.Millisecond)
	}
}

// zmqLogger returns a logger that forwards zmq4's diagnostics to logf.
func (c *Client) zmqLogger() *log.Logger {
	if c.logf == nil {
		return log.New(io.Discard, "", 0)
	}
	return log.New(logfWriter(c.logf), "", 0)
}

// logfWriter adapts a printf-like function to an io.Writer for log.Logger.
type logfWriter func(format string, args ...any)

func (w logfWriter) Write(p []byte) (int, error) {
	w("zmq4: %s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// log reports through the WithLogf function, if any.
func (c *Client) log(format string, args ...any) {
	if c.logf != nil {
		c.logf(format, args...)
	}
}

// start runs f on a goroutine that Close waits for. It reports false, and
// does not run f, once Close has begun.
func (c *Client) start(f func()) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return false
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		f()
	}()
	return true
}

// fail puts the client in its terminal state; the first reason wins.
func (c *Client) fail(err error) {
	c.doneOnce.Do(func() {
		c.doneErr = err
		close(c.done)
	})
}

// err returns why the client stopped working, or nil while it works.
func (c *Client) err() error {
	select {
	case <-c.done:
		return c.doneErr
	default:
		return nil
	}
}

// DroppedMessages returns how many received messages were dropped because
// their signature did not verify, was a replay, or they could not be
// decoded: Drops().Total().
func (c *Client) DroppedMessages() int64 {
	return c.Drops().Total()
}

// Drops returns how many received messages were dropped, by reason, since
// Dial.
func (c *Client) Drops() Drops {
	return c.dropped.load()
}

// readLoop receives messages from sock until it is closed, verifies and
// decodes them, and passes them to handle. A receive error other than the
// one caused by Close means the connection broke: the client fails with
// ErrConnectionLost.
func (c *Client) readLoop(name string, sock zmq4.Socket, handle func(*Message)) {
	for {
		raw, err := sock.Recv()
		if err != nil {
			if c.err() == nil {
				c.fail(fmt.Errorf("%w: %s socket: %v", ErrConnectionLost, name, err))
				c.log("jupyter: %s socket: %v", name, err)
			}
			return
		}
		if raw.Type == zmq4.CmdMsg {
			continue // a ZMTP command, not a Jupyter message
		}
		m, err := c.signer.decode(raw.Frames)
		if err != nil {
			c.dropped.add(err)
			c.log("jupyter: dropped a message received on %s: %v", name, err)
			continue
		}
		handle(m)
	}
}

// lookup returns the inbox of the request with the given msg_id, or nil.
func (c *Client) lookup(msgID string) *inbox {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inboxes[msgID]
}

// register creates the inbox of a request about to be sent.
func (c *Client) register(msgID string, wantIOPub bool) *inbox {
	in := &inbox{wantIOPub: wantIOPub, notify: make(chan struct{}, 1), dropsAtStart: c.Drops()}
	c.mu.Lock()
	c.inboxes[msgID] = in
	c.mu.Unlock()
	return in
}

// unregister forgets the inbox of a request.
func (c *Client) unregister(msgID string) {
	c.mu.Lock()
	delete(c.inboxes, msgID)
	c.mu.Unlock()
}

// routeReply delivers a shell or control reply to the request it answers.
// Once the client has stopped working, a reply nobody waits for is
// expected (such as a shutdown_reply that arrives after a connection
// closed) and dropped silently.
func (c *Client) routeReply(m *Message) {
	in := c.lookup(m.ParentHeader.MsgID)
	if (in == nil || !in.putReply(m)) && c.err() == nil {
		c.log("jupyter: dropped %s: no request %q is waiting for it", m.Header.MsgType, m.ParentHeader.MsgID)
	}
}

// routeIOPub delivers an iopub message to the request that caused it. The
// messages of other requests (including the "starting" status, which has
// no parent) are dropped silently.
func (c *Client) routeIOPub(m *Message) {
	c.iopubSeenOnce.Do(func() { close(c.iopubSeen) })
	if in := c.lookup(m.ParentHeader.MsgID); in != nil && in.wantIOPub {
		in.putIOPub(m)
	}
}

// handleStdin passes an input_request to the execution that asked for it,
// along with its iopub messages: requests are sent with allow_stdin false,
// yet some kernels (GoNB) ask anyway, and then wait for an answer that
// will not come. Anything else that arrives on stdin is dropped.
func (c *Client) handleStdin(m *Message) {
	if in := c.lookup(m.ParentHeader.MsgID); in != nil && in.wantIOPub && m.Header.MsgType == "input_request" {
		in.putIOPub(m)
		return
	}
	c.log("jupyter: ignored %s on stdin (allow_stdin is false)", m.Header.MsgType)
}

// inbox collects what arrives for one request: its reply and, if wanted,
// the iopub messages whose parent it is. The reader goroutines put, the
// requesting goroutine takes; putting never blocks.
type inbox struct {
	wantIOPub    bool
	notify       chan struct{} // capacity 1: "something was put"
	dropsAtStart Drops         // the client's drops when the request was made

	mu      sync.Mutex
	replied bool       // a reply was put (later ones are rejected)
	reply   *Message   // put but not yet taken
	iopub   []*Message // put but not yet taken, in arrival order

	// The fields below belong to the goroutine awaiting the request; busy
	// makes sure there is only one at a time (Execute, then Drain).
	busy     atomic.Bool
	gotReply *Message
	gotIdle  bool
}

// putReply stores the reply; it reports false if one was already stored.
func (in *inbox) putReply(m *Message) bool {
	in.mu.Lock()
	if in.replied {
		in.mu.Unlock()
		return false
	}
	in.replied, in.reply = true, m
	in.mu.Unlock()
	in.wake()
	return true
}

// putIOPub appends an iopub message.
func (in *inbox) putIOPub(m *Message) {
	in.mu.Lock()
	in.iopub = append(in.iopub, m)
	in.mu.Unlock()
	in.wake()
}

func (in *inbox) wake() {
	select {
	case in.notify <- struct{}{}:
	default:
	}
}

// take returns, and removes, what was put since the last take.
func (in *inbox) take() (reply *Message, iopub []*Message) {
	in.mu.Lock()
	defer in.mu.Unlock()
	reply, in.reply = in.reply, nil
	iopub, in.iopub = in.iopub, nil
	return reply, iopub
}

// newRequest builds a request message with a fresh msg_id.
func (c *Client) newRequest(msgType string, content any) (*Message, error) {
	raw, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("jupyter: encoding %s: %w", msgType, err)
	}
	return &Message{Header: newHeader(msgType, c.session, username), Content: raw}, nil
}

// send signs and sends m on ch.
func (c *Client) send(ch *channel, m *Message) error {
	frames, err := c.signer.encode(m)
	if err != nil {
		return err
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if err := ch.sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		if cerr := c.err(); cerr != nil {
			return cerr
		}
		return fmt.Errorf("jupyter: sending %s on %s: %w", m.Header.MsgType, ch.name, err)
	}
	return nil
}

// call sends a request on ch and waits for its reply.
func (c *Client) call(ctx context.Context, ch *channel, msgType string, content any) (*Message, error) {
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("jupyter: not sending %s: %w", msgType, err)
	}
	req, err := c.newRequest(msgType, content)
	if err != nil {
		return nil, err
	}
	in := c.register(req.Header.MsgID, false)
	defer c.unregister(req.Header.MsgID)
	start := time.Now()
	if err := c.send(ch, req); err != nil {
		return nil, err
	}
	reply, err := c.await(ctx, in, msgType, nil)
	if err != nil && ctx.Err() != nil && c.err() == nil {
		return nil, fmt.Errorf("jupyter: no reply to %s in %v: %w", msgType, roundDuration(time.Since(start)), err)
	}
	return reply, err
}

// await waits until in has its reply and, if it wants iopub messages, an
// iopub status "idle" too, passing each iopub message to onIOPub (if not
// nil) on the calling goroutine. It returns the reply, or ctx's error, or
// the client's if it stops working first. ctx's error comes as a
// *DroppedError if messages were dropped since the request was made.
//
// The progress made is kept in the inbox, so a later await on the same
// inbox (Drain after Execute) continues where this one stopped.
func (c *Client) await(ctx context.Context, in *inbox, what string, onIOPub func(*Message)) (*Message, error) {
	if !in.busy.CompareAndSwap(false, true) {
		return nil, fmt.Errorf("%w: %s", errBusy, what)
	}
	defer in.busy.Store(false)

	var stop error
	for {
		// Take and handle everything that arrived, even when stopping: a
		// reply may have come just before the connection closed.
		reply, msgs := in.take()
		for _, m := range msgs {
			if onIOPub != nil {
				onIOPub(m)
			}
			if isIdle(m) {
				in.gotIdle = true
			}
		}
		if reply != nil {
			in.gotReply = reply
		}
		if in.gotReply != nil && (in.gotIdle || !in.wantIOPub) {
			return in.gotReply, nil
		}
		if stop != nil {
			return nil, stop
		}
		select {
		case <-in.notify:
		case <-ctx.Done():
			stop = ctx.Err()
			if d := c.Drops().since(in.dropsAtStart); d.Total() > 0 {
				stop = &DroppedError{Err: stop, Dropped: d}
			}
		case <-c.done:
			stop = c.doneErr
		}
	}
}

// roundDuration rounds d for a message: to the second from a second on,
// else to the millisecond.
func roundDuration(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

// isIdle reports whether m is an iopub status message saying "idle".
func isIdle(m *Message) bool {
	if m.Header.MsgType != "status" {
		return false
	}
	var s struct {
		ExecutionState string `json:"execution_state"`
	}
	return json.Unmarshal(m.Content, &s) == nil && s.ExecutionState == "idle"
}

// replyStatus turns a reply whose status is not "ok" into an error.
func replyStatus(m *Message) error {
	var r struct {
		Status string `json:"status"`
		EName  string `json:"ename"`
		EValue string `json:"evalue"`
	}
	if err := m.Decode(&r); err != nil {
		return err
	}
	if r.Status != "ok" {
		return fmt.Errorf("jupyter: %s status %q: %s: %s", m.Header.MsgType, r.Status, r.EName, r.EValue)
	}
	return nil
}

// KernelInfo sends a kernel_info_request on shell and returns the
// kernel_info_reply. It waits for the reply until ctx ends, so it also
// serves to wait until a freshly started kernel is ready.
//
// A SUB socket misses what is published before its subscription reaches
// the publisher, and with zmq4 that can take longer than a kernel_info
// round trip. So, as jupyter_client does, KernelInfo also makes sure iopub
// works: after the reply it waits for the first iopub message of the
// connection (kernels publish a busy and an idle status around every
// request), sending a new kernel_info_request every iopubRetry, for at most
// iopubGrace or until ctx ends. Once it has seen an iopub message, the
// output of the next Execute cannot be lost.
func (c *Client) KernelInfo(ctx context.Context) (*Message, error) {
	reply, err := c.call(ctx, c.shell, "kernel_info_request", struct{}{})
	if err != nil {
		return nil, err
	}
	grace := time.NewTimer(iopubGrace)
	defer grace.Stop()
	for {
		retry := time.NewTimer(iopubRetry)
		select {
		case <-c.iopubSeen:
			retry.Stop()
			return reply, nil
		case <-grace.C:
			retry.Stop()
			c.log("jupyter: no iopub message within %v of the kernel_info_reply", iopubGrace)
			return reply, nil
		case <-ctx.Done():
			retry.Stop()
			return reply, nil
		case <-c.done:
			retry.Stop()
			return nil, c.doneErr
		case <-retry.C:
		}
		// The status messages were probably published before the
		// subscription arrived; those of a new request should get through.
		again, err := c.call(ctx, c.shell, "kernel_info_request", struct{}{})
		switch {
		case err == nil:
			reply = again
		case c.err() != nil:
			return nil, err
		default:
			return reply, nil // ctx ended; the kernel did answer before
		}
	}
}

// CompleteReply is the content of a complete_reply: the names that may
// replace the text from CursorStart to CursorEnd of the code.
type CompleteReply struct {
	Status      string   `json:"status"`
	Matches     []string `json:"matches"`
	CursorStart int      `json:"cursor_start"`
	CursorEnd   int      `json:"cursor_end"`
}

// Complete asks the kernel to complete code at cursorPos, a position in
// Unicode code points as the messaging spec counts them (len of the
// code's runes up to the cursor), as a front end does when the user
// presses Tab.
func (c *Client) Complete(ctx context.Context, code string, cursorPos int) (*CompleteReply, error) {
	return callFor[CompleteReply](ctx, c, "complete_request", map[string]any{"code": code, "cursor_pos": cursorPos})
}

// InspectReply is the content of an inspect_reply: what the kernel knows
// about the name at the cursor, by MIME type, if Found.
type InspectReply struct {
	Status string         `json:"status"`
	Found  bool           `json:"found"`
	Data   map[string]any `json:"data"`
	EName  string         `json:"ename"`
	EValue string         `json:"evalue"`
	Meta   map[string]any `json:"metadata"`
}

// Inspect asks the kernel about the name at cursorPos in code (counted as
// in Complete), as a front end does for Shift-Tab.
func (c *Client) Inspect(ctx context.Context, code string, cursorPos int) (*InspectReply, error) {
	return callFor[InspectReply](ctx, c, "inspect_request", map[string]any{"code": code, "cursor_pos": cursorPos, "detail_level": 0})
}

// callFor sends a request on shell and decodes its reply's content into an R.
func callFor[R any](ctx context.Context, c *Client, msgType string, content any) (*R, error) {
	m, err := c.call(ctx, c.shell, msgType, content)
	if err != nil {
		return nil, err
	}
	var r R
	if err := m.Decode(&r); err != nil {
		return nil, err
	}
	return &r, nil
}

// ExecuteReply is the content of an execute_reply.
type ExecuteReply struct {
	// Status is "ok", "error" or "aborted".
	Status string `json:"status"`
	// ExecutionCount is the kernel's execution counter for this request.
	ExecutionCount int `json:"execution_count"`
	// EName, EValue and Traceback describe the error when Status is
	// "error".
	EName     string   `json:"ename"`
	EValue    string   `json:"evalue"`
	Traceback []string `json:"traceback"`

	// MsgID is the msg_id of the execute_request (not part of the reply's
	// content).
	MsgID string `json:"-"`
	// Dropped counts the messages the client dropped while the request
	// ran (not part of the reply's content). Some may have been outputs of
	// the request, missing from what onIOPub received.
	Dropped Drops `json:"-"`
}

// ExecuteError is returned by Execute (and Drain) when ctx ends before the
// execution finished; it is not about the code failing, which Execute
// reports in ExecuteReply.Status. MsgID identifies the execute_request:
// the client keeps collecting its iopub messages, and Drain delivers them
// and waits for the end of the execution, typically after an Interrupt.
// What is collected for a request that is never drained to its end is
// only released by Close.
type ExecuteError struct {
	MsgID string
	Err   error // ctx's error, as a *DroppedError if messages were dropped
}

func (e *ExecuteError) Error() string {
	return fmt.Sprintf("jupyter: execute_request %s did not finish: %v", e.MsgID, e.Err)
}

// Unwrap returns ctx's error, so errors.Is(err, context.DeadlineExceeded)
// works.
func (e *ExecuteError) Unwrap() error { return e.Err }

// executeRequest is the content of an execute_request.
type executeRequest struct {
	Code            string         `json:"code"`
	Silent          bool           `json:"silent"`
	StoreHistory    bool           `json:"store_history"`
	UserExpressions map[string]any `json:"user_expressions"`
	AllowStdin      bool           `json:"allow_stdin"`
	StopOnError     bool           `json:"stop_on_error"`
}

// Execute runs code in the kernel: it sends an execute_request on shell
// (silent false, store_history true, allow_stdin false, stop_on_error true)
// and waits until the execution is done, which is when both the
// execute_reply and the iopub status "idle" whose parent is the request
// have arrived. Either may come first: outputs published before the idle
// can arrive after the reply.
//
// onIOPub, if not nil, is called on the calling goroutine with every iopub
// message whose parent is the request (status, execute_input, stream,
// display_data, update_display_data, execute_result, error, clear_output,
// ...), in the order they arrived, the final idle status included. An
// input_request that the kernel sends on stdin for the request, although
// allow_stdin is false, is passed to onIOPub too: nobody answers it, so
// the caller may want to interrupt the execution.
//
// A failed execution is not an error of Execute: it returns the reply,
// whose Status is then "error". If ctx ends first, Execute returns an
// *ExecuteError carrying the request's msg_id, for Interrupt and Drain
// (if ctx has ended already, nothing is sent and the error is ctx's).
// If the client is closed or the connection lost, it returns an error
// wrapping ErrClosed or ErrConnectionLost.
func (c *Client) Execute(ctx context.Context, code string, onIOPub func(*Message)) (*ExecuteReply, error) {
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("jupyter: not sending execute_request: %w", err)
	}
	req, err := c.newRequest("execute_request", executeRequest{
		Code:            code,
		StoreHistory:    true,
		UserExpressions: map[string]any{},
		StopOnError:     true,
	})
	if err != nil {
		return nil, err
	}
	id := req.Header.MsgID
	in := c.register(id, true)
	if err := c.send(c.shell, req); err != nil {
		c.unregister(id)
		return nil, err
	}
	return c.finishExecute(ctx, id, in, onIOPub)
}

// Drain continues an Execute that returned an *ExecuteError with the
// given msgID: it passes the request's remaining iopub messages to onIOPub,
// as Execute would have, until both the execute_reply and the idle status
// have arrived or ctx ends. If ctx ends first, Drain can be called again.
func (c *Client) Drain(ctx context.Context, msgID string, onIOPub func(*Message)) error {
	in := c.lookup(msgID)
	if in == nil || !in.wantIOPub {
		return fmt.Errorf("jupyter: no unfinished execute_request %q", msgID)
	}
	_, err := c.finishExecute(ctx, msgID, in, onIOPub)
	return err
}

// finishExecute awaits the end of the execute_request msgID. The inbox is
// kept only if ctx ended, for Drain.
func (c *Client) finishExecute(ctx context.Context, msgID string, in *inbox, onIOPub func(*Message)) (*ExecuteReply, error) {
	m, err := c.await(ctx, in, "execute_request "+msgID, onIOPub)
	switch {
	case errors.Is(err, errBusy):
		return nil, err
	case err != nil && ctx.Err() != nil && c.err() == nil:
		return nil, &ExecuteError{MsgID: msgID, Err: err}
	}
	c.unregister(msgID)
	if err != nil {
		return nil, err
	}
	reply := &ExecuteReply{MsgID: msgID, Dropped: c.Drops().since(in.dropsAtStart)}
	if err := m.Decode(reply); err != nil {
		return nil, err
	}
	return reply, nil
}

// Interrupt sends an interrupt_request on control and waits for the
// interrupt_reply. The interrupted execution ends with its own
// execute_reply and idle status, which Drain waits for.
func (c *Client) Interrupt(ctx context.Context) error {
	reply, err := c.call(ctx, c.control, "interrupt_request", struct{}{})
	if err != nil {
		return err
	}
	return replyStatus(reply)
}

// Shutdown sends a shutdown_request on control and waits for the
// shutdown_reply or until ctx ends. A kernel that closes its connections
// before its reply arrives has shut down too, so a lost connection counts
// as success here. The Client must still be closed.
func (c *Client) Shutdown(ctx context.Context, restart bool) error {
	reply, err := c.call(ctx, c.control, "shutdown_request", map[string]bool{"restart": restart})
	if errors.Is(err, ErrConnectionLost) {
		return nil
	}
	if err != nil {
		return err
	}
	return replyStatus(reply)
}

// heartbeat is the REQ socket of the heartbeat channel. A REQ socket reads
// the answer to its last request directly from the connection, so each
// ping's pong is read by a goroutine of its own.
type heartbeat struct {
	sock zmq4.Socket
	sem  chan struct{} // capacity 1: one ping at a time
	// pending receives the pong of the last ping when its Heartbeat call
	// gave up waiting for it; it must be read before the next ping.
	pending chan pong
}

// pong is the outcome of reading one heartbeat answer.
type pong struct {
	msg zmq4.Msg
	err error
}

// Heartbeat sends one ping on the heartbeat channel and waits until the
// kernel echoes it or ctx ends.
func (c *Client) Heartbeat(ctx context.Context) error {
	if err := c.err(); err != nil {
		return err
	}
	hb := c.hb
	select {
	case hb.sem <- struct{}{}:
		defer func() { <-hb.sem }()
	case <-ctx.Done():
		return fmt.Errorf("jupyter: heartbeat: %w", ctx.Err())
	}

	if hb.pending != nil {
		// The pong of an earlier ping is still due; it must not be taken
		// for the answer to the next one.
		if _, err := c.waitPong(ctx, hb.pending); err != nil {
			return err
		}
		hb.pending = nil
	}

	ping := []byte(newID())
	if err := hb.sock.Send(zmq4.NewMsg(ping)); err != nil {
		if cerr := c.err(); cerr != nil {
			return cerr
		}
		return fmt.Errorf("jupyter: heartbeat: sending ping: %w", err)
	}
	ch := make(chan pong, 1)
	if !c.start(func() {
		msg, err := hb.sock.Recv()
		ch <- pong{msg, err}
	}) {
		return ErrClosed
	}
	hb.pending = ch
	p, err := c.waitPong(ctx, ch)
	if err != nil {
		return err
	}
	hb.pending = nil
	if !bytes.Equal(p.msg.Bytes(), ping) {
		return fmt.Errorf("jupyter: heartbeat: pong %q does not match ping %q", p.msg.Bytes(), ping)
	}
	return nil
}

// waitPong waits for a pong on ch; a pong that failed to arrive is
// returned as an error.
func (c *Client) waitPong(ctx context.Context, ch <-chan pong) (pong, error) {
	select {
	case p := <-ch:
		if p.err != nil {
			if cerr := c.err(); cerr != nil {
				return p, cerr
			}
			return p, fmt.Errorf("jupyter: heartbeat: %w", p.err)
		}
		return p, nil
	case <-ctx.Done():
		return pong{}, fmt.Errorf("jupyter: heartbeat: %w", ctx.Err())
	case <-c.done:
		return pong{}, c.doneErr
	}
}

// Close closes the sockets and returns once every goroutine of the client
// has exited. Requests still waiting fail with ErrClosed. Close does not
// stop the kernel; see Shutdown.
func (c *Client) Close() error {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.closing = true
		c.mu.Unlock()
		c.fail(ErrClosed)
		// Closing a socket cancels its context, which unblocks Recv.
		c.closeErr = c.closeSockets()
		c.wg.Wait()
	})
	return c.closeErr
}

// closeSockets closes all five sockets. Errors about connections that were
// already closed (by the kernel going away) are not reported.
func (c *Client) closeSockets() error {
	var errs []error
	for _, s := range []zmq4.Socket{c.shell.sock, c.control.sock, c.stdin.sock, c.iopub, c.hb.sock} {
		if err := s.Close(); err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, zmq4.ErrClosedConn) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("jupyter: closing sockets: %w", errors.Join(errs...))
	}
	return nil
}
