//go:build unix

package atomicfile_test

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dlnb/dlnb/internal/atomicfile"
)

// A writer killed with SIGKILL in the middle of a Write leaves its
// temporary file; a later Write keeps it while the writer lives, and
// removes it once the writer is dead and the file has been left for
// DeadAfter.
func TestWriteAfterAKilledWriter(t *testing.T) {
	if path := os.Getenv("ATOMICFILE_HELPER"); path != "" {
		// The helper process: begin a Write, say so, and hang.
		atomicfile.Write(path, func(w io.Writer) error {
			io.WriteString(w, "half a fi")
			os.Stdout.WriteString("writing\n")
			time.Sleep(time.Hour)
			return nil
		})
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "model.dlnb")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestWriteAfterAKilledWriter$")
	cmd.Env = append(os.Environ(), "ATOMICFILE_HELPER="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "writing\n" {
		t.Fatalf("the helper said %q, %v", line, err)
	}
	temps := func() []string {
		t.Helper()
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".tmp") {
				names = append(names, e.Name())
			}
		}
		return names
	}
	write := func(s string) {
		t.Helper()
		if err := atomicfile.Write(path, func(w io.Writer) error { _, err := io.WriteString(w, s); return err }); err != nil {
			t.Fatal(err)
		}
	}
	age := func(d time.Duration) {
		t.Helper()
		for _, name := range temps() {
			old := time.Now().Add(-d)
			if err := os.Chtimes(filepath.Join(dir, name), old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	helper := temps()
	if len(helper) != 1 {
		t.Fatalf("the writing helper has temporary files %q; want one", helper)
	}

	// Its writer lives: kept, even when it looks old.
	age(atomicfile.DeadAfter + time.Hour)
	write("one")
	if got := temps(); len(got) != 1 || got[0] != helper[0] {
		t.Fatalf("with the writer alive, the temporary files are %q; want %q kept", got, helper)
	}

	cmd.Process.Kill() // SIGKILL
	cmd.Wait()
	age(atomicfile.DeadAfter - time.Minute) // just killed, for all we know
	write("two")
	if got := temps(); len(got) != 1 {
		t.Fatalf("a fresh temporary file of a dead writer was removed: %q", got)
	}
	age(atomicfile.DeadAfter + time.Minute)
	write("three")
	if got := temps(); len(got) != 0 {
		t.Errorf("the killed writer's temporary file was not removed: %q", got)
	}
	if b, _ := os.ReadFile(path); string(b) != "three" {
		t.Errorf("the file holds %q, want the last write's", b)
	}
}
