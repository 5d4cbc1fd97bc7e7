// Package notebooks_test executes every notebook of the course, through
// `dlnb run` and through Jupyter's own nbconvert, and checks the numbers
// and pictures each one promises.
package notebooks_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/dlnbtest"
	"github.com/dlnb/dlnb/kernel"
	"github.com/dlnb/dlnb/kernel/ipynb"
)

func TestMain(m *testing.M) {
	code := m.Run()
	dlnbtest.Cleanup()
	os.Exit(code)
}

// A promise is something a notebook's outputs must show: a MIME type that
// must appear (a picture), a piece of text, or a number, found by the
// first group of Pattern, that must lie in [Min, Max].
type promise struct {
	MIME     string
	Contains string
	Pattern  string
	Min, Max float64
}

// near is the promise that Pattern's number lies within tol of want.
func near(pattern string, want, tol float64) promise {
	return promise{Pattern: pattern, Min: want - tol, Max: want + tol}
}

// promises lists, for every notebook of the course, what its outputs must
// show. A notebook without an entry fails the test: each one states its
// key numbers here.
var promises = map[string][]promise{
	"00_welcome.ipynb": {
		near(`sigmoid\(\+0\) = ([0-9.]+)`, 0.5, 1e-3),
		near(`sigmoid\(\+4\) = ([0-9.]+)`, 0.982, 1e-3),
		near(`\| \+2 \| ([0-9.]+) \|`, 0.881, 1e-3),
		{MIME: "text/markdown"},
		{Contains: `<polyline fill="none" stroke="#00ADD8"`}, // the sigmoid, as inline SVG
		near(`epoch 5/5, loss ([0-9.]+)`, 0.03125, 1e-4),
		near(`final loss ([0-9.]+)`, 0.03125, 1e-4),
	},
	"01_perceptron.ipynb": {
		{Contains: "same weights: true"},
		near(`AND: mistakes in the last epoch: (\d+)`, 0, 0),
		near(`OR: mistakes in the last epoch: (\d+)`, 0, 0),
		{Pattern: `XOR: mistakes in the last epoch: (\d+)`, Min: 1, Max: 4},
		{MIME: "image/png"},
	},
	"02_xnor_mlp.ipynb": {
		{Pattern: `SLP accuracy on XNOR: ([0-9.]+)`, Min: 0, Max: 0.75},
		near(`MLP accuracy on XNOR: ([0-9.]+)`, 1, 0),
		{MIME: "image/png"},
	},
	"03_loss_and_gradient_descent.ipynb": {
		{Pattern: `w = 2, b = 1: loss ([0-9.]+)`, Min: 0, Max: 0.02},
		near(`slope of the loss at w = 2.0: ([-0-9.]+)`, 0, 0.1),
		{Pattern: `lr 0.02: w after 20 steps = +([-0-9.]+)`, Min: 0.5, Max: 1.8},
		near(`lr 0.30: w after 20 steps = +([-0-9.]+)`, 2, 0.05),
		{Pattern: `lr 0.90: w after 20 steps = +[-0-9.]+, loss ([-0-9.e+]+)`, Min: 100, Max: 1e300},
		near(`lr 0.40: ends at w = ([-0-9.]+)`, 2, 0.1),
		{Pattern: `lr 0.55: ends at w = [-0-9.e+]+, b = [-0-9.e+]+, loss ([0-9.e+]+)`, Min: 100, Max: 1e300},
		{MIME: "image/png"},
	},
	"04_backprop.ipynb": {
		near(`do/dw1 = ([-+0-9.]+)`, 1, 1e-4),
		near(`do/dx1 = ([-+0-9.]+)`, -1.5, 1e-4),
		near(`do/dw1: by hand [-0-9.]+, dl ([-0-9.]+)`, 1, 1e-6),
		near(`finite difference ([-0-9.]+)`, 1, 1e-5),
		{Contains: "<svg"}, // the computation graph
		// with the gradients of its intermediate nodes, which dl.RetainGrads keeps
		near(`>Tanh</text>\s*<text[^>]*>data [-0-9.]+</text>\s*<text[^>]*>grad ([-0-9.]+)</text>`, 1, 1e-3),
		near(`>Add</text>\s*<text[^>]*>data 0\.881</text>\s*<text[^>]*>grad ([-0-9.]+)</text>`, 0.5, 1e-3),
		{Pattern: `moons test accuracy: ([0-9.]+)`, Min: 0.95, Max: 1},
		{MIME: "image/png"},
	},
	"05_deep_networks.ipynb": {
		{Pattern: `test accuracy: ([0-9.]+)`, Min: 0.95, Max: 1},
		{Contains: "epoch 30/30"}, // the live display's last frame
		{MIME: "image/png"},
	},
	"06_kinds_of_learning.ipynb": {
		{Pattern: `classifier test accuracy: ([0-9.]+)`, Min: 0.95, Max: 1},
		near(`PCA: 2 of 64 directions explain ([0-9.]+)%`, 41.2, 1.5),
		{Pattern: `k-means purity: ([0-9.]+)`, Min: 0.7, Max: 0.95},
		near(`MSE ([0-9.]+) with PCA`, 0.044, 0.002),
		{Pattern: `MSE [0-9.]+ with PCA, ([0-9.]+) with the autoencoder`, Min: 0.03, Max: 0.042},
		{Pattern: `ε = 0\.0: best arm ([0-9.]+)%`, Min: 10, Max: 30},
		{Pattern: `ε = 0\.1: best arm ([0-9.]+)%`, Min: 75, Max: 95},
		{MIME: "image/png"},
	},
	"07_training_and_testing.ipynb": {
		{Pattern: `lowest test error: degree (\d+)`, Min: 3, Max: 5},
		{Pattern: `lowest test error: degree \d+, MSE ([0-9.]+)`, Min: 0.09, Max: 0.2},
		{Pattern: `degree 15: train MSE ([0-9.]+)`, Min: 0, Max: 0.05},
		{Pattern: `degree 15: train MSE [0-9.]+, test MSE ([0-9.]+)`, Min: 10, Max: 1e300},
		{Pattern: `fixed in advance: validation below new data in ([0-9.]+)%`, Min: 45, Max: 60},
		{Pattern: `chosen on validation: validation below new data in ([0-9.]+)%`, Min: 62, Max: 85},
		{Pattern: `median MSE ([0-9.]+) on validation`, Min: 0.085, Max: 0.113},
		{Pattern: `on validation, ([0-9.]+) on new data`, Min: 0.114, Max: 0.135},
		{Pattern: `test accuracy ([0-9.]+) with 50 examples`, Min: 0.75, Max: 0.9},
		{Pattern: `test accuracy [0-9.]+ with 50 examples, ([0-9.]+) with 1348`, Min: 0.96, Max: 1},
		{MIME: "image/png"},
	},
	"08_good_and_bad_data.ipynb": {
		{Pattern: `biased sample: \d+ images, test accuracy ([0-9.]+)`, Min: 0.80, Max: 0.935},
		{Pattern: `unbiased sample: \d+ images, test accuracy ([0-9.]+)`, Min: 0.945, Max: 1},
		{Pattern: `errors on 3, 5, 8: biased ([0-9.]+)`, Min: 0.1, Max: 0.8},
		{Pattern: `errors on 3, 5, 8: biased [0-9.]+ ([0-9.]+)`, Min: 0.2, Max: 0.8},
		{Pattern: `errors on 3, 5, 8: .*, unbiased [0-9.]+ ([0-9.]+)`, Min: 0, Max: 0.15},
		{Pattern: `(\d+) of 1348 labels flipped`, Min: 220, Max: 320},
		{Pattern: `test accuracy with 0% wrong labels: ([0-9.]+)`, Min: 0.955, Max: 1},
		{Pattern: `test accuracy with 10% wrong labels: ([0-9.]+)`, Min: 0.935, Max: 0.985},
		{Pattern: `test accuracy with 20% wrong labels: ([0-9.]+)`, Min: 0.915, Max: 0.975},
		{Pattern: `test accuracy with 40% wrong labels: ([0-9.]+)`, Min: 0.85, Max: 0.945},
		{MIME: "image/png"},
	},
	"09_active_learning.ipynb": {
		near(`distance to the other class: random sampling ([0-9.]+)`, 0.483, 0.02), // random picks depend only on the rng
		{Pattern: `distance to the other class: uncertainty sampling ([0-9.]+)`, Min: 0.15, Max: 0.40},
		{Pattern: `labels for 95% test accuracy: uncertainty sampling (\d+)`, Min: 125, Max: 250},
		{Pattern: `labels for 95% test accuracy: uncertainty sampling \d+, random sampling (\d+)`, Min: 250, Max: 500},
		{Pattern: `uncertainty sampling needs (\d+)% fewer labels`, Min: 25, Max: 75},
		{Pattern: `test accuracy with 200 labels: uncertainty sampling ([0-9.]+)`, Min: 0.945, Max: 1},
		{Pattern: `test accuracy with 200 labels: uncertainty sampling [0-9.]+, random sampling ([0-9.]+)`, Min: 0.88, Max: 0.955},
		{Pattern: `ahead by ([0-9.]+) points at 200 labels`, Min: 1.5, Max: 8},
		{MIME: "image/png"},
	},
	"10_data_centric_ai.ipynb": {
		{Pattern: `400 examples, (\d+) wrong labels`, Min: 95, Max: 145},
		{Pattern: `flag precision ([0-9.]+), recall`, Min: 0.65, Max: 0.97},
		{Pattern: `flag precision [0-9.]+, recall ([0-9.]+)`, Min: 0.65, Max: 0.97},
		{Pattern: `N = 200, 30% noise: nothing ([0-9.]+)`, Min: 0.74, Max: 0.87},
		{Pattern: `N = 200, 30% noise: nothing [0-9.]+, clean ([0-9.]+)`, Min: 0.85, Max: 0.95},
		{Pattern: `N = 200, 30% noise:[^\n]*\n  cleaning against collecting B: ([-+0-9.]+) points`, Min: 2, Max: 15},
		{Pattern: `N = 400, 30% noise:[^\n]*\n  cleaning against collecting B: ([-+0-9.]+) points`, Min: 1.2, Max: 10},
		{Pattern: `N = 600, 30% noise:[^\n]*\n  cleaning against collecting B: ([-+0-9.]+) points`, Min: 0.3, Max: 8},
		{Pattern: `N = 600, 30% noise: [^\n]*flag precision ([0-9.]+)`, Min: 0.75, Max: 0.95},
		near(`N = 400, 0% noise: [^\n]*flag precision ([0-9.]+)`, 0, 0),
		{Pattern: `N = 200, 0% noise:[^\n]*\n[^\n]*against doubling: ([-+0-9.]+) points`, Min: -6, Max: -1},
		{Pattern: `N = 600, 0% noise:[^\n]*\n[^\n]*against doubling: ([-+0-9.]+) points`, Min: -5, Max: -0.8},
		{Pattern: `N = 400, 10% noise:[^\n]*\n[^\n]*against doubling: ([-+0-9.]+) points`, Min: -2.5, Max: 2},
		{Pattern: `N = 200, 40% noise:[^\n]*\n  cleaning against collecting B: ([-+0-9.]+) points`, Min: 3, Max: 20},
		{Pattern: `N = 200, 40% noise:[^\n]*\n[^\n]*against doubling: ([-+0-9.]+) points`, Min: 1.5, Max: 15},
		{Pattern: `N = 400, 40% noise:[^\n]*\n[^\n]*against doubling: ([-+0-9.]+) points`, Min: 0.5, Max: 10},
		{MIME: "image/png"},
	},
}

