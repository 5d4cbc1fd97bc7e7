package nn_test

import (
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/internal/gradcheck"
	"github.com/dlnb/dlnb/internal/testutil"
)

var seq2seqModes = []string{"none", "additive", "dot", "general"}

// tinySeq2Seq is a small model of the given attention over 6 source and
// 7 target ids.
func tinySeq2Seq(seed uint64, attention string) *nn.Seq2Seq {
	return nn.NewSeq2Seq(newRNG(seed), nn.Seq2SeqConfig{SrcVocab: 6, TgtVocab: 7, Embed: 3, Hidden: 4, Attention: attention, AttentionHidden: 3})
}

// idsOf returns the ids as a [rows, len(ids)/rows] tensor.
func idsOf(rows int, v ...float64) *dl.Tensor { return dl.New(v, rows, len(v)/rows) }

// TestSeq2SeqShapes checks the shapes of Run's outputs, that the weights
// are a distribution over each source's own tokens, and the parts' names.
func TestSeq2SeqShapes(t *testing.T) {
	src := idsOf(2, 3, 4, 5, 3, 4, 5, 0, 0) // lengths 4 and 2
	tgtIn := idsOf(2, 1, 3, 4, 1, 6, 0)
	for _, mode := range seq2seqModes {
		t.Run(mode, func(t *testing.T) {
			m := tinySeq2Seq(1, mode)
			logits, w := m.Run(src, []int{4, 2}, tgtIn)
			if !slices.Equal(logits.Shape(), []int{2, 3, 7}) {
				t.Fatalf("logits %v, want [2 3 7]", logits.Shape())
			}
			if mode == "none" {
				if w != nil {
					t.Fatalf("weights %v without attention, want nil", w.Shape())
				}
				return
			}
			if !slices.Equal(w.Shape(), []int{2, 3, 4}) {
				t.Fatalf("weights %v, want [2 3 4]", w.Shape())
			}
			for b, n := range []int{4, 2} {
				for s := range 3 {
					row := w.Data()[(b*3+s)*4 : (b*3+s+1)*4]
					sum := 0.0
					for j, v := range row {
						sum += v
						if j >= n && v != 0 {
							t.Errorf("sequence %d step %d: weight %v on padding position %d", b, s, v, j)
						}
					}
					if math.Abs(sum-1) > 1e-12 {
						t.Errorf("sequence %d step %d: weights sum to %v", b, s, sum)
					}
				}
			}
		})
	}
	var names []string
	for _, p := range nn.NamedParams(tinySeq2Seq(1, "additive")) {
		names = append(names, p.Name)
	}
	want := []string{"SrcEmbed.Table", "TgtEmbed.Table", "Encoder.Wx", "Encoder.Wh", "Encoder.Bx", "Encoder.Bh",
		"Decoder.Wx", "Decoder.Wh", "Decoder.Bx", "Decoder.Bh", "Attention.V", "Attention.W.W", "Attention.W.B", "Attention.U.W", "Head.W", "Head.B"}
	if !slices.Equal(names, want) {
		t.Errorf("names %v\nwant %v", names, want)
	}
}

// TestSeq2SeqDecodingMatchesRun checks that Encode and Step, fed the
// teacher's tokens, give Run's logits and weights, and that a padded
// source gives what the same source alone, unpadded, gives.
func TestSeq2SeqDecodingMatchesRun(t *testing.T) {
	src := idsOf(2, 3, 4, 5, 3, 4, 5, 0, 0)
	srcLen := []int{4, 2}
	tgtIn := idsOf(2, 1, 3, 4, 1, 6, 0)
	for _, mode := range seq2seqModes {
		t.Run(mode, func(t *testing.T) {
			m := tinySeq2Seq(2, mode)
			logits, w := m.Run(src, srcLen, tgtIn)
			dec := m.Encode(src, srcLen)
			for s := range 3 {
				l, ws := dec.Step(dl.New([]float64{tgtIn.Data()[s], tgtIn.Data()[3+s]}, 2))
				for b := range 2 {
					got := l.Data()[b*7 : b*7+7]
					want := logits.Data()[(b*3+s)*7 : (b*3+s+1)*7]
					for i := range got {
						if !near(got[i], want[i], 1e-12) {
							t.Fatalf("step %d sequence %d: Step's logits %v, Run's %v", s, b, got, want)
						}
					}
					if w != nil && !slices.EqualFunc(ws.Data()[b*4:b*4+4], w.Data()[(b*3+s)*4:(b*3+s+1)*4], func(a, b float64) bool { return near(a, b, 1e-12) }) {
						t.Fatalf("step %d sequence %d: Step's weights %v, Run's %v", s, b, ws.Data()[b*4:b*4+4], w.Data()[(b*3+s)*4:(b*3+s+1)*4])
					}
				}
			}
			// Sequence 1 alone, unpadded.
			alone, wAlone := m.Run(idsOf(1, 4, 5), nil, idsOf(1, 1, 6, 0))
			for i, v := range alone.Data() {
				if !near(v, logits.Data()[3*7+i], 1e-12) {
					t.Fatalf("padded source: logits %v, alone %v", logits.Data()[3*7:], alone.Data())
				}
			}
			if w != nil {
				for s := range 3 {
					got := w.Data()[(3+s)*4 : (3+s)*4+2]
					if want := wAlone.Data()[s*2 : s*2+2]; !near(got[0], want[0], 1e-12) || !near(got[1], want[1], 1e-12) {
						t.Fatalf("padded source, step %d: weights %v, alone %v", s, got, want)
					}
				}
			}
		})
	}
}

