package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/internal/mem"
)

// Embedding maps token ids to learned vectors, one row of Table
// [vocab, d] per id (Bengio et al., 2003, a neural probabilistic language
// model). The input holds the ids as float64 values: x [n] → [n, d] and
// x [batch, t] → [batch, t, d]. The gradient reaches the rows of Table
// that were looked up; a repeated id adds up its rows' gradients. No
// gradient goes to the ids.
type Embedding struct {
	Table *dl.Tensor // [vocab, d]
}

// NewEmbedding returns an Embedding of vocab ids into d dimensions, with
// each value drawn from N(0, 1) as in PyTorch. It panics if vocab or d is
// below 1 or rng is nil.
func NewEmbedding(rng *rand.Rand, vocab, d int) *Embedding {
	if vocab < 1 || d < 1 {
		panic(fmt.Sprintf("nn: NewEmbedding: sizes vocab=%d, d=%d; both must be at least 1", vocab, d))
	}
	if rng == nil {
		panic("nn: NewEmbedding: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	return &Embedding{Table: dl.Param(dl.Randn(rng, vocab, d))}
}

// Forward returns the rows of Table for the ids in x: [n, d] for x [n],
// [batch, t, d] for x [batch, t]. It panics if x is not 1-D or 2-D, or if
// an id is not an integer in [0, vocab).
func (e *Embedding) Forward(x *dl.Tensor) *dl.Tensor {
	notNil("Embedding", "x", x)
	vocab, d := e.Table.Shape()[0], e.Table.Shape()[1]
	if x.Dim() != 1 && x.Dim() != 2 {
		panic(fmt.Sprintf("nn: Embedding: input shape %v; want ids [n] or [batch t]", x.Shape()))
	}
	idx := mem.Ints(x.Len()) // set below; Gather copies it
	defer mem.PutInts(idx)
	for i, v := range x.Data() {
		if v != math.Trunc(v) || v < 0 || v >= float64(vocab) {
			panic(fmt.Sprintf("nn: Embedding: id %v at %d is not an integer in [0, %d)", v, i, vocab))
		}
		idx[i] = int(v)
	}
	out := dl.Gather(e.Table, idx)
	if x.Dim() == 2 {
		out = dl.Reshape(out, x.Shape()[0], x.Shape()[1], d)
	}
	return out
}

// Params returns Table.
func (e *Embedding) Params() []*dl.Tensor { return []*dl.Tensor{e.Table} }

// Parts names Table "Table" (see [Named]).
func (e *Embedding) Parts() Parts { return Parts{Params: []NamedTensor{{"Table", e.Table}}} }
