package jupyter

import (
	"encoding/json"
	"strings"
	"testing"
)

// outputs records the iopub messages passed to an onIOPub callback.
type outputs struct {
	msgs []*Message
}

func (o *outputs) add(m *Message) { o.msgs = append(o.msgs, m) }

// types lists the message types, status messages as "status:STATE".
func (o *outputs) types() []string {
	var ts []string
	for _, m := range o.msgs {
		t := m.Header.MsgType
		if t == "status" {
			t += ":" + executionState(m)
		}
		ts = append(ts, t)
	}
	return ts
}

// stream concatenates the text of the stream messages with the given name.
func (o *outputs) stream(name string) string {
	var b strings.Builder
	for _, m := range o.msgs {
		if m.Header.MsgType != "stream" {
			continue
		}
		var s struct {
			Name string `json:"name"`
			Text string `json:"text"`
		}
		if json.Unmarshal(m.Content, &s) == nil && s.Name == name {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// has reports whether a message of the given type was recorded.
func (o *outputs) has(msgType string) bool {
	for _, m := range o.msgs {
		if m.Header.MsgType == msgType {
			return true
		}
	}
	return false
}

// checkFraming checks that the recorded messages all have the same parent
// and go from a busy status to a single, final idle status.
func (o *outputs) checkFraming(t *testing.T) {
	t.Helper()
	if len(o.msgs) < 2 {
		t.Fatalf("got iopub %v, want at least busy and idle", o.types())
	}
	if m := o.msgs[0]; m.Header.MsgType != "status" || executionState(m) != "busy" {
		t.Errorf("first iopub message is %v, want status busy", o.types()[0])
	}
	for i, m := range o.msgs {
		if m.ParentHeader.MsgID != o.msgs[0].ParentHeader.MsgID {
			t.Errorf("message %d has parent %q, want %q", i, m.ParentHeader.MsgID, o.msgs[0].ParentHeader.MsgID)
		}
		if isIdle(m) != (i == len(o.msgs)-1) {
			t.Errorf("idle status at %d of %v, want it only last", i, o.types())
		}
	}
}

func executionState(m *Message) string {
	var s struct {
		ExecutionState string `json:"execution_state"`
	}
	_ = json.Unmarshal(m.Content, &s)
	return s.ExecutionState
}
