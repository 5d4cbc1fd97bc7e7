//go:build unix

// Command lspshim stands in for gopls on the dlnb kernel's PATH, where it
// is installed as bin/lsp/gopls, with the real gopls next to it as
// gopls-real. It passes GoNB's messages to gopls and gopls's answers back,
// and repairs one kind of message on the way.
//
// GoNB v0.11.1 tells gopls that a file changed by sending its whole new
// text, as a content change whose range is empty at the file's start (its
// LSP library has no way to leave the range out). gopls reads that as
// "insert this text at the start", so it then holds the new text followed
// by the old. For a cell's main.go that is harmless, but a go.mod that the
// kernel changed becomes two go.mod files in one, which gopls cannot
// parse: code completion and inspection then stop working until the
// kernel restarts. lspshim removes that empty range, so that gopls
// replaces the whole file, as GoNB means.
//
// GoNB starts gopls as `gopls -listen ADDR` and connects to ADDR. lspshim
// listens there itself and serves each connection with a gopls of its
// own that talks over stdin and stdout; that gopls ends when the
// connection closes or lspshim ends. Any other command line is passed to
// the real gopls unchanged.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

func main() {
	real, err := realGopls()
	if err == nil {
		addr, ok := listenAddr(os.Args[1:])
		if !ok {
			err = syscall.Exec(real, append([]string{"gopls"}, os.Args[1:]...), os.Environ())
		} else {
			err = serve(addr, real)
		}
	}
	fmt.Fprintf(os.Stderr, "dlnb's gopls wrapper: %v; reinstall the kernel with `dlnb install`\n", err)
	os.Exit(2)
}

// realGopls returns the path of the real gopls, gopls-real next to this
// program.
func realGopls() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	real := filepath.Join(filepath.Dir(self), "gopls-real")
	if _, err := os.Stat(real); err != nil {
		return "", fmt.Errorf("the real gopls is missing: %v", err)
	}
	return real, nil
}

// listenAddr returns ADDR if args are GoNB's `-listen ADDR` (or
// -listen=ADDR) and nothing else.
func listenAddr(args []string) (string, bool) {
	switch {
	case len(args) == 2 && (args[0] == "-listen" || args[0] == "--listen"):
		return args[1], true
	case len(args) == 1 && strings.HasPrefix(strings.TrimLeft(args[0], "-"), "listen="):
		_, addr, _ := strings.Cut(args[0], "=")
		return addr, true
	}
	return "", false
}

// serve listens on addr, in gopls's syntax ("unix;PATH", a path, or
// HOST:PORT), and serves every connection with a gopls of its own.
func serve(addr, real string) error {
	network, address := "tcp", addr
	if rest, ok := strings.CutPrefix(addr, "unix;"); ok {
		network, address = "unix", rest
	} else if strings.HasPrefix(addr, "/") {
		network = "unix"
	}
	ln, err := net.Listen(network, address)
	if err != nil {
		return err
	}
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go session(conn, real)
	}
}

// session runs a gopls on stdin and stdout for one connection, repairing
// the messages to it with forward, until either side ends.
func session(conn net.Conn, real string) {
	defer conn.Close()
	cmd := exec.Command(real)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "dlnb's gopls wrapper: %v\n", err)
		return
	}
	go func() {
		io.Copy(conn, stdout)
		conn.Close() // gopls ended: end the connection too
	}()
	if err := forward(stdin, conn); err != nil {
		fmt.Fprintf(os.Stderr, "dlnb's gopls wrapper: %v\n", err)
	}
	stdin.Close() // gopls ends at the end of its input
	cmd.Wait()
}

// forward copies LSP messages (a header with Content-Length, a blank
// line, a JSON body) from src to dst, passing each body through repair.
// It returns nil at the end of src.
func forward(dst io.Writer, src io.Reader) error {
	r := textproto.NewReader(bufio.NewReader(src))
	for {
		header, err := r.ReadMIMEHeader()
		if err == io.EOF && len(header) == 0 {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading a message header: %v", err)
		}
		n, err := strconv.Atoi(header.Get("Content-Length"))
		if err != nil || n < 0 {
			return fmt.Errorf("a message header without a valid Content-Length: %v", header)
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r.R, body); err != nil {
			return fmt.Errorf("reading a message of %d bytes: %v", n, err)
		}
		body = repair(body)
		if _, err := fmt.Fprintf(dst, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
			return err
		}
	}
}

// repair returns body with GoNB's whole-file changes made whole-file: in a
// textDocument/didChange notification, a content change with a text and
// an empty range at the start of the file (and no rangeLength) loses its
// range. Every other message comes back unchanged.
func repair(body []byte) []byte {
	if !bytes.Contains(body, []byte(`"textDocument/didChange"`)) {
		return body
	}
	var msg map[string]json.RawMessage
	if json.Unmarshal(body, &msg) != nil {
		return body
	}
	var method string
	var params map[string]json.RawMessage
	if json.Unmarshal(msg["method"], &method) != nil || method != "textDocument/didChange" ||
		json.Unmarshal(msg["params"], &params) != nil {
		return body
	}
	var changes []map[string]json.RawMessage
	if json.Unmarshal(params["contentChanges"], &changes) != nil {
		return body
	}
	repaired := false
	for _, c := range changes {
		if wholeFile(c) {
			delete(c, "range")
			delete(c, "rangeLength")
			repaired = true
		}
	}
	if !repaired {
		return body
	}
	var err error
	if params["contentChanges"], err = json.Marshal(changes); err != nil {
		return body
	}
	if msg["params"], err = json.Marshal(params); err != nil {
		return body
	}
	out, err := json.Marshal(msg)
	if err != nil {
		return body
	}
	return out
}

// wholeFile reports whether the content change c is GoNB's whole new
// text: a text, with a range from line 0, character 0 to the same place,
// and no rangeLength or 0.
func wholeFile(c map[string]json.RawMessage) bool {
	type position struct{ Line, Character int }
	var rng struct{ Start, End position }
	if _, ok := c["text"]; !ok || json.Unmarshal(c["range"], &rng) != nil {
		return false
	}
	if n, ok := c["rangeLength"]; ok && string(n) != "0" {
		return false
	}
	return rng.Start == position{} && rng.End == position{}
}
