package kernel

// A process that dlnb starts must not outlive dlnb, however dlnb ends.
// SIGTERM and Ctrl-C give dlnb time to shut its kernel down, but SIGKILL
// (a CI job's hard timeout, `docker stop` after its grace period, the OOM
// killer) gives it none: the kernel, in a process group of its own, would
// go on running, and so would a cell stuck in a loop, at 100% CPU.
//
// Pdeathsig alone does not do: it exists only on Linux, reaches only the
// direct child and not the cells GoNB starts, and fires when the OS thread
// that started the child exits rather than the process (golang/go#27505).
//
// So dlnb starts such a process through a supervisor: a small process
// between dlnb and the command, which starts the command and holds the
// read end of a pipe, the lifeline, whose only write end stays in dlnb.
// When dlnb ends, in whatever way, the operating system closes the write
// end; the supervisor reads end-of-file and stops the command: SIGTERM,
// then SIGKILL after a grace period. For a kernel the signals go to its
// whole process group, which holds GoNB and every cell program it runs.
// Only pipes and signals are used, so this works on macOS as on Linux.
//
// The supervisor is the running program itself, started again with
// argv[0] set to supervisorArg0; this package's init function sees that
// and runs the supervisor instead of main. The alternative, a supervisor
// binary built into the kernelspec's bin/ at install (as goshim is), was
// rejected because it depends on what was installed: a kernelspec from an
// older install, or not from dlnb at all (`dlnb run --kernel NAME`), has
// none. The running program is always there, whatever started it: the
// dlnb binary, `go run ./cmd/dlnb` (a binary in a temporary folder, which
// go run removes only after dlnb exits), or a test binary; and every
// program that imports this package can supervise with no change to its
// main.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

// supervisorArg0 is the argv[0] that makes a program that imports this
// package run as a supervisor. No one starts a program under this name by
// chance.
const supervisorArg0 = "dlnb-supervisor"

func init() {
	if len(os.Args) > 0 && os.Args[0] == supervisorArg0 {
		os.Exit(supervise(os.Args[1:]))
	}
}

// SuperviseOptions says how StartSupervised stops its command.
type SuperviseOptions struct {
	// Group starts the command in a process group of its own and sends the
	// signals to the whole group, so that its children stop with it. The
	// supervisor then has a group of its own as well, so that signals sent
	// to the caller's group (Ctrl-C, `timeout`, `kill -9 -PGID`) do not
	// end it before it has done its work.
	//
	// Without Group the command and the supervisor stay in the caller's
	// process group, so that a command that shares the terminal (Jupyter)
	// still gets Ctrl-C, and only the command itself is signalled.
	Group bool
	// Grace is how long the command has after SIGTERM before SIGKILL.
	Grace time.Duration
	// RemoveDir, if set, is removed once the command has stopped because
	// the lifeline was closed.
	RemoveDir string
}

// StartSupervised starts cmd, not yet started, under a supervisor that
// stops the command when the returned lifeline is closed, or when this
// process ends in any way, SIGKILL included. The supervisor exits when the
// command does, with the command's status, so the caller waits for cmd
// as usual, with cmd.Wait; cmd.Process is then the supervisor.
//
// Keep the lifeline until the command should stop: should it be garbage
// collected, its file closes, and that stops the command too.
//
// The supervisor ignores SIGINT, SIGTERM and SIGHUP: they are for the
// caller to handle, and the caller ends the command by closing the
// lifeline, or by ending. Only a SIGKILL sent to the supervisor itself
// (as `pkill -9 dlnb` does, since it runs the same program as dlnb)
// leaves the command running.
//
// It panics if cmd has started, or has ExtraFiles or SysProcAttr set
// (StartSupervised uses them).
func StartSupervised(cmd *exec.Cmd, opt SuperviseOptions) (lifeline io.Closer, err error) {
	if cmd.Process != nil || len(cmd.ExtraFiles) > 0 || cmd.SysProcAttr != nil {
		panic("kernel: StartSupervised: the command has started, or has ExtraFiles or SysProcAttr set; pass a fresh command without them")
	}
	if cmd.Err != nil {
		return nil, cmd.Err
	}
	if filepath.IsAbs(cmd.Path) {
		// Report a missing program here, as cmd.Start would have, rather
		// than as an exit status of the supervisor.
		if _, err := exec.LookPath(cmd.Path); err != nil {
			return nil, err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this program, to run it as the supervisor of %s: %v", cmd.Path, err)
	}
	r, w, err := os.Pipe() // both ends close on exec: only the supervisor gets r, as its fd 3
	if err != nil {
		return nil, err
	}
	args := []string{supervisorArg0, "-grace=" + opt.Grace.String()}
	if opt.Group {
		args = append(args, "-group")
	}
	if opt.RemoveDir != "" {
		args = append(args, "-rmdir="+opt.RemoveDir)
	}
	args = append(args, "--", cmd.Path)
	args = append(args, cmd.Args...)
	cmd.Path, cmd.Args = self, args
	cmd.ExtraFiles = []*os.File{r}
	if opt.Group {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	}
	err = cmd.Start()
	r.Close() // the supervisor has its copy; ours would keep the pipe open
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("starting the supervisor %s: %w", self, err)
	}
	return w, nil
}

