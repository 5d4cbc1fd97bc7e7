package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

// TestSampleOneToken checks that logits that put all the mass on one token
// (the others −Inf, or far below) always give that token, at any
// temperature and top-k.
func TestSampleOneToken(t *testing.T) {
	inf := math.Inf(-1)
	rng := newRNG(1)
	for _, tt := range []struct {
		logits []float64
		want   int
	}{
		{[]float64{inf, inf, 0.5, inf}, 2},
		{[]float64{0, 0, 0, 100}, 3},
		{[]float64{-7, -300, -300, -300}, 0},
	} {
		for _, temp := range []float64{0, 0.5, 1, 2} {
			for _, k := range []int{0, 1, 2, 4} {
				for range 200 {
					if got := nn.Sample(rng, dl.New(tt.logits), temp, k); got != tt.want {
						t.Fatalf("Sample(%v, T=%v, k=%d) = %d; want %d", tt.logits, temp, k, got, tt.want)
					}
				}
			}
		}
	}
}

// softmaxT returns softmax(z/T), and 0 for tokens outside keep when keep
// is not nil.
func softmaxT(z []float64, temp float64, keep []int) []float64 {
	p := make([]float64, len(z))
	sum := 0.0
	for i, v := range z {
		if keep == nil || slices.Contains(keep, i) {
			p[i] = math.Exp(v / temp)
			sum += p[i]
		}
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

// TestSampleDistribution checks that the frequencies of many seeded draws
// match softmax(logits/T), renormalized over the top k, within five
// standard errors, and that a token outside the top k is never drawn.
func TestSampleDistribution(t *testing.T) {
	z := []float64{1, 0, -1, 2, 0.5, 0.5}
	const draws = 40000
	for _, tt := range []struct {
		temp float64
		k    int
		top  []int // the top k ids; nil for all
	}{
		{1, 0, nil},
		{0.5, 0, nil},
		{2, 0, nil},
		{1, 6, nil},
		{1, 2, []int{3, 0}},
		{3, 3, []int{3, 0, 4}}, // a tie at the k-th place keeps the lower id
		{0.7, 5, []int{3, 0, 4, 5, 1}},
	} {
		t.Run(fmt.Sprintf("T=%v,k=%d", tt.temp, tt.k), func(t *testing.T) {
			rng := newRNG(2)
			counts := make([]int, len(z))
			for range draws {
				counts[nn.Sample(rng, dl.New(z), tt.temp, tt.k)]++
			}
			want := softmaxT(z, tt.temp, tt.top)
			for i, c := range counts {
				if want[i] == 0 {
					if c > 0 {
						t.Errorf("token %d, outside the top %d, drawn %d times", i, tt.k, c)
					}
					continue
				}
				freq := float64(c) / draws
				se := math.Sqrt(want[i] * (1 - want[i]) / draws)
				if math.Abs(freq-want[i]) > 5*se {
					t.Errorf("token %d: frequency %.4f; want %.4f ± %.4f", i, freq, want[i], 5*se)
				}
			}
		})
	}
}

func TestSampleGreedy(t *testing.T) {
	for _, tt := range []struct {
		logits []float64
		want   int
	}{
		{[]float64{0.1, 0.3, 0.2}, 1},
		{[]float64{5, 5, 1}, 0}, // the first on a tie
		{[]float64{math.Inf(-1), -3, -2}, 2},
	} {
		// Temperature 0 draws nothing: a nil rng will do.
		if got := nn.Sample(nil, dl.New(tt.logits), 0, 0); got != tt.want {
			t.Errorf("Sample(%v, T=0) = %d; want %d", tt.logits, got, tt.want)
		}
	}
}

// TestSampleSeeded checks that the same seed draws the same tokens.
func TestSampleSeeded(t *testing.T) {
	draw := func() []int {
		rng := newRNG(9)
		var ids []int
		for range 50 {
			ids = append(ids, nn.Sample(rng, dl.New([]float64{0, 0.1, 0.2, 0.3}), 1, 0))
		}
		return ids
	}
	if a, b := draw(), draw(); !slices.Equal(a, b) {
		t.Errorf("two runs from one seed drew %v and %v", a, b)
	}
}

func TestSamplePanics(t *testing.T) {
	rng := newRNG(1)
	z := dl.New([]float64{0, 1, 2})
	for _, tt := range []struct {
		name string
		f    func()
		want string
	}{
		{"negative T", func() { nn.Sample(rng, z, -1, 0) }, "nn: Sample: temperature -1; want 0 (greedy) or a finite positive value"},
		{"NaN T", func() { nn.Sample(rng, z, math.NaN(), 0) }, "nn: Sample: temperature NaN"},
		{"Inf T", func() { nn.Sample(rng, z, math.Inf(1), 0) }, "nn: Sample: temperature +Inf"},
		{"k > vocab", func() { nn.Sample(rng, z, 1, 4) }, "nn: Sample: topK 4 for a vocabulary of 3; want 0 (all) up to the vocabulary size"},
		{"negative k", func() { nn.Sample(rng, z, 1, -1) }, "nn: Sample: topK -1"},
		{"nil rng", func() { nn.Sample(nil, z, 1, 0) }, "nn: Sample: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2)), or temperature 0"},
		{"2-D", func() { nn.Sample(rng, dl.Zeros(1, 3), 1, 0) }, "nn: Sample: logits shape [1 3]; want [vocab]"},
		{"NaN logit", func() { nn.Sample(rng, dl.New([]float64{0, math.NaN()}), 1, 0) }, "nn: Sample: logit NaN at 1"},
		{"+Inf logit", func() { nn.Sample(rng, dl.New([]float64{math.Inf(1), 0}), 0, 0) }, "nn: Sample: logit +Inf at 0"},
		{"all -Inf", func() { nn.Sample(rng, dl.New([]float64{math.Inf(-1), math.Inf(-1)}), 1, 0) }, "nn: Sample: all 2 logits are −Inf"},
	} {
		t.Run(tt.name, func(t *testing.T) { testutil.Panics(t, tt.want, tt.f) })
	}
}

// counter is a hand-made language model over vocab tokens that predicts
// "next = current+1 (mod vocab)" at every position, with all but certain
// logits: ids [1, t] → [1, t, vocab]. With last set it returns the
// prediction of the last position alone, [1, vocab], as a model over a
// fixed window does. It records the windows it was fed.
type counter struct {
	vocab int
	last  bool
	fed   [][]int
}

func (c *counter) Forward(x *dl.Tensor) *dl.Tensor {
	t := x.Shape()[1]
	var w []int
	out := dl.Full(-50, 1, t, c.vocab)
	for i, v := range x.Data() {
		w = append(w, int(v))
		out.Data()[i*c.vocab+(int(v)+1)%c.vocab] = 50
	}
	c.fed = append(c.fed, w)
	if c.last {
		return dl.New(out.Data()[(t-1)*c.vocab:], 1, c.vocab)
	}
	return out
}

func (c *counter) Params() []*dl.Tensor { return nil }

func TestGenerateCounter(t *testing.T) {
	for _, last := range []bool{false, true} {
		for _, temp := range []float64{0, 1} {
			t.Run(fmt.Sprintf("last=%v,T=%v", last, temp), func(t *testing.T) {
				m := &counter{vocab: 10, last: last}
				got := nn.Generate(newRNG(1), m, []int{4, 7}, 6, nn.GenerateOptions{Temperature: temp, Context: 3})
				if want := []int{8, 9, 0, 1, 2, 3}; !slices.Equal(got, want) {
					t.Errorf("Generate = %v; want %v", got, want)
				}
				// Each step feeds the last 3 tokens at most.
				want := [][]int{{4, 7}, {4, 7, 8}, {7, 8, 9}, {8, 9, 0}, {9, 0, 1}, {0, 1, 2}}
				if !slices.EqualFunc(m.fed, want, slices.Equal) {
					t.Errorf("windows fed %v; want %v", m.fed, want)
				}
			})
		}
	}
}

func TestGenerateStop(t *testing.T) {
	m := &counter{vocab: 10}
	opts := nn.GenerateOptions{Temperature: 1, Stop: []int{0, 5}}
	if got := nn.Generate(newRNG(1), m, []int{2}, 20, opts); !slices.Equal(got, []int{3, 4, 5}) {
		t.Errorf("Generate with Stop 0, 5 = %v; want [3 4 5]", got)
	}
	// Without Context, a model other than a GPT reads the whole sequence.
	if got := nn.Generate(nil, m, []int{9}, 2, nn.GenerateOptions{}); !slices.Equal(got, []int{0, 1}) || len(m.fed[len(m.fed)-1]) != 2 {
		t.Errorf("Generate = %v, last window %v; want [0 1] and a window of 2", got, m.fed[len(m.fed)-1])
	}
	if got := nn.Generate(nil, m, []int{9}, 0, nn.GenerateOptions{}); len(got) != 0 {
		t.Errorf("Generate of 0 tokens = %v", got)
	}
}

// TestGenerateEvalMode checks that Generate puts the model in evaluation
// mode: a Dropout that drops 90% of the logits in training would scramble
// the counting.
func TestGenerateEvalMode(t *testing.T) {
	rng := newRNG(2)
	m := nn.NewSequential(&counter{vocab: 10}, nn.NewDropout(rng, 0.9))
	if got := nn.Generate(rng, m, []int{0}, 8, nn.GenerateOptions{Temperature: 1}); !slices.Equal(got, []int{1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Errorf("Generate = %v; want 1 to 8", got)
	}
}

// TestGenerateGPT checks that Generate feeds a GPT no more than its
// Context, unasked, and that the tokens are seeded and in the vocabulary.
func TestGenerateGPT(t *testing.T) {
	g := nn.NewGPT(newRNG(8), tinyGPT)
	gen := func(opts nn.GenerateOptions) []int {
		return nn.Generate(newRNG(3), g, []int{0}, 3*tinyGPT.Context, opts)
	}
	a := gen(nn.GenerateOptions{Temperature: 1, TopK: 3})
	if len(a) != 3*tinyGPT.Context {
		t.Fatalf("%d tokens; want %d", len(a), 3*tinyGPT.Context)
	}
	for _, id := range a {
		if id < 0 || id >= tinyGPT.Vocab {
			t.Fatalf("token %d outside the vocabulary: %v", id, a)
		}
	}
	if b := gen(nn.GenerateOptions{Temperature: 1, TopK: 3}); !slices.Equal(a, b) {
		t.Errorf("two runs from one seed: %v and %v", a, b)
	}
	// Greedy: each token is the argmax of the GPT's logits for the window.
	greedy := gen(nn.GenerateOptions{})
	seq := []int{0}
	for _, tok := range greedy {
		w := seq[max(0, len(seq)-tinyGPT.Context):]
		logits := g.Forward(ids(w)).Data()
		lastRow := logits[(len(w)-1)*tinyGPT.Vocab:]
		if want := slices.Index(lastRow, slices.Max(lastRow)); tok != want {
			t.Fatalf("greedy token %d after %v; argmax %d", tok, w, want)
		}
		seq = append(seq, tok)
	}
}

// outputs is a model that always returns y.
type outputs struct{ y *dl.Tensor }

func (o outputs) Forward(*dl.Tensor) *dl.Tensor { return o.y }
func (o outputs) Params() []*dl.Tensor          { return nil }

func TestGeneratePanics(t *testing.T) {
	rng := newRNG(1)
	m := &counter{vocab: 4}
	for _, tt := range []struct {
		name string
		f    func()
		want string
	}{
		{"nil model", func() { nn.Generate(rng, nil, []int{1}, 2, nn.GenerateOptions{}) }, "nn: Generate: model is nil"},
		{"empty prompt", func() { nn.Generate(rng, m, nil, 2, nn.GenerateOptions{}) }, "nn: Generate: empty prompt"},
		{"negative n", func() { nn.Generate(rng, m, []int{1}, -1, nn.GenerateOptions{}) }, "nn: Generate: n=-1, opts.Context=0; neither may be negative"},
		{"negative context", func() { nn.Generate(rng, m, []int{1}, 1, nn.GenerateOptions{Context: -2}) }, "opts.Context=-2"},
		{"negative T", func() { nn.Generate(rng, m, []int{1}, 0, nn.GenerateOptions{Temperature: -1}) }, "nn: Generate: temperature -1"},
		{"nil rng", func() { nn.Generate(nil, m, []int{1}, 1, nn.GenerateOptions{Temperature: 1}) }, "nn: Generate: rng is nil"},
		{"k > vocab", func() { nn.Generate(rng, m, []int{1}, 1, nn.GenerateOptions{TopK: 5}) }, "nn: Generate: topK 5 for a vocabulary of 4"},
		{"output shape", func() { nn.Generate(rng, outputs{dl.Zeros(4)}, []int{1, 2}, 1, nn.GenerateOptions{}) }, "nn: Generate: model output shape [4] for ids [1 2]; want [1, vocab] or [1, 2, vocab]"},
		{"output length", func() { nn.Generate(rng, outputs{dl.Zeros(1, 3, 4)}, []int{1, 2}, 1, nn.GenerateOptions{}) }, "nn: Generate: model output shape [1 3 4] for ids [1 2]"},
		{"nil output", func() { nn.Generate(rng, outputs{}, []int{1}, 1, nn.GenerateOptions{}) }, "nn: Generate: model (nn_test.outputs) returned nil"},
		{"GPT window", func() {
			nn.Generate(rng, nn.NewGPT(rng, tinyGPT), []int{1}, 6, nn.GenerateOptions{Context: 5})
		}, "nn: GPT: ids shape [1 5]"},
	} {
		t.Run(tt.name, func(t *testing.T) { testutil.Panics(t, tt.want, tt.f) })
	}
}

func ExampleSample() {
	rng := rand.New(rand.NewPCG(1, 2))
	logits := dl.New([]float64{2, 1, 0.5, -1}) // a model's scores for the next of 4 tokens
	fmt.Println("greedy:", nn.Sample(nil, logits, 0, 0))
	for _, s := range []struct {
		temp float64
		k    int
	}{{1, 0}, {0.3, 0}, {5, 0}, {1, 2}} {
		counts := make([]int, 4)
		for range 1000 {
			counts[nn.Sample(rng, logits, s.temp, s.k)]++
		}
		fmt.Printf("T=%.1f top-k %d: %v\n", s.temp, s.k, counts) // of 1000 draws
	}
	// Output:
	// greedy: 0
	// T=1.0 top-k 0: [615 212 137 36]
	// T=0.3 top-k 0: [955 35 10 0]
	// T=5.0 top-k 0: [338 242 247 173]
	// T=1.0 top-k 2: [728 272 0 0]
}
