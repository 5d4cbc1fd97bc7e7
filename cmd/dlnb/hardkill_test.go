package main

import (
	"bytes"
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

// loopNotebook writes a notebook whose only cell loops forever.
func loopNotebook(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "loop.ipynb")
	const nb = `{
 "cells": [
  {"cell_type": "code", "execution_count": null, "id": "c1", "metadata": {}, "outputs": [],
   "source": ["%%\n", "for {\n", "}"]}
 ],
 "metadata": {"kernelspec": {"display_name": "Go (dlnb)", "language": "go", "name": "dlnb"}, "language_info": {"name": "go"}},
 "nbformat": 4, "nbformat_minor": 5
}
`
	if err := os.WriteFile(path, []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// procsUsing lists the running processes that have tmp in their command
// line or environment. A runner started with TMPDIR=tmp, and everything
// of its kernel (the supervisor, GoNB, the cells' programs, which get
// TMPDIR=tmp/dlnb-kernel-*/tmp), has.
func procsUsing(tmp string) []dlnbtest.Proc {
	var procs []dlnbtest.Proc
	for _, p := range dlnbtest.Procs() {
		if p.PID != os.Getpid() && p.Has(tmp) {
			procs = append(procs, p)
		}
	}
	return procs
}

// startLoop starts `dlnb run --timeout 0` on a notebook whose cell loops
// forever, with TMPDIR=tmp, and waits until the cell's program runs. It
// returns the runner and that program.
func startLoop(t *testing.T, e *dlnbtest.Env, tmp string) (*exec.Cmd, dlnbtest.Proc) {
	t.Helper()
	runner := exec.Command(e.Bin, "run", "--timeout", "0", "--out", t.TempDir(), loopNotebook(t))
	runner.Dir, runner.Env = e.Root, append(e.Environ(), "TMPDIR="+tmp)
	var out bytes.Buffer
	runner.Stdout, runner.Stderr = &out, &out
	runner.WaitDelay = time.Second // a process left behind may hold the output pipe
	if err := runner.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		for _, p := range procsUsing(tmp) {
			// GoNB builds the cell into TMPDIR/gonb_ID/gonb_ID and runs it.
			if len(p.Args) > 0 && strings.HasPrefix(p.Args[0], tmp) && strings.HasPrefix(filepath.Base(p.Args[0]), "gonb_") {
				return runner, p
			}
		}
		if time.Now().After(deadline) {
			runner.Process.Kill()
			runner.Wait()
			t.Fatalf("the looping cell never started; the runner said:\n%s", out.String())
		}
	}
}

// waitNoProcs waits up to d until no process uses tmp, and kills and
// reports those that still do.
func waitNoProcs(t *testing.T, tmp string, d time.Duration, what string) {
	t.Helper()
	for deadline := time.Now().Add(d); len(procsUsing(tmp)) > 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			left := procsUsing(tmp)
			dlnbtest.KillProcs(left) // a looping cell must not outlive the test
			var lines []string
			for _, p := range left {
				lines = append(lines, "  "+p.String())
			}
			t.Fatalf("%v after %s, these processes of the kernel still ran:\n%s", d, what, strings.Join(lines, "\n"))
		}
	}
}

// kernelDirs lists the kernels' temporary folders in tmp.
func kernelDirs(tmp string) []string {
	dirs, _ := filepath.Glob(filepath.Join(tmp, "dlnb-kernel-*"))
	return dirs
}

