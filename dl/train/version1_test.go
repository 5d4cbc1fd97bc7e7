package train_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/train"
)

// The files testdata/v1-*.dlnb were written by format version 1 (dlnb at
// commit 7958462), from models of the architectures that v1MLP and v1Block
// build, and testdata/v1-predictions.txt holds those models' predictions,
// as float64 bits; see testdata/README.md.

// v1MLP builds the architecture of testdata/v1-mlp.dlnb.
func v1MLP(seed uint64) *nn.Sequential {
	rng := newRNG(seed)
	return nn.NewSequential(nn.NewLinear(rng, 3, 4), nn.NewBatchNorm(4), nn.ReLU{}, nn.NewDropout(rng, 0.1), nn.NewLinear(rng, 4, 2))
}

// v1Block builds the architecture of testdata/v1-transformer.dlnb.
func v1Block(seed uint64) *nn.TransformerBlock {
	return nn.NewTransformerBlock(newRNG(seed), 4, 2, true)
}

// readTensors parses a parameter file of either version the simple way,
// for tests: the names and values of its tensors, in the file's order.
func readTensors(t *testing.T, b []byte) (version uint32, names []string, values [][]float64) {
	t.Helper()
	version, names, values, rest := parseTensors(b)
	if len(rest) != 4 {
		t.Fatalf("%d bytes after the tensors; want the 4 of the checksum", len(rest))
	}
	return version, names, values
}

// parseTensors parses a well-formed parameter file and returns what
// follows its tensors.
func parseTensors(b []byte) (version uint32, names []string, values [][]float64, rest []byte) {
	le := binary.LittleEndian
	version, n := le.Uint32(b[8:]), int(le.Uint32(b[12:]))
	b = b[16:]
	for range n {
		l := int(le.Uint16(b))
		names = append(names, string(b[2:2+l]))
		b = b[2+l:]
		size := 1
		for d := range int(b[0]) {
			size *= int(le.Uint32(b[1+4*d:]))
		}
		b = b[1+4*int(b[0]):]
		v := make([]float64, size)
		for i := range v {
			v[i] = math.Float64frombits(le.Uint64(b[8*i:]))
		}
		values = append(values, v)
		b = b[8*size:]
	}
	return version, names, values, b
}

// predictions reads line i of testdata/v1-predictions.txt.
func predictions(t *testing.T, i int) []float64 {
	t.Helper()
	b, err := os.ReadFile("testdata/v1-predictions.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []float64
	for _, f := range strings.Fields(strings.Split(string(b), "\n")[i]) {
		bits, err := strconv.ParseUint(f, 16, 64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, math.Float64frombits(bits))
	}
	return out
}

// A file of format version 1 loads into a model of its architecture by
// position; the model then predicts as the model that wrote the file did,
// to 1e-12 relative (the numerics have changed in the last bits since:
// issue 12's vectorized exp in GELU and softmax and LayerNorm's sums in
// four lanes; a wrong position would change the predictions entirely),
// and saving it writes version 2 with the new names.
func TestLoadVersion1(t *testing.T) {
	x := rand.New(rand.NewPCG(2, 2)) // the inputs of v1-predictions.txt
	inputs := []*dl.Tensor{dl.Randn(x, 5, 3), dl.Randn(x, 1, 3, 4)}
	for i, tt := range []struct {
		file    string
		model   nn.Module
		v1Names []string // what version 1 called the first and the last tensor
		v2Names []string
	}{
		{"testdata/v1-mlp.dlnb", v1MLP(8), []string{"0.Linear.W", "1.BatchNorm.RunningVar"}, []string{"0.W", "1.RunningVar"}},
		{"testdata/v1-transformer.dlnb", v1Block(8), []string{"Attn.Wq.W", "FC2.B"}, []string{"Attn.Wq.W", "FC2.B"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			file, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			version, names, values := readTensors(t, file)
			if version != 1 || names[0] != tt.v1Names[0] || names[len(names)-1] != tt.v1Names[1] {
				t.Fatalf("the test file has version %d and names %q; want version 1's", version, names)
			}
			if err := train.LoadFile(tt.file, tt.model); err != nil {
				t.Fatal(err)
			}
			// By position: Params, then Buffers, as version 1 wrote them.
			if got := snapshot(tt.model); !equalSnapshots(got, values) {
				t.Errorf("the model holds\n%v\nwant the file's\n%v", got, values)
			}
			got := train.Predict(tt.model, inputs[i]).Data()
			if want := predictions(t, i); !closeTo(got, want, 1e-12) {
				t.Errorf("predictions after loading\n%v\nwant those of the model that wrote the file\n%v", got, want)
			}

			var again bytes.Buffer
			if err := train.Save(&again, tt.model); err != nil {
				t.Fatal(err)
			}
			version, names, values2 := readTensors(t, again.Bytes())
			if version != 2 || names[0] != tt.v2Names[0] || names[len(names)-1] != tt.v2Names[1] || !slices.EqualFunc(values, values2, slices.Equal) {
				t.Errorf("saved again: version %d, names %q; want version 2 with the same values", version, names)
			}
		})
	}
}

// A file of version 1 that does not fit the model by position gives an
// error that says how to re-save it, and leaves the model as it was.
func TestLoadVersion1Mismatch(t *testing.T) {
	const hint = "The file has format version 1, which loads by position only; load it into the model it was saved from and save that again with train.SaveFile to write version 2, whose tensors load by name"
	rng := newRNG(9)
	tests := []struct {
		name  string
		model nn.Module
		want  string
	}{
		{"another shape", nn.NewSequential(nn.NewLinear(rng, 3, 5), nn.NewBatchNorm(5), nn.NewLinear(rng, 5, 2)),
			`train: LoadFile testdata/v1-mlp.dlnb: tensor 0 "0.Linear.W" is [3 4] in the file but the model's parameter 0, "0.W", is [3 5]; it was saved from another model. ` + hint},
		{"no BatchNorm", nn.MLP(rng, 3, 4, 2),
			"train: LoadFile testdata/v1-mlp.dlnb: the file holds 8 tensors but the model has 4 (4 parameters, 0 buffers); it was saved from another model. " + hint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(tt.model)
			err := train.LoadFile("testdata/v1-mlp.dlnb", tt.model)
			if err == nil || err.Error() != tt.want {
				t.Errorf("LoadFile: %v\nwant %s", err, tt.want)
			}
			if !equalSnapshots(snapshot(tt.model), before) {
				t.Error("a failed Load changed the model")
			}
		})
	}
}

