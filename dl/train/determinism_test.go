package train_test

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/internal/gemm"
	"github.com/dlnb/dlnb/dl/internal/parallel"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
)

// The determinism tests train a small CNN on batches large enough that
// every parallel path of dl runs split into chunks: the k-split of the
// GEMM (the weight gradient Xᵀ·dY of the 16→16 Linear over 8192 rows), the
// bias gradients of Linear and Conv2D and the weight gradient of Conv2D
// (parallel.Sum), the optimizer steps (parallel.For on the 8192 weights of
// the 16→512 Linear), and BatchNorm, whose statistics are summed in a
// fixed order on one goroutine.
const (
	detBatch    = 8192
	detExamples = detBatch
)

// detRun is what one training leaves behind.
type detRun struct {
	prec    dl.Precision // of the matrix products
	hist    *train.History
	params  []*dl.Tensor // the parameters, then the buffers
	bn      *nn.BatchNorm
	splits  map[string]int
	gemmRun map[string]int
}

// detTrain trains the CNN from the same seeds with opt, with matrix
// products in precision prec, and returns what came out, with the parallel
// paths that ran.
func detTrain(t *testing.T, opt optim.Optimizer, prec dl.Precision) detRun {
	t.Helper()
	defer dl.SetMatMulPrecision(dl.MatMulPrecision())
	dl.SetMatMulPrecision(prec)
	rng := newRNG(21)
	// Synthetic images [n, 1, 4, 4]; the label is the sign pattern of two
	// fixed random projections, 4 classes.
	x := dl.Randn(rng, detExamples+512, 1, 4, 4)
	p := dl.Randn(rng, 16, 2)
	proj := dl.MatMul(dl.Reshape(x, detExamples+512, 16), p).Data()
	labels := make([]float64, detExamples+512)
	for i := range labels {
		if proj[2*i] > 0 {
			labels[i]++
		}
		if proj[2*i+1] > 0 {
			labels[i] += 2
		}
	}
	all := data.Set{X: x, Y: dl.New(labels, len(labels))}
	idx := make([]int, detExamples)
	for i := range idx {
		idx[i] = i
	}
	val := make([]int, 512)
	for i := range val {
		val[i] = detExamples + i
	}
	set, valSet := all.Subset(idx), all.Subset(val)

	bn := nn.NewBatchNorm(8)
	model := nn.NewSequential(
		nn.NewConv2D(rng, 1, 8, 3, dl.ConvOptions{Padding: 1}), // [n, 8, 4, 4]
		bn,
		nn.ReLU{},
		nn.NewConv2D(rng, 8, 4, 3, dl.ConvOptions{Stride: 2, Padding: 1}), // [n, 4, 2, 2]
		nn.Flatten{},              // [n, 16]
		nn.NewLinear(rng, 16, 16), // dW = Xᵀ·dY: 16×16 over 8192 rows
		nn.ReLU{},
		nn.NewLinear(rng, 16, 512), // 8192 weights for the optimizer
		nn.ReLU{},
		nn.NewLinear(rng, 512, 4),
	)
	stopSplits, stopGemm := parallel.CountSplits(), gemm.CountPaths()
	h, err := train.Fit(model, set, train.Config{
		Loss:      nn.CrossEntropy,
		Optimizer: opt,
		Epochs:    2,
		BatchSize: detBatch,
		Seed:      5,
		Val:       &valSet,
		Metrics:   []train.Metric{train.AccuracyMetric},
	})
	r := detRun{prec: prec, hist: h, bn: bn, splits: stopSplits(), gemmRun: stopGemm()}
	if err != nil {
		t.Fatal(err)
	}
	r.params = append(model.Params(), nn.Buffers(model)...)
	return r
}

