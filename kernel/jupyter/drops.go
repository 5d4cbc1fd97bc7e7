package jupyter

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
)

// Drops counts the received messages a Client dropped, by reason. A
// dropped message is never delivered; if it was the reply a request waits
// for, the request can only time out, and its error then says what was
// dropped (see DroppedError).
type Drops struct {
	// BadSignature counts messages whose HMAC signature does not match
	// the connection file's key.
	BadSignature int64
	// Replayed counts messages whose signature is that of a message
	// received before: the same message sent a second time.
	Replayed int64
	// Malformed counts messages that are not Jupyter messages: no
	// <IDS|MSG> delimiter, too few frames, or JSON frames that do not
	// decode.
	Malformed int64
}

// Total returns the number of dropped messages.
func (d Drops) Total() int64 { return d.BadSignature + d.Replayed + d.Malformed }

// String says how many messages were dropped and why, one clause per
// reason, e.g. "3 messages from the kernel were dropped because their HMAC
// signature did not match the connection file's key: is another kernel
// using these ports, or was the key changed?". It is "" when none were.
func (d Drops) String() string {
	var parts []string
	if n := d.BadSignature; n > 0 {
		parts = append(parts, dropClause(n, "their HMAC signature did not match", "its HMAC signature did not match")+
			" the connection file's key: is another kernel using these ports, or was the key changed?")
	}
	if n := d.Replayed; n > 0 {
		parts = append(parts, dropClause(n, "they repeated the signature of", "it repeated the signature of")+
			" an earlier message (a replay, which Jupyter rejects): is another program sending to these ports?")
	}
	if n := d.Malformed; n > 0 {
		parts = append(parts, dropClause(n, "they were not well-formed Jupyter messages", "it was not a well-formed Jupyter message"))
	}
	return strings.Join(parts, "; ")
}

// dropClause returns "N messages from the kernel were dropped because
// PLURAL", or its singular with SINGULAR.
func dropClause(n int64, plural, singular string) string {
	if n == 1 {
		return "1 message from the kernel was dropped because " + singular
	}
	return fmt.Sprintf("%d messages from the kernel were dropped because %s", n, plural)
}

// since returns what was dropped after the counts were start.
func (d Drops) since(start Drops) Drops {
	return Drops{
		BadSignature: d.BadSignature - start.BadSignature,
		Replayed:     d.Replayed - start.Replayed,
		Malformed:    d.Malformed - start.Malformed,
	}
}

// dropCounter is the Client's running count of Drops.
type dropCounter struct {
	badSignature, replayed, malformed atomic.Int64
}

// add counts one message that decode rejected with err.
func (c *dropCounter) add(err error) {
	switch {
	case errors.Is(err, errBadSignature):
		c.badSignature.Add(1)
	case errors.Is(err, errReplayed):
		c.replayed.Add(1)
	default:
		c.malformed.Add(1)
	}
}

func (c *dropCounter) load() Drops {
	return Drops{
		BadSignature: c.badSignature.Load(),
		Replayed:     c.replayed.Load(),
		Malformed:    c.malformed.Load(),
	}
}

// DroppedError is the error of a request whose ctx ended while messages
// from the kernel were being dropped: one of them may have been the
// answer. It wraps ctx's error, so errors.Is(err,
// context.DeadlineExceeded) still holds.
type DroppedError struct {
	Err     error // ctx's error
	Dropped Drops // what was dropped since the request was sent
}

func (e *DroppedError) Error() string { return fmt.Sprintf("%v; %v", e.Err, e.Dropped) }

// Unwrap returns ctx's error.
func (e *DroppedError) Unwrap() error { return e.Err }
