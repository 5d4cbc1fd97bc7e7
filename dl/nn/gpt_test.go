package nn_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/internal/gradcheck"
	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
)

// tinyGPT is the configuration of the tests' GPTs: small enough for a
// finite-difference check of every parameter.
var tinyGPT = nn.GPTConfig{Vocab: 5, Context: 4, Dim: 4, Heads: 2, Layers: 2}

// ids returns the token ids as a tensor [batch, t], from rows of ids.
func ids(rows ...[]int) *dl.Tensor {
	var v []float64
	for _, r := range rows {
		for _, id := range r {
			v = append(v, float64(id))
		}
	}
	return dl.New(v, len(rows), len(rows[0]))
}

// eachPositions runs f, as a subtest, on tinyGPT with learned and with
// sinusoidal positions.
func eachPositions(t *testing.T, f func(t *testing.T, cfg nn.GPTConfig)) {
	for _, pos := range []nn.Positions{nn.LearnedPositions, nn.SinusoidalPositions} {
		cfg := tinyGPT
		cfg.Positions = pos
		t.Run(pos.String(), func(t *testing.T) { f(t, cfg) })
	}
}

func TestGPTGrad(t *testing.T) {
	eachPositions(t, func(t *testing.T, cfg nn.GPTConfig) {
		g := nn.NewGPT(newRNG(3), cfg)
		x := ids([]int{0, 3, 1}, []int{4, 4, 2}) // a repeated id adds up its rows' gradients
		y := ids([]int{3, 1, 2}, []int{4, 2, 0})
		gradcheck.Check(t, func() *dl.Tensor { return nn.SequenceCrossEntropy(g.Forward(x), y) }, g.Params()...)
	})
}

// TestGPTForward checks the shapes and that the GPT is what its doc says:
// the token rows plus the position rows, the blocks, Norm and Head, built
// here from its parts by hand.
func TestGPTForward(t *testing.T) {
	eachPositions(t, func(t *testing.T, cfg nn.GPTConfig) {
		g := nn.NewGPT(newRNG(4), cfg)
		x := ids([]int{0, 3, 1}, []int{4, 4, 2})
		got := g.Forward(x)
		if want := []int{2, 3, cfg.Vocab}; !slices.Equal(got.Shape(), want) {
			t.Fatalf("logits shape %v; want %v", got.Shape(), want)
		}
		if w := g.Blocks[1].Attn.Weights.Shape(); !slices.Equal(w, []int{2, cfg.Heads, 3, 3}) {
			t.Errorf("attention weights %v; want [2 %d 3 3]", w, cfg.Heads)
		}
		table := nn.SinusoidalTable(cfg.Context, cfg.Dim)
		if g.Pos != nil {
			table = g.Pos.Table
		}
		h := g.Tok.Forward(x).Clone()
		for b := range 2 {
			for i := range 3 {
				for j := range cfg.Dim {
					h.Data()[(b*3+i)*cfg.Dim+j] += table.Data()[i*cfg.Dim+j]
				}
			}
		}
		for _, blk := range g.Blocks {
			h = blk.Forward(h)
		}
		want := g.Head.Forward(g.Norm.Forward(h))
		for i, v := range got.Data() {
			if !near(v, want.Data()[i], 1e-12) {
				t.Fatalf("logit %d: %v; by hand %v", i, v, want.Data()[i])
			}
		}
	})
}

// TestGPTCausal checks that the logits at a position depend on that token
// and the ones before only: changing the last token leaves the others, and
// a shorter sequence gives the same logits as its longer continuation.
func TestGPTCausal(t *testing.T) {
	g := nn.NewGPT(newRNG(5), tinyGPT)
	a := g.Forward(ids([]int{1, 2, 3, 4})).Data()
	b := g.Forward(ids([]int{1, 2, 3, 0})).Data()
	short := g.Forward(ids([]int{1, 2})).Data()
	v := tinyGPT.Vocab
	for i := range 3 * v {
		if !near(a[i], b[i], 1e-12) {
			t.Fatalf("logit %d (position %d) changed from %v to %v with the last token", i, i/v, a[i], b[i])
		}
	}
	for i := range 2 * v {
		if !near(a[i], short[i], 1e-12) {
			t.Fatalf("logit %d: %v for 2 tokens, %v for 4", i, short[i], a[i])
		}
	}
	if slices.Equal(a[3*v:], b[3*v:]) {
		t.Error("the last token does not change its own logits")
	}
}

