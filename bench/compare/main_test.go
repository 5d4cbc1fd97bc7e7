package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// TestDLSide runs the dl side of the comparison on a few Transformer steps
// and checks the table it prints. The PyTorch side is not run: CI has no
// torch, and the timing itself is never asserted.
func TestDLSide(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST and trains")
	}
	var out bytes.Buffer
	if err := run(&out, []string{"transformer"}, 3, true, t.Logf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "dl: ") || !strings.HasPrefix(lines[1], "workload") {
		t.Fatalf("output:\n%s", out.String())
	}
	f := strings.Fields(lines[2])
	if len(f) != 4 || f[0] != "transformer" || f[2] != "-" {
		t.Fatalf("row %q", lines[2])
	}
	if rate, err := strconv.ParseFloat(f[1], 64); err != nil || rate <= 0 {
		t.Errorf("samples/s %q is not a positive number", f[1])
	}
	if err := run(&out, []string{"resnet"}, 3, true, t.Logf); err == nil || !strings.Contains(err.Error(), "unknown workload") {
		t.Errorf("an unknown workload gave %v", err)
	}
}
