package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/dlnb/dlnb/kernel"
)

const runSynopsis = `run [flags] NOTEBOOK|DIR...

Executes each notebook in a fresh dlnb kernel, with no browser and no Python,
and writes the executed copy next to it as NAME.out.ipynb (or into --out).
It never writes over a notebook it runs: an --out folder that holds one is
refused, as is a folder it cannot write, before any cell runs.

It prints one line per cell with its time, and a summary. It exits with
status 1 if a cell gives an error, panics, exits non-zero, runs past
--timeout or asks for input (cells get no standard input); the cells after
a failed one are not run unless --keep-going. A cell keeps at most 10 MiB
of printed text: the first and the last 5 MiB, with a note of the cut.

With --html it also writes NAME.html (NAME.out.html without --out), a page
that needs no network: formulas as MathML, code highlighted, figures
inline. Pages written into one folder, two or more, link to the pages
before and after them in file name order and to a table of contents
there: index.html (index.out.html without --out).

Run from a dlnb checkout, it first installs the kernel if it is missing and
publishes the checkout's current code to it, so cells see your edits.`

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", runSynopsis, stderr)
	var opt kernel.RunOptions
	fs.StringVar(&opt.OutDir, "out", "", "write executed notebooks into `DIR` instead of next to their inputs")
	opt.Timeout = 10 * time.Minute
	fs.Var(timeoutFlag{&opt.Timeout}, "timeout", "limit each cell to `D`; a cell past it is interrupted and fails (0: no limit)")
	fs.BoolVar(&opt.HTML, "html", false, "also write a self-contained HTML page of each executed notebook")
	fs.BoolVar(&opt.KeepGoing, "keep-going", false, "run the remaining cells of a notebook after a failed cell")
	jobs := 1
	fs.Var(jobsFlag{&jobs}, "j", "run up to `N` notebooks at the same time, each in its own kernel")
	name := fs.String("kernel", kernel.Name, "the kernelspec to run the notebooks with")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitError(2)
	}
	paths, err := kernel.Notebooks(fs.Args())
	if err != nil {
		return err
	}
	opt.Course = paths
	if err := opt.Check(paths); err != nil {
		return err
	}
	if opt.SpecDir, err = ensureKernel(ctx, *name, stderr); err != nil {
		return err
	}
	opt.Log = &lockedWriter{w: stdout}

	start := time.Now()
	results := runAll(ctx, paths, opt, jobs)
	failed := 0
	fmt.Fprintln(stdout)
	for _, r := range results {
		cells := fmt.Sprintf("%d cells", len(r.Cells))
		if r.Err != nil {
			failed++
			fmt.Fprintf(stdout, "FAIL  %s  %s  %.1fs\n      %v\n", r.Path, cells, r.Duration.Seconds(), r.Err)
		} else {
			fmt.Fprintf(stdout, "ok    %s  %s  %.1fs\n", r.Path, cells, r.Duration.Seconds())
		}
		if r.OutPath != "" {
			fmt.Fprintf(stdout, "      wrote %s\n", r.OutPath)
		}
		if r.HTMLPath != "" {
			fmt.Fprintf(stdout, "      wrote %s\n", r.HTMLPath)
		}
	}
	indexes, err := kernel.WriteIndexes(paths, &opt)
	for _, p := range indexes {
		fmt.Fprintf(stdout, "wrote %s\n", p)
	}
	if err != nil {
		fmt.Fprintf(stdout, "FAIL  %v\n", err)
	}
	fmt.Fprintf(stdout, "notebooks: %d passed, %d failed in %.1fs\n", len(results)-failed, failed, time.Since(start).Seconds())
	switch {
	case ctx.Err() != nil:
		return exitError(130)
	case failed > 0, err != nil:
		return exitError(1)
	}
	return nil
}

// timeoutFlag is the value of --timeout: a duration, 0 for no limit.
type timeoutFlag struct{ d *time.Duration }

func (f timeoutFlag) String() string {
	if f.d == nil {
		return "0s"
	}
	return f.d.String()
}

func (f timeoutFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return errors.New("not a duration such as 90s or 10m")
	case d < 0:
		return errors.New("a limit cannot be negative; 0 means no limit")
	}
	*f.d = d
	return nil
}

// jobsFlag is the value of -j: how many notebooks run at once, at least 1.
type jobsFlag struct{ n *int }

func (f jobsFlag) String() string {
	if f.n == nil {
		return "0"
	}
	return strconv.Itoa(*f.n)
}

func (f jobsFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		return errors.New("not a whole number")
	case n < 1:
		return errors.New("at least 1 notebook must run at a time")
	}
	*f.n = n
	return nil
}

// runAll runs the notebooks in order on up to jobs kernels at once and
// returns the results in the order of paths.
func runAll(ctx context.Context, paths []string, opt kernel.RunOptions, jobs int) []*kernel.Result {
	results := make([]*kernel.Result, len(paths))
	next := make(chan int, len(paths))
	for i := range paths {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(jobs, len(paths)) {
		wg.Go(func() {
			for i := range next {
				if ctx.Err() != nil {
					results[i] = &kernel.Result{Path: paths[i], Err: fmt.Errorf("%s: not run: interrupted", paths[i])}
					continue
				}
				results[i] = kernel.Run(ctx, paths[i], opt)
			}
		})
	}
	wg.Wait()
	return results
}

// ensureKernel finds the named kernelspec. For the dlnb kernel, run from a
// checkout, it installs the kernel when missing and otherwise republishes
// the checkout if the kernel serves it, so that cells see current code.
// A kernel that serves a checkout that is gone (moved or deleted) is
// taken over by this one; one that serves another checkout still there is
// left alone, with a line that says so and how to switch.
func ensureKernel(ctx context.Context, name string, log io.Writer) (string, error) {
	dir, findErr := kernel.FindSpec(name)
	if name != kernel.Name {
		return dir, findErr
	}
	src, err := kernel.ModuleRoot(".")
	if err != nil {
		return dir, findErr // outside a checkout: use what is installed
	}
	opt := kernel.InstallOptions{Src: src, Log: log, Quiet: true}
	if findErr == nil {
		spec, err := kernel.ReadSpec(dir)
		if err != nil {
			return "", err
		}
		if served := spec.Metadata.DLNB.Src; served != src {
			if root, err := kernel.ModuleRoot(served); err == nil && root == served {
				fmt.Fprintf(log, "dlnb: the dlnb kernel serves the checkout %s, not this one (%s): cells import its code; "+
					"to serve this one, run dlnb install here\n", served, src)
				return dir, nil
			}
			fmt.Fprintf(log, "dlnb: the dlnb kernel served %s, which is gone; it serves this checkout (%s) now\n", served, src)
		}
		opt.Scope.Dir = filepath.Dir(filepath.Dir(dir))
	}
	return kernel.Install(ctx, opt)
}

// lockedWriter serializes writes from notebooks running side by side.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