// TestSeq2SeqGrad checks the gradients of the masked loss of the whole
// model, through the encoder, the attention and the decoder, for every
// attention.
func TestSeq2SeqGrad(t *testing.T) {
	src := idsOf(2, 3, 4, 5, 3, 0, 0)
	srcLen := []int{3, 1}
	tgtIn := idsOf(2, 1, 3, 4, 1, 6, 0)
	tgtOut := idsOf(2, 3, 4, 2, 6, 2, 0)
	tgtMask := idsOf(2, 1, 1, 1, 1, 1, 0)
	for _, mode := range seq2seqModes {
		t.Run(mode, func(t *testing.T) {
			m := tinySeq2Seq(3, mode)
			f := func() *dl.Tensor {
				logits, w := m.Run(src, srcLen, tgtIn)
				loss := nn.CrossEntropyMasked(logits, tgtOut, tgtMask)
				if w != nil {
					loss = dl.Add(loss, weighted(dl.Mul(w, w)))
				}
				return loss
			}
			gradcheck.Check(t, f, m.Params()...)
		})
	}
}

// TestCrossEntropyMasked checks a case by hand, that it is CrossEntropy
// over the real tokens alone, its gradients, and that padding gets none.
func TestCrossEntropyMasked(t *testing.T) {
	// Two classes, logits (0, ln 3): p = (1/4, 3/4). Labels 1 and 0 under
	// the mask cost −ln(3/4) and −ln(1/4); the padded position (label 0,
	// logits (5, 0)) is left out.
	logits := dl.Param(dl.New([]float64{0, math.Log(3), 0, math.Log(3), 5, 0}, 1, 3, 2))
	loss := nn.CrossEntropyMasked(logits, idsOf(1, 1, 0, 0), idsOf(1, 1, 1, 0))
	want := (-math.Log(0.75) - math.Log(0.25)) / 2
	if !near(loss.Item(), want, 1e-12) {
		t.Errorf("loss %v, want %v", loss.Item(), want)
	}
	loss.Backward()
	// ∂/∂z = (softmax − onehot)/2 at the real tokens, 0 at padding.
	wantGrad := []float64{0.25 / 2, -0.25 / 2, -0.75 / 2, 0.75 / 2, 0, 0}
	for i, g := range logits.Grad() {
		if !near(g, wantGrad[i], 1e-12) {
			t.Errorf("gradient %v, want %v", logits.Grad(), wantGrad)
			break
		}
	}

	rng := newRNG(8)
	z := randn(rng, 2, 4, 5)
	labels := idsOf(2, 1, 4, 0, 2, 3, 3, 0, 0)
	mask := idsOf(2, 1, 1, 1, 0, 1, 1, 0, 0)
	got := nn.CrossEntropyMasked(z, labels, mask).Item()
	real := []int{0, 1, 2, 4, 5}
	rows := dl.Index(dl.Reshape(z, 8, 5), 0, real)
	lab := dl.New([]float64{1, 4, 0, 3, 3}, 5)
	if ce := nn.CrossEntropy(rows, lab).Item(); !near(got, ce, 1e-12) {
		t.Errorf("CrossEntropyMasked %v, CrossEntropy over the real tokens %v", got, ce)
	}
	gradcheck.Check(t, func() *dl.Tensor { return nn.CrossEntropyMasked(z, labels, mask) }, z)
	// 2-D logits [n, classes] with labels and mask [n].
	flat := nn.CrossEntropyMasked(dl.Reshape(z, 8, 5), dl.Reshape(labels, 8), dl.Reshape(mask, 8)).Item()
	if !near(flat, got, 1e-12) {
		t.Errorf("[n, classes]: %v, want %v", flat, got)
	}

	// With every position real it is SequenceCrossEntropy.
	if all, seq := nn.CrossEntropyMasked(z, labels, dl.Full(1, 2, 4)).Item(), nn.SequenceCrossEntropy(z, labels).Item(); !near(all, seq, 1e-12) {
		t.Errorf("mask of all 1: %v, SequenceCrossEntropy %v", all, seq)
	}

	two := dl.Zeros(1, 2, 3)
	testutil.Panics(t, "nn: CrossEntropyMasked: logits [1 2 3], labels [1 3] and mask [1 2] do not fit", func() {
		nn.CrossEntropyMasked(two, dl.Zeros(1, 3), dl.Zeros(1, 2))
	})
	testutil.Panics(t, "nn: CrossEntropyMasked: mask value 0.5 at index 1", func() { nn.CrossEntropyMasked(two, dl.Zeros(1, 2), idsOf(1, 1, 0.5)) })
	testutil.Panics(t, "nn: CrossEntropyMasked: the mask is all 0", func() { nn.CrossEntropyMasked(two, dl.Zeros(1, 2), dl.Zeros(1, 2)) })
	testutil.Panics(t, "nn: CrossEntropyMasked: label 3 at index 0 is not a class in 0..2", func() { nn.CrossEntropyMasked(two, idsOf(1, 3, 0), idsOf(1, 1, 1)) })
	// A bad label under padding does not matter.
	if l := nn.CrossEntropyMasked(two, idsOf(1, 0, 7), idsOf(1, 1, 0)).Item(); !near(l, math.Log(3), 1e-12) {
		t.Errorf("uniform logits: loss %v, want ln 3", l)
	}
}

