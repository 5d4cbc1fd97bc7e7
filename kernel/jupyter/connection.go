package jupyter

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
)

// ConnectionInfo is the kernel connection file
// (https://jupyter-client.readthedocs.io/en/latest/kernels.html#connection-files).
//
// The kernel binds its five sockets to the ports named here; the client
// connects to them and signs every message with Key.
type ConnectionInfo struct {
	Transport       string `json:"transport"`        // "tcp" (or "ipc")
	IP              string `json:"ip"`               // "127.0.0.1"
	ShellPort       int    `json:"shell_port"`       // shell: requests and replies (ROUTER in the kernel)
	IOPubPort       int    `json:"iopub_port"`       // iopub: outputs and status broadcast (PUB in the kernel)
	StdinPort       int    `json:"stdin_port"`       // stdin: input requests from the kernel (ROUTER in the kernel)
	ControlPort     int    `json:"control_port"`     // control: interrupt and shutdown (ROUTER in the kernel)
	HBPort          int    `json:"hb_port"`          // heartbeat: ping echo (REP in the kernel)
	SignatureScheme string `json:"signature_scheme"` // "hmac-sha256"
	Key             string `json:"key"`              // HMAC key; empty disables signing
	KernelName      string `json:"kernel_name,omitempty"`
}

// SignatureSchemeHMACSHA256 is the only signature scheme this package
// implements, and the one NewConnectionInfo selects.
const SignatureSchemeHMACSHA256 = "hmac-sha256"

// NewConnectionInfo returns connection info for a kernel on the loopback
// interface: TCP transport, five currently free ports and a random key
// (32 random bytes, hex encoded).
//
// The ports are found by binding 127.0.0.1:0 five times at once and closing
// the listeners again, so another process could in principle take one of
// them before the kernel binds it; that is the usual Jupyter practice.
func NewConnectionInfo() (*ConnectionInfo, error) {
	const host = "127.0.0.1"
	var ports [5]int
	listeners := make([]net.Listener, 0, len(ports))
	defer func() {
		for _, l := range listeners {
			_ = l.Close()
		}
	}()
	for i := range ports {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, fmt.Errorf("jupyter: finding a free port: %w", err)
		}
		listeners = append(listeners, l)
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}

	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("jupyter: generating the signing key: %w", err)
	}
	return &ConnectionInfo{
		Transport:       "tcp",
		IP:              host,
		ShellPort:       ports[0],
		IOPubPort:       ports[1],
		StdinPort:       ports[2],
		ControlPort:     ports[3],
		HBPort:          ports[4],
		SignatureScheme: SignatureSchemeHMACSHA256,
		Key:             hex.EncodeToString(key),
	}, nil
}

// WriteFile writes c as JSON to path, readable only by its owner (mode
// 0600), since it holds the signing key.
func (c *ConnectionInfo) WriteFile(path string) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("jupyter: encoding connection info: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("jupyter: writing connection file: %w", err)
	}
	// os.WriteFile keeps the mode of a file that already existed.
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("jupyter: writing connection file: %w", err)
	}
	return nil
}

// ReadConnectionFile reads a connection file written by WriteFile or by
// Jupyter.
func ReadConnectionFile(path string) (*ConnectionInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("jupyter: reading connection file: %w", err)
	}
	var c ConnectionInfo
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("jupyter: parsing connection file %s: %w", path, err)
	}
	return &c, nil
}

// endpoint returns the ZeroMQ address of the given port, in the same form
// GoNB binds it.
func (c *ConnectionInfo) endpoint(port int) (string, error) {
	switch c.Transport {
	case "tcp":
		return fmt.Sprintf("tcp://%s", net.JoinHostPort(c.IP, fmt.Sprint(port))), nil
	case "ipc":
		return fmt.Sprintf("ipc://%s-%d", c.IP, port), nil
	default:
		return "", fmt.Errorf("jupyter: unsupported transport %q", c.Transport)
	}
}
