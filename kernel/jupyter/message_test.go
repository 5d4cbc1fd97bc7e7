package jupyter

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"testing"
	"time"
)

// hmacSHA256 is HMAC (RFC 2104) written out by hand, to check signer
// independently of crypto/hmac.
func hmacSHA256(key, msg []byte) []byte {
	const blockSize = 64
	if len(key) > blockSize {
		sum := sha256.Sum256(key)
		key = sum[:]
	}
	k := make([]byte, blockSize)
	copy(k, key)
	inner, outer := make([]byte, blockSize), make([]byte, blockSize)
	for i := range k {
		inner[i] = k[i] ^ 0x36
		outer[i] = k[i] ^ 0x5c
	}
	innerSum := sha256.Sum256(append(inner, msg...))
	outerSum := sha256.Sum256(append(outer, innerSum[:]...))
	return outerSum[:]
}

func TestSignKnownVector(t *testing.T) {
	signed := [][]byte{
		[]byte(`{"msg_id":"1"}`),
		[]byte(`{}`),
		[]byte(`{}`),
		[]byte(`{"code":"x"}`),
	}
	// Computed with Python: hmac.new(b"secret", b"".join(frames), hashlib.sha256).hexdigest()
	const want = "6d4e96e072a7d545daf167071b1f625b663fcd9227dc75b9859ef0fcf0aef780"

	s := signer{key: []byte("secret")}
	if got := string(s.sign(signed)); got != want {
		t.Errorf("sign = %s, want %s", got, want)
	}
	byHand := hex.EncodeToString(hmacSHA256([]byte("secret"), bytes.Join(signed, nil)))
	if byHand != want {
		t.Errorf("HMAC by hand = %s, want %s", byHand, want)
	}
	if !s.verify([]byte(want), signed) {
		t.Error("verify rejects the known signature")
	}

	// With an empty key nothing is signed and nothing is checked.
	none := signer{}
	if got := none.sign(signed); len(got) != 0 {
		t.Errorf("sign with empty key = %q, want empty", got)
	}
	if !none.verify(nil, signed) {
		t.Error("verify with empty key rejects an unsigned message")
	}
}

func TestDecodeRejectsTampering(t *testing.T) {
	s := signer{key: []byte("0123456789abcdef")}
	m := &Message{
		Header:  newHeader("execute_request", "session", "user"),
		Content: json.RawMessage(`{"code":"1+1"}`),
	}
	frames, err := s.encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.decode(frames); err != nil {
		t.Fatalf("decode of an untouched message: %v", err)
	}

	// frames: delimiter, signature, header, parent, metadata, content.
	for i, name := range map[int]string{1: "signature", 2: "header", 3: "parent header", 4: "metadata", 5: "content"} {
		tampered := cloneFrames(frames)
		tampered[i][len(tampered[i])/2] ^= 1
		if _, err := s.decode(tampered); !errors.Is(err, errBadSignature) {
			t.Errorf("tampered %s: decode error = %v, want a bad signature", name, err)
		}
	}
	other := signer{key: []byte("another key")}
	if _, err := other.decode(frames); !errors.Is(err, errBadSignature) {
		t.Errorf("decode with the wrong key: error = %v, want a bad signature", err)
	}
	notHex := cloneFrames(frames)
	notHex[1] = []byte("zz")
	if _, err := s.decode(notHex); !errors.Is(err, errBadSignature) {
		t.Errorf("non-hex signature: error = %v, want a bad signature", err)
	}
}

