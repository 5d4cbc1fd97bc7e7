// Command dlnb installs the dlnb Jupyter kernel, runs notebooks headlessly,
// and opens the course in Jupyter.
//
// Usage:
//
//	dlnb install [--user | --prefix DIR | --sys-prefix] [--src DIR] [--rebuild]
//	dlnb run [flags] NOTEBOOK|DIR...
//	dlnb notebook [--src DIR] [-- JUPYTER-ARGS...]
//
// Run `dlnb COMMAND -h` for the flags of a command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `dlnb: deep learning in Go, in Jupyter.

Usage:
  dlnb install [--user | --prefix DIR | --sys-prefix] [--src DIR] [--rebuild]
      Build the pinned GoNB, goimports and gopls, and register the Jupyter
      kernel "dlnb", whose cells can import github.com/dlnb/dlnb/... offline.
  dlnb run [flags] NOTEBOOK|DIR...
      Execute notebooks headlessly and write the executed copies.
  dlnb notebook [--src DIR] [-- JUPYTER-ARGS...]
      Open the course in JupyterLab (or Notebook), installing the kernel first.

Run "dlnb COMMAND -h" for the flags of a command.
`

// exitError carries an exit status without printing anything more.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	var code exitError
	switch {
	case err == nil:
	case errors.As(err, &code):
		os.Exit(int(code))
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "dlnb:", err)
		os.Exit(1)
	}
}

// run dispatches to the subcommand named by args[0].
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError(2)
	}
	switch args[0] {
	case "install":
		return cmdInstall(ctx, args[1:], stdout, stderr)
	case "run":
		return cmdRun(ctx, args[1:], stdout, stderr)
	case "notebook":
		return cmdNotebook(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "dlnb: unknown command %q\n\n%s", args[0], usage)
	return exitError(2)
}

// parseFlags parses args with fs. The flag package has printed a bad
// flag's error, and the usage, already: the error returned then carries
// only the exit status 2, so that main prints nothing more.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return exitError(2)
	}
	return err
}

// newFlags makes a flag set that prints its usage to stderr.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("dlnb "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: dlnb %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}