// version1 writes model as format version 1 did, byte by byte, with the
// given names: Params, then Buffers, each tensor once.
func version1(model nn.Module, names []string) []byte {
	le := binary.LittleEndian
	var ts []*dl.Tensor
	for _, p := range append(model.Params(), nn.Buffers(model)...) {
		if !slices.Contains(ts, p) {
			ts = append(ts, p)
		}
	}
	b := le.AppendUint32(le.AppendUint32([]byte("DLNBPARM"), 1), uint32(len(ts)))
	for i, t := range ts {
		b = append(le.AppendUint16(b, uint16(len(names[i]))), names[i]...)
		b = append(b, byte(t.Dim()))
		for _, d := range t.Shape() {
			b = le.AppendUint32(b, uint32(d))
		}
		for _, v := range t.Data() {
			b = le.AppendUint64(b, math.Float64bits(v))
		}
	}
	return le.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// A version 1 file built byte by byte loads by position whatever its
// names; a version 2 file loads by name whatever its order.
func TestLoadByPositionAndByName(t *testing.T) {
	model := nn.MLP(newRNG(10), 2, 3, 2)
	old := version1(model, []string{"0.Linear.W", "0.Linear.B", "2.Linear.W", "2.Linear.B"})
	fresh := nn.MLP(newRNG(11), 2, 3, 2)
	if err := train.Load(bytes.NewReader(old), fresh); err != nil {
		t.Fatal(err)
	}
	if !equalSnapshots(snapshot(fresh), snapshot(model)) {
		t.Error("the version 1 file did not load by position")
	}

	// The tensors of a version 2 file in reverse order.
	var buf bytes.Buffer
	if err := train.Save(&buf, model); err != nil {
		t.Fatal(err)
	}
	file := buf.Bytes()
	var parts [][]byte
	at := 16
	for _, p := range model.Params() {
		n := 2 + 3 + 1 + 4*p.Dim() + 8*p.Len() // names such as "0.W"
		parts = append(parts, file[at:at+n])
		at += n
	}
	slices.Reverse(parts)
	reversed := withChecksum(slices.Concat(file[:16], slices.Concat(parts...), file[at:]))
	fresh = nn.MLP(newRNG(12), 2, 3, 2)
	if err := train.Load(bytes.NewReader(reversed), fresh); err != nil {
		t.Fatal(err)
	}
	if !equalSnapshots(snapshot(fresh), snapshot(model)) {
		t.Error("the reordered file did not load by name")
	}
	if _, names, _ := readTensors(t, reversed); names[0] != "2.B" {
		t.Errorf("the reordered file starts with %q", names[0])
	}
}

// Saving and loading is bit for bit for every layer of nn, named or not.
func TestRoundTripEveryLayer(t *testing.T) {
	build := func(seed uint64) nn.Module {
		rng := newRNG(seed)
		return nn.NewSequential(
			nn.NewEmbedding(rng, 7, 8),
			nn.NewTransformerBlock(rng, 8, 2, true),
			nn.Residual{Inner: nn.NewMultiHeadAttention(rng, 8, 2, false)},
			nn.NewLayerNorm(8),
			nn.Flatten{},
			nn.NewLinear(rng, 24, 12).WithoutBias(),
			hidden{nn.NewLinear(rng, 12, 12)},
			nn.NewBatchNorm(12),
			nn.NewDropout(rng, 0.2),
			nn.NewLinear(rng, 12, 7),
		)
	}
	model := build(1)
	x := dl.New([]float64{1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5}, 4, 3)
	model.Forward(x) // moves BatchNorm's running statistics
	var buf bytes.Buffer
	if err := train.Save(&buf, model); err != nil {
		t.Fatal(err)
	}
	fresh := build(2)
	if err := train.Load(&buf, fresh); err != nil {
		t.Fatal(err)
	}
	if !equalSnapshots(snapshot(fresh), snapshot(model)) {
		t.Error("the loaded tensors differ from the saved ones")
	}
	if got, want := train.Predict(fresh, x).Data(), train.Predict(model, x).Data(); !slices.Equal(got, want) {
		t.Errorf("predictions after loading differ:\n%v\nwant\n%v", got, want)
	}
	names := train.StateNames(model)
	for _, want := range []string{"0.Table", "1.Attn.Wq.W", "1.Norm2.Beta", "2.Inner.Wo.B", "3.Gamma", "5.W", "6.param1", "7.RunningVar", "9.B"} {
		if !slices.Contains(names, want) {
			t.Errorf("StateNames lack %q: %q", want, names)
		}
	}
	if slices.Contains(names, "5.B") {
		t.Error("a Linear without bias saved a bias")
	}
}

// closeTo reports whether got and want have the same length and each
// element of got is within tol·max(1, |want|) of want's.
func closeTo(got, want []float64, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i, w := range want {
		if !(math.Abs(got[i]-w) <= tol*max(1, math.Abs(w))) {
			return false
		}
	}
	return true
}
