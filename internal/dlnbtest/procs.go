package dlnbtest

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// Proc is a running process, as Linux's /proc shows it.
type Proc struct {
	PID, PGID int
	Args      []string // the command line
	Env       []string // the environment, when it can be read
}

func (p Proc) String() string { return strconv.Itoa(p.PID) + " " + strings.Join(p.Args, " ") }

// Has reports whether s occurs in the process's command line or environment.
func (p Proc) Has(s string) bool {
	for _, list := range [][]string{p.Args, p.Env} {
		for _, a := range list {
			if strings.Contains(a, s) {
				return true
			}
		}
	}
	return false
}

// SkipUnlessProc skips a test that needs /proc, which only Linux has.
func SkipUnlessProc(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("this test finds processes in /proc, which only Linux has; what it tests does not need /proc and works on macOS too")
	}
}

// Procs lists the processes that have not ended, from /proc. Zombies are
// left out: they have ended, and only wait for their parent, or init, to
// collect them.
func Procs() []Proc {
	entries, _ := os.ReadDir("/proc")
	var procs []Proc
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := readProc(pid); ok {
			procs = append(procs, p)
		}
	}
	return procs
}

// Running reports whether the process pid exists and has not ended.
func Running(pid int) bool {
	_, ok := readProc(pid)
	return ok
}

func readProc(pid int) (Proc, bool) {
	dir := filepath.Join("/proc", strconv.Itoa(pid))
	stat, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return Proc{}, false
	}
	// pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if len(f) < 3 || f[0] == "Z" {
		return Proc{}, false
	}
	p := Proc{PID: pid}
	p.PGID, _ = strconv.Atoi(f[2])
	args, _ := os.ReadFile(filepath.Join(dir, "cmdline"))
	env, _ := os.ReadFile(filepath.Join(dir, "environ"))
	p.Args, p.Env = splitNUL(args), splitNUL(env)
	return p, true
}

func splitNUL(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
}

// KillProcs kills the processes with SIGKILL: tests use it to leave
// nothing running behind them when what they test has failed to.
func KillProcs(procs []Proc) {
	for _, p := range procs {
		syscall.Kill(p.PID, syscall.SIGKILL)
	}
}
