package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/internal/gradcheck"
	"github.com/dlnb/dlnb/internal/testutil"
)

// TestMaskTokensProportions corrupts 40,000 sequences of 10 tokens,
// a quarter of them specials, and checks BERT's proportions with
// tolerances of about 5 standard errors: 15% of the ordinary positions
// chosen, of those 80% [MASK], 10% a random token, 10% unchanged; no
// special position ever chosen or changed.
func TestMaskTokensProportions(t *testing.T) {
	const n, tLen, lo, hi, maskID = 40000, 10, 3, 23, 23 // 20 ordinary tokens
	rng := newRNG(11)
	v := make([]float64, n*tLen)
	for i := range v {
		if rng.IntN(4) == 0 {
			v[i] = float64(rng.IntN(lo)) // Pad, Begin or End
		} else {
			v[i] = float64(lo + rng.IntN(hi-lo))
		}
	}
	ids := dl.New(v, n, tLen)
	in, tg, mask := nn.MaskTokens(newRNG(12), ids, nn.NewMasking(maskID, lo, hi))
	if !slices.Equal(tg.Data(), v) || !slices.Equal(in.Shape(), []int{n, tLen}) || !slices.Equal(mask.Shape(), []int{n, tLen}) {
		t.Fatal("targets are not the ids, or a shape is wrong")
	}
	var ordinary, chosen, masked, random, same, randomOther float64
	for i, id := range v {
		x, m := in.Data()[i], mask.Data()[i]
		if id < lo {
			if m != 0 || x != id {
				t.Fatalf("special id %v at %d chosen (%v) or changed to %v", id, i, m, x)
			}
			continue
		}
		ordinary++
		if m == 0 {
			if x != id {
				t.Fatalf("position %d not chosen but changed", i)
			}
			continue
		}
		chosen++
		switch {
		case x == maskID:
			masked++
		case x == id:
			same++
		default:
			random++
			if x < lo || x >= hi {
				t.Fatalf("random token %v outside [%d, %d)", x, lo, hi)
			}
		}
	}
	randomOther = 0.1 * (1 - 1.0/(hi-lo)) // a random draw equals the token 1 time in 20
	check := func(name string, got, want, tol float64) {
		if math.Abs(got-want) > tol {
			t.Errorf("%s: %.4f, want %.4f ± %.4f", name, got, want, tol)
		} else {
			t.Logf("%s: %.4f (want %.4f)", name, got, want)
		}
	}
	check("chosen share", chosen/ordinary, 0.15, 0.003)
	check("[MASK] share of chosen", masked/chosen, 0.8, 0.01)
	check("random share of chosen", random/chosen, randomOther, 0.007)
	check("unchanged share of chosen", same/chosen, 0.2-randomOther, 0.007)

	in2, _, mask2 := nn.MaskTokens(newRNG(12), ids, nn.NewMasking(maskID, lo, hi))
	if !slices.Equal(in.Data(), in2.Data()) || !slices.Equal(mask.Data(), mask2.Data()) {
		t.Error("the same seed gave another corruption")
	}
}

// TestMaskTokensSettings: other shares mean what they say.
func TestMaskTokensSettings(t *testing.T) {
	ids := dl.New(slices.Repeat([]float64{5}, 1000), 10, 100)
	all := nn.Masking{Rate: 1, MaskShare: 1, MaskID: 0, Lo: 1, Hi: 9}
	in, _, mask := nn.MaskTokens(newRNG(1), ids, all)
	for i := range in.Data() {
		if in.Data()[i] != 0 || mask.Data()[i] != 1 {
			t.Fatalf("Rate 1, MaskShare 1: position %d gave input %v, mask %v", i, in.Data()[i], mask.Data()[i])
		}
	}
	keep := nn.Masking{Rate: 1, MaskID: 0, Lo: 1, Hi: 9}
	in, _, _ = nn.MaskTokens(newRNG(1), ids, keep)
	if !slices.Equal(in.Data(), ids.Data()) {
		t.Error("MaskShare 0, RandomShare 0 changed an input")
	}
}

