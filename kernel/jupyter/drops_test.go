package jupyter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// A kernel that signs with another key than the connection file's is
// never heard: the request times out, and its error must say that
// messages were dropped for their signature, not only "context deadline
// exceeded".
func TestWrongKeyIsReported(t *testing.T) {
	k := newFakeKernel(t, func(k *fakeKernel) { k.signKey = "not the connection file's key" })
	c, err := Dial(testContext(t), k.info)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	reply, err := c.KernelInfo(ctx)
	if err == nil {
		t.Fatalf("KernelInfo = %+v, want an error: every message was signed with the wrong key", reply)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("KernelInfo took %v, want it to end with its 2s deadline", elapsed)
	}
	t.Log(err)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %q does not wrap context.DeadlineExceeded", err)
	}
	var de *DroppedError
	if !errors.As(err, &de) {
		t.Fatalf("error %q is not a *DroppedError", err)
	}
	// At least the kernel_info_reply; the busy and idle statuses too if the
	// iopub subscription was in place.
	if de.Dropped.BadSignature < 1 || de.Dropped.Replayed != 0 || de.Dropped.Malformed != 0 {
		t.Errorf("Dropped = %#v, want only bad signatures", de.Dropped)
	}
	for _, want := range []string{
		"no reply to kernel_info_request in 2s",
		"dropped because",
		"HMAC signature did not match the connection file's key",
		"is another kernel using these ports, or was the key changed?",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if got := c.Drops(); got.BadSignature < de.Dropped.BadSignature {
		t.Errorf("Drops() = %#v, fewer than the error's %#v", got, de.Dropped)
	}
}

// A message received twice, frame for frame, is delivered once, and the
// copy is counted as a replay.
func TestReplayedOutputIsDropped(t *testing.T) {
	k := newFakeKernel(t)
	var logs logRecorder
	c := connect(t, k, WithLogf(logs.logf))
	ctx := testContext(t)

	var out outputs
	reply, err := c.Execute(ctx, "replay", out.add)
	if err != nil {
		t.Fatal(err)
	}
	if got := out.stream("stdout"); got != "once\nafter\n" {
		t.Errorf("stdout = %q, want the replayed output once", got)
	}
	out.checkFraming(t)
	if want := (Drops{Replayed: 1}); reply.Dropped != want || c.Drops() != want {
		t.Errorf("reply.Dropped = %#v, Drops() = %#v, want %#v", reply.Dropped, c.Drops(), want)
	}
	if !logs.contains("replayed message") {
		t.Errorf("the replay was not logged: %q", logs.lines)
	}

	// Genuine messages still get through.
	out = outputs{}
	reply, err = c.Execute(ctx, "still works\n", out.add)
	if err != nil || reply.Status != "ok" || out.stream("stdout") != "still works\n" {
		t.Errorf("Execute after a replay = %+v, %v, stdout %q", reply, err, out.stream("stdout"))
	}
	if reply.Dropped != (Drops{}) {
		t.Errorf("reply.Dropped = %#v, want none", reply.Dropped)
	}
}

// A kernel that answers with an old reply, sent again, is not answering:
// the request times out, and its error names the replay.
func TestReplayedReplyIsReported(t *testing.T) {
	k := newFakeKernel(t)
	c := connect(t, k)

	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err := c.Execute(ctx, "replay-reply", nil)
	t.Log(err)
	var ee *ExecuteError
	if !errors.As(err, &ee) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Execute = %v, want an *ExecuteError for the deadline", err)
	}
	var de *DroppedError
	if !errors.As(err, &de) || de.Dropped != (Drops{Replayed: 1}) {
		t.Fatalf("error %q does not report one replayed message", err)
	}
	for _, want := range []string{"1 message from the kernel was dropped because it repeated the signature of an earlier message", "replay"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// A timeout without drops reads as before.
func TestTimeoutWithoutDrops(t *testing.T) {
	k := newFakeKernel(t)
	c := connect(t, k)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Execute(ctx, "sleep", nil)
	var de *DroppedError
	if !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &de) || strings.Contains(err.Error(), "dropped") {
		t.Errorf("Execute = %v, want the deadline and no drops", err)
	}
	if err := c.Interrupt(testContext(t)); err != nil {
		t.Fatal(err)
	}
}

