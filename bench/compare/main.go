// Command compare trains the same three workloads in dl and in PyTorch, on
// this machine, and prints samples per second for each side and their
// ratio, as a markdown table for the README's speed section:
//
//	go run ./bench/compare                    # pure Go, what notebook cells get
//	go run ./bench/compare -precision both    # dl with float64 and with float32 products
//	go run -tags openblas ./bench/compare     # dl's GEMM through OpenBLAS (cgo)
//
// The workloads are defined in bench/workloads: an MLP 784-256-128-10 for
// one MNIST epoch at batch 64, a small CNN for one MNIST epoch at batch 64,
// and 100 steps of a 2-layer character Transformer on Moby Dick. PyTorch
// runs them from bench/torch_bench.py in float32 with 2 threads and
// OMP_WAIT_POLICY=PASSIVE (without it torch's two thread pools fight over
// two cores and it runs 2–3× slower, which would flatter dl).
//
// PyTorch's speed swings by up to 3× between runs on a shared machine, so
// one run of each proves little. compare runs each workload -runs times
// (5 by default) and interleaves the sides: dl, PyTorch, dl, PyTorch, ...,
// so that a slow spell of the machine falls on both. The table gives each
// side's median samples/s with its slowest and fastest run, and the ratio
// of the two medians.
//
// -precision sets the precision of dl's matrix products: 64 (float64, dl's
// default), 32 (float32 products, float64 everywhere else), or both, which
// runs dl once in each precision per round and prints both dl columns
// against the same PyTorch runs.
//
// compare looks for a Python that can import torch: $PYTHON, then
// /usr/bin/python3 (Debian's python3-torch), then python3 on PATH. If none
// can, and the machine is Debian or Ubuntu and compare runs as root, it
// installs python3-torch with apt-get; otherwise it says how, and with
// -dl-only it runs the dl side alone.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dlnb/dlnb/bench/workloads"
	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/data/mnist"
)

// warmup steps run untimed before each timing, on both sides.
const warmup = 5

// corpus is the text the Transformer trains on, relative to the module root.
const corpus = "dl/data/corpus/mobydick.txt.gz"

// titles are the workloads' names in the table.
var titles = map[string]string{"mlp": "MLP", "cnn": "CNN", "transformer": "Transformer"}

