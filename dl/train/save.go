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
	"path/filepath"
	"reflect"
	"slices"
	"strconv"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

// The parameter file format; see "Saving and loading" in the package
// documentation for the layout, byte by byte.
const (
	// Magic is the first 8 bytes of a file that Save writes.
	Magic = "DLNBPARM"
	// FormatVersion is the version of the format that Save writes and the
	// newest that Load reads.
	FormatVersion = 1

	maxNameLen = 4096 // bytes in a tensor's name
	maxRank    = 32   // dimensions of a tensor
)

// Save writes model's parameters and buffers (such as the running
// statistics of nn.BatchNorm, see [nn.Buffered]) to w in the binary format
// described in the package documentation: a header, then each tensor with
// its name, shape and values, then a CRC-32 checksum. The values are
// written exactly (float64 bits), so a model loaded from the file predicts
// bit for bit as model does.
//
// A tensor is saved once even if several layers share it. The names say
// where each tensor lives, such as "1.Linear.W" for the weights of layer 1
// of a Sequential (see [StateNames]). What an optimizer keeps (momentum,
// Adam's moments) is not saved: it belongs to training, not to the model.
//
// Save returns an error if w fails, naming the cause. It panics if model
// is nil.
func Save(w io.Writer, model nn.Module) error {
	st := state(model)
	for _, e := range st { // check first, so that nothing is written in vain
		if len(e.name) > maxNameLen || e.t.Dim() > maxRank || int64(slices.Max(append([]int{0}, e.t.Shape()...))) > math.MaxUint32 {
			return fmt.Errorf("train: Save: %s %v: the name is longer than %d bytes, or the shape has more than %d dimensions or one beyond 32 bits",
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
		return fmt.Errorf("train: Save: %w", err)
	}
	if _, err := w.Write(binary.LittleEndian.AppendUint32(nil, h.Sum32())); err != nil {
		return fmt.Errorf("train: Save: %w", err)
	}
	return nil
}

// SaveFile writes model's parameters and buffers to the file path with
// [Save]. It writes a temporary file in the same directory first and
// renames it to path only once it is complete, so path never holds half a
// file: after an error it holds what it held before, or nothing.
func SaveFile(path string, model nn.Module) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("train: SaveFile: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("train: SaveFile %s: %w", path, err)
		}
	}()
	if err := Save(f, model); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil { // CreateTemp makes it private
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Load reads parameters and buffers that [Save] wrote from r into model,
// which must have the same architecture: the same tensors, in the same
// order, with the same names and shapes. It reads exactly the bytes that
// Save wrote, nothing after them.
//
// Load reads and checks the whole file before it changes anything: when it
// returns an error, model is as it was. It returns an error, never panics,
// for a file that is not a parameter file (wrong magic bytes), that has a
// newer format version, that ends early (truncated), whose checksum does
// not match (corrupt), or that holds another number of tensors, or
// tensors with other names or shapes than model's; the message names the
// tensor and both shapes, for example
//
//	train: Load: parameter 2 "1.Linear.W": file has [128 10], model has [64 10]
//
// The memory it allocates is bounded by model's size, whatever sizes the
// file declares. Load panics if model is nil.
func Load(r io.Reader, model nn.Module) error {
	return load(r, model, "Load")
}

// LoadFile reads the file path, which [SaveFile] or [Save] wrote, into
// model with [Load]. Besides Load's errors, it returns one if the file
// cannot be read or goes on after the checksum.
func LoadFile(path string, model nn.Module) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("train: LoadFile: %w", err)
	}
	defer f.Close()
	op := "LoadFile " + path
	br := bufio.NewReader(f)
	if err := load(br, model, op); err != nil {
		return err
	}
	if _, err := br.ReadByte(); err != io.EOF {
		if err != nil {
			return fmt.Errorf("train: %s: %w", op, err)
		}
		return fmt.Errorf("train: %s: the file goes on after the checksum; it is not a single parameter file", op)
	}
	return nil
}

