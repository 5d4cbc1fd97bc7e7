package jupyter

import (
	"testing"
	"time"
)

// A kernel that asks for input although allow_stdin is false (GoNB does)
// waits for an answer: Execute passes the input_request to onIOPub, so
// that the caller can stop the execution.
func TestExecutePassesInputRequest(t *testing.T) {
	asked := make(chan struct{}, 1)
	k := newFakeKernel(t, func(k *fakeKernel) {
		k.beforeTail = func(req *Message) {
			m := k.message(req, "input_request", map[string]any{"prompt": "name: ", "password": false})
			m.Identities = req.Identities
			k.sendOn(k.stdin, m, nil)
			select {
			case <-asked:
			case <-time.After(testTimeout):
				t.Error("the input_request did not reach onIOPub")
			}
		}
	})
	c := connect(t, k)

	var out outputs
	_, err := c.Execute(testContext(t), "reply-first", func(m *Message) {
		out.add(m)
		if m.Header.MsgType == "input_request" {
			asked <- struct{}{}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !out.has("input_request") {
		t.Errorf("iopub = %v, want the input_request among them", out.types())
	}
}