// detOptimizers are the optimizers the tests train with, each built anew;
// every field is set, so that they mean the same under any defaults.
func detOptimizers() map[string]func() optim.Optimizer {
	return map[string]func() optim.Optimizer{
		"SGD": func() optim.Optimizer { return &optim.SGD{LR: 0.05, Momentum: 0.9} },
		"Adam": func() optim.Optimizer {
			return &optim.Adam{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
		},
	}
}

// detPrecisions are the precisions of matrix products that the tests
// train in.
var detPrecisions = []dl.Precision{dl.Float64, dl.Float32}

// TestFitBitIdentical trains the CNN twice with each optimizer, in each
// precision of matrix products, and checks that every parameter, buffer
// and number of the History comes out with the same bits, and that every
// parallel path ran split. Float32 must give other bits than Float64
// where this build has the float32 kernel: it did multiply in float32.
func TestFitBitIdentical(t *testing.T) {
	for name, opt := range detOptimizers() {
		t.Run(name, func(t *testing.T) {
			var first []detRun // the first run in each precision
			for _, prec := range detPrecisions {
				a, b := detTrain(t, opt(), prec), detTrain(t, opt(), prec)
				first = append(first, a)
				for _, r := range []detRun{a, b} {
					checkPaths(t, r)
				}
				if ha, hb := historyValues(a.hist), historyValues(b.hist); !bitsEqual(ha, hb) {
					t.Errorf("%v: the History differs between two runs:\n%v\n%v", prec, ha, hb)
				}
				for i := range a.params {
					if x, y := a.params[i].Data(), b.params[i].Data(); !bitsEqual(x, y) {
						t.Errorf("%v: parameter or buffer %d %v differs between two runs", prec, i, a.params[i].Shape())
					}
				}
				if a.hist.Loss[1] >= a.hist.Loss[0] {
					t.Errorf("%v: the loss did not fall: %v; the test should train something", prec, a.hist.Loss)
				}
				// BatchNorm took part: its running mean moved from 0.
				if !slices.ContainsFunc(a.bn.RunningMean, func(v float64) bool { return v != 0 }) {
					t.Errorf("%v: BatchNorm's running mean is still 0", prec)
				}
			}
			h64, h32 := historyValues(first[0].hist), historyValues(first[1].hist)
			if gemm.Faster32() && bitsEqual(h64, h32) {
				t.Errorf("Float32 gave the same History as Float64, %v: its products ran in float64", h64)
			}
		})
	}
}

// checkPaths fails t unless every parallel path ran split into two or
// more chunks in r.
func checkPaths(t *testing.T, r detRun) {
	t.Helper()
	want := []struct{ site, what string }{
		{"Sum dl/linear.go:", "Linear's bias gradient"},
		{"Sum dl/conv.go:", "Conv2D's weight and bias gradients"},
		{"For dl/optim/", "the optimizer step"},
		{"For dl/norm.go:", "BatchNorm's statistics and gradients"},
	}
	for _, w := range want {
		if !slices.ContainsFunc(sortedKeys(r.splits), func(s string) bool { return strings.HasPrefix(s, w.site) }) {
			t.Errorf("%s (%s…) never ran split; the split calls were %v", w.what, w.site, r.splits)
		}
	}
	convSums := 0
	for _, s := range sortedKeys(r.splits) {
		if strings.HasPrefix(s, "Sum dl/conv.go:") {
			convSums++
		}
	}
	if convSums < 2 {
		t.Errorf("%d split parallel.Sum sites in dl/conv.go, want 2 (the weight and the bias gradients): %v", convSums, r.splits)
	}
	if gemm.Skinny() && r.gemmRun["outer k-split"] == 0 {
		t.Errorf("the GEMM never split its inner dimension (byOuter); its paths were %v", r.gemmRun)
	}
	if r.prec == dl.Float32 && gemm.Faster32() && (r.gemmRun["blocked32"] == 0 || r.gemmRun["blocked"] != 0) {
		t.Errorf("in Float32, the GEMM's blocked products were not all in float32 (blocked32); its paths were %v", r.gemmRun)
	}
	if r.prec == dl.Float64 && r.gemmRun["blocked32"] != 0 {
		t.Errorf("in Float64, the GEMM multiplied in float32; its paths were %v", r.gemmRun)
	}
}

// TestFitAcrossGOMAXPROCS runs the training of TestFitBitIdentical, in
// both precisions, in child processes under GOMAXPROCS 1, 2 and 4, and
// checks that they all give the same bits, and split the same calls into
// chunks.
func TestFitAcrossGOMAXPROCS(t *testing.T) {
	if os.Getenv("DLNB_DETERMINISM_CHILD") == "1" {
		t.Skip("in a child process")
	}
	var want, wantSplits string
	for _, procs := range []int{1, 2, 4} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFitDigest$", "-test.count=1")
		cmd.Env = append(os.Environ(), "DLNB_DETERMINISM_CHILD=1", fmt.Sprintf("GOMAXPROCS=%d", procs))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("GOMAXPROCS=%d: %v\n%s", procs, err, out)
		}
		var got, gotProcs, gotSplits string
		for _, line := range strings.Split(string(out), "\n") {
			if rest, ok := strings.CutPrefix(line, "digest "); ok {
				gotProcs, got, _ = strings.Cut(rest, " ")
			}
			if rest, ok := strings.CutPrefix(line, "splits "); ok {
				gotSplits = rest
			}
		}
		if gotProcs != fmt.Sprint(procs) {
			t.Fatalf("GOMAXPROCS=%d: the child ran under GOMAXPROCS %q; its output:\n%s", procs, gotProcs, out)
		}
		if procs == 1 {
			want, wantSplits = got, gotSplits
			continue
		}
		if got != want {
			t.Errorf("GOMAXPROCS=%d: digest %s, under 1: %s", procs, got, want)
		}
		if gotSplits != wantSplits {
			t.Errorf("GOMAXPROCS=%d: split calls %s, under 1: %s", procs, gotSplits, wantSplits)
		}
	}
}

