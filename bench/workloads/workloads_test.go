package workloads

import (
	"math"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// benchmark times the workload's step and reports samples (and tokens)
// per second, and the CPU time of a step over all threads (cpu-ms/op),
// which other programs on a shared machine disturb less than the wall
// clock.
func benchmark(b *testing.B, w *Workload) {
	b.ReportAllocs()
	w.Step() // first step: optimizer state, warm caches
	cpu0 := cpuTime()
	for b.Loop() {
		w.Step()
	}
	cpu := cpuTime() - cpu0
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

func BenchmarkMLP(b *testing.B)         { benchmark(b, SyntheticMLP(1)) }
func BenchmarkCNN(b *testing.B)         { benchmark(b, SyntheticCNN(1)) }
func BenchmarkTransformer(b *testing.B) { benchmark(b, SyntheticTransformer(1)) }

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