// TestGPTNames checks the names that train.Save writes, and that a saved
// GPT loads into another one.
func TestGPTNames(t *testing.T) {
	for _, tt := range []struct {
		pos   nn.Positions
		first []string
		n     int
	}{
		{nn.LearnedPositions, []string{"Tok.Table", "Pos.Table", "Blocks.0.Attn.Wq.W"}, 2 + 2*16 + 4},
		{nn.SinusoidalPositions, []string{"Tok.Table", "Blocks.0.Attn.Wq.W", "Blocks.0.Attn.Wq.B"}, 1 + 2*16 + 4},
	} {
		t.Run(tt.pos.String(), func(t *testing.T) {
			cfg := tinyGPT
			cfg.Positions = tt.pos
			g := nn.NewGPT(newRNG(6), cfg)
			named := nn.NamedParams(g)
			var names []string
			for _, p := range named {
				names = append(names, p.Name)
			}
			if len(names) != tt.n || len(g.Params()) != tt.n || !slices.Equal(names[:3], tt.first) {
				t.Errorf("names %v (%d params); want %d starting %v", names, len(g.Params()), tt.n, tt.first)
			}
			if last := names[len(names)-4:]; !slices.Equal(last, []string{"Norm.Gamma", "Norm.Beta", "Head.W", "Head.B"}) {
				t.Errorf("last names %v", last)
			}
			var buf bytes.Buffer
			if err := train.Save(&buf, g); err != nil {
				t.Fatal(err)
			}
			h := nn.NewGPT(newRNG(7), cfg)
			if err := train.Load(&buf, h); err != nil {
				t.Fatal(err)
			}
			x := ids([]int{2, 0, 1})
			if a, b := g.Forward(x).Data(), h.Forward(x).Data(); !slices.Equal(a, b) {
				t.Errorf("loaded GPT gives %v; saved one %v", b, a)
			}
		})
	}
}

func TestGPTPanics(t *testing.T) {
	rng := newRNG(1)
	with := func(f func(c *nn.GPTConfig)) nn.GPTConfig { c := tinyGPT; f(&c); return c }
	for _, tt := range []struct {
		name string
		cfg  nn.GPTConfig
		want string
	}{
		{"no vocab", with(func(c *nn.GPTConfig) { c.Vocab = 0 }), "must all be at least 1"},
		{"no layers", with(func(c *nn.GPTConfig) { c.Layers = 0 }), "must all be at least 1"},
		{"no context", with(func(c *nn.GPTConfig) { c.Context = -1 }), "must all be at least 1"},
		{"heads", with(func(c *nn.GPTConfig) { c.Heads = 3 }), "nn: NewGPT: Dim=4, Heads=3; Heads must divide Dim"},
		{"positions", with(func(c *nn.GPTConfig) { c.Positions = 7 }), "Positions Positions(7); want LearnedPositions or SinusoidalPositions"},
	} {
		t.Run(tt.name, func(t *testing.T) { testutil.Panics(t, tt.want, func() { nn.NewGPT(rng, tt.cfg) }) })
	}
	testutil.Panics(t, "nn: NewGPT: rng is nil", func() { nn.NewGPT(nil, tinyGPT) })
	g := nn.NewGPT(rng, tinyGPT)
	testutil.Panics(t, "nn: GPT: ids shape [1 5]; want [batch, t] with t in 1..4 (Context)", func() { g.Forward(dl.Zeros(1, 5)) })
	testutil.Panics(t, "nn: GPT: ids shape [3]", func() { g.Forward(dl.Zeros(3)) })
	testutil.Panics(t, "nn: Embedding: id 5 at 1", func() { g.Forward(ids([]int{0, 5})) })
}

