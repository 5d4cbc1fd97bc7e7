package jupyter

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ProtocolVersion is the Jupyter messaging protocol version this client
// puts in the headers it sends.
const ProtocolVersion = "5.3"

// delimiter separates the routing identities from the signed part of a
// message on the wire.
const delimiter = "<IDS|MSG>"

// dateLayout is RFC 3339 with milliseconds; dates are always written in UTC.
const dateLayout = "2006-01-02T15:04:05.000Z07:00"

// errBadSignature marks a received message whose HMAC does not match.
var errBadSignature = errors.New("bad message signature")

// errReplayed marks a received message whose signature is that of a
// message received before: the same message sent again (a replay).
var errReplayed = errors.New("replayed message (its signature was seen before)")

// Header is a Jupyter message header, as found in both the header and the
// parent_header frames.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"` // RFC 3339 with milliseconds, UTC
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"` // ProtocolVersion
}

// MarshalJSON encodes h, writing the zero Header as {} as the protocol
// requires for a message that has no parent.
func (h Header) MarshalJSON() ([]byte, error) {
	if h == (Header{}) {
		return []byte("{}"), nil
	}
	type plain Header // without this method
	return json.Marshal(plain(h))
}

// Message is one Jupyter message, decoded from (or to be encoded to) its
// multipart wire form.
type Message struct {
	// Identities are the routing frames before the <IDS|MSG> delimiter.
	// On iopub they hold the topic; a client sending on a DEALER socket
	// leaves them empty.
	Identities [][]byte
	// Header describes this message.
	Header Header
	// ParentHeader is the header of the request this message answers; the
	// zero value is encoded as {}.
	ParentHeader Header
	// Metadata is free-form; nil is encoded as {}.
	Metadata map[string]any
	// Content is the message type's payload, kept as raw JSON; see Decode.
	// Empty content is encoded as {}.
	Content json.RawMessage
	// Buffers are the optional binary frames after the content.
	Buffers [][]byte
}

// Decode unmarshals the message content into v.
func (m *Message) Decode(v any) error {
	if err := json.Unmarshal(m.Content, v); err != nil {
		return fmt.Errorf("jupyter: decoding %s content: %w", m.Header.MsgType, err)
	}
	return nil
}

