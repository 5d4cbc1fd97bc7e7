package kernel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dlnb/dlnb/kernel/jupyter"
)

// Kernel is a running kernel process and a client connected to it.
type Kernel struct {
	*jupyter.Client
	cmd  *exec.Cmd // the kernel's supervisor, which runs the kernel (supervise.go)
	dir  string    // temporary folder: connection file, log, the kernel's TMPDIR
	log  *os.File
	done chan struct{} // closed when the process has exited
	err  error         // the process's exit error, set before done closes
	// lifeline is the pipe to the supervisor: when it closes, by Close or
	// because this process died, the supervisor ends the kernel.
	lifeline io.Closer

	closeOnce sync.Once
}

// StartOptions configures StartKernel.
type StartOptions struct {
	// Args are appended to the kernelspec's argv.
	Args []string
	// NoLSP starts GoNB without gopls, which only serves code completion
	// and inspection, and costs CPU at every start.
	NoLSP bool
}

// StartKernel starts the kernel described by the kernelspec in specDir,
// with a fresh connection file on loopback, and waits until it answers
// kernel_info.
//
// The kernel runs in its own process group with TMPDIR set to a private
// folder, so that Close can remove every process and file it made. A
// supervisor process (see StartSupervised) ends that group and removes the
// folder should this process die without calling Close, even by SIGKILL.
// Folders that killed runs left behind anyway (when the supervisor was
// killed too) are removed here, once their owner process has ended.
func StartKernel(ctx context.Context, specDir string, opt StartOptions) (*Kernel, error) {
	spec, err := ReadSpec(specDir)
	if err != nil {
		return nil, err
	}
	removeStaleKernelDirs(os.TempDir())
	dir, err := makeKernelDir()
	if err != nil {
		return nil, err
	}
	k := &Kernel{dir: dir, done: make(chan struct{})}
	if opt.NoLSP {
		lsp := filepath.Join(specDir, "bin", lspDir)
		var path []string
		for _, d := range filepath.SplitList(spec.Env["PATH"]) {
			if d != lsp {
				path = append(path, d)
			}
		}
		spec.Env["PATH"] = strings.Join(path, string(os.PathListSeparator))
	}
	if err := k.start(ctx, spec, opt.Args); err != nil {
		k.Close()
		return nil, err
	}
	return k, nil
}

func (k *Kernel) start(ctx context.Context, spec *Spec, extraArgs []string) error {
	info, err := jupyter.NewConnectionInfo()
	if err != nil {
		return err
	}
	info.KernelName = Name
	connFile := filepath.Join(k.dir, "connection.json")
	if err := info.WriteFile(connFile); err != nil {
		return err
	}
	tmp := filepath.Join(k.dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return err
	}
	if k.log, err = os.Create(filepath.Join(k.dir, "kernel.log")); err != nil {
		return err
	}

	var argv []string
	for _, a := range append(spec.Argv, extraArgs...) {
		argv = append(argv, strings.ReplaceAll(a, "{connection_file}", connFile))
	}
	k.cmd = exec.Command(argv[0], argv[1:]...)
	k.cmd.Env = os.Environ()
	for name, v := range spec.Env {
		k.cmd.Env = append(k.cmd.Env, name+"="+v)
	}
	k.cmd.Env = append(k.cmd.Env, "TMPDIR="+tmp)
	k.cmd.Stdout, k.cmd.Stderr = k.log, k.log
	// The grace lets GoNB, on SIGTERM, stop its helpers (gopls, which has
	// a process group of its own) before SIGKILL ends what is left.
	k.lifeline, err = StartSupervised(k.cmd, SuperviseOptions{Group: true, Grace: killGrace, RemoveDir: k.dir})
	if err != nil {
		return fmt.Errorf("starting the kernel %s: %v; reinstall it with: go run ./cmd/dlnb install", argv[0], err)
	}
	go func() {
		k.err = k.cmd.Wait()
		close(k.done)
	}()

	// Wait for kernel_info, but give up early if the process dies.
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	go func() {
		select {
		case <-k.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	if k.Client, err = jupyter.Dial(ctx, info); err == nil {
		_, err = k.Client.KernelInfo(ctx)
	}
	if err != nil {
		select {
		case <-k.done:
			return fmt.Errorf("the kernel exited before it was ready (%v); its log ends with:\n%s", k.err, k.LogTail(20))
		default:
		}
		return fmt.Errorf("the kernel did not answer kernel_info: %w; its log ends with:\n%s", err, k.LogTail(20))
	}
	return nil
}

// LogTail returns the last n lines the kernel wrote to stdout and stderr.
func (k *Kernel) LogTail(n int) string {
	data, err := os.ReadFile(filepath.Join(k.dir, "kernel.log"))
	if err != nil {
		return ""
	}
	return tail(bytes.TrimSpace(data), n)
}

// Exited reports whether the kernel process has ended.
func (k *Kernel) Exited() bool {
	select {
	case <-k.done:
		return true
	default:
		return false
	}
}

// Wait waits up to d for the kernel process to end, and reports whether
// it has.
func (k *Kernel) Wait(d time.Duration) bool {
	select {
	case <-k.done:
		return true
	case <-time.After(d):
		return false
	}
}

// killGrace is how long the kernel's processes have after SIGTERM before
// SIGKILL, when Close or the death of this process ends them.
const killGrace = 2 * time.Second

// Close asks the kernel to shut down, waits a few seconds for it, then
// ends whatever is left of its process group and removes its temporary
// folder. It is safe to call more than once.
func (k *Kernel) Close() error {
	var err error
	k.closeOnce.Do(func() { err = k.close() })
	return err
}

func (k *Kernel) close() error {
	if k.Client != nil {
		if k.cmd != nil && !k.Exited() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if k.Client.Shutdown(ctx, false) == nil {
				select {
				case <-k.done:
				case <-ctx.Done():
				}
			}
			cancel()
		}
		k.Client.Close()
	}
	if k.lifeline != nil {
		// The supervisor ends the group, which holds GoNB and any cell
		// program still running, and exits once nothing of it is left.
		k.lifeline.Close()
		if !k.Wait(killGrace + 5*time.Second) {
			k.cmd.Process.Kill() // the supervisor is stuck, which should not happen
			<-k.done
		}
	}
	if k.log != nil {
		k.log.Close()
	}
	if err := os.RemoveAll(k.dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing the kernel's temporary folder: %w", err)
	}
	return nil
}