// TestSinusoidalTable checks the table against values worked out by hand:
// for d = 4 the second pair of columns turns 10000^(2/4) = 100 times more
// slowly than the first, and for d = 3 the third column is the sine of
// p/10000^(2/3).
func TestSinusoidalTable(t *testing.T) {
	s1, c1, s2, c2 := math.Sin(1), math.Cos(1), math.Sin(2), math.Cos(2)
	for _, tt := range []struct {
		n, d int
		want []float64
	}{
		{3, 4, []float64{
			0, 1, 0, 1,
			s1, c1, math.Sin(0.01), math.Cos(0.01),
			s2, c2, math.Sin(0.02), math.Cos(0.02),
		}},
		{2, 3, []float64{0, 1, 0, s1, c1, math.Sin(1 / math.Pow(10000, 2.0/3))}},
		{1, 1, []float64{0}},
	} {
		got := nn.SinusoidalTable(tt.n, tt.d)
		if !slices.Equal(got.Shape(), []int{tt.n, tt.d}) {
			t.Errorf("SinusoidalTable(%d, %d) shape %v", tt.n, tt.d, got.Shape())
			continue
		}
		for i, v := range got.Data() {
			if math.Abs(v-tt.want[i]) > 1e-15 {
				t.Errorf("SinusoidalTable(%d, %d) element %d: %v; want %v", tt.n, tt.d, i, v, tt.want[i])
			}
		}
	}
	// Row p+k is row p rotated pair by pair by the angles of row k:
	// sin(a+b) = sin a cos b + cos a sin b, cos(a+b) = cos a cos b − sin a sin b.
	const n, d = 20, 8
	v := nn.SinusoidalTable(n, d).Data()
	for _, k := range []int{1, 3, 7} {
		for p := range n - k {
			for i := 0; i < d; i += 2 {
				sp, cp, sk, ck := v[p*d+i], v[p*d+i+1], v[k*d+i], v[k*d+i+1]
				if s, c := v[(p+k)*d+i], v[(p+k)*d+i+1]; math.Abs(s-(sp*ck+cp*sk)) > 1e-12 || math.Abs(c-(cp*ck-sp*sk)) > 1e-12 {
					t.Fatalf("row %d, pair %d: (%v, %v); row %d rotated by row %d gives (%v, %v)", p+k, i/2, s, c, p, k, sp*ck+cp*sk, cp*ck-sp*sk)
				}
			}
		}
	}
	testutil.Panics(t, "nn: SinusoidalTable: n=0, d=2; both must be at least 1", func() { nn.SinusoidalTable(0, 2) })
}

func TestSequenceCrossEntropy(t *testing.T) {
	rng := newRNG(2)
	logits := randn(rng, 2, 3, 4)
	targets := ids([]int{0, 3, 1}, []int{2, 2, 0})
	got := nn.SequenceCrossEntropy(logits, targets).Item()
	// By hand: −log softmax at each of the 6 positions, averaged.
	want := 0.0
	for p := range 6 {
		z := logits.Data()[4*p : 4*p+4]
		sum := 0.0
		for _, v := range z {
			sum += math.Exp(v)
		}
		want += (math.Log(sum) - z[int(targets.Data()[p])]) / 6
	}
	if !near(got, want, 1e-12) {
		t.Errorf("SequenceCrossEntropy %v; by hand %v", got, want)
	}
	// Uniform scores: log(vocab) nats, log2(vocab) bits.
	if l := nn.SequenceCrossEntropy(dl.Zeros(2, 3, 4), targets).Item(); !near(l, math.Log(4), 1e-15) || !near(nn.NatsToBits(l), 2, 1e-15) {
		t.Errorf("uniform loss %v nats, %v bits; want log 4 and 2", l, nn.NatsToBits(l))
	}
	gradcheck.Check(t, func() *dl.Tensor { return nn.SequenceCrossEntropy(logits, targets) }, logits)
	testutil.Panics(t, "nn: SequenceCrossEntropy: logits [2 3 4] and targets [2 2] do not fit", func() {
		nn.SequenceCrossEntropy(logits, dl.Zeros(2, 2))
	})
	testutil.Panics(t, "nn: SequenceCrossEntropy: logits [6 4] and targets [6] do not fit", func() {
		nn.SequenceCrossEntropy(dl.Zeros(6, 4), dl.Zeros(6))
	})
	testutil.Panics(t, "nn: CrossEntropy: label 4 at index 1", func() {
		nn.SequenceCrossEntropy(logits, ids([]int{0, 4, 1}, []int{2, 2, 0}))
	})
}