// scripted is a Seq2SeqModel whose decoder writes script[b] for source
// b, then End, whatever it is fed, and puts all attention on source
// position t at step t; it records what it was fed.
type scripted struct {
	script [][]int
	vocab  int
	attend bool
	fed    [][]float64
}

func (s *scripted) Encode(src *dl.Tensor, srcLen []int) nn.Decoding {
	return &scriptedDecoding{s: s, time: src.Shape()[1]}
}

type scriptedDecoding struct {
	s          *scripted
	step, time int
}

func (d *scriptedDecoding) Step(prev *dl.Tensor) (logits, weights *dl.Tensor) {
	d.s.fed = append(d.s.fed, slices.Clone(prev.Data()))
	batch := len(d.s.script)
	l := make([]float64, batch*d.s.vocab)
	w := make([]float64, batch*d.time)
	for b, sc := range d.s.script {
		id := nn.EndID
		if d.step < len(sc) {
			id = sc[d.step]
		}
		l[b*d.s.vocab+id] = 1
		w[b*d.time+min(d.step, d.time-1)] = 1
	}
	d.step++
	if !d.s.attend {
		return dl.New(l, batch, d.s.vocab), nil
	}
	return dl.New(l, batch, d.s.vocab), dl.New(w, batch, d.time)
}

