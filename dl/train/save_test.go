package train_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/internal/atomicfile/atomicfiletest"
)

// cnn returns a small CNN for [n, 1, 6, 6] images and 3 classes, with
// every kind of state: weights, BatchNorm's running statistics, and
// layers without parameters.
func cnn(seed uint64) *nn.Sequential {
	rng := newRNG(seed)
	return nn.NewSequential(
		nn.NewConv2D(rng, 1, 4, 3, dl.ConvOptions{Padding: 1}), // [n 4 6 6]
		nn.NewBatchNorm(4),
		nn.ReLU{},
		nn.MaxPool2D{Size: 2}, // [n 4 3 3]
		nn.NewDropout(rng, 0.25),
		nn.Flatten{}, // [n 36]
		nn.NewLinear(rng, 36, 3),
	)
}

// images returns n random [1, 6, 6] images with labels of 3 classes.
func images(n int, seed uint64) data.Set {
	rng := newRNG(seed)
	y := make([]float64, n)
	for i := range y {
		y[i] = float64(rng.IntN(3))
	}
	return data.Set{X: dl.Randn(rng, n, 1, 6, 6), Y: dl.New(y)}
}

// fitFew trains model for a few steps.
func fitFew(t *testing.T, model nn.Module, set data.Set) {
	t.Helper()
	if _, err := train.Fit(model, set, train.Config{
		Loss: nn.CrossEntropy, Optimizer: optim.NewAdam(0.01), Epochs: 3, BatchSize: 8, Seed: 1,
	}); err != nil {
		t.Fatal(err)
	}
}

// snapshot copies the values of all of model's parameters and buffers.
func snapshot(model nn.Module) [][]float64 {
	var out [][]float64
	for _, t := range append(model.Params(), nn.Buffers(model)...) {
		out = append(out, slices.Clone(t.Data()))
	}
	return out
}

func equalSnapshots(a, b [][]float64) bool {
	return slices.EqualFunc(a, b, func(x, y []float64) bool { return slices.Equal(x, y) })
}

// A model saved and loaded into a model built from another seed predicts
// exactly as the original.
func TestSaveLoadPredictsTheSame(t *testing.T) {
	tests := []struct {
		name  string
		build func(seed uint64) *nn.Sequential
		set   data.Set
	}{
		{"MLP", func(seed uint64) *nn.Sequential { return nn.MLP(newRNG(seed), 2, 16, 3) }, func() data.Set { s, _ := blobs(); return s }()},
		{"CNN with BatchNorm", cnn, images(40, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			model := tt.build(1)
			fitFew(t, model, tt.set)
			if bs := nn.Buffers(model); len(bs) > 0 && (bs[0].Data()[0] == 0 || bs[1].Data()[0] == 1) {
				t.Fatalf("the running statistics did not move in training: %v %v", bs[0].Data(), bs[1].Data())
			}
			want := train.Predict(model, tt.set.X)

			var buf bytes.Buffer
			if err := train.Save(&buf, model); err != nil {
				t.Fatal(err)
			}
			fresh := tt.build(2)
			if before := train.Predict(fresh, tt.set.X); slices.Equal(before.Data(), want.Data()) {
				t.Fatal("the fresh model predicts as the trained one before loading")
			}
			if err := train.Load(bytes.NewReader(buf.Bytes()), fresh); err != nil {
				t.Fatal(err)
			}
			got := train.Predict(fresh, tt.set.X)
			if !slices.Equal(got.Data(), want.Data()) { // bit for bit, with ==
				t.Errorf("predictions after loading differ:\n%v\nwant\n%v", got, want)
			}
			if !equalSnapshots(snapshot(fresh), snapshot(model)) {
				t.Error("the loaded parameters and buffers differ from the saved ones")
			}
		})
	}
}

