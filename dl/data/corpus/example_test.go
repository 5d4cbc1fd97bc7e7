package corpus_test

import (
	"fmt"
	"strings"

	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/data/corpus"
)

func ExampleMobyDick() {
	text := corpus.MobyDick()
	tok := data.NewCharTokenizer(text)
	ids := tok.Encode(text)
	fmt.Println(len(ids), "tokens,", tok.Size(), "in the vocabulary")
	fmt.Println(tok.Decode(ids[22:38]))
	// Output:
	// 1190317 tokens, 83 in the vocabulary
	// Call me Ishmael.
}

func ExampleNames() {
	names := corpus.Names()
	fmt.Println(names[:3])
	// makemore's trigram data: '.' marks the start and the end of a name.
	tok := data.NewCharTokenizer("." + strings.Join(names, ""))
	dot, _ := tok.ID('.')
	seqs := make([][]int, len(names))
	for i, name := range names {
		seqs[i] = tok.Encode(name)
	}
	set := data.NGrams(seqs, 2, dot)
	fmt.Println(tok.Size(), "tokens:", string(tok.Runes()))
	fmt.Println(set.X.Shape(), set.Y.Shape())
	// Output:
	// [aaren aarika aaron]
	// 28 tokens: -.abcdefghijklmnopqrstuvwxyz
	// [59167 2] [59167]
}