// TestFitDigest is the child of TestFitAcrossGOMAXPROCS: it prints the
// digest of the training and the split calls.
func TestFitDigest(t *testing.T) {
	if os.Getenv("DLNB_DETERMINISM_CHILD") != "1" {
		t.Skip("run by TestFitAcrossGOMAXPROCS in a child process")
	}
	digest, splits := detDigest(t)
	fmt.Printf("digest %d %s\nsplits %s\n", runtime.GOMAXPROCS(0), digest, splits)
}

// detDigest trains with each optimizer in each precision and returns a
// SHA-256 of the bits of every parameter, buffer and History value, and
// the split calls of parallel.For and Sum.
func detDigest(t *testing.T) (digest, splits string) {
	h := sha256.New()
	opts := detOptimizers()
	counts := map[string]int{}
	for _, name := range sortedKeys(opts) {
		for _, prec := range detPrecisions {
			r := detTrain(t, opts[name](), prec)
			writeBits(h, historyValues(r.hist))
			for _, p := range r.params {
				writeBits(h, p.Data())
			}
			for k, v := range r.splits {
				counts[fmt.Sprint(name, " ", prec, " ", k)] += v
			}
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil)), fmt.Sprint(counts)
}

// historyValues returns every number of h, in a fixed order.
func historyValues(h *train.History) []float64 {
	v := slices.Concat(h.Loss, h.ValLoss)
	for _, m := range []map[string][]float64{h.Metrics, h.ValMetrics} {
		for _, k := range sortedKeys(m) {
			v = append(v, m[k]...)
		}
	}
	return v
}

func writeBits(h hash.Hash, v []float64) {
	b := make([]byte, 8*len(v)+8)
	binary.LittleEndian.PutUint64(b, uint64(len(v)))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8+8*i:], math.Float64bits(x))
	}
	h.Write(b)
}

// bitsEqual reports whether a and b hold the same float64 bits.
func bitsEqual(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