func TestStateNames(t *testing.T) {
	rng := newRNG(3)
	shared := nn.NewLinear(rng, 4, 4)
	model := nn.NewSequential(
		nn.NewConv2D(rng, 1, 2, 3, dl.ConvOptions{}),
		nn.NewBatchNorm(2),
		nn.Flatten{},
		nn.Residual{Inner: nn.NewSequential(nn.NewLinear(rng, 4, 4), nn.Tanh{})},
		shared, nn.ReLU{}, shared, // the same layer twice: saved once
	)
	want := []string{
		"0.W", "0.B", "1.Gamma", "1.Beta", "3.Inner.0.W", "3.Inner.0.B", "4.W", "4.B",
		"1.RunningMean", "1.RunningVar",
	}
	if got := train.StateNames(model); !slices.Equal(got, want) {
		t.Errorf("StateNames:\n%q\nwant\n%q", got, want)
	}
	block := nn.NewTransformerBlock(rng, 4, 2, false)
	names := train.StateNames(block)
	if len(names) != len(block.Params()) || names[0] != "Attn.Wq.W" || names[8] != "Norm1.Gamma" || names[len(names)-1] != "FC2.B" {
		t.Errorf("StateNames of a TransformerBlock: %q", names)
	}
	// A layer of one's own without nn.Named is named by position.
	if got := train.StateNames(nn.NewSequential(hidden{nn.NewLinear(rng, 2, 2)})); !slices.Equal(got, []string{"0.param0", "0.param1"}) {
		t.Errorf("StateNames of a layer that does not name its parts: %q", got)
	}
	// Shared tensors are written once: the header counts 8 + 2 tensors.
	var buf bytes.Buffer
	if err := train.Save(&buf, model); err != nil {
		t.Fatal(err)
	}
	if n := binary.LittleEndian.Uint32(buf.Bytes()[12:]); n != 10 {
		t.Errorf("the header counts %d tensors, want 10", n)
	}
	fresh := nn.NewSequential(model.Layers[:6]...)
	fresh.Layers = append(fresh.Layers, fresh.Layers[4])
	if err := train.Load(&buf, fresh); err != nil {
		t.Error(err)
	}
}

// hidden is a layer that does not implement nn.Named.
type hidden struct{ l *nn.Linear }

func (h hidden) Forward(x *dl.Tensor) *dl.Tensor { return h.l.Forward(x) }
func (h hidden) Params() []*dl.Tensor            { return h.l.Params() }

// Two models of one's own that differ only in the names of their Go
// fields, as before and after a field is renamed, and in the order of
// their Params. Their Parts give the same names, so a file saved from one
// loads into the other.
type netBefore struct{ Enc, Dec *nn.Sequential }
type netAfter struct{ Encoder, Decoder *nn.Sequential }

func (m *netBefore) Forward(x *dl.Tensor) *dl.Tensor { return m.Dec.Forward(m.Enc.Forward(x)) }
func (m *netBefore) Params() []*dl.Tensor            { return append(m.Enc.Params(), m.Dec.Params()...) }
func (m *netBefore) Parts() nn.Parts {
	return nn.Parts{Modules: []nn.NamedModule{{Name: "encoder", Module: m.Enc}, {Name: "decoder", Module: m.Dec}}}
}
func (m *netAfter) Forward(x *dl.Tensor) *dl.Tensor { return m.Decoder.Forward(m.Encoder.Forward(x)) }
func (m *netAfter) Params() []*dl.Tensor            { return append(m.Decoder.Params(), m.Encoder.Params()...) }
func (m *netAfter) Parts() nn.Parts {
	return nn.Parts{Modules: []nn.NamedModule{{Name: "decoder", Module: m.Decoder}, {Name: "encoder", Module: m.Encoder}}}
}

func TestNamesSurviveAFieldRename(t *testing.T) {
	layers := func(seed uint64) (*nn.Sequential, *nn.Sequential) {
		rng := newRNG(seed)
		return nn.NewSequential(nn.NewLinear(rng, 3, 4), nn.NewBatchNorm(4), nn.ReLU{}), nn.NewSequential(nn.NewLinear(rng, 4, 3))
	}
	enc, dec := layers(1)
	before := &netBefore{enc, dec}
	before.Forward(dl.Randn(newRNG(2), 8, 3)) // moves the running statistics
	var buf bytes.Buffer
	if err := train.Save(&buf, before); err != nil {
		t.Fatal(err)
	}
	enc, dec = layers(3)
	after := &netAfter{enc, dec}
	if err := train.Load(&buf, after); err != nil {
		t.Fatal(err)
	}
	x := dl.Randn(newRNG(4), 5, 3)
	if !slices.Equal(train.Predict(after, x).Data(), train.Predict(before, x).Data()) {
		t.Error("the renamed model predicts otherwise after loading")
	}
	want := []string{"encoder.0.W", "encoder.0.B", "encoder.1.Gamma", "encoder.1.Beta", "decoder.0.W", "decoder.0.B",
		"encoder.1.RunningMean", "encoder.1.RunningVar"}
	if got := train.StateNames(before); !slices.Equal(got, want) {
		t.Errorf("StateNames: %q; want %q", got, want)
	}
}