func TestMaskTokensPanics(t *testing.T) {
	ids := dl.New([]float64{3, 4, 5}, 1, 3)
	ok := nn.NewMasking(9, 3, 9)
	rng := newRNG(1)
	for _, tc := range []struct {
		want string
		f    func()
	}{
		{"nn: MaskTokens: ids shape [3]", func() { nn.MaskTokens(rng, dl.New([]float64{3, 4, 5}), ok) }},
		{"nn: MaskTokens: ids is nil", func() { nn.MaskTokens(rng, nil, ok) }},
		{"nn: MaskTokens: rng is nil", func() { nn.MaskTokens(nil, ids, ok) }},
		{"Rate must be in (0, 1]", func() { nn.MaskTokens(rng, ids, nn.Masking{Rate: 0, MaskID: 9, Lo: 3, Hi: 9}) }},
		{"MaskShare and RandomShare", func() {
			nn.MaskTokens(rng, ids, nn.Masking{Rate: 0.5, MaskShare: 0.9, RandomShare: 0.2, MaskID: 9, Lo: 3, Hi: 9})
		}},
		{"Lo..Hi-1 must be a non-empty range", func() { nn.MaskTokens(rng, ids, nn.NewMasking(9, 5, 5)) }},
		{"MaskID must be an id of its own", func() { nn.MaskTokens(rng, ids, nn.NewMasking(4, 3, 9)) }},
		{"ids holds 2.5 at flat index 1", func() { nn.MaskTokens(rng, dl.New([]float64{3, 2.5}, 1, 2), ok) }},
	} {
		testutil.Panics(t, tc.want, tc.f)
	}
}

func TestMaskedAccuracy(t *testing.T) {
	logits := dl.New([]float64{
		1, 0, 0 /**/, 0, 1, 0 /**/, 0, 0, 1,
		1, 0, 0 /**/, 0, 1, 0 /**/, 0, 0, 1}, 2, 3, 3) // argmax 0, 1, 2 in each row
	targets := dl.New([]float64{0, 1, 0, 2, 1, 0}, 2, 3)
	mask := dl.New([]float64{1, 1, 1, 0, 1, 1}, 2, 3)
	if got := nn.MaskedAccuracy(logits, targets, mask); got != 0.6 { // hits at 0, 1, 4 of 5 counted
		t.Errorf("MaskedAccuracy = %v, want 0.6", got)
	}
	if got := nn.MaskedAccuracy(logits, targets, dl.Zeros(2, 3)); !math.IsNaN(got) {
		t.Errorf("no counted position: %v, want NaN", got)
	}
	testutil.Panics(t, "nn: MaskedAccuracy: logits [2 3 3], targets [2 3] and mask [3 2] do not fit", func() { nn.MaskedAccuracy(logits, targets, dl.Zeros(3, 2)) })
}

var tinyBERT = nn.BERTConfig{Vocab: 6, Context: 4, Dim: 4, Heads: 2, Layers: 2}

func TestBERTGrad(t *testing.T) {
	b := nn.NewBERT(newRNG(3), tinyBERT)
	x := ids([]int{1, 3, 5, 0}, []int{1, 4, 4, 2})
	in, tg, mask := x, x, dl.New([]float64{0, 1, 1, 0, 1, 0, 1, 1}, 2, 4)
	f := func() *dl.Tensor { return nn.CrossEntropyMasked(b.Forward(in), tg, mask) }
	gradcheck.Check(t, f, b.Params()...)
}

func TestBERTClassifierGrad(t *testing.T) {
	b := nn.NewBERT(newRNG(3), tinyBERT)
	c := nn.NewBERTClassifier(newRNG(4), b, 3)
	x := ids([]int{1, 3, 5}, []int{1, 4, 4}, []int{1, 2, 0})
	y := dl.New([]float64{0, 2, 1}, 3)
	for _, p := range []nn.Pooling{nn.CLSPooling, nn.MeanPooling} {
		t.Run(p.String(), func(t *testing.T) {
			c.Pooling = p
			gradcheck.Check(t, func() *dl.Tensor { return nn.CrossEntropy(c.Forward(x), y) }, c.Params()...)
		})
	}
	if n, want := len(c.Params()), len(b.Params()); n != want { // the MLM head's 2 out, the head's 2 in
		t.Errorf("classifier has %d parameter tensors, want %d", n, want)
	}
	for _, p := range b.MLM.Params() {
		if slices.Contains(c.Params(), p) {
			t.Error("the classifier's Params hold the MLM head")
		}
	}
}

