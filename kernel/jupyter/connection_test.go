package jupyter

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestConnectionInfo(t *testing.T) {
	info, err := NewConnectionInfo()
	if err != nil {
		t.Fatal(err)
	}
	if info.Transport != "tcp" || info.IP != "127.0.0.1" || info.SignatureScheme != "hmac-sha256" {
		t.Errorf("NewConnectionInfo = %+v", info)
	}
	ports := map[int]bool{}
	for _, p := range []int{info.ShellPort, info.IOPubPort, info.StdinPort, info.ControlPort, info.HBPort} {
		if p <= 0 || ports[p] {
			t.Errorf("bad or repeated port %d in %+v", p, info)
		}
		ports[p] = true
	}
	if key, err := hex.DecodeString(info.Key); err != nil || len(key) != 32 {
		t.Errorf("key %q is not 32 hex-encoded bytes", info.Key)
	}
	if other, _ := NewConnectionInfo(); other != nil && other.Key == info.Key {
		t.Error("two connection infos share a key")
	}

	path := filepath.Join(t.TempDir(), "kernel.json")
	if err := os.WriteFile(path, []byte("old, world-readable"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := info.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("connection file mode = %v, want 0600", st.Mode().Perm())
	}

	// The field names are those of the Jupyter connection file.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(data, &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"transport", "ip", "shell_port", "iopub_port", "stdin_port", "control_port", "hb_port", "signature_scheme", "key"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("connection file lacks %q: %s", k, data)
		}
	}
	if _, ok := fields["kernel_name"]; ok {
		t.Errorf("empty kernel_name written: %s", data)
	}

	read, err := ReadConnectionFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(read, info) {
		t.Errorf("ReadConnectionFile = %+v, want %+v", read, info)
	}

	if _, err := ReadConnectionFile(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("ReadConnectionFile of a missing file succeeded")
	}
}

func TestEndpoint(t *testing.T) {
	for _, tc := range []struct {
		info ConnectionInfo
		want string
	}{
		{ConnectionInfo{Transport: "tcp", IP: "127.0.0.1"}, "tcp://127.0.0.1:5555"},
		{ConnectionInfo{Transport: "tcp", IP: "::1"}, "tcp://[::1]:5555"},
		{ConnectionInfo{Transport: "ipc", IP: "/tmp/kernel"}, "ipc:///tmp/kernel-5555"},
	} {
		if got, err := tc.info.endpoint(5555); err != nil || got != tc.want {
			t.Errorf("endpoint(%+v) = %q, %v; want %q", tc.info, got, err, tc.want)
		}
	}
	if _, err := (&ConnectionInfo{Transport: "udp"}).endpoint(1); err == nil {
		t.Error("endpoint accepted transport udp")
	}
}