// mlpFile returns what Save writes for a small MLP, and that MLP.
func mlpFile(t testing.TB) ([]byte, *nn.Sequential) {
	t.Helper()
	model := nn.MLP(newRNG(4), 2, 3, 2)
	var buf bytes.Buffer
	if err := train.Save(&buf, model); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), model
}

// withChecksum replaces the last 4 bytes of file with the right CRC-32,
// so that a test reaches the check after it.
func withChecksum(file []byte) []byte {
	n := len(file) - 4
	return binary.LittleEndian.AppendUint32(slices.Clone(file[:n]), crc32.ChecksumIEEE(file[:n]))
}

// edit returns a copy of file with b written at offset off, and the
// checksum fixed.
func edit(file []byte, off int, b ...byte) []byte {
	f := slices.Clone(file)
	copy(f[off:], b)
	return withChecksum(f)
}

func TestLoadErrors(t *testing.T) {
	file, _ := mlpFile(t)
	le32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	// The first tensor, "0.W" [2 3], starts at 16: its name length (2
	// bytes), name (3), rank (1) and shape (8) come before its values.
	const shape0, values0 = 16 + 2 + 3 + 1, 16 + 2 + 3 + 1 + 8
	save := func(m nn.Module) []byte {
		var buf bytes.Buffer
		if err := train.Save(&buf, m); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	rng := newRNG(5)
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "train: Load: the file ends early, in the header; it is truncated"},
		{"wrong magic", append([]byte("PK\x03\x04zip!"), file[8:]...), `train: Load: not a dlnb parameter file: it starts with "PK\x03\x04zip!", want "DLNBPARM"`},
		{"newer version", edit(file, 8, le32(3)...), "train: Load: the file has format version 3, newer than this package reads (2); update dlnb"},
		{"version 0", edit(file, 8, le32(0)...), "train: Load: format version 0 does not exist"},
		{"wrong count", save(nn.MLP(rng, 2, 3, 3, 2)), "train: Load: the file holds 6 tensors but the model has 4 (4 parameters, 0 buffers); it was saved from another model"},
		{"huge count", edit(file, 12, le32(1<<31)...), "the file holds 2147483648 tensors but the model has 4"},
		{"wrong shape", save(nn.MLP(rng, 2, 5, 2)), `train: Load: parameter "0.W": file has [2 5], model has [2 3]`},
		{"huge shape", edit(file, shape0, le32(1<<32-1)...), `train: Load: parameter "0.W": file has [4294967295 3], model has [2 3]`},
		{"wrong rank", edit(file, shape0-1, 3), `train: Load: parameter "0.W": file has [2 3 `},
		{"huge rank", edit(file, shape0-1, 200), `tensor 0 "0.W" has 200 dimensions in the file, more than 32; the file is corrupt`},
		{"wrong name", save(nn.NewSequential(nn.NewLinear(rng, 2, 3), nn.NewLinear(rng, 3, 2), nn.ReLU{})),
			`train: Load: the file holds "1.W" [3 2], which the model does not have; it was saved from another model (train.StateNames gives the model's names)`},
		{"a name twice", edit(file, 16+2+3+1+8+8*6+2, '0', '.', 'W'), `train: Load: the file holds "0.W" twice; the file is corrupt`},
		{"huge name", edit(file, 16, 0xff, 0xff), `tensor 0 has a name of 65535 bytes in the file, more than 4096`},
		{"bad checksum", slices.Concat(file[:values0], []byte{file[values0] ^ 1}, file[values0+1:]), "train: Load: bad checksum: the file says "},
		{"checksum damaged", slices.Concat(file[:len(file)-1], []byte{file[len(file)-1] ^ 0x80}), "; the file is corrupt"},
		{"truncated in the name", file[:16+3], `train: Load: the file ends early, in the name of tensor 0; it is truncated`},
		{"truncated in the values", file[:values0+5], `train: Load: the file ends early, in the values of tensor 0 "0.W"; it is truncated`},
		{"truncated before the checksum", file[:len(file)-2], "train: Load: the file ends early, before the checksum; it is truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			model := nn.MLP(newRNG(6), 2, 3, 2)
			before := snapshot(model)
			err := train.Load(bytes.NewReader(tt.file), model)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load: error %v\nwant one containing %s", err, tt.want)
			}
			if !equalSnapshots(snapshot(model), before) {
				t.Error("a failed Load changed the model")
			}
		})
	}
	// Every truncation is an error that says so, and changes nothing.
	model := nn.MLP(newRNG(6), 2, 3, 2)
	before := snapshot(model)
	for n := range len(file) {
		if err := train.Load(bytes.NewReader(file[:n]), model); err == nil || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("Load of the first %d of %d bytes: error %v", n, len(file), err)
		}
	}
	if !equalSnapshots(snapshot(model), before) {
		t.Error("a failed Load changed the model")
	}
	// A failing reader's error is passed on.
	errDisk := errors.New("disk on fire")
	if err := train.Load(&failing{r: bytes.NewReader(file), n: 40, err: errDisk}, model); !errors.Is(err, errDisk) ||
		!strings.Contains(err.Error(), `train: Load: reading in the values of tensor 0 "0.W"`) {
		t.Errorf("Load from a failing reader: %v", err)
	}
}

