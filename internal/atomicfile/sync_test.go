//go:build unix

package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Write syncs the folder of the file it replaced, after the rename, and
// reports when that fails.
func TestWriteSyncsTheFolder(t *testing.T) {
	orig := syncDir
	defer func() { syncDir = orig }()
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	if err := os.Symlink("sub/f", filepath.Join(dir, "link")); err != nil {
		t.Skip(err)
	}
	var synced []string
	syncDir = func(d string) error {
		b, err := os.ReadFile(filepath.Join(d, "f"))
		if err != nil || string(b) != "new" {
			t.Errorf("the folder was synced before the rename: %q, %v", b, err)
		}
		synced = append(synced, d)
		return orig(d)
	}
	write := func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }
	if err := Write(filepath.Join(dir, "link"), write); err != nil {
		t.Fatal(err)
	}
	if len(synced) != 1 || synced[0] != sub {
		t.Errorf("synced %q, want the folder of the link's target, %q", synced, sub)
	}

	syncDir = func(string) error { return errors.New("I/O error") }
	err := Write(filepath.Join(sub, "f"), write)
	if err == nil || !strings.Contains(err.Error(), "is written, but syncing its folder failed") {
		t.Errorf("Write with a failing folder sync: %v", err)
	}
}

func TestParseTemp(t *testing.T) {
	tests := []struct {
		file string
		pid  int
		ok   bool
	}{
		{TempName("m.dlnb", 123, 456), 123, true},
		{".m.dlnb.123-456.tmp", 123, true},
		{".m.dlnb.123-4294967295.tmp", 123, true},
		{".m.dlnb.2147483647-1.tmp", 2147483647, true},
		{".m.dlnb.2147483648-1.tmp", 0, false}, // no such pid
		{".m.dlnb.0-1.tmp", 0, false},          // kill(0, …) would mean the group
		{".m.dlnb.-1-1.tmp", 0, false},
		{".m.dlnb.123-4294967296.tmp", 0, false},
		{".m.dlnb.123.tmp", 0, false},
		{".m.dlnb.x-1.tmp", 0, false},
		{".m.dlnb.1-1.tmp.tmp", 0, false},
		{".m.dlnb.old.1-1.tmp", 0, false}, // the file m.dlnb.old's
		{"m.dlnb.1-1.tmp", 0, false},
		{".m.dlnb.tmp123", 0, false},
	}
	for _, tt := range tests {
		if pid, ok := parseTemp(tt.file, "m.dlnb"); pid != tt.pid || ok != tt.ok {
			t.Errorf("parseTemp(%q) = %d, %v; want %d, %v", tt.file, pid, ok, tt.pid, tt.ok)
		}
	}
	if running(2147483647) || !running(os.Getpid()) {
		t.Error("running does not tell a dead process from this one")
	}
}