// TestGreedyDecode checks the ids and weights of a decoder whose outputs
// are known, that it feeds back its own predictions, stops at End or
// maxLen, and panics on bad input.
func TestGreedyDecode(t *testing.T) {
	m := &scripted{script: [][]int{{5, 4, 3}, {6}, {}}, vocab: 7, attend: true}
	src := idsOf(3, 3, 4, 5, 3, 4, 0, 3, 0, 0)
	got, w := nn.GreedyDecode(m, src, []int{3, 2, 1}, 10)
	if want := [][]int{{5, 4, 3}, {6}, nil}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("ids %v, want %v", got, want)
	}
	// Fed Begin, then its own predictions; it stops once all have ended.
	wantFed := [][]float64{{1, 1, 1}, {5, 6, 2}, {4, 2, 2}, {3, 2, 2}}
	if !slices.EqualFunc(m.fed, wantFed, slices.Equal) {
		t.Errorf("fed %v, want %v", m.fed, wantFed)
	}
	// One row per token out, over the sequence's own source tokens.
	wantW := [][][]float64{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, {{1, 0}}, nil}
	for b := range wantW {
		if !slices.EqualFunc(w[b], wantW[b], slices.Equal) {
			t.Errorf("weights of sequence %d: %v, want %v", b, w[b], wantW[b])
		}
	}
	// maxLen cuts; without attention no weights.
	m = &scripted{script: [][]int{{5, 4, 3}}, vocab: 7}
	got, w = nn.GreedyDecode(m, idsOf(1, 3), nil, 2)
	if !slices.Equal(got[0], []int{5, 4}) || w != nil || len(m.fed) != 2 {
		t.Errorf("maxLen 2: ids %v, weights %v, %d steps; want [5 4], nil, 2", got, w, len(m.fed))
	}

	testutil.Panics(t, "nn: GreedyDecode: maxLen 0; want at least 1", func() { nn.GreedyDecode(m, idsOf(1, 3), nil, 0) })
	testutil.Panics(t, "nn: GreedyDecode: source 1 is empty (srcLen[1] = 0)", func() { nn.GreedyDecode(m, idsOf(2, 3, 3), []int{1, 0}, 5) })
	testutil.Panics(t, "nn: GreedyDecode: src [1 0]; want ids [batch, S]", func() { nn.GreedyDecode(m, dl.Zeros(1, 0), nil, 5) })
	testutil.Panics(t, "nn: GreedyDecode: srcLen[0] = 3 is outside [1, 1]", func() { nn.GreedyDecode(m, idsOf(1, 3), []int{3}, 5) })
	testutil.Panics(t, "nn: GreedyDecode: model is nil", func() { nn.GreedyDecode(nil, idsOf(1, 3), nil, 5) })
	testutil.Panics(t, "nn: GreedyDecode: the model's logits [2 7]; want [1, vocab]", func() {
		nn.GreedyDecode(&scripted{script: [][]int{{5}, {5}}, vocab: 7}, idsOf(1, 3), nil, 5)
	})
}

// TestSeq2SeqBadInput checks the panics of NewSeq2Seq, Run and Step.
func TestSeq2SeqBadInput(t *testing.T) {
	rng := newRNG(1)
	m := tinySeq2Seq(1, "additive")
	testutil.Panics(t, `nn: NewSeq2Seq: Attention "bahdanau"; want "none", "additive", "dot" or "general"`, func() {
		nn.NewSeq2Seq(rng, nn.Seq2SeqConfig{SrcVocab: 2, TgtVocab: 2, Embed: 1, Hidden: 1, Attention: "bahdanau"})
	})
	testutil.Panics(t, "nn: NewSeq2Seq: sizes SrcVocab=2, TgtVocab=0", func() {
		nn.NewSeq2Seq(rng, nn.Seq2SeqConfig{SrcVocab: 2, Embed: 1, Hidden: 1})
	})
	testutil.Panics(t, "nn: NewSeq2Seq: rng is nil", func() { nn.NewSeq2Seq(nil, nn.Seq2SeqConfig{}) })
	testutil.Panics(t, "nn: Seq2Seq: source 0 is empty (srcLen[0] = 0)", func() { m.Run(idsOf(1, 3, 3), []int{0}, idsOf(1, 1)) })
	testutil.Panics(t, "nn: Seq2Seq: 1 source lengths for a batch of 2 sources", func() { m.Run(idsOf(2, 3, 3), []int{1}, idsOf(2, 1, 1)) })
	testutil.Panics(t, "nn: Seq2Seq: tgtIn [1 1] for src [2 1]; want [2, T]", func() { m.Run(idsOf(2, 3, 3), nil, idsOf(1, 1)) })
	testutil.Panics(t, "nn: Embedding: id 9 at 0 is not an integer in [0, 6)", func() { m.Run(idsOf(1, 9), nil, idsOf(1, 1)) })
	testutil.Panics(t, "nn: Seq2Seq: prev [2]; want the previous token of each sequence, [1]", func() {
		m.Encode(idsOf(1, 3), nil).Step(dl.Zeros(2))
	})
	testutil.Panics(t, "nn: Seq2Seq: Forward takes one tensor", func() { m.Forward(dl.Zeros(1, 1)) })
	// The ids of the special tokens are dl/data's.
	if nn.BeginID != data.Begin || nn.EndID != data.End {
		t.Errorf("nn.BeginID, nn.EndID = %d, %d; data.Begin, data.End = %d, %d", nn.BeginID, nn.EndID, data.Begin, data.End)
	}
}