func cloneFrames(frames [][]byte) [][]byte {
	out := make([][]byte, len(frames))
	for i, f := range frames {
		out[i] = bytes.Clone(f)
	}
	return out
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	s := signer{key: []byte("key")}
	parent := newHeader("execute_request", "session", "user")
	m := &Message{
		Identities:   [][]byte{[]byte("id-1"), {0, 1, 2}},
		Header:       newHeader("display_data", "kernel-session", "kernel"),
		ParentHeader: parent,
		Metadata:     map[string]any{"n": 1.5, "tag": "x"},
		Content:      json.RawMessage(`{"data":{"text/plain":"hi"}}`),
		Buffers:      [][]byte{{0xff, 0x00}, []byte("second buffer")},
	}
	frames, err := s.encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 2+1+1+4+2 {
		t.Fatalf("got %d frames, want 10", len(frames))
	}
	if string(frames[2]) != delimiter {
		t.Errorf("frame 2 = %q, want the delimiter", frames[2])
	}
	if !bytes.Equal(frames[8], []byte{0xff, 0x00}) || string(frames[9]) != "second buffer" {
		t.Errorf("buffers are not the last frames: %q", frames[8:])
	}
	got, err := s.decode(frames)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, m)
	}

	// A message without identities, parent, metadata or buffers (what a
	// client sends on a DEALER socket).
	bare := &Message{Header: newHeader("kernel_info_request", "session", "user")}
	frames, err = s.encode(bare)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 6 || string(frames[0]) != delimiter {
		t.Fatalf("bare message frames = %q, want delimiter first and 6 frames", frames)
	}
	for i, name := range map[int]string{3: "parent header", 4: "metadata", 5: "content"} {
		if string(frames[i]) != "{}" {
			t.Errorf("%s frame = %s, want {}", name, frames[i])
		}
	}
	got, err = s.decode(frames)
	if err != nil {
		t.Fatal(err)
	}
	if got.Identities != nil || got.Buffers != nil || got.ParentHeader != (Header{}) || len(got.Metadata) != 0 {
		t.Errorf("bare message decoded as %+v", got)
	}
}

func TestDecodeMalformed(t *testing.T) {
	s := signer{}
	for name, frames := range map[string][][]byte{
		"no delimiter":    {[]byte("id"), []byte("sig"), []byte("{}"), []byte("{}"), []byte("{}"), []byte("{}")},
		"too few frames":  {[]byte(delimiter), []byte(""), []byte("{}"), []byte("{}"), []byte("{}")},
		"header not JSON": {[]byte(delimiter), []byte(""), []byte("{"), []byte("{}"), []byte("{}"), []byte("{}")},
	} {
		if _, err := s.decode(frames); err == nil {
			t.Errorf("%s: decode succeeded", name)
		}
	}
}

func TestHeader(t *testing.T) {
	h := newHeader("execute_request", "the-session", "me")
	if h.Version != "5.3" || h.Session != "the-session" || h.Username != "me" || h.MsgType != "execute_request" {
		t.Errorf("newHeader = %+v", h)
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`).MatchString(h.Date) {
		t.Errorf("date %q is not RFC 3339 UTC with milliseconds", h.Date)
	}
	if d, err := time.Parse(time.RFC3339Nano, h.Date); err != nil || time.Since(d) > time.Minute {
		t.Errorf("date %q: %v", h.Date, err)
	}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if !uuid.MatchString(h.MsgID) {
		t.Errorf("msg_id %q is not a random UUID", h.MsgID)
	}
	if other := newHeader("x", "s", "u"); other.MsgID == h.MsgID {
		t.Error("two headers share a msg_id")
	}

	data, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]string
	if err := json.Unmarshal(data, &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"msg_id", "session", "username", "date", "msg_type", "version"} {
		if fields[k] == "" {
			t.Errorf("encoded header %s lacks %q", data, k)
		}
	}
	if data, _ := json.Marshal(Header{}); string(data) != "{}" {
		t.Errorf("zero header encodes as %s, want {}", data)
	}
}

func TestMessageDecode(t *testing.T) {
	m := &Message{Header: Header{MsgType: "stream"}, Content: json.RawMessage(`{"name":"stdout","text":"hi"}`)}
	var s struct{ Name, Text string }
	if err := m.Decode(&s); err != nil || s.Name != "stdout" || s.Text != "hi" {
		t.Errorf("Decode = %+v, %v", s, err)
	}
	m.Content = json.RawMessage(`[`)
	if err := m.Decode(&s); err == nil {
		t.Error("Decode of invalid JSON succeeded")
	}
}
