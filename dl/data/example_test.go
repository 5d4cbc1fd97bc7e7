package data_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
)

func ExampleXOR() {
	xor := data.XOR()
	x, y := xor.X.Data(), xor.Y.Data()
	for i := range xor.Len() {
		fmt.Printf("%v XOR %v = %v\n", x[2*i], x[2*i+1], y[i])
	}
	// Output:
	// 0 XOR 0 = 0
	// 0 XOR 1 = 1
	// 1 XOR 0 = 1
	// 1 XOR 1 = 0
}

func ExampleSplit() {
	rng := rand.New(rand.NewPCG(1, 2))
	moons := data.Moons(rng, 200, 0.1)
	train, test := data.Split(moons, 0.2, rng)
	fmt.Println("train:", train.X.Shape(), train.Y.Shape())
	fmt.Println("test: ", test.X.Shape(), test.Y.Shape())
	batches := data.Batches(train, 64, rng)
	for _, b := range batches {
		fmt.Print(b.Len(), " ")
	}
	fmt.Println()
	// Output:
	// train: [160 2] [160]
	// test:  [40 2] [40]
	// 64 64 32
}

func ExampleOneHot() {
	y := data.XOR().Y
	fmt.Println(data.OneHot(y, 2).Data())
	// Output:
	// [1 0 0 1 0 1 1 0]
}

func ExampleDigits() {
	digits := data.Digits()
	fmt.Println(digits.X.Shape(), digits.Y.Shape())
	// The first image, a 0, as 8 rows of 8 pixels.
	x := digits.X.Data()
	for r := range 8 {
		for c := range 8 {
			fmt.Printf("%c", ".,:-=+*#%@"[int(x[8*r+c]*9+0.5)])
		}
		fmt.Println()
	}
	fmt.Println("label:", digits.Y.Data()[0])
	// Output:
	// [1797 64] [1797]
	// ..-#+,..
	// ..#%*%-.
	// .:%,.*+.
	// .:#..++.
	// .-+..++.
	// .:*.,#=.
	// .,%-*#..
	// ..-#*...
	// label: 0
}

func ExampleCharTokenizer() {
	tok := data.NewCharTokenizer("to be or not to be")
	fmt.Printf("%d tokens: %q\n", tok.Size(), string(tok.Runes()))
	ids := tok.Encode("to be")
	fmt.Println(ids, tok.Decode(ids))
	// Output:
	// 7 tokens: " benort"
	// [6 4 0 1 2] to be
}

func ExampleNextTokenBatch() {
	tok := data.NewCharTokenizer("abcdefghij")
	ids := tok.Encode("abcdefghij")
	rng := rand.New(rand.NewPCG(1, 2))
	b := data.NextTokenBatch(ids, 3, 4, rng)
	fmt.Println(b.X.Shape(), b.Y.Shape())
	x, y := b.X.Data(), b.Y.Data()
	for r := range 3 {
		fmt.Print(tok.Decode(toInts(x[4*r:4*r+4])), " → ", tok.Decode(toInts(y[4*r:4*r+4])), "\n")
	}
	// Output:
	// [3 4] [3 4]
	// efgh → fghi
	// defg → efgh
	// efgh → fghi
}

func ExampleRandomShift() {
	// One 3×3 image with a dot in the middle, moved by up to one pixel.
	img := dl.New([]float64{0, 0, 0, 0, 1, 0, 0, 0, 0}, 1, 9)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3 {
		fmt.Println(data.RandomShift(img, 3, 3, 1, rng).Data())
	}
	fmt.Println(img.Data()) // unchanged
	// Output:
	// [0 0 0 0 0 0 0 1 0]
	// [0 0 0 0 0 0 0 0 1]
	// [1 0 0 0 0 0 0 0 0]
	// [0 0 0 0 1 0 0 0 0]
}

// toInts converts token ids stored as float64 back to ints.
func toInts(v []float64) []int {
	out := make([]int, len(v))
	for i, f := range v {
		out[i] = int(f)
	}
	return out
}

func ExampleNGrams() {
	// makemore's data: each name padded with '.', which no name holds.
	names := []string{"emma", "ava"}
	tok := data.NewCharTokenizer("." + strings.Join(names, ""))
	dot, _ := tok.ID('.')
	seqs := make([][]int, len(names))
	for i, name := range names {
		seqs[i] = tok.Encode(name)
	}
	set := data.NGrams(seqs, 3, dot)
	fmt.Println(set.X.Shape(), set.Y.Shape())
	x, y := set.X.Data(), set.Y.Data()
	for i := range set.Len() {
		fmt.Println(tok.Decode(toInts(x[3*i:3*i+3])), "→", tok.Decode([]int{int(y[i])}))
	}
	// Output:
	// [9 3] [9]
	// ... → e
	// ..e → m
	// .em → m
	// emm → a
	// mma → .
	// ... → a
	// ..a → v
	// .av → a
	// ava → .
}

// Head and Slice take runs of rows, and Labels gives the class labels as
// ints.
func ExampleSet_Head() {
	digits := data.Digits()
	first := digits.Head(5)
	fmt.Println(first.X.Shape(), first.Labels())
	last := digits.Slice(1790, 1797)
	fmt.Println(last.Len(), last.Labels())
	// Output:
	// [5 64] [0 1 2 3 4]
	// 7 [8 4 9 0 8 9 8]
}

// A ring of 8 Gaussians, the toy target of a GAN: the samples, the centres
// of the modes, and the density that plotting.Samples shades.
func ExampleRing() {
	rng := rand.New(rand.NewPCG(1, 2))
	ring := data.Ring(rng, 800, 8, 2, 0.05)
	fmt.Println("X", ring.X.Shape(), "Y", ring.Y.Shape())
	c := data.RingModes(8, 2).Data()
	fmt.Printf("mode 1 at (%.3f, %.3f)\n", c[2], c[3])
	density := data.RingDensity(8, 2, 0.05)
	fmt.Printf("density at mode 1: %.2f, at the origin: %.1g\n", density(c[2], c[3]), density(0, 0))
	// Output:
	// X [800 2] Y [800]
	// mode 1 at (1.414, 1.414)
	// density at mode 1: 7.96, at the origin: 0
}
