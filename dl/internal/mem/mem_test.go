package mem

import (
	"math"
	"sync"
	"testing"
	"unsafe"
)

// fresh empties the pool and sets its limit for a test, and puts both
// back as they were when the test ends.
func fresh(t *testing.T, limit int) {
	t.Helper()
	empty := func() {
		pool.mu.Lock()
		pool.floats = map[int]*class[float64]{}
		pool.ints = map[int]*class[int]{}
		pool.held = 0
		pool.mu.Unlock()
	}
	empty()
	old := SetLimit(limit)
	poison := Poison
	t.Cleanup(func() {
		empty()
		SetLimit(old)
		Poison = poison
	})
}

// same reports whether a and b share their first element.
func same[T any](a, b []T) bool { return unsafe.SliceData(a) == unsafe.SliceData(b) }

func TestReuseByLength(t *testing.T) {
	fresh(t, DefaultLimit)
	a := Floats(100)
	a[7] = 3
	PutFloats(a)
	if Held() != 800 {
		t.Errorf("Held = %d after giving back 100 float64, want 800", Held())
	}
	if b := Floats(99); same(a, b) {
		t.Error("a request for 99 got the buffer of 100")
	}
	b := Floats(100)
	if !same(a, b) || len(b) != 100 {
		t.Fatalf("a request for 100 did not get the buffer of 100 back")
	}
	if b[7] != 3 {
		t.Errorf("Floats cleared the buffer (b[7] = %v); it hands back old values", b[7])
	}
	PutFloats(b)
	if z := Zeros(100); !same(z, b) || z[7] != 0 {
		t.Errorf("Zeros: same buffer %v, z[7] = %v; want the pooled buffer, cleared", same(z, b), z[7])
	}
	if Held() != 0 {
		t.Errorf("Held = %d with every buffer taken, want 0", Held())
	}
	i := Ints(10)
	PutInts(i)
	Floats(10) // another kind: it leaves the ints
	if Held() != 80 {
		t.Errorf("a request for 10 floats took the 10 ints (held %d, want 80)", Held())
	}
	if j := Ints(10); !same(i, j) {
		t.Error("a request for 10 ints did not get them back")
	}
	if b := Floats(0); b == nil || len(b) != 0 {
		t.Errorf("Floats(0) = %v, want an empty, non-nil slice", b)
	}
}

func TestLimitDropsLeastRecentLengths(t *testing.T) {
	fresh(t, 3*800)
	a, b, c := Floats(100), Floats(100), Floats(200) // 800, 800, 1600 bytes
	PutFloats(a)
	PutFloats(b)
	if Held() != 1600 {
		t.Fatalf("Held = %d, want 1600", Held())
	}
	// 200 floats do not fit with both of 100: the length of 100, asked for
	// least recently, makes room.
	PutFloats(c)
	if Held() != 1600 || !same(Floats(200), c) {
		t.Errorf("Held = %d; want 1600, the buffer of 200 alone", Held())
	}
	// A buffer larger than the limit is not kept.
	PutFloats(make([]float64, 400))
	if Held() != 0 {
		t.Errorf("Held = %d after a buffer over the limit, want 0", Held())
	}
	// The length asked for most recently stays.
	d, e := Floats(50), Floats(60)
	PutFloats(d)
	PutFloats(e)
	Floats(50) // takes d, and makes 50 the most recent length
	PutFloats(d)
	PutFloats(make([]float64, 200)) // 1600 bytes: 60 must go, 50 fits
	if f := Floats(50); !same(f, d) {
		t.Error("the most recently asked-for length was dropped")
	}
	if Held() != 1600 {
		t.Errorf("Held = %d, want 1600 (the 200)", Held())
	}
}

func TestSetLimit(t *testing.T) {
	fresh(t, DefaultLimit)
	if Limit() != DefaultLimit {
		t.Errorf("Limit = %d, want %d", Limit(), DefaultLimit)
	}
	PutFloats(make([]float64, 100))
	PutInts(make([]int, 100))
	if prev := SetLimit(1000); prev != DefaultLimit || Held() > 1000 {
		t.Errorf("SetLimit(1000) returned %d and left %d bytes held", prev, Held())
	}
	SetLimit(0)
	a := make([]float64, 1)
	PutFloats(a)
	if Held() != 0 || same(Floats(1), a) {
		t.Errorf("with limit 0 the pool keeps buffers (held %d)", Held())
	}
	defer func() {
		if recover() == nil {
			t.Error("SetLimit(-1) did not panic")
		}
	}()
	SetLimit(-1)
}

func TestPoison(t *testing.T) {
	fresh(t, DefaultLimit)
	Poison = true
	f := []float64{1, 2, 3}
	PutFloats(f)
	for _, v := range Floats(3) {
		if !math.IsNaN(v) {
			t.Fatalf("a poisoned buffer holds %v, want NaN", v)
		}
	}
	i := []int{1, 2}
	PutInts(i)
	for _, v := range Ints(2) {
		if v != math.MinInt {
			t.Fatalf("a poisoned buffer holds %v, want MinInt", v)
		}
	}
}

// TestConcurrent checks, under the race detector, that goroutines that
// take and give back buffers at once never get the same buffer at the
// same time.
func TestConcurrent(t *testing.T) {
	fresh(t, DefaultLimit)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				b := Floats(64 + i%3)
				for j := range b {
					b[j] = float64(g)
				}
				for j := range b {
					if b[j] != float64(g) {
						t.Errorf("goroutine %d: its buffer was changed by another", g)
						return
					}
				}
				PutFloats(b)
			}
		})
	}
	wg.Wait()
}
