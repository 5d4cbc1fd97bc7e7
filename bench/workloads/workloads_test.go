package workloads

import (
	"math"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// benchmark times the workload's step, in its hand-written loop, and
// reports samples (and tokens) per second, and the CPU time of a step over
// all threads (cpu-ms/op), which other programs on a shared machine
// disturb less than the wall clock. The first steps (optimizer state, the
// pool of buffers, warm caches) are not counted.
func benchmark(b *testing.B, w *Workload) {
	b.ReportAllocs()
	w.Step()
	w.Step()
	cpu0 := cpuTime()
	for b.Loop() {
		w.Step()
	}
	report(b, w, cpuTime()-cpu0)
}

// benchmarkFit is benchmark for the same steps through train.Fit: one
// call that trains b.N steps, each op a step.
func benchmarkFit(b *testing.B, w *Workload) {
	b.ReportAllocs()
	w.Fit(2)
	b.ResetTimer()
	cpu0 := cpuTime()
	w.Fit(b.N)
	report(b, w, cpuTime()-cpu0)
}

// report reports the speed metrics of b.N steps of w that took cpu.
func report(b *testing.B, w *Workload, cpu time.Duration) {
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N*w.Batch)/sec, "samples/s")
	if w.Tokens > 0 {
		b.ReportMetric(float64(b.N*w.Tokens)/sec, "tokens/s")
	}
	b.ReportMetric(cpu.Seconds()*1000/float64(b.N), "cpu-ms/op")
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkMLP(b *testing.B)            { benchmark(b, SyntheticMLP(1)) }
func BenchmarkCNN(b *testing.B)            { benchmark(b, SyntheticCNN(1)) }
func BenchmarkTransformer(b *testing.B)    { benchmark(b, SyntheticTransformer(1)) }
func BenchmarkFitMLP(b *testing.B)         { benchmarkFit(b, SyntheticMLP(1)) }
func BenchmarkFitCNN(b *testing.B)         { benchmarkFit(b, SyntheticCNN(1)) }
func BenchmarkFitTransformer(b *testing.B) { benchmarkFit(b, SyntheticTransformer(1)) }

// before is the bytes that a step of each workload allocated before
// buffers were reused (issue 12: go test -bench . ./bench/workloads at
// commit 4d43712, B/op).
var before = map[string]int{"MLP": 2729315, "CNN": 16281320, "Transformer": 107886478}

// TestStepAllocations checks that a training step, once the first steps
// have filled dl's pool, allocates at most 5% of the bytes it did before
// buffers were reused, in the hand-written loop (Step, which calls
// Release) and through train.Fit.
func TestStepAllocations(t *testing.T) {
	for _, name := range []string{"MLP", "CNN", "Transformer"} {
		steps := 10
		if testing.Short() || name == "Transformer" {
			steps = 3
		}
		for _, loop := range []string{"Step", "Fit"} {
			t.Run(name+"/"+loop, func(t *testing.T) {
				w := Synthetic(name, 4)
				run := func(n int) {
					if loop == "Fit" {
						w.Fit(n)
						return
					}
					for range n {
						w.Step()
					}
				}
				run(2)
				var m0, m1 runtime.MemStats
				runtime.ReadMemStats(&m0)
				run(steps)
				runtime.ReadMemStats(&m1)
				perStep := int(m1.TotalAlloc-m0.TotalAlloc) / steps
				if limit := before[name] / 20; perStep > limit {
					t.Errorf("%d bytes a step; want at most %d, 5%% of the %d before", perStep, limit, before[name])
				}
				t.Logf("%d bytes a step, %.2f%% of the %d before", perStep, 100*float64(perStep)/float64(before[name]), before[name])
			})
		}
	}
}

// TestWorkloadsLearn checks that each workload trains: the loss is finite
// and falls on its fixed batch.
func TestWorkloadsLearn(t *testing.T) {
	for _, name := range []string{"MLP", "CNN", "Transformer"} {
		t.Run(name, func(t *testing.T) {
			w := Synthetic(name, 1)
			steps := 30 // momentum overshoots at first on random data
			if name == "Transformer" {
				steps = 5
			}
			first := w.Step()
			last := first
			for range steps {
				last = w.Step()
			}
			if math.IsNaN(last) || math.IsInf(last, 0) || !(last < first) {
				t.Errorf("loss went from %v to %v in %d steps; want it to fall", first, last, steps)
			}
		})
	}
}

// TestTransformerFirstLoss checks the model's shape end to end: at the
// start, the loss of a Transformer is near log(vocabulary).
func TestTransformerFirstLoss(t *testing.T) {
	w := SyntheticTransformer(2)
	if l := w.Step(); math.Abs(l-math.Log(Vocab)) > 1.5 {
		t.Errorf("first loss %v; want near log(%d) = %v", l, Vocab, math.Log(Vocab))
	}
}

// TestSteadyMemory checks that training does not grow the heap: what is
// live after a garbage collection stays about the same from step to step,
// since each step's graph is dropped when the next one starts.
func TestSteadyMemory(t *testing.T) {
	for _, name := range []string{"MLP", "CNN", "Transformer"} {
		t.Run(name, func(t *testing.T) {
			w := Synthetic(name, 3)
			steps := 20
			if testing.Short() || name == "Transformer" {
				steps = 6
			}
			live := func() uint64 {
				runtime.GC()
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				return m.HeapAlloc
			}
			for range 2 {
				w.Step()
			}
			before := live()
			for range steps {
				w.Step()
			}
			if after := live(); after > before+before/10+1<<20 {
				t.Errorf("live heap grew from %d to %d bytes in %d steps", before, after, steps)
			}
		})
	}
}