func main() {
	log := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "compare: "+format+"\n", args...) }
	var o options
	names := flag.String("workloads", "mlp,cnn,transformer", "comma-separated `list` of workloads to run")
	flag.IntVar(&o.steps, "steps", 100, "Transformer training `steps`")
	flag.IntVar(&o.runs, "runs", 5, "`number` of runs of each workload on each side; the table shows medians")
	flag.StringVar(&o.precision, "precision", "64", "`bits` of dl's matrix products: 64, 32, or both (two dl columns)")
	flag.BoolVar(&o.dlOnly, "dl-only", false, "run only the dl side (no PyTorch needed)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: go run [-tags openblas] ./bench/compare [flags]\n\nTrains the same workloads in dl and in PyTorch, several times each, and prints\nthe median samples/s of each side and their ratio as a markdown table.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	o.workloads = strings.Split(*names, ",")
	if err := run(os.Stdout, o, log); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

// options are compare's flags.
type options struct {
	workloads []string // mlp, cnn, transformer
	steps     int      // Transformer steps
	runs      int      // runs of each workload on each side
	precision string   // "64", "32" or "both"
	dlOnly    bool     // no PyTorch side
}

// result is one side's measurement of one workload.
type result struct {
	Workload    string  `json:"workload"`
	Samples     int     `json:"samples"`
	Seconds     float64 `json:"seconds"`
	SamplesPerS float64 `json:"samples_per_s"`
	Torch       string  `json:"torch"`
	Threads     int     `json:"threads"`
}

// side is one column of the comparison: dl in one precision, or PyTorch.
type side struct {
	label string                                // "dl float64", "dl float32", "PyTorch"
	torch bool                                  // the reference the dl sides are divided by
	run   func(workload string) (result, error) // one timed run of a workload
}

// run checks the options, finds PyTorch (unless o.dlOnly) and the data,
// measures every workload on every side and prints the table to out; log
// reports each round as it ends.
func run(out io.Writer, o options, log func(string, ...any)) error {
	for _, n := range o.workloads {
		if titles[n] == "" {
			return fmt.Errorf("unknown workload %q; want mlp, cnn or transformer", n)
		}
	}
	if o.runs < 1 {
		return fmt.Errorf("-runs %d: want at least 1 run (5 give a steady median)", o.runs)
	}
	precisions, err := parsePrecision(o.precision)
	if err != nil {
		return err
	}
	setters := make([]func(), len(precisions))
	for i, bits := range precisions {
		if setters[i], err = matMulPrecision(bits); err != nil {
			return fmt.Errorf("-precision %s: %v", o.precision, err)
		}
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	python := ""
	if !o.dlOnly {
		if python, err = findTorch(log); err != nil {
			return err
		}
	}
	mnistDir, err := mnist.Dir()
	if err != nil {
		return err
	}
	train, _, err := mnist.Load()
	if err != nil {
		return err
	}
	text := filepath.Join(root, corpus)
	ids, err := textIDs(text, workloads.Vocab)
	if err != nil {
		return err
	}

	var sides []side
	for i, bits := range precisions {
		set := setters[i]
		sides = append(sides, side{label: fmt.Sprintf("dl float%d", bits), run: func(name string) (result, error) {
			set()
			runtime.GC() // the last run's garbage is not this run's to collect
			switch name {
			case "mlp":
				return epoch("mlp", train, workloads.MLPBatch, workloads.MLP, []int{workloads.MLPInputs}), nil
			case "cnn":
				return epoch("cnn", train, workloads.CNNBatch, workloads.CNN, []int{1, workloads.ImageSide, workloads.ImageSide}), nil
			}
			return transformer(ids, o.steps), nil
		}})
	}
	if !o.dlOnly {
		sides = append(sides, side{label: "PyTorch", torch: true, run: func(name string) (result, error) {
			return runTorch(python, root, mnistDir, text, name, o.steps)
		}})
	}

	rows, err := measure(o.workloads, sides, o.runs, log)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, setting(o, sides, rows))
	fmt.Fprintln(out)
	writeTable(out, sides, rows)
	return nil
}

// parsePrecision turns -precision's value into the bits of dl's matrix
// products, one entry per dl column.
func parsePrecision(s string) ([]int, error) {
	switch s {
	case "64":
		return []int{64}, nil
	case "32":
		return []int{32}, nil
	case "both":
		return []int{64, 32}, nil
	}
	return nil, fmt.Errorf("-precision %q: want 64, 32 or both", s)
}

// row is one workload's measurements: results[i] holds side i's runs in
// the order they ran.
type row struct {
	workload string
	results  [][]result
}

// measure runs every workload runs times on every side, interleaving the
// sides (side 0, side 1, ..., side 0, side 1, ...), and stops at the first
// error.
func measure(names []string, sides []side, runs int, log func(string, ...any)) ([]row, error) {
	var rows []row
	for _, name := range names {
		r := row{workload: name, results: make([][]result, len(sides))}
		for i := range runs {
			var got []string
			for s, sd := range sides {
				res, err := sd.run(name)
				if err != nil {
					return nil, fmt.Errorf("%s, run %d of %d, %s: %v", titles[name], i+1, runs, sd.label, err)
				}
				r.results[s] = append(r.results[s], res)
				got = append(got, sd.label+" "+thousands(res.SamplesPerS))
			}
			log("%s run %d/%d: %s samples/s", titles[name], i+1, runs, strings.Join(got, ", "))
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// spread summarizes one side's runs of a workload in samples/s.
type spread struct{ median, min, max float64 }

// spreadOf returns the median, slowest and fastest samples/s of results.
// The median of an even number of runs is the mean of the middle two.
func spreadOf(results []result) spread {
	rates := make([]float64, len(results))
	for i, r := range results {
		rates[i] = r.SamplesPerS
	}
	slices.Sort(rates)
	n := len(rates)
	median := rates[n/2]
	if n%2 == 0 {
		median = (rates[n/2-1] + rates[n/2]) / 2
	}
	return spread{median: median, min: rates[0], max: rates[n-1]}
}

// writeTable prints one markdown row per workload: each side's median
// samples/s with its range, then each dl side's median over PyTorch's.
func writeTable(out io.Writer, sides []side, rows []row) {
	head := []string{"workload"}
	torch := slices.IndexFunc(sides, func(s side) bool { return s.torch })
	for _, s := range sides {
		head = append(head, s.label+" samples/s")
	}
	if torch >= 0 {
		for _, s := range sides {
			if !s.torch {
				head = append(head, s.label+" / "+sides[torch].label)
			}
		}
	}
	fmt.Fprintf(out, "| %s |\n", strings.Join(head, " | "))
	fmt.Fprintf(out, "| --- |%s\n", strings.Repeat(" ---: |", len(head)-1))
	for _, r := range rows {
		cells := []string{titles[r.workload]}
		medians := make([]float64, len(sides))
		for s := range sides {
			sp := spreadOf(r.results[s])
			medians[s] = sp.median
			cells = append(cells, fmt.Sprintf("%s (%s–%s)", thousands(sp.median), thousands(sp.min), thousands(sp.max)))
		}
		if torch >= 0 {
			for s, sd := range sides {
				if !sd.torch {
					cells = append(cells, fmt.Sprintf("%.2f×", medians[s]/medians[torch]))
				}
			}
		}
		fmt.Fprintf(out, "| %s |\n", strings.Join(cells, " | "))
	}
}

// setting describes, above the table, when and where it was measured and
// how to read it.
func setting(o options, sides []side, rows []row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s, %d cores, GOMAXPROCS %d (%s/%s); dl built with %s, %s",
		time.Now().Format("2006-01-02"), cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0),
		runtime.GOOS, runtime.GOARCH, runtime.Version(), gemmBuild)
	torch := slices.IndexFunc(sides, func(s side) bool { return s.torch })
	if torch >= 0 && len(rows) > 0 {
		first := rows[0].results[torch][0]
		fmt.Fprintf(&b, "; PyTorch %s in float32, %d threads, OMP_WAIT_POLICY=PASSIVE", first.Torch, first.Threads)
	}
	runs := "1 run"
	if o.runs > 1 {
		runs = fmt.Sprintf("the median of %d runs", o.runs)
	}
	fmt.Fprintf(&b, ".\nEach figure is %s (slowest–fastest in brackets)", runs)
	if torch >= 0 {
		b.WriteString(", dl and PyTorch interleaved; the ratios are of the medians")
	}
	b.WriteString(".\ndl computes in float64")
	if slices.ContainsFunc(sides, func(s side) bool { return s.label == "dl float32" }) {
		b.WriteString("; \"dl float32\" means its matrix products are in float32")
	}
	b.WriteString(".")
	fmt.Fprintf(&b, "\nA sample is an image (MLP, CNN: one MNIST epoch at batch %d) or a %d-character sequence (Transformer: %d steps at batch %d).",
		workloads.MLPBatch, workloads.Context, o.steps, workloads.TBatch)
	return b.String()
}

// cpuModel returns the first model name in /proc/cpuinfo, or the
// architecture where there is none.
func cpuModel() string {
	info, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for line := range strings.Lines(string(info)) {
			key, value, ok := strings.Cut(line, ":")
			if ok && strings.TrimSpace(key) == "model name" {
				return strings.TrimSpace(value)
			}
		}
	}
	return "an unnamed " + runtime.GOARCH + " CPU"
}

// thousands formats a rate as a whole number with commas: 19,792.
func thousands(x float64) string {
	s := strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}

// epoch trains one epoch of set in whole batches on the workload that
// build makes, copying each batch into the workload's input tensors.
func epoch(name string, set data.Set, batch int, build func(x, y *dl.Tensor, seed uint64) *workloads.Workload, shape []int) result {
	x := dl.Zeros(append([]int{batch}, shape...)...)
	y := dl.Zeros(batch)
	w := build(x, y, 1)
	row := x.Len() / batch
	steps := set.Len() / batch
	load := func(i int) {
		copy(x.Data(), set.X.Data()[i*batch*row:(i+1)*batch*row])
		copy(y.Data(), set.Y.Data()[i*batch:(i+1)*batch])
	}
	return measured(name, steps*batch, timeSteps(steps, load, w))
}

// transformer trains the Transformer for steps batches of random windows
// of ids, drawn before the timing starts.
func transformer(ids []float64, steps int) result {
	const b, t = workloads.TBatch, workloads.Context
	idx, targets := dl.Zeros(b, t), dl.Zeros(b, t)
	w := workloads.Transformer(idx, targets, 1)
	rng := rand.New(rand.NewPCG(1, 2))
	batches := make([][2][]float64, steps)
	for s := range batches {
		batches[s] = [2][]float64{make([]float64, b*t), make([]float64, b*t)}
		for i := range b {
			start := rng.IntN(len(ids) - t - 1)
			copy(batches[s][0][i*t:], ids[start:start+t])
			copy(batches[s][1][i*t:], ids[start+1:start+t+1])
		}
	}
	load := func(s int) {
		copy(idx.Data(), batches[s][0])
		copy(targets.Data(), batches[s][1])
	}
	return measured("transformer", steps*b, timeSteps(steps, load, w))
}

// timeSteps runs the workload's first steps untimed, then times steps
// steps, each after load(step) has put that step's batch in place.
func timeSteps(steps int, load func(step int), w *workloads.Workload) time.Duration {
	for s := range min(warmup, steps) {
		load(s)
		w.Step()
	}
	start := time.Now()
	for s := range steps {
		load(s)
		w.Step()
	}
	return time.Since(start)
}

func measured(name string, samples int, d time.Duration) result {
	return result{Workload: name, Samples: samples, Seconds: d.Seconds(), SamplesPerS: float64(samples) / d.Seconds()}
}

// textIDs reads a gzipped text and maps each character to an id below
// vocab: the index of the character among the text's sorted distinct
// characters, modulo vocab. torch_bench.py does the same.
func textIDs(path string, vocab int) ([]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("the Transformer's text: %v", err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	raw, err := io.ReadAll(z)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	runes := []rune(string(raw))
	distinct := slices.Compact(slices.Sorted(slices.Values(runes)))
	index := make(map[rune]int, len(distinct))
	for i, r := range distinct {
		index[r] = i % vocab
	}
	ids := make([]float64, len(runes))
	for i, r := range runes {
		ids[i] = float64(index[r])
	}
	return ids, nil
}

// runTorch runs one workload in torch_bench.py and parses its JSON line.
func runTorch(python, root, mnistDir, text, name string, steps int) (result, error) {
	cmd := exec.Command(python, filepath.Join(root, "bench", "torch_bench.py"),
		"--mnist", mnistDir, "--text", text, "--steps", fmt.Sprint(steps), name)
	cmd.Env = append(os.Environ(), "OMP_WAIT_POLICY=PASSIVE")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("PyTorch's %s run failed: %v\n%s", name, err, stderr.String())
	}
	var r result
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Workload == name {
			return r, nil
		}
	}
	return result{}, fmt.Errorf("PyTorch's %s run printed no result:\n%s%s", name, out, stderr.String())
}

