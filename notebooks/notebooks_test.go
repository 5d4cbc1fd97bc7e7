// Package notebooks_test executes every notebook of the course, through
// `dlnb run` and through Jupyter's own nbconvert, and checks the numbers
// and pictures each one promises.
package notebooks_test

import (
	"errors"
	"fmt"
	"math"
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

// A promise is something a notebook's outputs must show:
//   - MIME: a MIME type that must appear (a picture);
//   - Contains: a piece of text;
//   - Pattern with Min and Max: a number, found by Pattern's first group,
//     that must lie in [Min, Max]; the first match, or with Every all of
//     them (and at least one);
//   - Pattern with Greater or Less: a comparison of two numbers, the one
//     Pattern finds (a) and the one Greater or Less finds (b): a > Factor·b
//     or a < Factor·b, with Factor 1 if it is 0. With Every, the i-th
//     match of Pattern is compared with the i-th of the other, for every i
//     (and both must match as often), as for one line per seed.
type promise struct {
	MIME          string
	Contains      string
	Pattern       string
	Min, Max      float64
	Every         bool
	Greater, Less string
	Factor        float64
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
		{Contains: "✗ wrong on 3 of 4 inputs"}, // the exercise cell, unsolved, prints its hint
		{Contains: "same weights: true"},
		// each learned line passes through one training point (w·x + b = 0)
		near(`AND: training points on the line: (\d+)`, 1, 0),
		near(`OR: training points on the line: (\d+)`, 1, 0),
		{Contains: "  [1 0]: w·x + b = +0 → 0"}, // AND's line, as the text says
		{Contains: "  [0 0]: w·x + b = +0 → 0"}, // OR's line
		near(`AND: mistakes in the last epoch: (\d+)`, 0, 0),
		near(`OR: mistakes in the last epoch: (\d+)`, 0, 0),
		{Pattern: `XOR: mistakes in the last epoch: (\d+)`, Min: 1, Max: 4},
		{MIME: "image/png"},
	},
	"02_xnor_mlp.ipynb": {
		{Contains: "✗ on input (0, 0) the hidden units give (0, 0)"}, // the exercise cell, unsolved, prints its hint
		near(`SLP accuracy on XNOR: ([0-9.]+)`, 0.5, 0),              // "two corners of four"
		// the best a line can do on XNOR is to give up: 0.5 at every corner
		{Pattern: `corner \d: probability of class 1 = ([0-9.]+)`, Min: 0.499, Max: 0.501, Every: true},
		// equal starting weights: the hidden units stay twins, and XNOR is not learned
		{Pattern: `all weights [0-9.]+ at the start: accuracy ([0-9.]+)`, Min: 0, Max: 0.75, Every: true},
		{Pattern: `largest difference between the two units' weights: ([-0-9.e]+)`, Min: 0, Max: 0, Every: true},
		near(`MLP accuracy on XNOR: ([0-9.]+)`, 1, 0),
		{MIME: "image/png"},
	},
	"03_loss_and_gradient_descent.ipynb": {
		{Contains: "✗ a learning rate must be positive"}, // the exercise cell, unsolved, prints its hint
		{Pattern: `w = 2, b = 1: loss ([0-9.]+)`, Min: 0, Max: 0.02},
		near(`slope of the loss at w = 2.0: ([-0-9.]+)`, 0, 0.1),
		{Pattern: `lr 0.02: w after 20 steps = +([-0-9.]+)`, Min: 0.5, Max: 1.8},
		near(`lr 0.30: w after 20 steps = +([-0-9.]+)`, 2, 0.05),
		{Pattern: `lr 0.90: w after 20 steps = +[-0-9.]+, loss ([-0-9.e+]+)`, Min: 100, Max: 1e300},
		near(`lr 0.40: ends at w = ([-0-9.]+)`, 2, 0.1),
		near(`fitted line: w = ([-0-9.]+)`, 2, 0.1),
		near(`fitted line: w = [-0-9.]+, b = ([-0-9.]+)`, 1, 0.1),
		{Pattern: `lr 0.55: ends at w = [-0-9.e+]+, b = [-0-9.e+]+, loss ([0-9.e+]+)`, Min: 100, Max: 1e300},
		{MIME: "image/png"},
	},
	"04_backprop.ipynb": {
		{Contains: "✗ at a = 3, b = 2, grad = 1: da = 0"}, // the exercise cell, unsolved, prints its hint
		near(`do/dw1 = ([-+0-9.]+)`, 1, 1e-4),
		near(`do/dx1 = ([-+0-9.]+)`, -1.5, 1e-4),
		near(`do/dw1: our engine ([-0-9.]+)`, 1, 1e-6),
		near(`do/dw1: our engine [-0-9.]+, dl ([-0-9.]+)`, 1, 1e-6),
		near(`finite difference ([-0-9.]+)`, 1, 1e-5),
		{Contains: "<svg"}, // the computation graph
		// with the gradients of its intermediate nodes, which dl.RetainGrads keeps
		near(`>Tanh</text>\s*<text[^>]*>data [-0-9.]+</text>\s*<text[^>]*>grad ([-0-9.]+)</text>`, 1, 1e-3),
		near(`>Add</text>\s*<text[^>]*>data 0\.881</text>\s*<text[^>]*>grad ([-0-9.]+)</text>`, 0.5, 1e-3),
		// the learner's own engine trains a 2-4-1 MLP on XNOR
		{Pattern: `loss ([0-9.]+) at the start`, Min: 0.5, Max: 2},
		{Pattern: `at the start, ([0-9.]+) after \d+ steps`, Min: 0, Max: 0.05},
		near(`right sign: (\d) of 4`, 4, 0),
		near(`(\d+) parameters; loss`, 17, 0),
		near(`one step's graph: (\d+) Values`, 160, 0), // quoted in the text
		{Pattern: `moons test accuracy: ([0-9.]+)`, Min: 0.95, Max: 1},
		{MIME: "image/png"},
	},
	"05_deep_networks.ipynb": {
		{Contains: "✗ model is nil"}, // the exercise cell, unsolved, prints its hint
		// a validation set split from the training data; the test set is used once
		{Pattern: `(\d+) training, \d+ validation and 449 test images`, Min: 1078, Max: 1078},
		{Pattern: `training accuracy: ([0-9.]+)`, Min: 0.99, Max: 1},
		{Pattern: `validation accuracy: ([0-9.]+)`, Min: 0.94, Max: 0.975},
		near(`test accuracy: ([0-9.]+)`, 0.982, 0.002), // the text quotes 98.2%
		{Contains: "epoch 30/30"}, // the live display's last frame
		{MIME: "image/png"},
	},
	"06_kinds_of_learning.ipynb": {
		{Contains: "✗ share(0.1, 5) = 0"}, // the exercise cell, unsolved, prints its hint
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
		{Contains: "✗ folds(20, 5) returned 0 folds"}, // the exercise cell, unsolved, prints its hint
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
		{Contains: "✗ sample must be 0, 1 or 2, not -1"}, // the exercise cell, unsolved, prints its hint
		{Pattern: `biased sample: \d+ images, test accuracy ([0-9.]+)`, Min: 0.80, Max: 0.935},
		{Pattern: `unbiased sample: \d+ images, test accuracy ([0-9.]+)`, Min: 0.945, Max: 1},
		{Pattern: `errors on 3, 5, 8: biased ([0-9.]+)`, Min: 0.1, Max: 0.8},
		{Pattern: `errors on 3, 5, 8: biased [0-9.]+ ([0-9.]+)`, Min: 0.2, Max: 0.8},
		{Pattern: `errors on 3, 5, 8: .*, unbiased [0-9.]+ ([0-9.]+)`, Min: 0, Max: 0.15},
		// Every seed: the biased sample scores below the unbiased one of the same size.
		{Pattern: `seed \d, \d+ images: accuracy biased ([0-9.]+)`, Less: `seed \d, \d+ images: accuracy biased [0-9.]+, unbiased ([0-9.]+)`, Every: true},
		// A biased sample ten times bigger: errors on 3, 5, 8 fall, for every seed, but it stays behind.
		{Pattern: `wrong on 3, 5, 8 with \d+ biased images ([0-9.]+)`, Greater: `wrong on 3, 5, 8 with \d+ biased images [0-9.]+, with \d+ biased images ([0-9.]+)`, Factor: 1.5, Every: true},
		{Pattern: `10x the biased sample \(\d+ → \d+ images\): test accuracy ([0-9.]+)`, Min: 0.5, Max: 0.82},
		{Pattern: `10x the biased sample: wrong on 3, 5, 8 ([0-9.]+)`, Min: 0.7, Max: 1},
		{Pattern: `10x the biased sample: wrong on 3, 5, 8 [0-9.]+ → ([0-9.]+)`, Min: 0.1, Max: 0.5},
		{Pattern: `10x the biased sample: behind the unbiased one by ([0-9.]+)`, Min: 8, Max: 30},
		{Pattern: `10x the biased sample: behind the unbiased one by [0-9.]+ → ([0-9.]+) points`, Min: 2, Max: 9},
		{Pattern: `(\d+) of 1348 labels flipped`, Min: 220, Max: 320},
		{Pattern: `test accuracy with 0% wrong labels: ([0-9.]+)`, Min: 0.955, Max: 1},
		{Pattern: `test accuracy with 10% wrong labels: ([0-9.]+)`, Min: 0.935, Max: 0.985},
		{Pattern: `test accuracy with 20% wrong labels: ([0-9.]+)`, Min: 0.915, Max: 0.975},
		{Pattern: `test accuracy with 40% wrong labels: ([0-9.]+)`, Min: 0.85, Max: 0.945},
		{MIME: "image/png"},
	},
	"09_active_learning.ipynb": {
		{Contains: "✗ on 30 rows of 10 classes with k = 5 you picked []"},           // the exercise cell, unsolved, prints its hint
		near(`distance to the other class: random sampling ([0-9.]+)`, 0.483, 0.02), // random picks depend only on the rng
		{Pattern: `distance to the other class: uncertainty sampling ([0-9.]+)`, Min: 0.15, Max: 0.40},
		{Pattern: `labels for 95% test accuracy: uncertainty sampling (\d+)`, Min: 125, Max: 250},
		{Pattern: `labels for 95% test accuracy: uncertainty sampling \d+, random sampling (\d+)`, Min: 250, Max: 500},
		{Pattern: `uncertainty sampling needs (\d+)% fewer labels`, Min: 25, Max: 75},
		near(`distance to the other class: all 300 pool points ([0-9.]+)`, 0.477, 0.02), // the pool alone
		// The printed count is the first where the mean reaches 0.95; the step before is just under.
		{Pattern: `uncertainty sampling, mean test accuracy: ([0-9.]+) at`, Min: 0.93, Max: 0.9499},
		// Every seed: uncertainty sampling reaches 95% with fewer labels, and the saving lies in the range the text gives.
		{Pattern: `seed \d: (\d+) labels with uncertainty sampling`, Less: `seed \d: \d+ labels with uncertainty sampling, (\d+) with random`, Every: true},
		{Pattern: `seed \d: [^\n]*: (\d+)% fewer`, Min: 30, Max: 65, Every: true},
		{Pattern: `test accuracy with 200 labels: uncertainty sampling ([0-9.]+)`, Min: 0.945, Max: 1},
		{Pattern: `test accuracy with 200 labels: uncertainty sampling [0-9.]+, random sampling ([0-9.]+)`, Min: 0.88, Max: 0.955},
		{Pattern: `ahead by ([0-9.]+) points at 200 labels`, Min: 1.5, Max: 8},
		{MIME: "image/png"},
	},
	"10_data_centric_ai.ipynb": {
		{Contains: "✗ 0 thresholds for 4 classes"}, // the exercise cell, unsolved, prints its hint
		{Pattern: `400 examples, (\d+) wrong labels`, Min: 95, Max: 145},
		{Pattern: `flag precision ([0-9.]+), recall`, Min: 0.65, Max: 0.97},
		{Pattern: `flag precision [0-9.]+, recall ([0-9.]+)`, Min: 0.65, Max: 0.97},
		{Pattern: `N = 200, 30% noise: nothing ([0-9.]+)`, Min: 0.74, Max: 0.87},
		{Pattern: `N = 200, 30% noise: nothing [0-9.]+, clean ([0-9.]+)`, Min: 0.85, Max: 0.95},
		{Pattern: `N = 200, 30% noise:[^\n]*\n  cleaning against collecting B: ([-+0-9.]+) points`, Min: 2, Max: 15},
		{Pattern: `N = 400, 30% noise:[^\n]*\n  cleaning against collecting B: ([-+0-9.]+) points`, Min: 1.2, Max: 10},
		{Pattern: `N = 600, 30% noise:[^\n]*\n  cleaning against collecting B: ([-+0-9.]+) points`, Min: 0.3, Max: 8},
		{Pattern: `N = 600, 30% noise: [^\n]*flag precision ([0-9.]+)`, Min: 0.75, Max: 0.95},
		// The grid's table: noise, N, nothing, clean, collect, double, B, precision, recall,
		// clean-collect, clean-double. At 0% noise there is nothing to find: precision and recall n/a.
		{Pattern: `(?m)^ +0% +400(?: +\S+){4} +(\d+) +n/a +n/a `, Min: 1, Max: 15},
		{Pattern: `(?m)^ +0% +200(?: +\S+){8} +(\S+)$`, Min: -6, Max: -1},
		{Pattern: `(?m)^ +0% +600(?: +\S+){8} +(\S+)$`, Min: -5, Max: -0.8},
		// At 10% noise, near Ng's 12%, doubling is ahead of cleaning at every size.
		{Pattern: `(?m)^ +10% +\d+(?: +\S+){8} +(\S+)$`, Min: -6, Max: 0, Every: true},
		{Pattern: `(?m)^ +40% +200(?: +\S+){7} +(\S+) `, Min: 3, Max: 20},
		{Pattern: `(?m)^ +40% +200(?: +\S+){8} +(\S+)$`, Min: 1.5, Max: 15},
		{Pattern: `(?m)^ +40% +400(?: +\S+){8} +(\S+)$`, Min: 0.5, Max: 10},
		{MIME: "image/png"},
	},
	"11_milestones.ipynb": {
		// AI and Compute's 15 chart points reproduce its 3.4-month doubling time within ±20%.
		{Pattern: `AI and Compute points: doubling every ([0-9.]+) months`, Min: 2.72, Max: 4.08},
		// The course's models grow at most 3x per year (the field: about 11x); the doubling time
		// itself is printed on the same line and may be negative (a halving time).
		{Pattern: `course models: doubling every \S+ months \(x([0-9.e+-]+) per year\)`, Min: 0, Max: 3},
		// The gap between the largest milestone (GPT-3) and the course's largest model.
		{Pattern: `used ([0-9.e+]+) times the compute of our largest model`, Min: 1e10, Max: 1e13},
		{MIME: "image/png"}, // the timelines
		{Contains: "| GPT-3 175B | 2020-05 | 3.14e+23 |"}, // the sourced milestone table
		{Contains: "✗ months(0.301) = 0."},                // the exercise cell ships unsolved: a hint, not a panic
	},
	"12_alexnet_2012.ipynb": {
		near(`by hand ([0-9.]+)`, 3.9059, 1e-3),
		near(`dl.Conv2D ([0-9.]+)`, 3.9059, 1e-3),
		{Pattern: `test accuracy: ([0-9.]+)`, Min: 0.98, Max: 1},
		{Pattern: `CNN test accuracy ([0-9.]+)`, Greater: `MLP test accuracy ([0-9.]+)`},
		{Pattern: `dropout: gap [0-9.]+ without, ([0-9.]+) with`, Less: `dropout: gap ([0-9.]+) without`, Factor: 0.8},
		{Pattern: `shifts: gap [0-9.]+ without, ([0-9.]+) with`, Less: `shifts: gap ([0-9.]+) without`, Factor: 0.5},
		{Pattern: `seed \d+: ReLU \d+ steps, tanh \d+ steps, ratio ([0-9.]+)x`, Min: 0.3, Max: 3, Every: true},
		{Pattern: `products' share: (\d+)% of the FLOPs`, Min: 90, Max: 100},
		{Pattern: `training FLOPs: ([0-9.e+]+)`, Min: 3.4e11, Max: 4.2e11},
		{MIME: "image/png"},
		{Contains: "✗ out(in=28, kernel=3, stride=1, pad=1) = 0."}, // the exercise cell ships unsolved: a hint, not a panic
	},
	"14_attention_2014.ipynb": {
		// with attention, exact match on 500 unseen test dates
		{Pattern: `dates, attention: exact match ([0-9.]+)`, Min: 0.95, Max: 1},
		// on the 30-digit reversal strings attention beats no attention by at least 20 points (per-character accuracy)
		{Pattern: `longest bucket: attention [0-9.]+, no attention [0-9.]+, difference ([0-9.e+-]+)`, Min: 0.2, Max: 1},
		{Pattern: `longest bucket: attention ([0-9.]+)`, Greater: `longest bucket: attention [0-9.]+, no attention ([0-9.]+)`},
		{Pattern: `training FLOPs: ([0-9.e+]+)`, Min: 1e11, Max: 1e12},
		{MIME: "image/png"},
		{Contains: "318275046921 → 129640572813"},
		{Contains: "✗ attend([0 0 0], …) has 0 numbers"}, // the exercise cell ships unsolved: a hint, not a panic
	},
	"15_adam_2014.ipynb": {
		{Pattern: `valley: Adam at its best rate [0-9.e+-]+ is within 1e-3 of the minimum after (\d+) steps`, Less: `valley: SGD at its best rate [0-9.e+-]+ is within 1e-3 of the minimum after (\d+) steps`},
		{Pattern: `valley: Adam at its best rate [0-9.e+-]+ is within 1e-3 of the minimum after (\d+) steps`, Min: 1, Max: 2000},
		{Pattern: `SGD +best rate [0-9.e+-]+: loss after 100 steps ([0-9.e+-]+)`, Min: 0.2, Max: 0.3},
		{Pattern: `Adam +best rate [0-9.e+-]+: loss after 100 steps ([0-9.e+-]+)`, Min: 0, Max: 1e-3},
		{Pattern: `valley, Adam: loss within 0.1 of its best over ([0-9.]+) decades`, Greater: `valley, SGD: loss within 0.1 of its best over ([0-9.]+) decades`},
		{Pattern: `valley, Adam: loss within 0.1 of its best over ([0-9.]+) decades`, Min: 1.5, Max: 4},
		{Pattern: `optim.Adam against the corrected steps: largest difference ([0-9.e+-]+)`, Min: 0, Max: 1e-9},
		near(`step 10: with correction [0-9.]+·lr, without ([0-9.]+)·lr`, 6.528, 0.001),
		near(`N = (\d+) steps`, 400, 0),
		{Pattern: `seed \d: Adam ([0-9.]+),`, Less: `seed \d: Adam [0-9.]+, SGD\+momentum ([0-9.]+)`, Every: true},
		{Pattern: `seed \d: Adam [0-9.]+, SGD\+momentum [0-9.]+ \(ratio ([0-9.]+)\)`, Min: 0.5, Max: 0.95, Every: true},
		{Pattern: `training FLOPs: ([0-9.e+-]+)`, Min: 3e11, Max: 4.5e11},
		{MIME: "image/png"},
		{Contains: "✗ 0 updates for 4 gradients"}, // the exercise cell ships unsolved: a hint, not a panic
	},
	"16_gan_2015.ipynb": {
		// the ring: plain training covers at least 7 of 8 modes on every one of 3 seeds (measured 7, 7, 8)
		{Pattern: `plain seed \d: (\d) of 8 modes`, Min: 7, Max: 8, Every: true},
		// with at least 70% of its samples within 3σ of a mode, on every seed (measured 0.77, 0.79, 0.86)
		{Pattern: `plain seed \d: \d of 8 modes, ([0-9.]+) near a mode`, Min: 0.7, Max: 1, Every: true},
		// over all 6 ring runs (plain and smaller D lr, 3 seeds each) the mean coverage (measured 7.00)
		{Pattern: `mean over all 6 runs: ([0-9.]+) of 8 modes covered`, Min: 6.5, Max: 8},
		// mode collapse: with 16 noise inputs G covers at most 2 modes (measured 1)
		{Pattern: `collapse seed 1: (\d) of 8 modes covered`, Min: 0, Max: 2},
		// digits: at least 9 of 10 classes with >= 3% of the fakes each (measured 10) ...
		{Pattern: `digits: (\d+) of 10 classes with at least 3% of the samples`, Min: 9, Max: 10},
		// ... and a mean classifier confidence of at least 0.8 (measured 0.889; 0.97 on real test digits)
		{Pattern: `digits: mean classifier confidence ([0-9.]+)`, Min: 0.8, Max: 1},
		{Pattern: `classifier: test accuracy ([0-9.]+)`, Min: 0.94, Max: 1},
		{Pattern: `training FLOPs: ([0-9.e+]+)`, Min: 3e11, Max: 4e11},
		{MIME: "image/png"},
		{Contains: "✗ d(pData=1, pG=1) = 0,"}, // the exercise cell ships unsolved: a hint, not a panic
	},
	"17_resnet_2015.ipynb": {
		// without normalization the gradients of a 32-layer MLP vanish: its smallest is < 1e-3 x depth 4's
		{Pattern: `depth 32, no normalization: smallest gradient norm ([0-9.e+-]+)`, Less: `depth 4, no normalization: smallest gradient norm ([0-9.e+-]+)`, Factor: 1e-3},
		// with BatchNorm nothing vanishes: depth 32's smallest is > 0.1 x depth 4's
		{Pattern: `depth 32, BatchNorm: smallest gradient norm ([0-9.e+-]+)`, Greater: `depth 4, BatchNorm: smallest gradient norm ([0-9.e+-]+)`, Factor: 0.1},
		// the degradation problem, on every seed: plain-32 fits worse than plain-4
		{Pattern: `plain-32 loss ([0-9.e+-]+)`, Greater: `plain-4 loss ([0-9.e+-]+)`, Every: true},
		// residual connections fix it, on every seed
		{Pattern: `residual-32 loss ([0-9.e+-]+)`, Less: `plain-32 loss ([0-9.e+-]+)`, Factor: 0.5, Every: true},
		{Pattern: `residual-32 loss ([0-9.e+-]+)`, Less: `residual-4 loss ([0-9.e+-]+)`, Factor: 1.1, Every: true},
		{Pattern: `training FLOPs: ([0-9.e+-]+)`, Min: 2e11, Max: 3.5e11},
		{MIME: "image/png"},
		{Contains: "✗ plain, F' = [0.5 0.5 0.5 0.5]: 0."}, // the exercise cell ships unsolved: a hint, not a panic
	},
	"13_dqn_2013.ipynb": {
		// DQN learns Catch from pixels: the mean greedy return over 100 evaluation episodes is >= 0.9 on every seed
		{Pattern: `DQN seed \d+: mean greedy return over 100 episodes ([0-9.-]+)`, Min: 0.9, Max: 1, Every: true},
		// the ablation without replay is clearly worse at the same budget (mean of 3 seeds)
		{Pattern: `no replay: mean over 3 seeds ([0-9.-]+)`, Less: `DQN: mean over 3 seeds ([0-9.-]+)`, Factor: 0.8},
		{Pattern: `DQN: mean over 3 seeds ([0-9.-]+)`, Min: 0.9, Max: 1},
		{Pattern: `training FLOPs: ([0-9.e+-]+)`, Min: 1.5e10, Max: 2.2e10},
		{MIME: "image/png"}, // the learning curves, the strip of frames
		{Contains: "✗ target(r=0, gamma=0.99, nextQ=[0.2 0.5 -0.1]) = 0."}, // the exercise cell ships unsolved: a hint, not a panic
	},
	"18_alphago_2016.ipynb": {
		// the referee: the empty board is a draw, and perfect play never loses to random
		{Pattern: `perfect value of the empty board: (-?\d+)`, Min: 0, Max: 0},
		{Pattern: `perfect vs random: \d+ wins, \d+ draws, (\d+) losses`, Min: 0, Max: 0},
		// at 25 simulations, MCTS with the self-play network never loses to the perfect player (100 games, 50 as each side)
		{Pattern: `MCTS\+network \(25 simulations\) vs perfect: losses (\d+)`, Min: 0, Max: 0},
		// at the same 25 simulations, MCTS with uniform priors and random rollouts loses some
		{Pattern: `MCTS\+rollouts \(25 simulations\) vs perfect: losses (\d+)`, Min: 1, Max: 100, Every: true},
		// the raw policy network, no search, vs random (200 games): wins >= 70%, loses <= 5%
		{Pattern: `policy network alone vs random: win rate ([0-9.]+)`, Min: 0.70, Max: 1},
		{Pattern: `policy network alone vs random: win rate [0-9.]+, loss rate ([0-9.]+)`, Min: 0, Max: 0.05},
		// the value network calls the empty board about a draw
		{Pattern: `network value of the empty board: (-?[0-9.]+)`, Min: -0.2, Max: 0.2},
		{Pattern: `training FLOPs: ([0-9.e+-]+)`, Min: 1.5e10, Max: 1.95e10},
		{MIME: "image/png"},
		{Contains: "✗ puct(q=0, p=0.5, n=0, na=0, c=1.5) = 0."}, // the exercise cell ships unsolved: a hint, not a panic
	},
	"19_transformer_2017.ipynb": {
		// the step-by-step loops agree with the fused dl.Attention
		{Pattern: `max abs difference, loops vs dl.Attention: ([0-9.e+-]+)`, Min: 0, Max: 1e-9},
		// the ladder: bigram > MLP > Transformer in validation loss (nats/char), each step by at least 0.05 nats
		{Pattern: `bigram validation loss: ([0-9.]+) nats/char`, Greater: `MLP validation loss: ([0-9.]+) nats/char`},
		{Pattern: `MLP validation loss: ([0-9.]+) nats/char`, Greater: `Transformer validation loss: ([0-9.]+) nats/char`},
		{Pattern: `MLP below bigram by ([0-9.]+) nats`, Min: 0.05, Max: 5},
		{Pattern: `Transformer below MLP by ([0-9.]+) nats`, Min: 0.05, Max: 5},
		// at least 60% of 50 Transformer samples are not training names
		{Pattern: `Transformer samples new: \d+ of 50 \(([0-9.]+)\)`, Min: 0.6, Max: 1},
		// ... yet name-like: their bigram log-likelihood per character within 0.3 nats of the validation names'
		{Pattern: `Transformer samples vs validation names: difference ([0-9.]+) nats`, Min: 0, Max: 0.3},
		// the attention maps (and the ladder's bars)
		{MIME: "image/png"},
		{Contains: "✗ 0 output rows for 4 tokens"}, // the exercise cell ships unsolved: a hint, not a panic
	},
	"20_bert_2018.ipynb": {
		{Contains: "✗ nothing changed: choose 15% of the positions first."}, // the exercise cell, unsolved, prints its hint
		// masked-character modelling beats the best guess without context on test names
		{Pattern: `masked-character accuracy: ([0-9.]+)`, Greater: `unigram baseline: ([0-9.]+)`},
		// pretrained + fine-tuned beats from scratch by >= 3 points at <= 100 labels (mean of 3 draws)
		{Pattern: `gap at 25 labels: (-?[0-9.]+) points`, Min: 3, Max: 50},
		{Pattern: `gap at 100 labels: (-?[0-9.]+) points`, Min: 3, Max: 50},
		// ... and on every draw with 25, 100 and 400 labels
		{Pattern: `(?:25|100|400) labels, draw \d: pretrained ([0-9.]+)`, Greater: `(?:25|100|400) labels, draw \d: pretrained [0-9.]+, scratch ([0-9.]+)`, Every: true},
		// the gap shrinks as labels grow: each smaller label count's gap is larger than with all labels
		{Pattern: `gap at 25 labels: (-?[0-9.]+) points`, Greater: `gap at all labels: (-?[0-9.]+) points`},
		{Pattern: `gap at 100 labels: (-?[0-9.]+) points`, Greater: `gap at all labels: (-?[0-9.]+) points`},
		{Pattern: `gap at 400 labels: (-?[0-9.]+) points`, Greater: `gap at all labels: (-?[0-9.]+) points`},
		// pretrained with 100 labels beats from scratch with 400
		{Pattern: `pretrained with 100 labels ([0-9.]+)`, Greater: `from scratch with 400 labels ([0-9.]+)`},
		// both baselines are printed; the majority class is the female list's share
		{Pattern: `majority class baseline: ([0-9.]+)`, Min: 0.5, Max: 0.6},
		{Pattern: `last-letter rule baseline: ([0-9.]+)`, Min: 0.7, Max: 0.85},
		{Pattern: `training FLOPs: ([0-9.e+-]+)`, Min: 2.2e11, Max: 2.7e11},
		// the pretraining loss and the accuracy-vs-labels figure
		{MIME: "image/png"},
	},
	"22_self_supervised_2020.ipynb": {
		{Contains: "✗ at temperature 0.5: 0; nn.NTXent gives another value"}, // the exercise cell, unsolved, prints its hint
		// NT-Xent by hand agrees with nn.NTXent
		{Pattern: `NT-Xent by hand [0-9.]+, nn.NTXent [0-9.]+, difference ([0-9.e+-]+)`, Min: 0, Max: 1e-9},
		// the contrastive loss falls during pretraining
		{Pattern: `, ([0-9.]+) after the last`, Less: `NT-Xent: ([0-9.]+) after the first epoch`},
		// with 100 labels, the linear probe on contrastive features beats the same encoder from scratch by >= 3 points (mean of the 3 draws) ...
		{Pattern: `contrastive probe above from scratch by ([0-9.-]+) points`, Min: 3, Max: 100},
		// ... and on every draw
		{Pattern: `draw \d: contrastive probe ([0-9.]+)`, Greater: `, from scratch ([0-9.]+), pixel probe`, Every: true},
		// it beats the linear probe on raw pixels by >= 3 points (mean of the 3 draws)
		{Pattern: `contrastive probe above pixel probe by ([0-9.-]+) points`, Min: 3, Max: 100},
		{Pattern: `training FLOPs: ([0-9.e+-]+)`, Min: 3e11, Max: 5.5e11},
		// the views, the loss curve, the bars and the embedding picture
		{MIME: "image/png"},
	},
	"21_scaling_2020.ipynb": {
		{Contains: "✗ for L(N) = 3.92·N^-0.0582 + 0 and target 1.9 you gave N = 0"}, // the exercise cell, unsolved, prints its hint
		// loss falls with every step up in size: validation nats/char of sizes 1..5, same token budget
		{Pattern: `size 1 \(\d+ params\): validation loss ([0-9.]+) nats/char`, Greater: `size 2 \(\d+ params\): validation loss ([0-9.]+) nats/char`},
		{Pattern: `size 2 \(\d+ params\): validation loss ([0-9.]+) nats/char`, Greater: `size 3 \(\d+ params\): validation loss ([0-9.]+) nats/char`},
		{Pattern: `size 3 \(\d+ params\): validation loss ([0-9.]+) nats/char`, Greater: `size 4 \(\d+ params\): validation loss ([0-9.]+) nats/char`},
		{Pattern: `size 4 \(\d+ params\): validation loss ([0-9.]+) nats/char`, Greater: `size 5 \(\d+ params\): validation loss ([0-9.]+) nats/char`},
		// the power law fitted to the 4 smallest predicts the largest within 0.1 nats
		{Pattern: `prediction error: ([0-9.]+) nats`, Min: 0, Max: 0.1},
		// the fitted exponent is positive (Kaplan et al.: 0.076; ours 0.058)
		{Pattern: `fitted exponent: (-?[0-9.]+)`, Min: 0.001, Max: 1},
		// the scale gap to GPT-3 is stated
		{Pattern: `GPT-3 175B: 3.14e23 FLOPs \(Brown et al. 2020, Table D.1\), ([0-9.e+]+) times ours`, Min: 1e11, Max: 1e13},
		{Pattern: `training FLOPs: ([0-9.e+-]+)`, Min: 4.45e11, Max: 4.95e11},
		// the log-log law and the loss-against-compute curves
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
func checkPromises(t *testing.T, name string, nb *ipynb.Notebook) (text string) {
	t.Helper()
	want, ok := promises[name]
	if !ok {
		t.Fatalf("%s has no entry in promises: list the numbers and pictures it shows", name)
	}
	text, mimes := outputs(t, nb)
	for _, problem := range broken(want, text, mimes) {
		t.Errorf("%s: %s", name, problem)
	}
	return text
}

// broken returns the promises that the outputs text and mimes break, one
// message for each.
func broken(want []promise, text string, mimes []string) []string {
	var problems []string
	for _, p := range want {
		switch {
		case p.MIME != "":
			if !slices.Contains(mimes, p.MIME) {
				problems = append(problems, fmt.Sprintf("shows no %s output", p.MIME))
			}
		case p.Contains != "":
			if !strings.Contains(text, p.Contains) {
				problems = append(problems, fmt.Sprintf("no output contains %q", p.Contains))
			}
		case p.Greater != "" || p.Less != "":
			problems = append(problems, compare(p, text)...)
		default:
			a, err := numbers(p.Pattern, text, p.Every)
			if err != nil {
				problems = append(problems, err.Error())
			}
			for _, v := range a {
				if v < p.Min || v > p.Max {
					problems = append(problems, fmt.Sprintf("%q gave %g, want it in [%g, %g]", p.Pattern, v, p.Min, p.Max))
				}
			}
		}
	}
	return problems
}

// compare checks a promise with Greater or Less.
func compare(p promise, text string) []string {
	other, sign := p.Greater, ">"
	if p.Less != "" {
		other, sign = p.Less, "<"
	}
	factor := p.Factor
	if factor == 0 {
		factor = 1
	}
	a, errA := numbers(p.Pattern, text, p.Every)
	b, errB := numbers(other, text, p.Every)
	if err := errors.Join(errA, errB); err != nil {
		return []string{err.Error()}
	}
	if len(a) != len(b) {
		return []string{fmt.Sprintf("%q matched %d times and %q %d times; want as many to compare them in pairs",
			p.Pattern, len(a), other, len(b))}
	}
	var problems []string
	for i := range a {
		ok := a[i] > factor*b[i]
		if sign == "<" {
			ok = a[i] < factor*b[i]
		}
		if !ok {
			problems = append(problems, fmt.Sprintf("%q gave %g and %q gave %g; want the first %s %g times the second",
				p.Pattern, a[i], other, b[i], sign, factor))
		}
	}
	return problems
}

// numbers returns the number in the first group of pattern's first match
// in text, or with every of all its matches; an error if there is none or
// one does not parse.
func numbers(pattern, text string, every bool) ([]float64, error) {
	n := 1
	if every {
		n = -1
	}
	ms := regexp.MustCompile(pattern).FindAllStringSubmatch(text, n)
	if len(ms) == 0 {
		return nil, fmt.Errorf("no output matches %q", pattern)
	}
	var vs []float64
	for _, m := range ms {
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			return nil, fmt.Errorf("%q matched %q, which is not a number", pattern, m[1])
		}
		vs = append(vs, v)
	}
	return vs, nil
}

// courseFLOPs checks that notebook 11's table of the course's models
// agrees, within 10%, with the training FLOPs that each milestone
// notebook prints ("training FLOPs: 1.23e+13"), and that it lists every
// notebook that prints them. texts holds the outputs of each notebook by
// file name.
func courseFLOPs(texts map[string]string) []string {
	const table = "11_milestones.ipynb"
	var problems []string
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile(`course model (\S+): ([0-9.e+-]+) FLOPs`).FindAllStringSubmatch(texts[table], -1) {
		name := m[1] + ".ipynb"
		listed[name] = true
		want, _ := strconv.ParseFloat(m[2], 64)
		text, ok := texts[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s lists %s, which is not in the course", table, m[1]))
			continue
		}
		got, err := numbers(`training FLOPs: ([0-9.e+-]+)`, text, false)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		if math.Abs(got[0]-want) > 0.1*want {
			problems = append(problems, fmt.Sprintf("%s lists %s at %g FLOPs, but it prints %g: update the table", table, m[1], want, got[0]))
		}
	}
	for name, text := range texts {
		if name != table && strings.Contains(text, "training FLOPs: ") && !listed[name] {
			problems = append(problems, fmt.Sprintf("%s prints its training FLOPs, but %s does not list it (\"course model NAME: F FLOPs\")", name, table))
		}
	}
	slices.Sort(problems)
	return problems
}

func TestCourseWithDlnbRun(t *testing.T) {
	e := dlnbtest.Setup(t)
	out := t.TempDir()
	r := e.Run(t, ".", nil, "run", "--html", "--out", out, ".")
	if r.Code != 0 {
		t.Fatalf("dlnb run exited %d", r.Code)
	}
	texts := map[string]string{}
	for _, path := range course(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			nb, err := ipynb.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			texts[name] = checkPromises(t, name, nb)
			html := filepath.Join(out, strings.TrimSuffix(name, ".ipynb")+".html")
			if st, err := os.Stat(html); err != nil || st.Size() == 0 {
				t.Errorf("no HTML page: %v", err)
			}
		})
	}
	for _, problem := range courseFLOPs(texts) {
		t.Error(problem)
	}
}

