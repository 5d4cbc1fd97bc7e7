package train

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/internal/atomicfile"
)

// The parameter file format; see "Saving and loading" in the package
// documentation for the layout, byte by byte.
const (
	// Magic is the first 8 bytes of a file that Save writes.
	Magic = "DLNBPARM"
	// FormatVersion is the version of the format that Save writes and the
	// newest that Load reads.
	FormatVersion = 2

	maxNameLen = 4096 // bytes in a tensor's name
	maxRank    = 32   // dimensions of a tensor
)

// Save writes model's parameters and buffers (such as the running
// statistics of nn.BatchNorm) to w in the binary format described in the
// package documentation: a header, then each tensor with its name, shape
// and values, then a CRC-32 checksum. The values are written exactly
// (float64 bits), so a model loaded from the file predicts bit for bit as
// model does.
//
// The names are those of nn.NamedParams and nn.NamedBuffers, such as "0.W"
// for the weights of layer 0 of a Sequential (see [StateNames]): they come
// from the model's structure, not from Go field names. A tensor is saved
// once even if several layers share it. What an optimizer keeps (momentum,
// Adam's moments) is not saved: it belongs to training, not to the model.
//
// Save returns an error if w fails, naming the cause. It panics if model
// is nil ("train: Save: model is nil"), or where nn.NamedParams panics (a
// module of one's own whose Parts do not list its Params).
func Save(w io.Writer, model nn.Module) error {
	if err := save(w, model, "Save"); err != nil {
		return fmt.Errorf("train: Save: %w", err)
	}
	return nil
}

// save does the work of Save, with fn naming the caller in panics; its
// errors do not say who failed, which the caller adds.
func save(w io.Writer, model nn.Module, fn string) error {
	st := state(model, fn)
	for _, e := range st { // check first, so that nothing is written in vain
		if len(e.name) > maxNameLen || e.t.Dim() > maxRank || int64(slices.Max(append([]int{0}, e.t.Shape()...))) > math.MaxUint32 {
			return fmt.Errorf("%s %v: the name is longer than %d bytes, or the shape has more than %d dimensions or one beyond 32 bits",
				e, e.t.Shape(), maxNameLen, maxRank)
		}
	}
	h := crc32.NewIEEE()
	bw := bufio.NewWriter(io.MultiWriter(w, h))
	var b []byte
	b = append(b, Magic...)
	b = binary.LittleEndian.AppendUint32(b, FormatVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(st)))
	bw.Write(b)
	for _, e := range st {
		b = binary.LittleEndian.AppendUint16(b[:0], uint16(len(e.name)))
		b = append(b, e.name...)
		b = append(b, byte(e.t.Dim()))
		for _, d := range e.t.Shape() {
			b = binary.LittleEndian.AppendUint32(b, uint32(d))
		}
		bw.Write(b)
		for _, v := range e.t.Data() {
			b = binary.LittleEndian.AppendUint64(b[:0], math.Float64bits(v))
			bw.Write(b)
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(binary.LittleEndian.AppendUint32(nil, h.Sum32()))
	return err
}

// SaveFile writes model's parameters and buffers to the file path with
// [Save], atomically: it writes a temporary file in the same folder and
// renames it to path only once it is complete and synced, so path never
// holds half a file. After an error path holds what it held before, or
// nothing if it did not exist.
//
// SaveFile keeps what makes path the user's file: an existing file keeps
// its permissions (a 0600 file stays private; a new one gets 0644 less the
// umask), and if path is a symbolic link, the file it points to gets the
// parameters and the link stays. It syncs the folder after the rename, so
// the new file survives a power cut, and it removes the temporary files
// that a killed SaveFile of the same path left (those whose process is
// gone, after 10 minutes, and any after a day; package
// internal/atomicfile has the details).
//
// Its errors start with "train: SaveFile PATH: ". It panics as Save does.
func SaveFile(path string, model nn.Module) error {
	checkModel("SaveFile", model)
	if err := atomicfile.Write(path, func(w io.Writer) error { return save(w, model, "SaveFile") }); err != nil {
		return fmt.Errorf("train: SaveFile %s: %w", path, err)
	}
	return nil
}

// Load reads parameters and buffers that [Save] wrote from r into model,
// which must have the same architecture: the same tensors, under the same
// names (see [StateNames]), with the same shapes; their order in the file
// does not matter. It reads exactly the bytes that Save wrote, nothing
// after them.
//
// Load reads and checks the whole file before it changes anything: when it
// returns an error, model is as it was. It returns an error, never panics,
// for a file that is not a parameter file (wrong magic bytes), that has a
// newer format version, that ends early (truncated), whose checksum does
// not match (corrupt), or that holds another number of tensors, or
// tensors with other names or shapes than model's; the message names the
// tensor and both shapes, for example
//
//	train: Load: parameter "1.W": file has [128 10], model has [64 10]
//
// Files of format version 1, whose names came from Go field names, load
// by position: the tensors in the order of model.Params() and then of
// nn.Buffers(model), as version 1 wrote them, each with the shape of the
// file's. If they do not fit, the error says so and how to re-save the
// file in version 2.
//
// The memory it allocates is bounded by model's size, whatever sizes the
// file declares. Load panics if model is nil, or where nn.NamedParams
// panics (a module of one's own whose Parts do not list its Params).
func Load(r io.Reader, model nn.Module) error {
	return load(r, model, "Load", nil)
}

// LoadFile reads the file path, which [SaveFile] or [Save] wrote, into
// model with [Load]. Besides Load's errors, it returns one if the file
// cannot be read, or if it goes on after the checksum (two files joined,
// or bytes appended). Like Load, it checks the whole file, up to its very
// end, before it changes anything: when it returns an error, model is as
// it was. It panics as Load does.
func LoadFile(path string, model nn.Module) error {
	checkModel("LoadFile", model)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("train: LoadFile: %w", err)
	}
	defer f.Close()
	op := "LoadFile " + path
	br := bufio.NewReader(f)
	atEnd := func() error {
		if _, err := br.ReadByte(); err != io.EOF {
			if err != nil {
				return fmt.Errorf("train: %s: %w", op, err)
			}
			return fmt.Errorf("train: %s: the file goes on after the checksum; it is not a single parameter file", op)
		}
		return nil
	}
	return load(br, model, op, atEnd)
}