// findTorch returns a Python that imports torch, installing Debian's
// python3-torch when it can.
func findTorch(log func(string, ...any)) (string, error) {
	candidates := []string{os.Getenv("PYTHON"), "/usr/bin/python3", "python3"}
	try := func() string {
		for _, c := range candidates {
			if c == "" {
				continue
			}
			if p, err := exec.LookPath(c); err == nil && exec.Command(p, "-c", "import torch").Run() == nil {
				return p
			}
		}
		return ""
	}
	if p := try(); p != "" {
		return p, nil
	}
	const how = "install Debian's python3-torch (sudo apt-get install -y python3-torch), or set PYTHON to a Python that has torch; -dl-only runs the dl side alone"
	apt, err := exec.LookPath("apt-get")
	if err != nil || os.Geteuid() != 0 {
		return "", errors.New("no Python here can import torch; " + how)
	}
	log("no Python here can import torch; installing Debian's python3-torch with apt-get")
	for _, args := range [][]string{{"update"}, {"install", "-y", "python3-torch"}} {
		cmd := exec.Command(apt, args...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("apt-get %s failed (%v); %s", strings.Join(args, " "), err, how)
		}
	}
	if p := try(); p != "" {
		return p, nil
	}
	return "", errors.New("python3-torch is installed but no Python imports torch; " + how)
}

// moduleRoot walks up from the working folder to the dlnb checkout.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && bytes.HasPrefix(data, []byte("module github.com/dlnb/dlnb\n")) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("run compare inside the dlnb checkout (go run ./bench/compare); %s is not in one", dir)
		}
	}
}