// course lists the notebooks in this folder.
func course(t *testing.T) []string {
	paths, err := kernel.Notebooks([]string{"."})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// outputs gathers a notebook's output texts and MIME types, and fails on
// an error output or a crash on stderr.
func outputs(t *testing.T, nb *ipynb.Notebook) (text string, mimes []string) {
	var b strings.Builder
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		if c.ExecutionCount == nil {
			t.Errorf("cell %d was not executed", i+1)
		}
		for _, o := range c.Outputs {
			switch o.OutputType {
			case "error":
				t.Errorf("cell %d: error output %s: %s", i+1, o.EName, o.EValue)
			case "stream":
				if line := kernel.CrashLine(o.Text); o.Name == "stderr" && line != "" {
					t.Errorf("cell %d: crashed: %s", i+1, line)
				}
				b.WriteString(o.Text)
			}
			for mime, v := range o.Data {
				mimes = append(mimes, mime)
				if s, ok := v.(string); ok && strings.HasPrefix(mime, "text/") {
					b.WriteString(s + "\n")
				}
			}
		}
	}
	return b.String(), mimes
}

// checkPromises checks an executed notebook against its promises.
func checkPromises(t *testing.T, name string, nb *ipynb.Notebook) {
	t.Helper()
	want, ok := promises[name]
	if !ok {
		t.Fatalf("%s has no entry in promises: list the numbers and pictures it shows", name)
	}
	text, mimes := outputs(t, nb)
	for _, p := range want {
		if p.MIME != "" {
			if !slices.Contains(mimes, p.MIME) {
				t.Errorf("%s shows no %s output", name, p.MIME)
			}
			continue
		}
		if p.Contains != "" {
			if !strings.Contains(text, p.Contains) {
				t.Errorf("%s: no output contains %q", name, p.Contains)
			}
			continue
		}
		m := regexp.MustCompile(p.Pattern).FindStringSubmatch(text)
		if m == nil {
			t.Errorf("%s: no output matches %q", name, p.Pattern)
			continue
		}
		got, err := strconv.ParseFloat(m[1], 64)
		if err != nil || got < p.Min || got > p.Max {
			t.Errorf("%s: %q gave %s, want it in [%g, %g]", name, p.Pattern, m[1], p.Min, p.Max)
		}
	}
}

func TestCourseWithDlnbRun(t *testing.T) {
	e := dlnbtest.Setup(t)
	out := t.TempDir()
	r := e.Run(t, ".", nil, "run", "--html", "--out", out, ".")
	if r.Code != 0 {
		t.Fatalf("dlnb run exited %d", r.Code)
	}
	for _, path := range course(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			nb, err := ipynb.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			checkPromises(t, name, nb)
			html := filepath.Join(out, strings.TrimSuffix(name, ".ipynb")+".html")
			if st, err := os.Stat(html); err != nil || st.Size() == 0 {
				t.Errorf("no HTML page: %v", err)
			}
		})
	}
}

func TestCourseWithNbconvert(t *testing.T) {
	e := dlnbtest.Setup(t)
	if !dlnbtest.HasJupyter() {
		t.Skip("jupyter nbconvert is not installed (Debian: apt-get install jupyter-nbconvert python3-nbclient); CI installs it")
	}
	out := t.TempDir()
	for _, path := range course(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			e.Nbconvert(t, path, filepath.Join(out, name))
			nb, err := ipynb.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			checkPromises(t, name, nb)
		})
	}
}