// TestSeq2SeqSave checks that a Seq2Seq saved with train.SaveFile loads
// into a fresh one and decodes the same.
func TestSeq2SeqSave(t *testing.T) {
	m := tinySeq2Seq(4, "additive")
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := train.SaveFile(path, m); err != nil {
		t.Fatal(err)
	}
	fresh := tinySeq2Seq(5, "additive")
	if err := train.LoadFile(path, fresh); err != nil {
		t.Fatal(err)
	}
	src := idsOf(2, 3, 4, 5, 3, 0, 0)
	a, wa := nn.GreedyDecode(m, src, []int{3, 1}, 6)
	b, wb := nn.GreedyDecode(fresh, src, []int{3, 1}, 6)
	if !slices.EqualFunc(a, b, slices.Equal) || len(wa) != len(wb) {
		t.Errorf("loaded model decodes %v, saved one %v", b, a)
	}
}

// TestSeq2SeqCached checks that train.Cached trains a Seq2Seq once and
// loads the trained parameters into a fresh one on the second call.
func TestSeq2SeqCached(t *testing.T) {
	t.Setenv("DLNB_MODEL_CACHE", t.TempDir())
	tok := data.DigitTokenizer()
	b := tok.Batch(data.Reversal(newRNG(6), 8, 3, 3), 4)
	key := train.Key{Notebook: "nn_test", Name: "seq2seq", Seed: 6, Settings: map[string]any{"steps": 3}}
	run := func() (*nn.Seq2Seq, train.CacheInfo) {
		m := nn.NewSeq2Seq(newRNG(6), nn.Seq2SeqConfig{SrcVocab: tok.Size(), TgtVocab: tok.Size(), Embed: 3, Hidden: 4, Attention: "additive"})
		loss, info, err := train.Cached(key, func() (float64, error) {
			opt := optim.NewAdam(0.01)
			var l *dl.Tensor
			for range 3 {
				logits, _ := m.Run(b.Src, b.SrcLen, b.TgtIn)
				l = nn.CrossEntropyMasked(logits, b.TgtOut, b.TgtMask)
				dl.ZeroGrad(m.Params()...)
				l.Backward()
				opt.Step(m.Params())
			}
			return l.Item(), nil
		}, m)
		if err != nil || !(loss > 0) {
			t.Fatalf("Cached: loss %v, error %v", loss, err)
		}
		return m, info
	}
	first, info1 := run()
	second, info2 := run()
	if info1.Hit || !info2.Hit {
		t.Fatalf("hits %v then %v; want a miss, then a hit", info1.Hit, info2.Hit)
	}
	for i, p := range first.Params() {
		if !slices.Equal(p.Data(), second.Params()[i].Data()) {
			t.Fatalf("parameter %d differs after loading from the cache", i)
		}
	}
}

// TestSeq2SeqLearnsReversal trains the attention model on reversing digit
// strings of length 5 and wants at least 90% of new strings reversed
// exactly by greedy decoding.
func TestSeq2SeqLearnsReversal(t *testing.T) {
	tok := data.DigitTokenizer()
	rng := newRNG(11)
	m := nn.NewSeq2Seq(rng, nn.Seq2SeqConfig{SrcVocab: tok.Size(), TgtVocab: tok.Size(), Embed: 16, Hidden: 32, Attention: "additive"})
	opt := optim.NewAdam(0.01)
	params := m.Params()
	var loss float64
	for range 200 {
		b := tok.Batch(data.Reversal(rng, 32, 5, 5), 6)
		logits, _ := m.Run(b.Src, b.SrcLen, b.TgtIn)
		l := nn.CrossEntropyMasked(logits, b.TgtOut, b.TgtMask)
		dl.ZeroGrad(params...)
		l.Backward()
		opt.Step(params)
		loss = l.Item()
		l.Release()
	}
	test := data.Reversal(newRNG(12), 200, 5, 5)
	b := tok.Batch(test, 6)
	out, w := nn.GreedyDecode(m, b.Src, b.SrcLen, 8)
	right := 0
	for i, p := range test {
		if tok.Decode(out[i]) == p.Target {
			right++
		}
	}
	acc := float64(right) / float64(len(test))
	t.Logf("final loss %.4f, exact match %.3f", loss, acc)
	if acc < 0.9 {
		t.Errorf("exact match %.3f after training, want at least 0.9 (final loss %.4f)", acc, loss)
	}
	if len(w) != len(test) {
		t.Errorf("%d weight maps for %d sources", len(w), len(test))
	}
}
