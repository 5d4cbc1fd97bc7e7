package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
)

// A seq2seq model with additive attention learns to reverse strings of 4
// digits, then reverses one it has not seen, and its attention looks at
// the source backwards: the map's anti-diagonal.
func ExampleSeq2Seq() {
	rng := rand.New(rand.NewPCG(1, 2))
	tok := data.DigitTokenizer()
	m := nn.NewSeq2Seq(rng, nn.Seq2SeqConfig{SrcVocab: tok.Size(), TgtVocab: tok.Size(), Embed: 16, Hidden: 32, Attention: "additive"})
	opt := optim.NewAdam(0.01)
	for range 150 {
		b := tok.Batch(data.Reversal(rng, 32, 4, 4), 5)
		logits, _ := m.Run(b.Src, b.SrcLen, b.TgtIn) // [32, 5, 13], teacher forcing
		loss := nn.CrossEntropyMasked(logits, b.TgtOut, b.TgtMask)
		dl.ZeroGrad(m.Params()...)
		loss.Backward()
		opt.Step(m.Params())
		loss.Release()
	}
	b := tok.Batch([]data.Pair{{Source: "1234", Target: "4321"}}, 5)
	ids, weights := nn.GreedyDecode(m, b.Src, b.SrcLen, 10)
	fmt.Println("1234 →", tok.Decode(ids[0]))
	for t, row := range weights[0] {
		best := 0
		for j, w := range row {
			if w > row[best] {
				best = j
			}
		}
		fmt.Printf("output %d looks most at input %d\n", t, best)
	}
	// Output:
	// 1234 → 4321
	// output 0 looks most at input 3
	// output 1 looks most at input 2
	// output 2 looks most at input 1
	// output 3 looks most at input 0
}