// newHeader returns the header of a fresh message of the given type.
func newHeader(msgType, session, username string) Header {
	return Header{
		MsgID:    newID(),
		Session:  session,
		Username: username,
		Date:     time.Now().UTC().Format(dateLayout),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

// newID returns a random version 4 UUID in its usual text form.
func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand.Read never fails on supported platforms.
		panic(fmt.Sprintf("jupyter: crypto/rand failed: %v", err))
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// signer computes and checks message signatures with HMAC-SHA256. A signer
// with an empty key neither signs nor verifies, as the protocol specifies
// for an empty connection key.
type signer struct {
	key []byte
	// history, if not nil, makes decode reject a message whose signature
	// it has seen before.
	history *digestHistory
}

// sign returns the hex-encoded HMAC of the four signed frames: header,
// parent header, metadata and content, in that order.
func (s signer) sign(signed [][]byte) []byte {
	if len(s.key) == 0 {
		return []byte{}
	}
	mac := hmac.New(sha256.New, s.key)
	for _, f := range signed {
		mac.Write(f)
	}
	sum := mac.Sum(nil)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

// verify reports whether signature is the HMAC of the signed frames.
func (s signer) verify(signature []byte, signed [][]byte) bool {
	if len(s.key) == 0 {
		return true
	}
	got := make([]byte, hex.DecodedLen(len(signature)))
	if _, err := hex.Decode(got, signature); err != nil {
		return false
	}
	mac := hmac.New(sha256.New, s.key)
	for _, f := range signed {
		mac.Write(f)
	}
	return hmac.Equal(mac.Sum(nil), got)
}

// encode returns the wire frames of m, signed by s: identities, the
// delimiter, the signature, the four JSON frames and the buffers.
func (s signer) encode(m *Message) ([][]byte, error) {
	header, err := json.Marshal(m.Header)
	if err != nil {
		return nil, fmt.Errorf("jupyter: encoding header: %w", err)
	}
	parent, err := json.Marshal(m.ParentHeader)
	if err != nil {
		return nil, fmt.Errorf("jupyter: encoding parent header: %w", err)
	}
	metadata := []byte("{}")
	if m.Metadata != nil {
		if metadata, err = json.Marshal(m.Metadata); err != nil {
			return nil, fmt.Errorf("jupyter: encoding metadata: %w", err)
		}
	}
	content := []byte("{}")
	if len(m.Content) > 0 {
		content = m.Content
	}
	signed := [][]byte{header, parent, metadata, content}

	frames := make([][]byte, 0, len(m.Identities)+2+len(signed)+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, []byte(delimiter), s.sign(signed))
	frames = append(frames, signed...)
	frames = append(frames, m.Buffers...)
	return frames, nil
}

// decode parses wire frames into a Message after checking their signature.
// A signature mismatch is reported as an error wrapping errBadSignature; a
// valid signature that s.history has seen before as one wrapping
// errReplayed.
func (s signer) decode(frames [][]byte) (*Message, error) {
	i := 0
	for i < len(frames) && !bytes.Equal(frames[i], []byte(delimiter)) {
		i++
	}
	if i == len(frames) {
		return nil, errors.New("jupyter: no <IDS|MSG> delimiter in message")
	}
	if len(frames) < i+6 {
		return nil, fmt.Errorf("jupyter: message has %d frames after the delimiter, want at least 5", len(frames)-i-1)
	}
	signature, signed := frames[i+1], frames[i+2:i+6]
	if !s.verify(signature, signed) {
		return nil, fmt.Errorf("jupyter: %w", errBadSignature)
	}
	if s.history != nil && len(s.key) > 0 {
		// verify accepted it, so it is the hex form of a whole HMAC. The
		// decoded bytes are what is compared: "AB" and "ab" are the same
		// signature to verify, so they must be to the history too.
		var d digest
		if _, err := hex.Decode(d[:], signature); err != nil {
			return nil, fmt.Errorf("jupyter: %w", errBadSignature)
		}
		if !s.history.add(d) {
			return nil, fmt.Errorf("jupyter: %w", errReplayed)
		}
	}

	m := &Message{Content: json.RawMessage(signed[3])}
	if i > 0 {
		m.Identities = frames[:i]
	}
	if len(frames) > i+6 {
		m.Buffers = frames[i+6:]
	}
	if err := json.Unmarshal(signed[0], &m.Header); err != nil {
		return nil, fmt.Errorf("jupyter: decoding header: %w", err)
	}
	if err := json.Unmarshal(signed[1], &m.ParentHeader); err != nil {
		return nil, fmt.Errorf("jupyter: decoding parent header: %w", err)
	}
	if err := json.Unmarshal(signed[2], &m.Metadata); err != nil {
		return nil, fmt.Errorf("jupyter: decoding metadata: %w", err)
	}
	return m, nil
}

// digest is a decoded HMAC-SHA256 signature.
type digest [sha256.Size]byte

// digestHistorySize is how many signatures a Client remembers to
// recognize a replayed message: jupyter_client's default
// (Session.digest_history_size). A kernel signs a new header (with a new
// msg_id and date) into every message, so a kernel's own messages never
// repeat a signature.
const digestHistorySize = 1 << 16

// digestHistory remembers the signatures of the last size messages
// received, so that a message received a second time is recognized, as
// jupyter_client's Session does with its digest_history. When full it
// forgets the oldest signature (jupyter_client forgets a random tenth).
// It is safe for concurrent use.
type digestHistory struct {
	mu    sync.Mutex
	size  int
	seen  map[digest]bool
	order []digest // ring buffer of what seen holds, oldest at next once full
	next  int
}

func newDigestHistory(size int) *digestHistory {
	return &digestHistory{size: size, seen: make(map[digest]bool)}
}

// add records d; it reports false, and changes nothing, if d is already
// recorded.
func (h *digestHistory) add(d digest) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.seen[d] {
		return false
	}
	if len(h.order) < h.size {
		h.order = append(h.order, d)
	} else {
		delete(h.seen, h.order[h.next])
		h.order[h.next] = d
		h.next = (h.next + 1) % h.size
	}
	h.seen[d] = true
	return true
}
