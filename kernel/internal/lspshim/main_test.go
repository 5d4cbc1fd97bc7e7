//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// frame is one LSP message as it travels: header, blank line, body.
func frame(body string, extraHeader string) string {
	return fmt.Sprintf("Content-Length: %d\r\n%s\r\n%s", len(body), extraHeader, body)
}

// GoNB's notification that go.mod changed, as its LSP library writes it:
// the whole new text with an empty range at the start.
const gonbChange = `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///tmp/gonb/go.mod","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"module gonb_1\n\ngo 1.26\n"}]}}`

func TestRepairMakesGoNBChangesWholeFile(t *testing.T) {
	out := repair([]byte(gonbChange))
	var msg struct {
		Method string
		Params struct {
			TextDocument struct {
				URI     string
				Version int
			}
			ContentChanges []map[string]any
		}
	}
	if err := json.Unmarshal(out, &msg); err != nil {
		t.Fatal(err)
	}
	c := msg.Params.ContentChanges
	if len(c) != 1 || c[0]["text"] != "module gonb_1\n\ngo 1.26\n" {
		t.Fatalf("changes = %v, want the one text kept", c)
	}
	if _, ok := c[0]["range"]; ok {
		t.Errorf("the empty range is still there: %s", out)
	}
	if msg.Method != "textDocument/didChange" || msg.Params.TextDocument.URI != "file:///tmp/gonb/go.mod" || msg.Params.TextDocument.Version != 2 {
		t.Errorf("the rest of the message changed: %s", out)
	}
}

func TestRepairLeavesOtherMessagesAlone(t *testing.T) {
	for _, body := range []string{
		// a real edit: a range that is not empty at the start
		`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///a.go","version":3},"contentChanges":[{"range":{"start":{"line":2,"character":0},"end":{"line":2,"character":4}},"text":"x"}]}}`,
		// an empty range with a rangeLength: not GoNB's whole file
		`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///a.go","version":3},"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"rangeLength":5,"text":"x"}]}}`,
		// already whole-file
		`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///a.go","version":3},"contentChanges":[{"text":"package main"}]}}`,
		// other methods, even ones that mention didChange
		`{"jsonrpc":"2.0","id":1,"method":"textDocument/completion","params":{"textDocument":{"uri":"file:///a.go"},"position":{"line":0,"character":0}}}`,
		`{"jsonrpc":"2.0","id":2,"method":"workspace/executeCommand","params":{"command":"textDocument/didChange"}}`,
		`not json at all`,
	} {
		if got := repair([]byte(body)); string(got) != body {
			t.Errorf("repair changed\n%s\nto\n%s", body, got)
		}
	}
}

func TestForward(t *testing.T) {
	completion := `{"jsonrpc":"2.0","id":7,"method":"textDocument/completion","params":{}}`
	in := frame(completion, "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n") + frame(gonbChange, "") + frame(completion, "")
	var out bytes.Buffer
	if err := forward(&out, strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	want := frame(completion, "") + frame(string(repair([]byte(gonbChange))), "") + frame(completion, "")
	if out.String() != want {
		t.Errorf("forwarded\n%q\nwant\n%q", out.String(), want)
	}
	if strings.Contains(out.String(), `"range"`) {
		t.Error("the whole-file change still has a range")
	}
}

func TestForwardErrors(t *testing.T) {
	for in, want := range map[string]string{
		"Content-Length: x\r\n\r\n{}":   "valid Content-Length",
		"Content-Length: 10\r\n\r\n{}":  "reading a message of 10 bytes",
		"Content-Type: text\r\n\r\n{}":  "valid Content-Length",
		"Content-Length: 2\r\n{}":       "header",
		"Content-Length: 2\r\n\r\n{}Co": "header",
	} {
		err := forward(&bytes.Buffer{}, strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("forward(%q) = %v, want an error about %q", in, err, want)
		}
	}
	if err := forward(&bytes.Buffer{}, strings.NewReader("")); err != nil {
		t.Errorf("forward at once at the end = %v, want nil", err)
	}
}

func TestListenAddr(t *testing.T) {
	for _, tt := range []struct {
		args []string
		addr string
		ok   bool
	}{
		{[]string{"-listen", "unix;/tmp/x"}, "unix;/tmp/x", true},
		{[]string{"-listen=/tmp/x"}, "/tmp/x", true},
		{[]string{"--listen=localhost:1"}, "localhost:1", true},
		{[]string{"version"}, "", false},
		{[]string{"-listen", "a", "-rpc.trace"}, "", false},
		{nil, "", false},
	} {
		addr, ok := listenAddr(tt.args)
		if addr != tt.addr || ok != tt.ok {
			t.Errorf("listenAddr(%q) = %q, %v; want %q, %v", tt.args, addr, ok, tt.addr, tt.ok)
		}
	}
}
