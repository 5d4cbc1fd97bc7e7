package data_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl/data"
)

func ExampleCharTokenizer_Batch() {
	tok := data.DigitTokenizer() // Pad, Begin, End, then '0'..'9' as ids 3..12
	pairs := []data.Pair{{Source: "123", Target: "321"}, {Source: "45", Target: "54"}}
	b := tok.Batch(pairs, 10)
	fmt.Println("Src    ", b.Src.Data())
	fmt.Println("SrcMask", b.SrcMask.Data())
	fmt.Println("TgtIn  ", b.TgtIn.Data())
	fmt.Println("TgtOut ", b.TgtOut.Data())
	fmt.Println("TgtMask", b.TgtMask.Data())
	fmt.Println(tok.Tokens([]int{1, 6, 5, 4, 2}))
	fmt.Printf("%q\n", tok.Decode([]int{6, 5, 4, data.End, data.Pad}))
	// Output:
	// Src     [4 5 6 7 8 0]
	// SrcMask [1 1 1 1 1 0]
	// TgtIn   [1 6 5 4 1 8 7 0]
	// TgtOut  [6 5 4 2 8 7 2 0]
	// TgtMask [1 1 1 1 1 1 1 0]
	// [<s> 3 2 1 </s>]
	// "321"
}

func ExampleDates() {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, p := range data.Dates(rng, 4, data.DateTest) {
		fmt.Printf("%-20q → %s\n", p.Source, p.Target)
	}
	for _, p := range data.Reversal(rng, 2, 5, 8) {
		fmt.Println(p.Source, "→", p.Target)
	}
	// Output:
	// "Sat 2 Oct 32"       → 2032-10-02
	// "Dec 15, 2022"       → 2022-12-15
	// "Sat 15 Sep 01"      → 2001-09-15
	// "8 September 2010"   → 2010-09-08
	// 0620377 → 7730260
	// 945650 → 056549
}