// throughNbconvert are the course notebooks that Jupyter's own client
// runs too: short ones, with plots, live displays and Markdown outputs.
// Every notebook runs under dlnb run (TestCourseWithDlnbRun), and the
// kernel's own test notebooks (kernel/testdata) run under both.
var throughNbconvert = []string{"00_welcome.ipynb", "03_loss_and_gradient_descent.ipynb", "05_deep_networks.ipynb", "11_milestones.ipynb"}

func TestCourseWithNbconvert(t *testing.T) {
	e := dlnbtest.Setup(t)
	if !dlnbtest.HasJupyter() {
		t.Skip("jupyter nbconvert is not installed (Debian: apt-get install jupyter-nbconvert python3-nbclient); CI installs it")
	}
	out := t.TempDir()
	paths := course(t)
	for _, name := range throughNbconvert {
		if !slices.ContainsFunc(paths, func(p string) bool { return filepath.Base(p) == name }) {
			t.Errorf("throughNbconvert lists %s, which is not in the course", name)
		}
	}
	for _, path := range paths {
		name := filepath.Base(path)
		if !slices.Contains(throughNbconvert, name) {
			continue
		}
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

// TestExecutedNotebooks checks the promises of notebooks that were run
// already, when DLNB_EXECUTED names the folder that `dlnb run --out`
// wrote them to: a quick check of one notebook after a change, without
// running the whole course.
//
//	go run ./cmd/dlnb run --out /tmp/out notebooks/16_gan_2015.ipynb
//	DLNB_EXECUTED=/tmp/out go test ./notebooks/ -run TestExecutedNotebooks
func TestExecutedNotebooks(t *testing.T) {
	dir := os.Getenv("DLNB_EXECUTED")
	if dir == "" {
		t.Skip("set DLNB_EXECUTED to a folder of notebooks run by `dlnb run --out`")
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.ipynb"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks in DLNB_EXECUTED=%s", dir)
	}
	for _, path := range paths {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			nb, err := ipynb.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			checkPromises(t, name, nb)
		})
	}
}