// failing reads from r until n bytes have been read, then fails with err.
type failing struct {
	r   *bytes.Reader
	n   int
	err error
}

func (f *failing) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	p = p[:min(len(p), f.n)]
	n, err := f.r.Read(p)
	f.n -= n
	return n, err
}

// errWriter fails after n bytes.
type errWriter struct{ n int }

func (w *errWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return w.n, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestSaveErrors(t *testing.T) {
	file, model := mlpFile(t)
	for _, n := range []int{0, 20, len(file) - 4, len(file) - 1} {
		if err := train.Save(&errWriter{n: n}, model); err == nil || err.Error() != "train: Save: disk full" {
			t.Errorf("Save to a writer that fails after %d bytes: error %v", n, err)
		}
	}
	if err := train.Save(&errWriter{n: len(file)}, model); err != nil {
		t.Errorf("Save to a writer with room: %v", err)
	}
}

func TestSaveFileLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cnn.dlnb")
	set := images(24, 7)
	model := cnn(1)
	fitFew(t, model, set)
	if err := os.WriteFile(path, []byte("an old file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := train.SaveFile(path, model); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "cnn.dlnb" {
		t.Errorf("the directory holds %v; want only cnn.dlnb (no temporary file)", entries)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm()&0o044 == 0 {
		t.Errorf("the file: %v, %v; want it readable by others, as os.WriteFile's files", info, err)
	}
	fresh := cnn(9)
	if err := train.LoadFile(path, fresh); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(train.Predict(fresh, set.X).Data(), train.Predict(model, set.X).Data()) {
		t.Error("the model loaded from the file predicts otherwise")
	}

	// Errors: no directory, no file, data after the checksum.
	missing := filepath.Join(dir, "no", "such.dlnb")
	if err := train.SaveFile(missing, model); err == nil || !strings.HasPrefix(err.Error(), "train: SaveFile "+missing+": ") {
		t.Errorf("SaveFile into a missing directory: %v", err)
	}
	if err := train.LoadFile(filepath.Join(dir, "none.dlnb"), fresh); err == nil || !strings.HasPrefix(err.Error(), "train: LoadFile: open ") {
		t.Errorf("LoadFile of a missing file: %v", err)
	}
	b, _ := os.ReadFile(path)
	longer := filepath.Join(dir, "longer.dlnb")
	os.WriteFile(longer, append(b, b...), 0o644)
	if err := train.LoadFile(longer, fresh); err == nil || err.Error() != "train: LoadFile "+longer+": the file goes on after the checksum; it is not a single parameter file" {
		t.Errorf("LoadFile of two files in one: %v", err)
	}
	os.WriteFile(longer, b[:100], 0o644)
	if err := train.LoadFile(longer, fresh); err == nil || !strings.HasPrefix(err.Error(), "train: LoadFile "+longer+": the file ends early") {
		t.Errorf("LoadFile of a truncated file: %v", err)
	}
}

// LoadFile checks the whole file, to its very end, before it changes the
// model: a file with bytes after the checksum, or two files joined, leave
// the model bit for bit as it was. (Issue 11, item 2.)
func TestLoadFileLeavesTheModelOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cnn.dlnb")
	model := cnn(1)
	fitFew(t, model, images(24, 7))
	if err := train.SaveFile(path, model); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var other bytes.Buffer
	if err := train.Save(&other, cnn(2)); err != nil {
		t.Fatal(err)
	}
	goesOn := "the file goes on after the checksum; it is not a single parameter file"
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"one byte more", append(slices.Clone(file), 0), goesOn},
		{"a newline more", append(slices.Clone(file), '\n'), goesOn},
		{"the same file twice", slices.Concat(file, file), goesOn},
		{"another model's file after it", slices.Concat(file, other.Bytes()), goesOn},
		{"truncated", file[:len(file)-1], "the file ends early, before the checksum; it is truncated"},
		{"a bit flipped", slices.Concat(file[:100], []byte{file[100] ^ 4}, file[101:]), "bad checksum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := filepath.Join(dir, "bad.dlnb")
			if err := os.WriteFile(bad, tt.file, 0o644); err != nil {
				t.Fatal(err)
			}
			fresh := cnn(9) // another seed: every value differs from the file's
			before := snapshot(fresh)
			err := train.LoadFile(bad, fresh)
			if want := "train: LoadFile " + bad + ": " + tt.want; err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("LoadFile: error %v\nwant one starting with %s", err, want)
			}
			if !equalSnapshots(snapshot(fresh), before) {
				t.Error("a failed LoadFile changed the model")
			}
		})
	}
}