// load does the work of Load, with op naming the caller in errors. Once
// the checksum is checked, and before the first value is copied into
// model, it calls atEnd, if it is not nil, for the caller's last checks.
func load(r io.Reader, model nn.Module, op string, atEnd func() error) error {
	fn, _, _ := strings.Cut(op, " ") // "LoadFile" of "LoadFile PATH"
	want := state(model, fn)
	h := crc32.NewIEEE()
	tr := io.TeeReader(r, h)
	var buf [8]byte
	// read reads n ≤ 8 bytes; where says what they belong to, for errors.
	read := func(n int, where func() string) ([]byte, error) {
		if _, err := io.ReadFull(tr, buf[:n]); err != nil {
			return nil, readErr(op, err, where())
		}
		return buf[:n], nil
	}
	inHeader := func() string { return "in the header" }

	b, err := read(len(Magic), inHeader)
	if err != nil {
		return err
	}
	if string(b) != Magic {
		return fmt.Errorf("train: %s: not a dlnb parameter file: it starts with %q, want %q", op, b, Magic)
	}
	if b, err = read(4, inHeader); err != nil {
		return err
	}
	version := binary.LittleEndian.Uint32(b)
	switch {
	case version == 0:
		return fmt.Errorf("train: %s: format version 0 does not exist; the file is corrupt", op)
	case version > FormatVersion:
		return fmt.Errorf("train: %s: the file has format version %d, newer than this package reads (%d); update dlnb", op, version, FormatVersion)
	case version == 1:
		want = byPosition(model, want)
	}
	if b, err = read(4, inHeader); err != nil {
		return err
	}
	if n := binary.LittleEndian.Uint32(b); uint64(n) != uint64(len(want)) {
		params := countParams(want)
		err := fmt.Errorf("train: %s: the file holds %d tensors but the model has %d (%d parameters, %d buffers); it was saved from another model",
			op, n, len(want), params, len(want)-params)
		return resaveHint(err, version)
	}
	index := map[string]int{} // the model's tensors by name
	for i, e := range want {
		index[e.name] = i
	}

	values := make([][]float64, len(want))
	for k := range want { // the k-th tensor of the file
		name := ""
		at := func(part string) func() string {
			return func() string { return fmt.Sprintf("in the %s of %s", part, fileTensor(k, name)) }
		}
		if b, err = read(2, at("name")); err != nil {
			return err
		}
		nameLen := int(binary.LittleEndian.Uint16(b))
		if nameLen > maxNameLen {
			return fmt.Errorf("train: %s: %s has a name of %d bytes in the file, more than %d; the file is corrupt", op, fileTensor(k, ""), nameLen, maxNameLen)
		}
		nameBytes := make([]byte, nameLen)
		if _, err := io.ReadFull(tr, nameBytes); err != nil {
			return readErr(op, err, at("name")())
		}
		name = string(nameBytes)
		if b, err = read(1, at("shape")); err != nil {
			return err
		}
		rank := int(b[0])
		if rank > maxRank {
			return fmt.Errorf("train: %s: %s has %d dimensions in the file, more than %d; the file is corrupt", op, fileTensor(k, name), rank, maxRank)
		}
		shape := make([]int, rank)
		for d := range shape {
			if b, err = read(4, at("shape")); err != nil {
				return err
			}
			shape[d] = int(binary.LittleEndian.Uint32(b))
		}
		i, ok := k, true // version 1: by position
		if version > 1 {
			i, ok = index[name]
		}
		switch {
		case !ok:
			return fmt.Errorf("train: %s: the file holds %q %v, which the model does not have; it was saved from another model (train.StateNames gives the model's names)",
				op, name, shape)
		case values[i] != nil:
			return fmt.Errorf("train: %s: the file holds %q twice; the file is corrupt", op, name)
		case version == 1 && !slices.Equal(shape, want[i].t.Shape()):
			err := fmt.Errorf("train: %s: %s is %v in the file but the model's %s %d, %q, is %v; it was saved from another model",
				op, fileTensor(k, name), shape, want[i].kind(), k, want[i].name, want[i].t.Shape())
			return resaveHint(err, version)
		case !slices.Equal(shape, want[i].t.Shape()):
			return fmt.Errorf("train: %s: %s: file has %v, model has %v", op, want[i], shape, want[i].t.Shape())
		}
		// The shape matches the model's, so the allocation is the model's size.
		values[i] = make([]float64, want[i].t.Len())
		if err := readFloats(tr, values[i]); err != nil {
			return readErr(op, err, at("values")())
		}
	}
	sum := h.Sum32()
	if _, err := io.ReadFull(r, buf[:4]); err != nil {
		return readErr(op, err, "before the checksum")
	}
	if got := binary.LittleEndian.Uint32(buf[:4]); got != sum {
		return fmt.Errorf("train: %s: bad checksum: the file says %08x but its contents give %08x; the file is corrupt", op, got, sum)
	}
	if atEnd != nil {
		if err := atEnd(); err != nil {
			return err
		}
	}
	// Every check is done: only now does the model change.
	for i, e := range want {
		copy(e.t.Data(), values[i])
	}
	return nil
}

