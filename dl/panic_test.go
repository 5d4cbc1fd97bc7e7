package dl

import (
	"fmt"
	"strings"
	"testing"
)

// panics checks that f panics with a message that contains every one of
// want.
func panics(t *testing.T, f func(), want ...string) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("no panic; want one with %q", want)
			return
		}
		msg := fmt.Sprint(r)
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Errorf("panic %q does not contain %q", msg, w)
			}
		}
	}()
	f()
}

func TestShapePanics(t *testing.T) {
	z := Zeros
	for _, c := range []struct {
		name string
		f    func()
		want []string
	}{
		{"Add", func() { Add(z(2, 3), z(4)) }, []string{"dl: Add", "[2 3]", "[4]"}},
		{"Sub", func() { Sub(z(2, 3), z(3, 2)) }, []string{"dl: Sub", "[2 3]", "[3 2]"}},
		{"Mul", func() { Mul(z(5), z(2, 3)) }, []string{"dl: Mul", "[5]", "[2 3]"}},
		{"Div", func() { Div(z(2, 1, 3), z(4, 2)) }, []string{"dl: Div", "[2 1 3]", "[4 2]"}},
		{"MatMul 2-D", func() { MatMul(z(2, 3), z(4, 5)) }, []string{"dl: MatMul", "[2 3]", "[4 5]"}},
		{"MatMul 1-D", func() { MatMul(z(3), z(3, 2)) }, []string{"dl: MatMul", "[3]", "[3 2]"}},
		{"MatMul batched inner", func() { MatMul(z(2, 3, 4), z(2, 3, 4)) }, []string{"dl: MatMul", "[2 3 4]"}},
		{"MatMul batched sizes", func() { MatMul(z(2, 3, 4), z(3, 4, 5)) }, []string{"dl: MatMul", "[2 3 4]", "[3 4 5]"}},
		{"MatMul batched left 2-D", func() { MatMul(z(3, 4), z(2, 4, 5)) }, []string{"dl: MatMul", "[3 4]", "[2 4 5]"}},
		{"MatMul batched ranks", func() { MatMul(z(2, 2, 3, 4), z(2, 4, 5)) }, []string{"dl: MatMul", "[2 2 3 4]", "[2 4 5]"}},
		{"MatMul shared inner", func() { MatMul(z(2, 3, 4), z(3, 5)) }, []string{"dl: MatMul", "[2 3 4]", "[3 5]"}},
		{"Reshape size", func() { Reshape(z(2, 3), 4) }, []string{"dl: Reshape", "[2 3]", "[4]"}},
		{"Reshape infer", func() { Reshape(z(2, 3), 4, -1) }, []string{"dl: Reshape", "[2 3]", "[4 -1]"}},
		{"Reshape two -1", func() { Reshape(z(2, 3), -1, -1) }, []string{"dl: Reshape", "[2 3]", "[-1 -1]"}},
		{"Reshape negative", func() { Reshape(z(2, 3), -2, -3) }, []string{"dl: Reshape", "[2 3]"}},
		{"Sum axis", func() { Sum(z(2, 3), 2) }, []string{"dl: Sum", "axis 2", "[2 3]"}},
		{"Sum negative axis", func() { Sum(z(2, 3), -3) }, []string{"dl: Sum", "axis -3", "[2 3]"}},
		{"Sum repeated axis", func() { Sum(z(2, 3), 1, -1) }, []string{"dl: Sum", "repeated", "[2 3]"}},
		{"Sum scalar axis", func() { Sum(Scalar(1), 0) }, []string{"dl: Sum", "axis 0", "[]"}},
		{"Mean axis", func() { Mean(z(2, 3), 5) }, []string{"dl: Mean", "axis 5", "[2 3]"}},
		{"Max axis", func() { Max(z(2, 3), 2) }, []string{"dl: Max", "axis 2", "[2 3]"}},
		{"Max empty", func() { Max(z(0, 3), 0) }, []string{"dl: Max", "empty", "[0 3]"}},
		{"Max scalar", func() { Max(Scalar(1), 0) }, []string{"dl: Max", "[]"}},
		{"Argmax axis", func() { Argmax(z(2, 3), -3) }, []string{"dl: Argmax", "axis -3", "[2 3]"}},
		{"LogSoftmax axis", func() { LogSoftmax(z(2, 3), 2) }, []string{"dl: LogSoftmax", "axis 2", "[2 3]"}},
		{"Softmax axis", func() { Softmax(z(4), -2) }, []string{"dl: Softmax", "axis -2", "[4]"}},
		{"Transpose 1-D", func() { Transpose(z(4)) }, []string{"dl: Transpose", "[4]"}},
		{"Permute repeated", func() { Permute(z(2, 3), 0, 0) }, []string{"dl: Permute", "[0 0]", "[2 3]"}},
		{"Permute too few", func() { Permute(z(2, 3), 0) }, []string{"dl: Permute", "[0]", "[2 3]"}},
		{"Permute axis", func() { Permute(z(2, 3), 0, 2) }, []string{"dl: Permute", "axis 2", "[2 3]"}},
		{"Backward", func() { Param(z(2, 2)).Backward() }, []string{"dl: Backward", "[2 2]"}},
		{"Item", func() { z(3).Item() }, []string{"dl: Item", "[3]"}},
		{"New", func() { New([]float64{1, 2, 3}, 2, 2) }, []string{"dl: New", "[2 2]", "3 values"}},
		{"New negative", func() { New([]float64{1, 2}, -1, -2) }, []string{"dl: New", "[-1 -2]"}},
		{"Zeros negative", func() { Zeros(2, -1) }, []string{"dl: Zeros", "[2 -1]"}},
		{"Randn negative", func() { Randn(nil, -1) }, []string{"dl: Randn", "[-1]"}},
	} {
		t.Run(c.name, func(t *testing.T) { panics(t, c.f, c.want...) })
	}
}