// SaveFile keeps the file's mode and symbolic links, removes the
// temporary files of killed saves, and leaves the old file after a
// failure (the promises of atomicfile). (Issue 11, item 13.)
func TestSaveFileKeepsTheFile(t *testing.T) {
	// Save refuses a tensor of 33 dimensions, after SaveFile has begun.
	shape := slices.Repeat([]int{1}, 33)
	unsaveable := nn.NewSequential(&nn.Linear{W: dl.Param(dl.Zeros(shape...)), B: dl.Param(dl.Zeros(1))})
	model := nn.MLP(newRNG(3), 2, 4, 2)
	atomicfiletest.Check(t,
		func(path string) error { return train.SaveFile(path, model) },
		func(path string) error { return train.SaveFile(path, unsaveable) })
}

// Load never panics, and either fills the model with the file's values,
// by name (version 2) or by position (version 1), or leaves it as it was.
func FuzzLoad(f *testing.F) {
	file, model := mlpFile(f)
	f.Add(file)
	for _, n := range []int{0, 4, 8, 12, 16, 20, 40, len(file) - 4, len(file) - 1} {
		f.Add(file[:n])
	}
	f.Add(edit(file, 16, 0xff, 0xff))
	f.Add(version1(model, []string{"0.Linear.W", "0.Linear.B", "2.Linear.W", "2.Linear.B"}))
	f.Fuzz(func(t *testing.T, b []byte) {
		model := nn.MLP(newRNG(6), 2, 3, 2)
		before := snapshot(model)
		if err := train.Load(bytes.NewReader(b), model); err != nil {
			if !strings.HasPrefix(err.Error(), "train: Load: ") {
				t.Errorf("error %q does not start with the package and function", err)
			}
			if !equalSnapshots(snapshot(model), before) {
				t.Error("a failed Load changed the model")
			}
			return
		}
		version, names, values, _ := parseTensors(b)
		for i, e := range nn.NamedParams(model) {
			k := i // version 1: by position
			if version > 1 {
				k = slices.Index(names, e.Name)
			}
			if k < 0 || !slices.Equal(values[k], e.Tensor.Data()) {
				t.Errorf("after a Load without error, %q holds %v; the file has other values", e.Name, e.Tensor.Data())
			}
		}
	})
}

func TestSaveRefusesWhatLoadCannotRead(t *testing.T) {
	// 33 dimensions.
	shape := make([]int, 33)
	for i := range shape {
		shape[i] = 1
	}
	model := nn.NewSequential(&nn.Linear{W: dl.Param(dl.Zeros(shape...)), B: dl.Param(dl.Zeros(1))})
	var buf bytes.Buffer
	err := train.Save(&buf, model)
	if err == nil || !strings.HasPrefix(err.Error(), `train: Save: parameter "0.W" [1 1 1`) || buf.Len() != 0 {
		t.Errorf("Save of a 33-dimensional tensor: error %v, %d bytes written", err, buf.Len())
	}
}

// Saving and loading an MLP for MNIST, 670k parameters (5.4 MB).
func BenchmarkSaveLoad(b *testing.B) {
	model := nn.MLP(newRNG(1), 784, 512, 512, 10)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := train.Save(&buf, model); err != nil {
			b.Fatal(err)
		}
		if err := train.Load(bytes.NewReader(buf.Bytes()), model); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