// TestBERTBidirectional: changing the last token changes the output at
// position 0 (the pooled vector), which a causal model would not.
func TestBERTBidirectional(t *testing.T) {
	b := nn.NewBERT(newRNG(5), tinyBERT)
	p1 := b.Pooled(ids([]int{1, 3, 4}), nn.CLSPooling)
	p2 := b.Pooled(ids([]int{1, 3, 5}), nn.CLSPooling)
	if slices.Equal(p1.Data(), p2.Data()) {
		t.Error("position 0 does not see the last token")
	}
	h := b.Encode(ids([]int{1, 3, 5}, []int{2, 2, 2}))
	p := b.Pooled(ids([]int{1, 3, 5}, []int{2, 2, 2}), nn.CLSPooling)
	if !slices.Equal(p.Shape(), []int{2, 4}) || !slices.Equal(p.Data()[:4], h.Data()[:4]) || !slices.Equal(p.Data()[4:], h.Data()[12:16]) {
		t.Errorf("Pooled %v is not Encode's position 0", p.Data())
	}
	m := b.Pooled(ids([]int{1, 3, 5}, []int{2, 2, 2}), nn.MeanPooling)
	for j := range 4 {
		want := (h.Data()[j] + h.Data()[4+j] + h.Data()[8+j]) / 3
		if math.Abs(m.Data()[j]-want) > 1e-12 {
			t.Errorf("MeanPooling feature %d: %v, want %v", j, m.Data()[j], want)
		}
	}
	if s := b.Forward(ids([]int{1, 3})).Shape(); !slices.Equal(s, []int{1, 2, 6}) {
		t.Errorf("Forward shape %v, want [1 2 6]", s)
	}
	var names []string
	for _, np := range nn.NamedParams(nn.NewBERTClassifier(newRNG(1), b, 2)) {
		names = append(names, np.Name)
	}
	if names[0] != "Tok.Table" || names[len(names)-1] != "Head.B" {
		t.Errorf("classifier names %v", names)
	}
}

func TestBERTPanics(t *testing.T) {
	b := nn.NewBERT(newRNG(5), tinyBERT)
	for _, tc := range []struct {
		want string
		f    func()
	}{
		{"nn: NewBERT: Dim=4, Heads=3", func() { nn.NewBERT(newRNG(1), nn.BERTConfig{Vocab: 5, Context: 4, Dim: 4, Heads: 3, Layers: 1}) }},
		{"nn: NewBERT: config", func() { nn.NewBERT(newRNG(1), nn.BERTConfig{Vocab: 5, Context: 4, Dim: 4, Heads: 2}) }},
		{"nn: NewBERT: rng is nil", func() { nn.NewBERT(nil, tinyBERT) }},
		{"nn: BERT: ids shape [1 5]; want [batch, t] with t in 1..4", func() { b.Forward(ids([]int{1, 2, 3, 4, 5})) }},
		{"nn: BERT: ids is nil", func() { b.Pooled(nil, nn.CLSPooling) }},
		{"nn: BERT: Pooled: pooling Pooling(7); want CLSPooling or MeanPooling", func() { b.Pooled(ids([]int{1}), 7) }},
		{"nn: NewBERTClassifier: 1 classes", func() { nn.NewBERTClassifier(newRNG(1), b, 1) }},
		{"nn: NewBERTClassifier: enc is nil", func() { nn.NewBERTClassifier(newRNG(1), nil, 2) }},
		{"nn: NewBERTClassifier: rng is nil", func() { nn.NewBERTClassifier(nil, b, 2) }},
	} {
		testutil.Panics(t, tc.want, tc.f)
	}
}

// Pretrain a BERT for one step on masked tokens, then classify with it.
func ExampleBERT() {
	rng := rand.New(rand.NewPCG(1, 2))
	// ids: 0 pad, 1 [CLS], 2..7 ordinary tokens, 8 [MASK]
	bert := nn.NewBERT(rng, nn.BERTConfig{Vocab: 9, Context: 5, Dim: 8, Heads: 2, Layers: 1})
	ids := dl.New([]float64{1, 2, 3, 4, 0, 1, 5, 6, 7, 7}, 2, 5)
	inputs, targets, mask := nn.MaskTokens(rng, ids, nn.Masking{Rate: 0.5, MaskShare: 0.8, RandomShare: 0.1, MaskID: 8, Lo: 2, Hi: 8})
	fmt.Println("inputs:", inputs.Data())
	fmt.Println("counted:", mask.Data())
	loss := nn.CrossEntropyMasked(bert.Forward(inputs), targets, mask) // logits [2, 5, 9]
	loss.Backward()                                                    // then an optimizer step, as in any training
	fmt.Printf("masked-token loss %.2f over %v positions\n", loss.Item(), dl.Sum(mask).Item())

	clf := nn.NewBERTClassifier(rng, bert, 2)
	clf.Pooling = nn.MeanPooling // or nn.CLSPooling, the default: position 0
	fmt.Println("pooled:", bert.Pooled(ids, nn.CLSPooling).Shape(), "class logits:", clf.Forward(ids).Shape())
	// Output:
	// inputs: [1 8 3 8 0 1 5 6 7 7]
	// counted: [0 1 0 1 0 0 0 0 0 0]
	// masked-token loss 1.27 over 2 positions
	// pooled: [2 8] class logits: [2 2]
}
