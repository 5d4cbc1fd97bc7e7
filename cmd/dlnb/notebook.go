package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/dlnb/dlnb/kernel"
)

const notebookSynopsis = `notebook [--src DIR] [install flags] [-- JUPYTER-ARGS...]

Installs the dlnb kernel (or refreshes it with the checkout's current code),
then starts JupyterLab, or Jupyter Notebook if JupyterLab is missing, in the
checkout's notebooks/ folder. Jupyter's token authentication stays on: open
the URL with the token that Jupyter prints. JUPYTER-ARGS go to Jupyter.`

const noJupyter = `Jupyter is not installed (neither jupyter-lab nor jupyter-notebook is on PATH).
Get it in one of these ways, then run this command again:
  - Debian or Ubuntu:  sudo apt-get install jupyter-notebook
  - pip:               python3 -m pip install --user jupyterlab
  - Docker:            the course image, see "Docker" in README.md
Or run the notebooks without Jupyter:  go run ./cmd/dlnb run --html notebooks`

// jupyterApps are the front ends dlnb notebook tries, best first.
var jupyterApps = []string{"jupyter-lab", "jupyter-notebook"}

func cmdNotebook(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f installFlags
	fs := newFlags("notebook", notebookSynopsis, stderr)
	f.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if arg := tokenOff(fs.Args()); arg != "" {
		return fmt.Errorf("%s would turn off Jupyter's token authentication, and anyone who can reach the port could run code as you; dlnb keeps it on: open the URL with ?token=... that Jupyter prints", arg)
	}
	app, err := findJupyter()
	if err != nil {
		return err
	}
	opt, err := f.options(stderr)
	if err != nil {
		return err
	}
	if _, err := kernel.Install(ctx, opt); err != nil {
		return err
	}
	dir := filepath.Join(opt.Src, "notebooks")
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("the course folder %s is missing: %v", dir, err)
	}
	cmd := exec.Command(app, fs.Args()...)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	fmt.Fprintf(stderr, "dlnb: starting %s in %s (choose the kernel \"Go (dlnb)\")\n", filepath.Base(app), dir)
	// Jupyter shares our terminal and handles Ctrl-C itself, asking before
	// it shuts down; we only wait for it. Should dlnb be killed hard, the
	// supervisor sends Jupyter SIGTERM, on which it shuts its kernels down,
	// and SIGKILL if it has not ended after the grace. Jupyter stays in our
	// process group (no Group), in the terminal's foreground, for Ctrl-C.
	lifeline, err := kernel.StartSupervised(cmd, kernel.SuperviseOptions{Grace: 10 * time.Second})
	if err != nil {
		return err
	}
	err = cmd.Wait()
	lifeline.Close()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exitError(max(exit.ExitCode(), 1)) // -1 when a signal ended it
	}
	return err
}

// tokenOff returns the first Jupyter argument that sets an empty token or
// password, or "".
func tokenOff(args []string) string {
	for _, a := range args {
		name, value, ok := strings.Cut(a, "=")
		value = strings.Trim(value, `'" `)
		lower := strings.ToLower(name)
		if ok && value == "" && (strings.HasSuffix(lower, ".token") || strings.HasSuffix(lower, ".password")) {
			return a
		}
	}
	return ""
}

// findJupyter returns the path of the best Jupyter front end on PATH.
func findJupyter() (string, error) {
	for _, name := range jupyterApps {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New(noJupyter)
}