func TestNatsToBitsPerplexity(t *testing.T) {
	for _, tt := range []struct{ nats, bits, perplexity float64 }{
		{0, 0, 1},
		{math.Ln2, 1, 2},
		{math.Log(65), math.Log2(65), 65},
		{3 * math.Ln2, 3, 8},
	} {
		if b := nn.NatsToBits(tt.nats); !near(b, tt.bits, 1e-15) {
			t.Errorf("NatsToBits(%v) = %v; want %v", tt.nats, b, tt.bits)
		}
		if p := nn.Perplexity(tt.nats); !near(p, tt.perplexity, 1e-14) {
			t.Errorf("Perplexity(%v) = %v; want %v", tt.nats, p, tt.perplexity)
		}
	}
}

func ExampleNewGPT() {
	rng := rand.New(rand.NewPCG(1, 2))
	g := nn.NewGPT(rng, nn.GPTConfig{Vocab: 27, Context: 16, Dim: 32, Heads: 4, Layers: 2})
	x, y := dl.Zeros(8, 16), dl.Zeros(8, 16) // 8 sequences of 16 token ids and their next tokens
	for i := range x.Len() {
		x.Data()[i], y.Data()[i] = float64(rng.IntN(27)), float64(rng.IntN(27))
	}
	logits := g.Forward(x)
	fmt.Println("logits:", logits.Shape())
	n := 0
	for _, p := range g.Params() {
		n += p.Len()
	}
	fmt.Println("parameters:", n)
	loss := nn.SequenceCrossEntropy(logits, y).Item()
	fmt.Printf("untrained loss: %.2f nats = %.2f bits per character (uniform: %.2f nats)\n", loss, nn.NatsToBits(loss), math.Log(27))
	// Output:
	// logits: [8 16 27]
	// parameters: 27739
	// untrained loss: 3.75 nats = 5.41 bits per character (uniform: 3.30 nats)
}

// TestGPTLearnsToRepeat trains a small GPT with train.Fit on sequences
// that repeat three random tokens, "a b c a b c a b", where every token
// after the third is the one three places back: a bigram model cannot
// learn that, attention with positions can. Then greedy Generate
// continues new prompts a b c as a b c a b. (With Dim 16 the sinusoidal
// positions learned it more slowly than the learned ones, and missed some
// continuations after 60 epochs on some seeds.)
func TestGPTLearnsToRepeat(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two GPTs for some seconds")
	}
	const vocab, n, context = 6, 256, 8
	rng := newRNG(11)
	cycles := func(count int) (x, y *dl.Tensor) {
		x, y = dl.Zeros(count, context), dl.Zeros(count, context)
		for s := range count {
			abc := rng.Perm(vocab)[:3]
			for i := range context {
				x.Data()[s*context+i] = float64(abc[i%3])
				y.Data()[s*context+i] = float64(abc[(i+1)%3])
			}
		}
		return x, y
	}
	x, y := cycles(n)
	for _, pos := range []nn.Positions{nn.LearnedPositions, nn.SinusoidalPositions} {
		t.Run(pos.String(), func(t *testing.T) {
			g := nn.NewGPT(newRNG(12), nn.GPTConfig{Vocab: vocab, Context: context, Dim: 32, Heads: 4, Layers: 1, Positions: pos})
			cfg := train.Config{Loss: nn.SequenceCrossEntropy, Optimizer: optim.NewAdam(1e-2), Epochs: 60, BatchSize: 32, Seed: 1}
			h, err := train.Fit(g, data.Set{X: x, Y: y}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			// Positions 0 and 1 cannot know what comes next, the others can.
			floor := (math.Log(vocab-1) + math.Log(vocab-2)) / context
			t.Logf("last loss %.3f nats per token (%.3f bits); floor %.3f", h.Loss[len(h.Loss)-1], nn.NatsToBits(h.Loss[len(h.Loss)-1]), floor)
			wrong := 0
			for range 20 {
				abc := rng.Perm(vocab)[:3]
				got := nn.Generate(nil, g, abc, 5, nn.GenerateOptions{})
				if want := []int{abc[0], abc[1], abc[2], abc[0], abc[1]}; !slices.Equal(got, want) {
					wrong++
					t.Logf("after %v: %v; want %v", abc, got, want)
				}
			}
			if last := h.Loss[len(h.Loss)-1]; last > floor+0.05 || wrong > 1 {
				t.Errorf("last loss %.3f nats per token, floor %.3f; %d of 20 continuations wrong", last, floor, wrong)
			}
		})
	}
}
