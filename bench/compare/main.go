// Command compare trains the same three workloads in dl and in PyTorch, on
// this machine, in one run, and prints samples per second for each side
// and their ratio:
//
//	go run ./bench/compare                  # pure Go, what notebook cells get
//	go run -tags openblas ./bench/compare   # dl's GEMM through OpenBLAS (cgo)
//
// The workloads are defined in bench/workloads: an MLP 784-256-128-10 for
// one MNIST epoch at batch 64, a small CNN for one MNIST epoch at batch 64,
// and 100 steps of a 2-layer character Transformer on Moby Dick. PyTorch
// runs them from bench/torch_bench.py in float32 with 2 threads and
// OMP_WAIT_POLICY=PASSIVE (without it torch's two thread pools fight over
// two cores and it runs 2–3× slower, which would flatter dl).
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
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
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

func main() {
	log := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "compare: "+format+"\n", args...) }
	names := flag.String("workloads", "mlp,cnn,transformer", "comma-separated `list` of workloads to run")
	steps := flag.Int("steps", 100, "Transformer training `steps`")
	dlOnly := flag.Bool("dl-only", false, "run only the dl side (no PyTorch needed)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: go run [-tags openblas] ./bench/compare [flags]\n\nTrains the same workloads in dl and in PyTorch and prints samples/s and their ratio.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := run(os.Stdout, strings.Split(*names, ","), *steps, *dlOnly, log); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
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

func run(out io.Writer, names []string, steps int, dlOnly bool, log func(string, ...any)) error {
	for _, n := range names {
		if !slices.Contains([]string{"mlp", "cnn", "transformer"}, n) {
			return fmt.Errorf("unknown workload %q; want mlp, cnn or transformer", n)
		}
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	python := ""
	if !dlOnly {
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

	fmt.Fprintf(out, "dl: %s/%s, GOMAXPROCS %d, %s, %s; float64\n", runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.Version(), gemmBuild)
	fmt.Fprintf(out, "%-12s %14s %16s %10s\n", "workload", "dl samples/s", "torch samples/s", "dl/torch")
	for _, name := range names {
		var torch *result
		if !dlOnly {
			if torch, err = runTorch(python, root, mnistDir, text, name, steps); err != nil {
				return err
			}
		}
		var mine result
		switch name {
		case "mlp":
			mine = epoch("mlp", train, workloads.MLPBatch, workloads.MLP, []int{workloads.MLPInputs})
		case "cnn":
			mine = epoch("cnn", train, workloads.CNNBatch, workloads.CNN, []int{1, workloads.ImageSide, workloads.ImageSide})
		case "transformer":
			mine = transformer(ids, steps)
		}
		if torch == nil {
			fmt.Fprintf(out, "%-12s %14.0f %16s %10s\n", name, mine.SamplesPerS, "-", "-")
			continue
		}
		fmt.Fprintf(out, "%-12s %14.0f %16.0f %9.2f×\n", name, mine.SamplesPerS, torch.SamplesPerS, mine.SamplesPerS/torch.SamplesPerS)
	}
	if !dlOnly {
		fmt.Fprintln(out, "torch: float32, 2 threads, OMP_WAIT_POLICY=PASSIVE; a sample is an image (mlp, cnn) or a 64-character sequence (transformer)")
	}
	return nil
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
func runTorch(python, root, mnistDir, text, name string, steps int) (*result, error) {
	cmd := exec.Command(python, filepath.Join(root, "bench", "torch_bench.py"),
		"--mnist", mnistDir, "--text", text, "--steps", fmt.Sprint(steps), name)
	cmd.Env = append(os.Environ(), "OMP_WAIT_POLICY=PASSIVE")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("PyTorch's %s run failed: %v\n%s", name, err, stderr.String())
	}
	var r result
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Workload == name {
			return &r, nil
		}
	}
	return nil, fmt.Errorf("PyTorch's %s run printed no result:\n%s%s", name, out, stderr.String())
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