// fileTensor names the k-th tensor of a file for messages, with its name
// once it is known: `tensor 2 "1.W"`.
func fileTensor(k int, name string) string {
	if name == "" {
		return fmt.Sprintf("tensor %d", k)
	}
	return fmt.Sprintf("tensor %d %q", k, name)
}

// byPosition returns model's tensors in the order in which format version
// 1 wrote them: the parameters in the order of model.Params(), each once,
// then the buffers; named gives their names.
func byPosition(model nn.Module, named []namedTensor) []namedTensor {
	byTensor := map[*dl.Tensor]namedTensor{}
	var out []namedTensor
	for _, e := range named {
		if e.buffer {
			out = append(out, e) // the buffers, in the order of nn.Buffers
		} else {
			byTensor[e.t] = e
		}
	}
	var params []namedTensor
	for _, p := range model.Params() {
		if e, ok := byTensor[p]; ok {
			params = append(params, e)
			delete(byTensor, p) // each tensor once
		}
	}
	return append(params, out...)
}

// resaveHint adds to err, about a file of format version 1, what to do.
func resaveHint(err error, version uint32) error {
	if version != 1 {
		return err
	}
	return fmt.Errorf("%w. The file has format version 1, which loads by position only; "+
		"load it into the model it was saved from and save that again with train.SaveFile to write version 2, whose tensors load by name", err)
}

// readErr is the error for a failed read of part of a file.
func readErr(op string, err error, where string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("train: %s: the file ends early, %s; it is truncated", op, where)
	}
	return fmt.Errorf("train: %s: reading %s: %w", op, where, err)
}

// readFloats fills v with little-endian float64s from r.
func readFloats(r io.Reader, v []float64) error {
	var chunk [8 * 1024]byte
	for len(v) > 0 {
		n := min(len(v), len(chunk)/8)
		if _, err := io.ReadFull(r, chunk[:8*n]); err != nil {
			return err
		}
		for k := range n {
			v[k] = math.Float64frombits(binary.LittleEndian.Uint64(chunk[8*k:]))
		}
		v = v[n:]
	}
	return nil
}

// namedTensor is a parameter or buffer of a model with its name.
type namedTensor struct {
	name   string
	t      *dl.Tensor
	buffer bool
}

func (e namedTensor) kind() string {
	if e.buffer {
		return "buffer"
	}
	return "parameter"
}

func (e namedTensor) String() string { return fmt.Sprintf("%s %q", e.kind(), e.name) }

func countParams(st []namedTensor) int {
	n := 0
	for _, e := range st {
		if !e.buffer {
			n++
		}
	}
	return n
}

// StateNames returns the names under which [Save] writes model's tensors,
// in the order of the file: first the parameters, then the buffers, as
// nn.NamedParams and nn.NamedBuffers give them, each shared tensor once.
// For nn.MLP(rng, 2, 8, 2) they are "0.W", "0.B", "2.W" and "2.B"; a
// BatchNorm that is layer 1 adds "1.Gamma", "1.Beta" and the buffers
// "1.RunningMean" and "1.RunningVar"; a layer of one's own that does not
// implement nn.Named has its parameters named by position, such as
// "2.param0".
func StateNames(model nn.Module) []string {
	st := state(model, "StateNames")
	names := make([]string, len(st))
	for i, e := range st {
		names[i] = e.name
	}
	return names
}

// state returns model's parameters, then its buffers, with their names,
// each distinct tensor once. It panics, naming the function fn, if model
// is nil.
func state(model nn.Module, fn string) []namedTensor {
	checkModel(fn, model)
	var out []namedTensor
	for _, p := range nn.NamedParams(model) {
		out = append(out, namedTensor{name: p.Name, t: p.Tensor})
	}
	for _, b := range nn.NamedBuffers(model) {
		out = append(out, namedTensor{name: b.Name, t: b.Tensor, buffer: true})
	}
	return out
}
