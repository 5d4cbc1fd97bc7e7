package kernel

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dlnb/dlnb/internal/dlnbtest"
)

// groupMembers lists the running processes in process group pgid.
func groupMembers(pgid int) []dlnbtest.Proc {
	var members []dlnbtest.Proc
	for _, p := range dlnbtest.Procs() {
		if p.PGID == pgid {
			members = append(members, p)
		}
	}
	return members
}

// eventually polls cond for up to d.
func eventually(d time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(d); ; time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// readPID waits for a shell to write its PID into path.
func readPID(t *testing.T, path string) int {
	t.Helper()
	var pid int
	if !eventually(10*time.Second, func() bool {
		data, err := os.ReadFile(path)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
		return err == nil && pid > 0
	}) {
		t.Fatalf("the supervised command never wrote %s", path)
	}
	return pid
}

// The starter's commands write their PID to "$1" through a temporary
// file, so that the test never reads half a number.
const (
	// starterGroupScript ignores SIGTERM, it and its background child, so
	// that only the supervisor's SIGKILL after the grace ends them.
	starterGroupScript = `trap "" TERM; sleep 600 & echo $$ > "$1.tmp"; mv "$1.tmp" "$1"; wait`
	// starterProcessScript becomes a sleep.
	starterProcessScript = `echo $$ > "$1.tmp"; mv "$1.tmp" "$1"; exec sleep 600`
)

// TestSupervisedStarter is not a test by itself: TestStartSupervisedStarterKilled
// runs it in a child process, where it plays dlnb: it starts a command
// under a supervisor and waits to be killed.
func TestSupervisedStarter(t *testing.T) {
	dir := os.Getenv("DLNB_TEST_STARTER_DIR")
	if dir == "" {
		t.Skip("run by TestStartSupervisedStarterKilled in a child process")
	}
	group := os.Getenv("DLNB_TEST_STARTER_GROUP") == "1"
	script := starterProcessScript
	if group {
		script = starterGroupScript
	}
	cmd := exec.Command("/bin/sh", "-c", script, "sh", filepath.Join(dir, "pid"))
	if _, err := StartSupervised(cmd, SuperviseOptions{Group: group, Grace: 300 * time.Millisecond, RemoveDir: filepath.Join(dir, "rm")}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Minute) // the parent test kills us long before
	t.Fatal("the parent test did not kill the starter")
}

// TestStartSupervisedStarterKilled kills a process that started a command
// under a supervisor with SIGKILL, and checks that the command goes too:
// with Group its whole process group, even though it ignores SIGTERM, and
// the folder named by RemoveDir.
func TestStartSupervisedStarterKilled(t *testing.T) {
	dlnbtest.SkipUnlessProc(t)
	for _, group := range []bool{true, false} {
		t.Run("group="+strconv.FormatBool(group), func(t *testing.T) {
			dir := t.TempDir()
			rm := filepath.Join(dir, "rm")
			if err := os.Mkdir(rm, 0o755); err != nil {
				t.Fatal(err)
			}
			starter := exec.Command(os.Args[0], "-test.run=^TestSupervisedStarter$", "-test.count=1", "-test.v")
			g := "0"
			if group {
				g = "1"
			}
			starter.Env = append(os.Environ(), "DLNB_TEST_STARTER_DIR="+dir, "DLNB_TEST_STARTER_GROUP="+g)
			var out bytes.Buffer
			starter.Stdout, starter.Stderr = &out, &out
			if err := starter.Start(); err != nil {
				t.Fatal(err)
			}
			pid := readPID(t, filepath.Join(dir, "pid"))
			defer func() { // when the supervisor failed, end what it left
				if !t.Failed() {
					return
				}
				if group {
					syscall.Kill(-pid, syscall.SIGKILL)
				} else {
					syscall.Kill(pid, syscall.SIGKILL)
				}
			}()
			if group {
				if members := groupMembers(pid); len(members) < 2 {
					t.Fatalf("the command's group has %v, want the shell and its sleep", members)
				}
			}

			starter.Process.Signal(syscall.SIGKILL)
			starter.Wait()

			left := func() []dlnbtest.Proc {
				if group {
					return groupMembers(pid)
				}
				if dlnbtest.Running(pid) { // the sleep, in the test's group
					return []dlnbtest.Proc{{PID: pid}}
				}
				return nil
			}
			if !eventually(5*time.Second, func() bool { return len(left()) == 0 }) {
				t.Errorf("5 s after the starter was killed, the command's processes %v still run\nstarter's output:\n%s", left(), out.String())
			}
			if !eventually(2*time.Second, func() bool { _, err := os.Stat(rm); return errors.Is(err, os.ErrNotExist) }) {
				t.Error("the supervisor did not remove the RemoveDir folder")
			}
		})
	}
}

// TestStartSupervisedCommandExits checks that the supervisor reports the
// command's output and exit status as if there were none, and stops what
// the command left in its group.
func TestStartSupervisedCommandExits(t *testing.T) {
	dlnbtest.SkipUnlessProc(t)
	dir := t.TempDir()
	bg := filepath.Join(dir, "bg")
	cmd := exec.Command("/bin/sh", "-c", `echo hello; sleep 600 & echo $! > "$1"; exit 3`, "sh", bg)
	var out bytes.Buffer
	cmd.Stdout = &out
	lifeline, err := StartSupervised(cmd, SuperviseOptions{Group: true, Grace: time.Second, RemoveDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer lifeline.Close()
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Errorf("Wait: %v, want exit status 3", err)
	}
	if out.String() != "hello\n" {
		t.Errorf("the command printed %q through the supervisor, want hello", out.String())
	}
	sleep := readPID(t, bg)
	if !eventually(3*time.Second, func() bool { return !dlnbtest.Running(sleep) }) {
		syscall.Kill(sleep, syscall.SIGKILL)
		t.Error("the sleep that the command left in its group still runs")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Error("the supervisor removed RemoveDir although the lifeline was not closed: the caller may still need the folder")
	}
}

// TestStartSupervisedLifelineClosed checks that closing the lifeline
// stops the command with SIGTERM, and that Wait sees the same signal.
func TestStartSupervisedLifelineClosed(t *testing.T) {
	cmd := exec.Command("sleep", "600")
	lifeline, err := StartSupervised(cmd, SuperviseOptions{Group: true, Grace: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		t.Fatalf("the command ended before the lifeline closed: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	start := time.Now()
	lifeline.Close()
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the supervisor did not end 10 s after the lifeline closed")
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Errorf("Wait: %v, want signal: terminated", err)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("sleep took %v to end on SIGTERM: the supervisor waited for the grace", d)
	}
}

func TestStartSupervisedMissingProgram(t *testing.T) {
	if _, err := StartSupervised(exec.Command("/nonexistent/dlnb-test-program"), SuperviseOptions{}); err == nil {
		t.Error("a missing program gave no error")
	}
	if _, err := StartSupervised(exec.Command("dlnb-test-no-such-program"), SuperviseOptions{}); err == nil {
		t.Error("a program missing from PATH gave no error")
	}
}

// deadPID returns the PID of a process that has ended and been collected.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func TestRemoveStaleKernelDirs(t *testing.T) {
	tmp := t.TempDir()
	dead := deadPID(t)
	dirs := map[string]string{ // name: owner file ("" for none)
		"dlnb-kernel-dead":      ownerLine(dead),
		"dlnb-kernel-live":      ownerLine(os.Getpid()),
		"dlnb-kernel-nofile":    "",
		"dlnb-kernel-otherhost": strconv.Itoa(dead) + " some-other-host\n",
		"dlnb-kernel-pidzero":   ownerLine(0),
		"dlnb-kernel-garbage":   "not a pid\n",
		"other-dead":            ownerLine(dead),
	}
	for name, owner := range dirs {
		dir := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
			t.Fatal(err)
		}
		if owner != "" {
			if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(owner), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "dlnb-kernel-file"), []byte(ownerLine(dead)), 0o600); err != nil {
		t.Fatal(err)
	}

	removeStaleKernelDirs(tmp)
	for name := range dirs {
		_, err := os.Stat(filepath.Join(tmp, name))
		if gone, want := err != nil, name == "dlnb-kernel-dead"; gone != want {
			t.Errorf("%s: removed %v, want %v", name, gone, want)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "dlnb-kernel-file")); err != nil {
		t.Error("a plain file named like a kernel folder was removed")
	}
}

func TestMakeKernelDir(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	dir, err := makeKernelDir()
	if err != nil {
		t.Fatal(err)
	}
	removeStaleKernelDirs(os.TempDir())
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the folder of a running process was removed: %v", err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, ownerFile))
	if string(data) != ownerLine(os.Getpid()) {
		t.Errorf("owner file %q, want %q", data, ownerLine(os.Getpid()))
	}
}
