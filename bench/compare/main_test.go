package main

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl"
)

// fakeSide is a side whose runs return the given rates in turn, one list
// per workload, and append "label workload" to calls.
func fakeSide(label string, torch bool, rates map[string][]float64, calls *[]string) side {
	next := map[string]int{}
	return side{label: label, torch: torch, run: func(name string) (result, error) {
		*calls = append(*calls, label+" "+name)
		i := next[name]
		next[name]++
		if i >= len(rates[name]) {
			return result{}, fmt.Errorf("run %d of %s: no rate left", i+1, name)
		}
		return result{Workload: name, SamplesPerS: rates[name][i], Torch: "9.9.9", Threads: 2}, nil
	}}
}

// TestMeasureInterleaves checks that measure runs the sides in turn, round
// after round, one workload after the other, for odd and even numbers of
// runs and with one to three sides.
func TestMeasureInterleaves(t *testing.T) {
	rates := map[string][]float64{"mlp": {1, 2, 3, 4, 5}, "cnn": {6, 7, 8, 9, 10}}
	for _, tc := range []struct {
		runs   int
		labels []string
	}{
		{5, []string{"dl", "torch"}},
		{4, []string{"dl", "torch"}},
		{2, []string{"dl64", "dl32", "torch"}},
		{3, []string{"dl"}},
	} {
		var calls []string
		var sides []side
		for _, l := range tc.labels {
			sides = append(sides, fakeSide(l, l == "torch", rates, &calls))
		}
		rows, err := measure([]string{"mlp", "cnn"}, sides, tc.runs, t.Logf)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, w := range []string{"mlp", "cnn"} {
			for range tc.runs {
				for _, l := range tc.labels {
					want = append(want, l+" "+w)
				}
			}
		}
		if !slices.Equal(calls, want) {
			t.Errorf("%d runs of %v ran\n%v\nwant\n%v", tc.runs, tc.labels, calls, want)
		}
		if len(rows) != 2 || rows[0].workload != "mlp" || rows[1].workload != "cnn" {
			t.Fatalf("%d runs of %v: rows %+v", tc.runs, tc.labels, rows)
		}
		for _, r := range rows {
			for s, res := range r.results {
				var got []float64
				for _, x := range res {
					got = append(got, x.SamplesPerS)
				}
				if w := rates[r.workload][:tc.runs]; !slices.Equal(got, w) {
					t.Errorf("%d runs: %s side %d kept %v, want %v in run order", tc.runs, r.workload, s, got, w)
				}
			}
		}
	}
}

// TestMeasureStops checks that a failed run ends the measurement with an
// error that names the workload, the run and the side.
func TestMeasureStops(t *testing.T) {
	var calls []string
	good := fakeSide("dl float64", false, map[string][]float64{"cnn": {1, 2, 3}}, &calls)
	torchRuns := 0
	bad := side{label: "PyTorch", torch: true, run: func(name string) (result, error) {
		if torchRuns++; torchRuns == 2 {
			return result{}, errors.New("torch died")
		}
		return result{SamplesPerS: 1}, nil
	}}
	_, err := measure([]string{"cnn"}, []side{good, bad}, 3, t.Logf)
	if err == nil || err.Error() != "CNN, run 2 of 3, PyTorch: torch died" {
		t.Errorf("got %v", err)
	}
	if len(calls) != 2 {
		t.Errorf("dl ran %d times, want 2: the third round must not start", len(calls))
	}
}

// TestSpreadOf checks the median of odd and even numbers of runs (the mean
// of the middle two), and the slowest and fastest run, whatever the order.
func TestSpreadOf(t *testing.T) {
	for _, tc := range []struct {
		rates []float64
		want  spread
	}{
		{[]float64{7}, spread{7, 7, 7}},
		{[]float64{4, 1}, spread{2.5, 1, 4}},
		{[]float64{30, 10, 50, 20, 40}, spread{30, 10, 50}},
		{[]float64{40, 10, 30, 20}, spread{25, 10, 40}},
		{[]float64{5, 100, 6, 7, 1, 8}, spread{6.5, 1, 100}},
	} {
		var rs []result
		for _, r := range tc.rates {
			rs = append(rs, result{SamplesPerS: r})
		}
		if got := spreadOf(rs); got != tc.want {
			t.Errorf("spreadOf(%v) = %+v, want %+v", tc.rates, got, tc.want)
		}
	}
}

