package kernel

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// A kernel's temporary folder is named kernelDirPrefix+random in the
// system's temporary folder. It holds the connection file, the kernel's
// log and its TMPDIR, where GoNB builds the cells. Close removes it, and
// so does the kernel's supervisor when dlnb dies; if both die at once, the
// next StartKernel removes it, knowing from its owner file that the
// process that made it is gone.
const (
	kernelDirPrefix = "dlnb-kernel-"
	ownerFile       = "owner"
)

// makeKernelDir makes a kernel's temporary folder and records in it which
// process owns it: this one.
func makeKernelDir() (string, error) {
	dir, err := os.MkdirTemp("", kernelDirPrefix)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(ownerLine(os.Getpid())), 0o600); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// ownerLine identifies a process: its PID and the host name. A PID names
// a process only on its own host (or container, which has a host name of
// its own), and the system's temporary folder may be shared.
func ownerLine(pid int) string {
	return fmt.Sprintf("%d %s\n", pid, hostName())
}

// hostName returns the host's name, or "-" if it has none.
func hostName() string {
	if host, err := os.Hostname(); err == nil && host != "" && !strings.ContainsAny(host, " \t\n") {
		return host
	}
	return "-"
}

// removeStaleKernelDirs removes the kernel folders in tmp that this user
// owns and whose owner process, on this host, has ended. A folder without
// an owner file is left alone: it is being made right now, or an older
// dlnb made it and may still use it.
func removeStaleKernelDirs(tmp string) {
	entries, _ := os.ReadDir(tmp)
	host := hostName()
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), kernelDirPrefix) {
			continue
		}
		dir := filepath.Join(tmp, e.Name())
		info, err := e.Info()
		if err != nil {
			continue
		}
		if st, ok := info.Sys().(*syscall.Stat_t); !ok || int(st.Uid) != os.Getuid() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		var pid int
		var owner string
		if _, err := fmt.Sscan(string(data), &pid, &owner); err != nil || owner != host || processAlive(pid) {
			continue
		}
		os.RemoveAll(dir)
	}
}

// processAlive reports whether a process with this PID exists. It answers
// true for what is not a plain PID: kill(0) and kill(-1) mean groups.
func processAlive(pid int) bool {
	if pid <= 0 {
		return true
	}
	return !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