// TestRunHardKill kills `dlnb run` with SIGKILL while a cell loops
// forever, and checks that nothing of its kernel is left: no process, and
// no temporary folder. Then it kills a runner and its kernel's supervisor
// together, which leaves the folder behind, and checks that the next run
// removes it.
func TestRunHardKill(t *testing.T) {
	dlnbtest.SkipUnlessProc(t)
	e := dlnbtest.Setup(t)
	tmp := t.TempDir()
	t.Cleanup(func() { dlnbtest.KillProcs(procsUsing(tmp)) })

	runner, cell := startLoop(t, e, tmp)
	dirs := kernelDirs(tmp)
	if len(dirs) != 1 {
		t.Fatalf("want one kernel folder in TMPDIR, found %v", dirs)
	}
	runner.Process.Signal(syscall.SIGKILL)
	runner.Wait()
	waitNoProcs(t, tmp, 10*time.Second, "the runner was killed with SIGKILL (the cell's program was "+cell.String()+")")
	if left := kernelDirs(tmp); len(left) > 0 {
		t.Errorf("the killed run left its kernel folder: %v", left)
	}

	// Kill the supervisor first, so that it cannot clean up; then the
	// runner. The kernel, which then runs on, is killed by hand.
	runner, _ = startLoop(t, e, tmp)
	var supervisor *dlnbtest.Proc
	for _, p := range procsUsing(tmp) {
		if len(p.Args) > 0 && p.Args[0] == "dlnb-supervisor" {
			supervisor = &p
		}
	}
	if supervisor == nil {
		runner.Process.Kill()
		runner.Wait()
		t.Fatalf("no process named dlnb-supervisor among the kernel's processes %v", procsUsing(tmp))
	}
	syscall.Kill(supervisor.PID, syscall.SIGKILL)
	runner.Process.Signal(syscall.SIGKILL)
	runner.Wait()
	dlnbtest.KillProcs(procsUsing(tmp))
	waitNoProcs(t, tmp, 5*time.Second, "killing them")
	leftover := kernelDirs(tmp)
	if len(leftover) != 1 {
		t.Fatalf("want the folder of the run whose supervisor was killed, found %v", leftover)
	}

	r := e.Run(t, e.Root, []string{"TMPDIR=" + tmp}, "run", "--out", t.TempDir(), nb("hello"))
	if r.Code != 0 {
		t.Fatalf("the next run failed: exit %d", r.Code)
	}
	if left := kernelDirs(tmp); len(left) > 0 {
		t.Errorf("the next run did not remove the folder of the killed one: %v", left)
	}
}

// TestNotebookHardKill kills `dlnb notebook` with SIGKILL and checks that
// the Jupyter it started does not linger.
func TestNotebookHardKill(t *testing.T) {
	dlnbtest.SkipUnlessProc(t)
	e := dlnbtest.Setup(t)
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	pidFile := filepath.Join(t.TempDir(), "pid")
	script := "#!/bin/sh\necho $$ > " + pidFile + ".tmp\nmv " + pidFile + ".tmp " + pidFile + "\nexec sleep 600\n"
	if err := os.WriteFile(filepath.Join(bin, "jupyter-notebook"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	// dlnb notebook installs the kernel first, with this PATH in its
	// kernel.json; the other tests expect the kernel as Setup installed it.
	t.Cleanup(func() { e.Run(t, e.Root, nil, "install") })
	dlnb := exec.Command(e.Bin, "notebook")
	dlnb.Dir = e.Root
	dlnb.Env = append(e.Environ(), "PATH="+bin+":"+filepath.Dir(goBin)+":/bin:/usr/bin")
	var out bytes.Buffer
	dlnb.Stdout, dlnb.Stderr = &out, &out
	dlnb.WaitDelay = time.Second // Jupyter, left behind, would hold the output pipe
	if err := dlnb.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	for deadline := time.Now().Add(2 * time.Minute); pid == 0; time.Sleep(100 * time.Millisecond) {
		data, _ := os.ReadFile(pidFile)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
		if pid == 0 && time.Now().After(deadline) {
			dlnb.Process.Kill()
			dlnb.Wait()
			t.Fatalf("the fake Jupyter never started; dlnb said:\n%s", out.String())
		}
	}
	dlnb.Process.Signal(syscall.SIGKILL)
	dlnb.Wait()
	for deadline := time.Now().Add(15 * time.Second); dlnbtest.Running(pid); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("15 s after dlnb notebook was killed with SIGKILL, the Jupyter it started (PID %d) still ran", pid)
		}
	}
}
