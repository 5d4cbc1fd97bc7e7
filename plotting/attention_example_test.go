package plotting_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/plotting"
)

// The attention of a model that reverses its input: output token i
// attends mostly to input token n-1-i, so the map shows the
// anti-diagonal. Here the weights are made up, a softmax over the
// distance from that token; a seq2seq model with attention returns them
// from its decoder, one row per output token.
func ExampleAttentionMap() {
	source := []string{"<s>", "a", "b", "c", "d", "</s>"}
	target := []string{"</s>", "d", "c", "b", "a", "<s>"}
	n := len(source)
	weights := make([][]float64, len(target))
	for i := range weights {
		weights[i] = make([]float64, n)
		sum := 0.0
		for j := range n {
			weights[i][j] = math.Exp(-2 * math.Abs(float64(j-(n-1-i))))
			sum += weights[i][j]
		}
		for j := range n {
			weights[i][j] /= sum
		}
	}
	plotting.AttentionMap(weights, source, target, plotting.Options{Title: "reversal"}).Show()
	for i, row := range weights[1:4] {
		best := 0
		for j, w := range row {
			if w > row[best] {
				best = j
			}
		}
		fmt.Printf("%s attends to %s (%.2f)\n", target[i+1], source[best], row[best])
	}
	// Output:
	// d attends to d (0.77)
	// c attends to c (0.76)
	// b attends to b (0.76)
}

// The heads of one causal self-attention layer on a name, from
// dl.Attention: its weights [batch, heads, t, t] hold head k of batch
// element b in the t×t block at (b*heads+k)*t*t. Each token attends only
// to itself and the tokens before it, so the first token's row is all on
// itself and every upper triangle is 0.
func ExampleAttentionHeads() {
	rng := rand.New(rand.NewPCG(1, 2))
	tokens := strings.Split(".emma", "")
	const heads, t, d = 2, 5, 8
	x := dl.Randn(rng, 1, t, d)
	_, w := dl.Attention(x, x, x, heads, true)
	maps := make([][][]float64, heads)
	for k := range maps {
		block := w.Data()[k*t*t : (k+1)*t*t]
		for i := range t {
			maps[k] = append(maps[k], block[i*t:(i+1)*t])
		}
	}
	plotting.AttentionHeads(maps, tokens, plotting.Options{Title: "layer 1"}).Show()
	for k, m := range maps {
		upper := 0.0
		for i := range t {
			for j := i + 1; j < t; j++ {
				upper += m[i][j]
			}
		}
		fmt.Printf("head %d: first row %.2f, upper triangle sums to %.2f\n", k+1, m[0], upper)
	}
	// Output:
	// head 1: first row [1.00 0.00 0.00 0.00 0.00], upper triangle sums to 0.00
	// head 2: first row [1.00 0.00 0.00 0.00 0.00], upper triangle sums to 0.00
}

// Accuracy against input length for a sequence-to-sequence model with
// and without attention, the analogue of Figure 2 of Bahdanau et al.
// (2014): the model that squeezes its input into one vector falls off
// with the length. (The numbers are made up.) With plotting.Lines alone
// the y axis would span only the values, making a small dip look like a
// collapse; AccuracyByLength fixes it to [0, 1].
func ExampleAccuracyByLength() {
	lengths := []float64{5, 10, 15, 20, 25, 30}
	plotting.AccuracyByLength(lengths, []plotting.Series{
		{Name: "no attention", Y: []float64{0.99, 0.93, 0.71, 0.42, 0.2, 0.08}},
		{Name: "attention", Y: []float64{1, 0.99, 0.98, 0.97, 0.95, 0.93}},
	}, plotting.Options{Title: "reversal: exact match by length"}).Show()
}
