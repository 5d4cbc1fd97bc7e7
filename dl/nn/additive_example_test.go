package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

// Two sequences of encoder states, the second padded after 2 steps: its
// third step gets weight 0.
func ExampleAdditiveAttention_Attend() {
	rng := rand.New(rand.NewPCG(1, 2))
	att := nn.NewAdditiveAttention(rng, 4, 3, 8)
	query := dl.Randn(rng, 2, 4)   // the decoder's states [batch, 4]
	keys := dl.Randn(rng, 2, 3, 3) // the encoder's states [batch, time, 3]
	mask := dl.New([]float64{1, 1, 1, 1, 1, 0}, 2, 3)
	ctx, w := att.Attend(query, keys, mask)
	fmt.Println("context", ctx.Shape(), "weights", w.Shape())
	for b := range 2 {
		fmt.Printf("weights of sequence %d: %.3f\n", b, w.Data()[3*b:3*b+3])
	}
	// Output:
	// context [2 3] weights [2 3]
	// weights of sequence 0: [0.349 0.183 0.468]
	// weights of sequence 1: [0.737 0.263 0.000]
}
