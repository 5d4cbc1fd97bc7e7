// Command latency measures how long the dlnb kernel takes to run a cell,
// as a student meets it: the first cell of a fresh kernel, then warm cells
// that each differ from the others, so that Go's build cache cannot serve
// a whole program from an earlier cell.
//
//	go run ./cmd/dlnb install   # the kernel serves the checkout as installed
//	go run ./bench/latency      # -n 10 warm cells of each kind
//
// It runs three kinds of cell, each in a fresh kernel: one that uses only
// the standard library, one that uses dl, and one that uses dl and shows a
// plotting figure. It prints a markdown table of the first cell's time and
// the median, fastest and slowest of the warm cells, measured from the
// request to the reply as a front end sees them. Run it on a quiet
// machine, before and after a change, in one session: the times depend
// on the machine and its load, so compare runs, not absolute numbers.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/dlnb/dlnb/kernel"
)

// A kind is one kind of cell: its imports, run with the first cell, and a
// body that makes cell i differ from the others.
type kind struct {
	name, imports string
	body          func(i int) string
}

var kinds = []kind{
	{"standard library only", `import ("fmt"; "strings")`,
		func(i int) string { return fmt.Sprintf("%%%%\nfmt.Println(strings.Repeat(\"ab\", %d))", i) }},
	{"uses dl", `import ("fmt"; "math/rand/v2"; "github.com/dlnb/dlnb/dl")`,
		func(i int) string {
			return fmt.Sprintf("%%%%\nx := dl.Randn(rand.New(rand.NewPCG(%d, 2)), 50)\nfmt.Println(dl.Sum(dl.Tanh(dl.Mul(x, dl.Scalar(%d)))).Item())", i, i)
		}},
	{"uses dl and shows a plotting figure", `import ("math/rand/v2"; "github.com/dlnb/dlnb/dl"; "github.com/dlnb/dlnb/plotting")`,
		func(i int) string {
			return fmt.Sprintf("%%%%\nx := dl.Randn(rand.New(rand.NewPCG(%d, 2)), 50)\ny := dl.Tanh(dl.Mul(x, dl.Scalar(%d)))\n"+
				"plotting.Lines([]plotting.Series{{Name: \"tanh\", Y: y.Data()}}, plotting.Options{Title: \"cell %d\"}).Show()", i, i, i)
		}},
}

func main() {
	n := flag.Int("n", 10, "warm cells of each kind")
	spec := flag.String("spec", "", "the kernelspec folder (default: the installed dlnb kernel)")
	lsp := flag.Bool("lsp", false, "start the kernel with gopls, as Jupyter does (dlnb run starts it without)")
	flag.Parse()
	if err := run(*spec, *n, *lsp); err != nil {
		fmt.Fprintln(os.Stderr, "latency:", err)
		os.Exit(1)
	}
}

func run(spec string, n int, lsp bool) error {
	if n < 1 {
		return fmt.Errorf("-n %d: want at least one warm cell", n)
	}
	if spec == "" {
		var err error
		if spec, err = kernel.FindSpec(kernel.Name); err != nil {
			return err
		}
	}
	fmt.Println("| cell | first cell of a fresh kernel | warm cells: median | fastest – slowest |")
	fmt.Println("| --- | --- | --- | --- |")
	for _, k := range kinds {
		first, warm, err := measure(spec, k, n, lsp)
		if err != nil {
			return fmt.Errorf("%s: %v", k.name, err)
		}
		slices.Sort(warm)
		fmt.Printf("| %s | %.2f s | %.2f s | %.2f – %.2f s |\n", k.name, first, median(warm), warm[0], warm[len(warm)-1])
	}
	return nil
}

// measure starts a fresh kernel and runs k's first cell and n warm cells,
// returning their times in seconds.
func measure(spec string, k kind, n int, lsp bool) (first float64, warm []float64, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	kern, err := kernel.StartKernel(ctx, spec, kernel.StartOptions{NoLSP: !lsp})
	if err != nil {
		return 0, nil, err
	}
	defer kern.Close()
	cell := func(code string) (float64, error) {
		start := time.Now()
		reply, err := kern.Execute(ctx, code, nil)
		if err == nil && reply.Status != "ok" {
			err = fmt.Errorf("the cell failed: %s: %s", reply.EName, reply.EValue)
		}
		if err != nil {
			return 0, fmt.Errorf("%v\n%s\nkernel log:\n%s", err, code, kern.LogTail(20))
		}
		return time.Since(start).Seconds(), nil
	}
	if first, err = cell(k.imports + "\n\n" + k.body(0)); err != nil {
		return 0, nil, err
	}
	for i := 1; i <= n; i++ {
		t, err := cell(k.body(i))
		if err != nil {
			return 0, nil, err
		}
		warm = append(warm, t)
	}
	return first, warm, nil
}

// median returns the middle of the sorted xs (the mean of the two middle
// ones for an even count).
func median(xs []float64) float64 {
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return xs[m]
	}
	return (xs[m-1] + xs[m]) / 2
}
