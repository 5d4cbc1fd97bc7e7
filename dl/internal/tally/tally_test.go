package tally

import (
	"maps"
	"testing"
)

func TestRecorder(t *testing.T) {
	var r Recorder
	r.Note("before") // nobody records: not counted anywhere
	if r.Active() {
		t.Fatal("Active before any recording")
	}
	stopA := r.Start()
	r.Note("x")
	stopB := r.Start()
	r.Note("x")
	r.Note("y")
	a := stopA()
	r.Note("y")
	b := stopB()
	if r.Active() {
		t.Error("Active after every recording stopped")
	}
	if want := map[string]int{"x": 2, "y": 1}; !maps.Equal(a, want) {
		t.Errorf("first recording %v, want %v", a, want)
	}
	if want := map[string]int{"x": 1, "y": 2}; !maps.Equal(b, want) {
		t.Errorf("second recording %v, want %v", b, want)
	}
	r.Note("after")
	if again := stopA(); !maps.Equal(again, a) {
		t.Errorf("stopping twice gave %v, then %v", a, again)
	}
}