// load does the work of Load, with op naming the caller in errors.
func load(r io.Reader, model nn.Module, op string) error {
	want := state(model)
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
	switch v := binary.LittleEndian.Uint32(b); {
	case v == 0:
		return fmt.Errorf("train: %s: format version 0 does not exist; the file is corrupt", op)
	case v > FormatVersion:
		return fmt.Errorf("train: %s: the file has format version %d, newer than this package reads (%d); update dlnb", op, v, FormatVersion)
	}
	if b, err = read(4, inHeader); err != nil {
		return err
	}
	if n := binary.LittleEndian.Uint32(b); uint64(n) != uint64(len(want)) {
		params := countParams(want)
		return fmt.Errorf("train: %s: the file holds %d tensors but the model has %d (%d parameters, %d buffers); it was saved from another model",
			op, n, len(want), params, len(want)-params)
	}

	values := make([][]float64, len(want))
	for i, e := range want {
		at := func(part string) func() string {
			return func() string { return fmt.Sprintf("in the %s of %s", part, e.describe(i)) }
		}
		if b, err = read(2, at("name")); err != nil {
			return err
		}
		nameLen := int(binary.LittleEndian.Uint16(b))
		if nameLen > maxNameLen {
			return fmt.Errorf("train: %s: %s has a name of %d bytes in the file, more than %d; the file is corrupt", op, e.describe(i), nameLen, maxNameLen)
		}
		name := make([]byte, nameLen)
		if _, err := io.ReadFull(tr, name); err != nil {
			return readErr(op, err, at("name")())
		}
		if b, err = read(1, at("shape")); err != nil {
			return err
		}
		rank := int(b[0])
		if rank > maxRank {
			return fmt.Errorf("train: %s: %s has %d dimensions in the file, more than %d; the file is corrupt", op, e.describe(i), rank, maxRank)
		}
		shape := make([]int, rank)
		for k := range shape {
			if b, err = read(4, at("shape")); err != nil {
				return err
			}
			shape[k] = int(binary.LittleEndian.Uint32(b))
		}
		if string(name) != e.name {
			return fmt.Errorf("train: %s: %s %d is %q %v in the file but %q %v in the model; it was saved from another model",
				op, e.kind(), i, name, shape, e.name, e.t.Shape())
		}
		if !slices.Equal(shape, e.t.Shape()) {
			return fmt.Errorf("train: %s: %s: file has %v, model has %v", op, e.describe(i), shape, e.t.Shape())
		}
		// The shape matches the model's, so the allocation is the model's size.
		values[i] = make([]float64, e.t.Len())
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
	for i, e := range want {
		copy(e.t.Data(), values[i])
	}
	return nil
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

// describe names the i-th tensor of a file for messages, such as
// `parameter 2 "1.Linear.W"`.
func (e namedTensor) describe(i int) string { return fmt.Sprintf("%s %d %q", e.kind(), i, e.name) }

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
// in the order of the file: first the parameters, in the order of
// model.Params(), then the buffers, in the order of nn.Buffers(model); a
// tensor that several layers share appears once.
//
// A name is the path to the tensor through the model's exported fields,
// with a Sequential's layers as "index.Type": "1.Linear.W" is the field W
// of layer 1, a Linear; "3.Residual.Inner.0.Linear.B" a bias inside a
// Residual; "2.BatchNorm.RunningMean" a buffer. A model that is not a
// Sequential has names without a layer, such as "W". A tensor that no
// exported field holds gets its position instead, such as "2.Custom.param1"
// for the second parameter of layer 2.
func StateNames(model nn.Module) []string {
	st := state(model)
	names := make([]string, len(st))
	for i, e := range st {
		names[i] = e.name
	}
	return names
}

// state returns model's parameters, then its buffers, with their names,
// each distinct tensor once. It panics if model is nil.
func state(model nn.Module) []namedTensor {
	if model == nil {
		panic("train: the model is nil")
	}
	params, buffers := named(model, "")
	seen := map[any]bool{}
	var out []namedTensor
	for _, e := range append(params, buffers...) {
		var k any = e.t
		if e.t.Len() > 0 {
			k = dataKey{&e.t.Data()[0], e.t.Len()} // buffers are views made on each call
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// named returns m's parameters and buffers, named below prefix.
func named(m nn.Module, prefix string) (params, buffers []namedTensor) {
	if s, ok := m.(*nn.Sequential); ok {
		for i, l := range s.Layers {
			p, b := named(l, join(prefix, strconv.Itoa(i)+"."+typeName(l)))
			params = append(params, p...)
			buffers = append(buffers, b...)
		}
		return params, buffers
	}
	paths := map[any]string{}
	fieldPaths(reflect.ValueOf(m), prefix, 0, map[typedPointer]bool{}, paths)
	find := func(t *dl.Tensor, fallback string) string {
		if t.Len() > 0 {
			if p, ok := paths[dataKey{&t.Data()[0], t.Len()}]; ok {
				return p
			}
		}
		if p, ok := paths[t]; ok {
			return p
		}
		return join(prefix, fallback)
	}
	for k, t := range m.Params() {
		params = append(params, namedTensor{name: find(t, "param"+strconv.Itoa(k)), t: t})
	}
	for k, t := range nn.Buffers(m) {
		buffers = append(buffers, namedTensor{name: find(t, "buffer"+strconv.Itoa(k)), t: t, buffer: true})
	}
	return params, buffers
}

// typedPointer is a pointer that fieldPaths has followed.
type typedPointer struct {
	t reflect.Type
	p uintptr
}

// maxDepth bounds the fields that fieldPaths follows, against cycles
// through slices.
const maxDepth = 64

// dataKey identifies values by their memory, so that a tensor and a
// []float64 field that it views match.
type dataKey struct {
	p *float64
	n int
}

var (
	tensorType     = reflect.TypeFor[*dl.Tensor]()
	sequentialType = reflect.TypeFor[*nn.Sequential]()
)

// fieldPaths records in paths the path below prefix of every tensor and
// []float64 reachable from v through exported fields, slices and
// pointers, keyed by the tensor and by its data's memory; the first path
// found wins. Nested Sequentials get "index.Type" steps, as in named.
func fieldPaths(v reflect.Value, prefix string, depth int, seen map[typedPointer]bool, paths map[any]string) {
	if depth > maxDepth {
		return
	}
	depth++
	add := func(k any) {
		if _, ok := paths[k]; !ok {
			paths[k] = prefix
		}
	}
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			fieldPaths(v.Elem(), prefix, depth, seen, paths)
		}
	case reflect.Pointer:
		p := typedPointer{v.Type(), v.Pointer()}
		if v.IsNil() || seen[p] {
			return
		}
		seen[p] = true
		switch v.Type() {
		case tensorType:
			t := v.Interface().(*dl.Tensor)
			add(t)
			if t.Len() > 0 {
				add(dataKey{&t.Data()[0], t.Len()})
			}
		case sequentialType:
			for i, l := range v.Interface().(*nn.Sequential).Layers {
				if l != nil {
					fieldPaths(reflect.ValueOf(l), join(prefix, strconv.Itoa(i)+"."+typeName(l)), depth, seen, paths)
				}
			}
		default:
			fieldPaths(v.Elem(), prefix, depth, seen, paths)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				fieldPaths(v.Field(i), join(prefix, f.Name), depth, seen, paths)
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Float64 {
			if v.Kind() == reflect.Slice && v.Len() > 0 {
				add(dataKey{(*float64)(v.UnsafePointer()), v.Len()})
			}
			return
		}
		switch v.Type().Elem().Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Struct, reflect.Slice, reflect.Array:
			for i := range v.Len() {
				fieldPaths(v.Index(i), join(prefix, strconv.Itoa(i)), depth, seen, paths)
			}
		}
	}
}

// join joins the parts of a name with dots, skipping an empty prefix.
func join(prefix, s string) string {
	if prefix == "" {
		return s
	}
	return prefix + "." + s
}
