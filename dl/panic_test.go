package dl_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/internal/testutil"
)

// TestPanics checks that every programmer error that dl panics on gives
// the message its doc comment promises: the op, the shapes or values
// involved, in that order. It is an external test, so that it can use the
// module's shared testutil.Panics (testutil imports dl).
func TestPanics(t *testing.T) {
	z := dl.Zeros
	x3 := dl.Zeros(2, 3, 4)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		name string
		want string
		f    func()
	}{
		// tensor.go
		{"New", "dl: New: shape [2 2] holds 4 elements, but there are 3 values", func() { dl.New([]float64{1, 2, 3}, 2, 2) }},
		{"New negative", "dl: New: negative size in shape [-1 -2]", func() { dl.New([]float64{1, 2}, -1, -2) }},
		{"Zeros negative", "dl: Zeros: negative size in shape [2 -1]", func() { z(2, -1) }},
		{"Randn negative", "dl: Randn: negative size in shape [-1]", func() { dl.Randn(nil, -1) }},
		{"Backward", "dl: Backward: tensor of shape [2 2]", func() { dl.Param(z(2, 2)).Backward() }},
		{"Item", "dl: Item: tensor of shape [3]", func() { z(3).Item() }},

		// elementwise.go, activation.go, dropout.go
		{"Add", "dl: Add: shapes [2 3] and [4]", func() { dl.Add(z(2, 3), z(4)) }},
		{"Sub", "dl: Sub: shapes [2 3] and [3 2]", func() { dl.Sub(z(2, 3), z(3, 2)) }},
		{"Mul", "dl: Mul: shapes [5] and [2 3]", func() { dl.Mul(z(5), z(2, 3)) }},
		{"Div", "dl: Div: shapes [2 1 3] and [4 2]", func() { dl.Div(z(2, 1, 3), z(4, 2)) }},
		{"Clip", "dl: Clip: lo 1 is greater than hi -1 for shape [2 3]", func() { dl.Clip(z(2, 3), 1, -1) }},
		{"Where shapes", "dl: Where: shapes [2 3] and [3 2]", func() { dl.Where(make([]bool, 6), z(2, 3), z(3, 2)) }},
		{"Where flags", "dl: Where: 5 flags for shape [2 3]", func() { dl.Where(make([]bool, 5), z(2, 3), z(2, 3)) }},
		{"MaskedFill flags", "dl: MaskedFill: 7 flags for shape [2 3]", func() { dl.MaskedFill(z(2, 3), make([]bool, 7), 0) }},
		{"Dropout p 1", "dl: Dropout: p = 1", func() { dl.Dropout(z(3), 1, rng) }},
		{"Dropout p negative", "dl: Dropout: p = -0.1", func() { dl.Dropout(z(3), -0.1, rng) }},
		{"Dropout p NaN", "dl: Dropout: p = NaN", func() { dl.Dropout(z(3), math.NaN(), rng) }},
		{"Dropout nil rng", "dl: Dropout: nil rng", func() { dl.Dropout(z(3), 0.5, nil) }},

		// reduce.go, softmax.go
		{"Sum axis", "dl: Sum: axis 2 out of range for shape [2 3]", func() { dl.Sum(z(2, 3), 2) }},
		{"Sum negative axis", "dl: Sum: axis -3 out of range for shape [2 3]", func() { dl.Sum(z(2, 3), -3) }},
		{"Sum repeated axis", "dl: Sum: axis 1 repeated for shape [2 3]", func() { dl.Sum(z(2, 3), 1, -1) }},
		{"Sum scalar axis", "dl: Sum: axis 0 out of range for shape []", func() { dl.Sum(dl.Scalar(1), 0) }},
		{"Mean axis", "dl: Mean: axis 5 out of range for shape [2 3]", func() { dl.Mean(z(2, 3), 5) }},
		{"Max axis", "dl: Max: axis 2 out of range for shape [2 3]", func() { dl.Max(z(2, 3), 2) }},
		{"Max empty", "dl: Max: axis 0 of shape [0 3] is empty", func() { dl.Max(z(0, 3), 0) }},
		{"Max scalar", "dl: Max: axis 0 out of range for shape []", func() { dl.Max(dl.Scalar(1), 0) }},
		{"Argmax axis", "dl: Argmax: axis -3 out of range for shape [2 3]", func() { dl.Argmax(z(2, 3), -3) }},
		{"LogSoftmax axis", "dl: LogSoftmax: axis 2 out of range for shape [2 3]", func() { dl.LogSoftmax(z(2, 3), 2) }},
		{"Softmax axis", "dl: Softmax: axis -2 out of range for shape [4]", func() { dl.Softmax(z(4), -2) }},

		// shape.go, index.go
		{"Reshape size", "dl: Reshape: shapes [2 3] and [4]", func() { dl.Reshape(z(2, 3), 4) }},
		{"Reshape infer", "dl: Reshape: shapes [2 3] and [4 -1]", func() { dl.Reshape(z(2, 3), 4, -1) }},
		{"Reshape two -1", "dl: Reshape: bad shape [-1 -1] for a tensor of shape [2 3]", func() { dl.Reshape(z(2, 3), -1, -1) }},
		{"Reshape negative", "dl: Reshape: bad shape [-2 -3] for a tensor of shape [2 3]", func() { dl.Reshape(z(2, 3), -2, -3) }},
		{"Transpose 1-D", "dl: Transpose: shape [4]", func() { dl.Transpose(z(4)) }},
		{"Permute repeated", "dl: Permute: axes [0 0] do not permute shape [2 3]", func() { dl.Permute(z(2, 3), 0, 0) }},
		{"Permute too few", "dl: Permute: axes [0] do not permute shape [2 3]", func() { dl.Permute(z(2, 3), 0) }},
		{"Permute axis", "dl: Permute: axis 2 out of range for shape [2 3]", func() { dl.Permute(z(2, 3), 0, 2) }},
		{"Gather 1-D", "dl: Gather: table of shape [4]", func() { dl.Gather(z(4), []int{0}) }},
		{"Gather index", "dl: Gather: index 4 out of range [0, 4) for axis 0 of shape [4 2]", func() { dl.Gather(z(4, 2), []int{0, 4}) }},
		{"Gather negative", "dl: Gather: index -1 out of range [0, 4) for axis 0 of shape [4 2]", func() { dl.Gather(z(4, 2), []int{-1}) }},
		{"Index axis", "dl: Index: axis 2 out of range for shape [2 3]", func() { dl.Index(z(2, 3), 2, []int{0}) }},
		{"Index index", "dl: Index: index 3 out of range [0, 3) for axis 1 of shape [2 3]", func() { dl.Index(z(2, 3), 1, []int{3}) }},
		{"Slice axis", "dl: Slice: axis -3 out of range for shape [2 3]", func() { dl.Slice(z(2, 3), -3, 0, 1) }},
		{"Slice past end", "dl: Slice: range [1, 4) out of range for axis 1 of shape [2 3]", func() { dl.Slice(z(2, 3), 1, 1, 4) }},
		{"Slice backwards", "dl: Slice: range [2, 1) out of range for axis 1 of shape [2 3]", func() { dl.Slice(z(2, 3), 1, 2, 1) }},
		{"Slice negative", "dl: Slice: range [-1, 1) out of range for axis 0 of shape [2 3]", func() { dl.Slice(z(2, 3), 0, -1, 1) }},
		{"Concat none", "dl: Concat: no tensors to join", func() { dl.Concat(0) }},
		{"Concat axis", "dl: Concat: axis 2 out of range for shape [2 3]", func() { dl.Concat(2, z(2, 3), z(2, 3)) }},
		{"Concat shapes", "dl: Concat: shapes [2 3] and [2 4]", func() { dl.Concat(0, z(2, 3), z(2, 4)) }},
		{"Concat ranks", "dl: Concat: shapes [2 3] and [2]", func() { dl.Concat(0, z(2, 3), z(2)) }},
		{"Concat scalar", "dl: Concat: axis 0 out of range for shape []", func() { dl.Concat(0, dl.Scalar(1)) }},

		// matmul.go, linear.go, attention.go
		{"MatMul 2-D", "dl: MatMul: shapes [2 3] and [4 5]", func() { dl.MatMul(z(2, 3), z(4, 5)) }},
		{"MatMul 1-D", "dl: MatMul: shapes [3] and [3 2]", func() { dl.MatMul(z(3), z(3, 2)) }},
		{"MatMul batched inner", "dl: MatMul: shapes [2 3 4] and [2 3 4]", func() { dl.MatMul(z(2, 3, 4), z(2, 3, 4)) }},
		{"MatMul batched sizes", "dl: MatMul: shapes [2 3 4] and [3 4 5]", func() { dl.MatMul(z(2, 3, 4), z(3, 4, 5)) }},
		{"MatMul batched left 2-D", "dl: MatMul: shapes [3 4] and [2 4 5]", func() { dl.MatMul(z(3, 4), z(2, 4, 5)) }},
		{"MatMul batched ranks", "dl: MatMul: shapes [2 2 3 4] and [2 4 5]", func() { dl.MatMul(z(2, 2, 3, 4), z(2, 4, 5)) }},
		{"MatMul shared inner", "dl: MatMul: shapes [2 3 4] and [3 5]", func() { dl.MatMul(z(2, 3, 4), z(3, 5)) }},
		{"Linear weight", "dl: Linear: input shape [2 3 4], weight shape [3 2]", func() { dl.Linear(x3, z(3, 2), nil) }},
		{"Linear bias", "dl: Linear: input shape [2 3 4], weight shape [4 2] and bias shape [3]", func() { dl.Linear(x3, z(4, 2), z(3)) }},
		{"Linear scalar", "dl: Linear: input shape []", func() { dl.Linear(dl.Scalar(1), z(1, 2), nil) }},
		{"Attention shapes", "dl: Attention: shapes [2 3 4], [2 3 5]", func() { dl.Attention(x3, z(2, 3, 5), x3, 1, false) }},
		{"Attention heads", "dl: Attention: shapes [2 3 4], [2 3 4] and [2 3 4] with 3 heads", func() { dl.Attention(x3, x3, x3, 3, false) }},
		{"Attention 2-D", "dl: Attention: shapes [3 4]", func() { dl.Attention(z(3, 4), z(3, 4), z(3, 4), 1, false) }},

		// conv.go, pool.go
		{"Conv2D x 3-D", "dl: Conv2D: input shape [1 5 5] and weight shape [1 1 3 3]", func() { dl.Conv2D(z(1, 5, 5), z(1, 1, 3, 3), nil, dl.ConvOptions{}) }},
		{"Conv2D w 3-D", "dl: Conv2D: input shape [1 1 5 5] and weight shape [1 3 3]", func() { dl.Conv2D(z(1, 1, 5, 5), z(1, 3, 3), nil, dl.ConvOptions{}) }},
		{"Conv2D channels", "dl: Conv2D: input shape [1 2 5 5] and weight shape [4 3 3 3]", func() { dl.Conv2D(z(1, 2, 5, 5), z(4, 3, 3, 3), nil, dl.ConvOptions{}) }},
		{"Conv2D kernel too big", "dl: Conv2D: input shape [1 1 2 5] and weight shape [1 1 3 3]", func() { dl.Conv2D(z(1, 1, 2, 5), z(1, 1, 3, 3), nil, dl.ConvOptions{}) }},
		{"Conv2D groups in", "dl: Conv2D: input shape [1 3 5 5] and weight shape [2 1 3 3] do not fit (groups 2", func() { dl.Conv2D(z(1, 3, 5, 5), z(2, 1, 3, 3), nil, dl.ConvOptions{Groups: 2}) }},
		{"Conv2D groups out", "dl: Conv2D: input shape [1 4 5 5] and weight shape [3 2 3 3] do not fit (groups 2", func() { dl.Conv2D(z(1, 4, 5, 5), z(3, 2, 3, 3), nil, dl.ConvOptions{Groups: 2}) }},
		{"Conv2D groups weight", "dl: Conv2D: input shape [1 4 5 5] and weight shape [2 4 3 3]", func() { dl.Conv2D(z(1, 4, 5, 5), z(2, 4, 3, 3), nil, dl.ConvOptions{Groups: 2}) }},
		{"Conv2D bias", "dl: Conv2D: bias shape [3] does not fit weight shape [2 1 3 3]", func() { dl.Conv2D(z(1, 1, 5, 5), z(2, 1, 3, 3), z(3), dl.ConvOptions{}) }},
		{"Conv2D bias 2-D", "dl: Conv2D: bias shape [1 2]", func() { dl.Conv2D(z(1, 1, 5, 5), z(2, 1, 3, 3), z(1, 2), dl.ConvOptions{}) }},
		{"Conv2D negative stride", "dl: Conv2D: negative option in {Stride:-1", func() { dl.Conv2D(z(1, 1, 5, 5), z(1, 1, 3, 3), nil, dl.ConvOptions{Stride: -1}) }},
		{"Conv2D negative padding", "dl: Conv2D: negative option in {Stride:0 Padding:-1", func() { dl.Conv2D(z(1, 1, 5, 5), z(1, 1, 3, 3), nil, dl.ConvOptions{Padding: -1}) }},
		{"Conv2D negative groups", "dl: Conv2D: negative option in {Stride:0 Padding:0 Groups:-1", func() { dl.Conv2D(z(1, 1, 5, 5), z(1, 1, 3, 3), nil, dl.ConvOptions{Groups: -1}) }},
		{"MaxPool2D 3-D", "dl: MaxPool2D: window 2 with stride 2 does not fit input shape [1 4 4]", func() { dl.MaxPool2D(z(1, 4, 4), 2, 0) }},
		{"MaxPool2D too big", "dl: MaxPool2D: window 3 with stride 3 does not fit input shape [1 1 4 2]", func() { dl.MaxPool2D(z(1, 1, 4, 2), 3, 0) }},
		{"MaxPool2D size 0", "dl: MaxPool2D: window 0", func() { dl.MaxPool2D(z(1, 1, 4, 4), 0, 1) }},
		{"MaxPool2D negative stride", "dl: MaxPool2D: window 2 with stride -1", func() { dl.MaxPool2D(z(1, 1, 4, 4), 2, -1) }},
		{"AvgPool2D 5-D", "dl: AvgPool2D: window 2 with stride 2 does not fit input shape [1 1 1 4 4]", func() { dl.AvgPool2D(z(1, 1, 1, 4, 4), 2, 0) }},
		{"AvgPool2D too big", "dl: AvgPool2D: window 3 with stride 1 does not fit input shape [1 1 2 4]", func() { dl.AvgPool2D(z(1, 1, 2, 4), 3, 1) }},

		// norm.go
		{"LayerNorm scalar", "dl: LayerNorm: shape []", func() { dl.LayerNorm(dl.Scalar(1), nil, nil, 0) }},
		{"LayerNorm gamma", "dl: LayerNorm: scale or shift of shape [2] for x of shape [2 3]", func() { dl.LayerNorm(z(2, 3), z(2), nil, 0) }},
		{"LayerNorm beta", "dl: LayerNorm: scale or shift of shape [3 1] for x of shape [2 3]", func() { dl.LayerNorm(z(2, 3), z(3), z(3, 1), 0) }},
		{"BatchNormTrain 1-D", "dl: BatchNormTrain: shape [3]", func() { dl.BatchNormTrain(z(3), nil, nil, 0) }},
		{"BatchNormTrain one row", "dl: BatchNormTrain: shape [1 3]: batch statistics need at least 2 values per channel, and this batch has 1; the mean of one value is the value itself and its variance 0", func() { dl.BatchNormTrain(z(1, 3), nil, nil, 1e-5) }},
		{"BatchNormTrain one pixel", "dl: BatchNormTrain: shape [1 3 1 1]: batch statistics need at least 2 values per channel, and this batch has 1", func() { dl.BatchNormTrain(z(1, 3, 1, 1), nil, nil, 1e-5) }},
		{"BatchNormTrain empty", "dl: BatchNormTrain: shape [0 3]: batch statistics need at least 2 values per channel, and this batch has 0", func() { dl.BatchNormTrain(z(0, 3), nil, nil, 1e-5) }},
		{"BatchNormTrain gamma", "dl: BatchNormTrain: scale or shift of shape [4] for x of shape [2 3 4 4]", func() { dl.BatchNormTrain(z(2, 3, 4, 4), z(4), nil, 0) }},
		{"BatchNormEval 1-D", "dl: BatchNormEval: shape [3]", func() { dl.BatchNormEval(z(3), nil, nil, nil, nil, 0) }},
		{"BatchNormEval beta", "dl: BatchNormEval: scale or shift of shape [2] for x of shape [2 3]", func() {
			dl.BatchNormEval(z(2, 3), nil, z(2), make([]float64, 3), make([]float64, 3), 0)
		}},
		{"BatchNormEval stats", "dl: BatchNormEval: 2 means and 3 variances for shape [2 3]", func() {
			dl.BatchNormEval(z(2, 3), nil, nil, make([]float64, 2), make([]float64, 3), 0)
		}},
	} {
		t.Run(c.name, func(t *testing.T) { testutil.Panics(t, c.want, c.f) })
	}
}