// supervise is the supervisor's main function. Its arguments are flags,
// "--", the command's path and the command's argv. It returns the exit
// status for the supervisor.
func supervise(args []string) int {
	fs := flag.NewFlagSet(supervisorArg0, flag.ContinueOnError)
	group := fs.Bool("group", false, "give the command a process group and signal the whole group")
	grace := fs.Duration("grace", 2*time.Second, "time between SIGTERM and SIGKILL")
	rmdir := fs.String("rmdir", "", "folder to remove after the command stopped because the lifeline closed")
	if err := fs.Parse(args); err != nil || fs.NArg() < 2 {
		fmt.Fprintf(os.Stderr, "%s: usage: %s [-group] [-grace D] [-rmdir DIR] -- PATH ARGV0 ARGS...; it is started by StartSupervised, not by hand\n", supervisorArg0, supervisorArg0)
		return 2
	}
	lifeline := os.NewFile(3, "lifeline")
	syscall.CloseOnExec(3) // the command does not get it

	// The caller's signals are the caller's to handle. A supervisor that
	// died of them would leave the command without a guard.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)

	cmd := exec.Command(fs.Arg(0))
	cmd.Args = fs.Args()[1:]
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if *group {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", supervisorArg0, err)
		return 127
	}
	s := &supervisor{cmd: cmd, group: *group, exited: make(chan struct{})}
	go func() {
		cmd.Wait()
		close(s.exited)
	}()
	cut := make(chan struct{})
	go func() {
		io.Copy(io.Discard, lifeline) // returns at end-of-file: the caller is gone
		close(cut)
	}()

	select {
	case <-s.exited:
		// The command ended by itself. What it left in its group (a cell
		// that GoNB did not stop) goes too.
		s.stop(*grace)
	case <-cut:
		s.stop(*grace)
		if *rmdir != "" {
			os.RemoveAll(*rmdir)
		}
	}
	return exitLike(cmd.ProcessState)
}

// supervisor stops one command.
type supervisor struct {
	cmd    *exec.Cmd
	group  bool
	exited chan struct{} // closed once cmd.Wait has returned
}

// stop sends SIGTERM, and SIGKILL if the command, or with group anything
// in its group, is still there after grace. It returns once all of it is
// gone, or two seconds after SIGKILL.
func (s *supervisor) stop(grace time.Duration) {
	s.signal(syscall.SIGTERM)
	if s.waitGone(grace) {
		return
	}
	s.signal(syscall.SIGKILL)
	s.waitGone(2 * time.Second)
}

func (s *supervisor) signal(sig syscall.Signal) {
	if s.group {
		// The group's ID stays taken while any member lives, so this
		// reaches no one else; once it is empty the call fails, harmlessly.
		syscall.Kill(-s.cmd.Process.Pid, sig)
	} else {
		s.cmd.Process.Signal(sig) // does nothing once the command was reaped
	}
}

// waitGone waits up to d for the command, and with group every process
// in its group, to end.
func (s *supervisor) waitGone(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		if s.gone() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *supervisor) gone() bool {
	select {
	case <-s.exited:
	default:
		return false
	}
	return !s.group || errors.Is(syscall.Kill(-s.cmd.Process.Pid, 0), syscall.ESRCH)
}

// exitLike returns the exit status that reports the command's end to the
// supervisor's caller. A command ended by SIGKILL, SIGTERM, SIGINT or
// SIGHUP ends the supervisor by the same signal, so that the caller sees
// "signal: killed" as it would without a supervisor; other signals give
// 128+N, as a shell reports them.
func exitLike(ps *os.ProcessState) int {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return ps.ExitCode()
	}
	switch sig := ws.Signal(); sig {
	case syscall.SIGKILL, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP:
		signal.Reset(sig)
		syscall.Kill(os.Getpid(), sig)
		time.Sleep(time.Second) // the signal ends the process; this is a fallback
	}
	return 128 + int(ws.Signal())
}