func TestDropsString(t *testing.T) {
	for _, tc := range []struct {
		d    Drops
		want string
	}{
		{Drops{}, ""},
		{Drops{BadSignature: 3}, "3 messages from the kernel were dropped because their HMAC signature did not match the connection file's key: is another kernel using these ports, or was the key changed?"},
		{Drops{BadSignature: 1}, "1 message from the kernel was dropped because its HMAC signature did not match the connection file's key: is another kernel using these ports, or was the key changed?"},
		{Drops{Replayed: 2, Malformed: 1}, "2 messages from the kernel were dropped because they repeated the signature of an earlier message (a replay, which Jupyter rejects): is another program sending to these ports?; " +
			"1 message from the kernel was dropped because it was not a well-formed Jupyter message"},
	} {
		if got := tc.d.String(); got != tc.want {
			t.Errorf("%#v.String() =\n%q, want\n%q", tc.d, got, tc.want)
		}
	}
	if got := (Drops{1, 2, 3}).Total(); got != 6 {
		t.Errorf("Total = %d, want 6", got)
	}
}

func TestDecodeRejectsReplay(t *testing.T) {
	s := signer{key: []byte("key"), history: newDigestHistory(digestHistorySize)}
	encode := func(text string) [][]byte {
		frames, err := s.encode(&Message{
			Header:  newHeader("stream", "kernel-session", "kernel"),
			Content: json.RawMessage(`{"name":"stdout","text":"` + text + `"}`),
		})
		if err != nil {
			t.Fatal(err)
		}
		return frames
	}
	first, second := encode("same"), encode("same")
	for _, frames := range [][][]byte{first, second} {
		if _, err := s.decode(frames); err != nil {
			t.Fatalf("decode of a new message: %v", err)
		}
	}
	if _, err := s.decode(first); !errors.Is(err, errReplayed) {
		t.Errorf("decode of the same frames again: error = %v, want a replay", err)
	}
	// The same signature in upper case passes verify, so it must be a
	// replay too.
	upper := cloneFrames(first)
	upper[1] = bytes.ToUpper(upper[1])
	if _, err := s.decode(upper); !errors.Is(err, errReplayed) {
		t.Errorf("decode with the signature in upper case: error = %v, want a replay", err)
	}
	// A forged copy is a bad signature, and does not make the genuine
	// message a replay.
	third := encode("third")
	forged := cloneFrames(third)
	forged[1] = bytes.Repeat([]byte("0"), 64)
	if _, err := s.decode(forged); !errors.Is(err, errBadSignature) {
		t.Errorf("forged: error = %v, want a bad signature", err)
	}
	if _, err := s.decode(third); err != nil {
		t.Errorf("genuine after forged: %v", err)
	}

	// Without a history, or without a key, nothing is a replay.
	for _, s := range []signer{{key: []byte("key")}, {history: newDigestHistory(4)}} {
		frames, err := s.encode(&Message{Header: newHeader("status", "k", "k")})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			if _, err := s.decode(frames); err != nil {
				t.Errorf("key %q, history %v: decode %d: %v", s.key, s.history != nil, i, err)
			}
		}
	}
}

// The history is bounded: past its size it forgets the oldest signature
// first.
func TestDigestHistoryBounded(t *testing.T) {
	h := newDigestHistory(3)
	d := func(i byte) digest { return digest{i} }
	for i := range byte(3) {
		if !h.add(d(i)) {
			t.Fatalf("add(%d) = false on first sight", i)
		}
	}
	if h.add(d(0)) || h.add(d(2)) {
		t.Error("add of a remembered digest = true")
	}
	if !h.add(d(3)) { // forgets 0
		t.Fatal("add(3) = false")
	}
	if !h.add(d(0)) { // forgets 1
		t.Error("digest 0 still remembered after 3 newer ones")
	}
	if h.add(d(2)) || h.add(d(3)) {
		t.Error("a digest among the last 3 was forgotten")
	}
	if len(h.seen) != 3 || len(h.order) != 3 {
		t.Errorf("history holds %d (order %d), want 3", len(h.seen), len(h.order))
	}
}