// TestTable runs fake sides through measure and writeTable and checks the
// markdown: medians with their ranges, and ratios that are the ratio of the
// medians. The rates are chosen so that the median of the per-run ratios
// (5/3 for the MLP, 3/2 for the CNN) differs from the ratio of the medians.
func TestTable(t *testing.T) {
	var calls []string
	sides := []side{
		fakeSide("dl float64", false, map[string][]float64{
			"mlp": {10, 20, 30, 40, 50}, "cnn": {1000, 3000, 2000, 4000}}, &calls),
		fakeSide("dl float32", false, map[string][]float64{
			"mlp": {60, 60, 60, 60, 60}, "cnn": {12000, 12000, 12000, 12000}}, &calls),
		fakeSide("PyTorch", true, map[string][]float64{
			"mlp": {50, 10, 40, 20, 30}, "cnn": {500, 1000, 2000, 9000}}, &calls),
	}
	var out bytes.Buffer
	for _, runs := range []int{5, 4} {
		name := map[int]string{5: "mlp", 4: "cnn"}[runs]
		rows, err := measure([]string{name}, sides, runs, t.Logf)
		if err != nil {
			t.Fatal(err)
		}
		writeTable(&out, sides, rows)
	}
	want := `| workload | dl float64 samples/s | dl float32 samples/s | PyTorch samples/s | dl float64 / PyTorch | dl float32 / PyTorch |
| --- | ---: | ---: | ---: | ---: | ---: |
| MLP | 30 (10–50) | 60 (60–60) | 30 (10–50) | 1.00× | 2.00× |
| workload | dl float64 samples/s | dl float32 samples/s | PyTorch samples/s | dl float64 / PyTorch | dl float32 / PyTorch |
| --- | ---: | ---: | ---: | ---: | ---: |
| CNN | 2,500 (1,000–4,000) | 12,000 (12,000–12,000) | 1,500 (500–9,000) | 1.67× | 8.00× |
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}

	// Without PyTorch there are no ratio columns.
	out.Reset()
	dlOnly := []side{fakeSide("dl float64", false, map[string][]float64{"mlp": {10}}, &calls)}
	rows, err := measure([]string{"mlp"}, dlOnly, 1, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	writeTable(&out, dlOnly, rows)
	want = "| workload | dl float64 samples/s |\n| --- | ---: |\n| MLP | 10 (10–10) |\n"
	if out.String() != want {
		t.Errorf("dl only: got\n%s\nwant\n%s", out.String(), want)
	}
}

// TestSetting checks the lines above the table: the machine, Go's and
// PyTorch's versions and the number of runs.
func TestSetting(t *testing.T) {
	var calls []string
	sides := []side{
		fakeSide("dl float64", false, map[string][]float64{"mlp": {1, 2, 3}}, &calls),
		fakeSide("PyTorch", true, map[string][]float64{"mlp": {1, 2, 3}}, &calls),
	}
	rows, err := measure([]string{"mlp"}, sides, 3, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	s := setting(options{runs: 3, steps: 100}, sides, rows)
	for _, want := range []string{cpuModel(), "GOMAXPROCS", "dl built with go", "PyTorch 9.9.9 in float32, 2 threads", "the median of 3 runs", "interleaved", "100 steps"} {
		if !strings.Contains(s, want) {
			t.Errorf("setting lacks %q:\n%s", want, s)
		}
	}
	if s := setting(options{runs: 1, steps: 3}, sides[:1], rows); strings.Contains(s, "PyTorch ") || !strings.Contains(s, "Each figure is 1 run") {
		t.Errorf("dl only, 1 run:\n%s", s)
	}
}

func TestThousands(t *testing.T) {
	for x, want := range map[float64]string{0: "0", 7.4: "7", 999.5: "1,000", 19792: "19,792", 1234567: "1,234,567", -4321: "-4,321"} {
		if got := thousands(x); got != want {
			t.Errorf("thousands(%v) = %q, want %q", x, got, want)
		}
	}
}

// TestOptions checks that bad flags fail before anything is loaded or
// installed, and that each -precision selects dl's precision.
func TestOptions(t *testing.T) {
	ok := options{workloads: []string{"mlp"}, steps: 3, runs: 5, precision: "64", dlOnly: true}
	for _, tc := range []struct {
		change func(*options)
		want   string
	}{
		{func(o *options) { o.workloads = []string{"resnet"} }, "unknown workload"},
		{func(o *options) { o.runs = 0 }, "-runs 0"},
		{func(o *options) { o.precision = "16" }, `-precision "16": want 64, 32 or both`},
	} {
		o := ok
		tc.change(&o)
		if err := run(&bytes.Buffer{}, o, t.Logf); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v gave %v, want an error with %q", o, err, tc.want)
		}
	}
	// Each precision selects itself, so that -precision both runs its
	// float64 column in float64 after a float32 run.
	defer dl.SetMatMulPrecision(dl.MatMulPrecision())
	for _, tc := range []struct {
		bits int
		want dl.Precision
	}{{32, dl.Float32}, {64, dl.Float64}, {32, dl.Float32}} {
		set, err := matMulPrecision(tc.bits)
		if err != nil {
			t.Fatalf("matMulPrecision(%d): %v", tc.bits, err)
		}
		set()
		if got := dl.MatMulPrecision(); got != tc.want {
			t.Errorf("after selecting %d bits the precision is %v, want %v", tc.bits, got, tc.want)
		}
	}
}

// TestDLSide runs the dl side of the comparison twice on a few Transformer
// steps and checks the table it prints. The PyTorch side is not run: CI
// has no torch, and the timing itself is never asserted.
func TestDLSide(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST and trains")
	}
	var out bytes.Buffer
	o := options{workloads: []string{"transformer"}, steps: 3, runs: 2, precision: "64", dlOnly: true}
	if err := run(&out, o, t.Logf); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	head, table, found := strings.Cut(text, "\n\n")
	if !found || !strings.Contains(head, "GOMAXPROCS") || !strings.Contains(head, "the median of 2 runs") {
		t.Fatalf("output:\n%s", text)
	}
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 3 || lines[0] != "| workload | dl float64 samples/s |" {
		t.Fatalf("table:\n%s", table)
	}
	cells := strings.Split(strings.Trim(lines[2], "| "), " | ")
	if len(cells) != 2 || cells[0] != "Transformer" {
		t.Fatalf("row %q", lines[2])
	}
	var median, lo, hi string
	if n, _ := fmt.Sscanf(strings.NewReplacer(",", "", "(", "", ")", "", "–", " ").Replace(cells[1]), "%s %s %s", &median, &lo, &hi); n != 3 {
		t.Fatalf("cell %q is not 'median (min–max)'", cells[1])
	}
	var rates []float64
	for _, s := range []string{lo, median, hi} {
		r, err := strconv.ParseFloat(s, 64)
		if err != nil || r <= 0 {
			t.Fatalf("cell %q: %q is not a positive number", cells[1], s)
		}
		rates = append(rates, r)
	}
	if !slices.IsSorted(rates) {
		t.Errorf("cell %q: not min ≤ median ≤ max", cells[1])
	}
}
