package train

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
)

// This file computes the key of the model cache (cache.go): a SHA-256 over
// everything that determines a training run's result. Settings and models
// are written out by a canonical walk with reflect, as text that is both
// hashed and, shortened, kept in the cache file for people to read.

// keyHash returns the SHA-256 of everything that determines the result of
// Cached(key, fit, models...) with result type rt, and a summary of it for
// the cache file's header. It reads the models' current (initial) values.
func keyHash(key Key, rt reflect.Type, models []nn.Module) ([32]byte, keySummary) {
	h := sha256.New()
	digests := map[*dl.Tensor][32]byte{} // each tensor is read once
	text := func(v any, max int) string {
		var short shortText
		short.max = max
		c := canon{w: io.MultiWriter(h, &short), digests: digests}
		c.value(reflect.ValueOf(v))
		return short.String()
	}
	s := keySummary{
		Notebook: key.Notebook, Name: key.Name, Seed: key.Seed, Steps: key.Steps,
		Result: rt.String(), Library: libraryVersion(), MatMul: dl.MatMulPrecision().String(),
	}
	fmt.Fprintf(h, "dlnb model cache key %d\nlibrary %q\nmatmul %q\nnotebook %q\nname %q\nseed %d\nsteps %d\nresult %q %q\n",
		cacheFormat, s.Library, s.MatMul, s.Notebook, s.Name, s.Seed, s.Steps, rt.PkgPath(), s.Result)
	io.WriteString(h, "settings ")
	s.Settings = text(key.Settings, 2000)
	for i, set := range key.Data {
		fmt.Fprintf(h, "\ndata %d ", i)
		text(set, 0)
		s.Data = append(s.Data, fmt.Sprintf("X %v, Y %v", shapeOf(set.X), shapeOf(set.Y)))
	}
	for i, m := range models {
		fmt.Fprintf(h, "\nmodel %d ", i)
		s.Models = append(s.Models, fmt.Sprintf("%T", m))
		text(m, 0) // the types and settings of its layers, its tensors' values
		for _, e := range state(m, "Cached") {
			d := tensorDigest(e.t, digests)
			fmt.Fprintf(h, "\n%s %q %v %x", e.kind(), e.name, e.t.Shape(), d)
		}
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum, s
}

// keySummary is what a cache file says about its key, for people: the
// hash itself covers all of it and more (the data's and the models'
// values).
type keySummary struct {
	Notebook string   `json:"notebook"`
	Name     string   `json:"name"`
	Seed     uint64   `json:"seed"`
	Steps    int      `json:"steps"`
	Settings string   `json:"settings"` // the canonical text, shortened
	Data     []string `json:"data"`     // the shapes of each set
	Models   []string `json:"models"`   // their types
	Result   string   `json:"result"`   // the result's type
	Library  string   `json:"library"`
	MatMul   string   `json:"matmul"` // dl.MatMulPrecision
}

func shapeOf(t *dl.Tensor) any {
	if t == nil {
		return "nil"
	}
	return t.Shape()
}

// canon writes a value as canonical text: the same value gives the same
// text in every run of every program, and different values different
// texts. It follows pointers and interfaces (writing the dynamic type),
// writes structs field by field (unexported fields too), maps sorted by
// their keys' texts, floats exactly (the shortest decimal that reads back
// to the same bits), and a *dl.Tensor as its shape and a SHA-256 of its
// values. It skips the values of funcs and chans (writing "func" and
// "chan"), whose code or contents it cannot see, and of unsafe pointers. A
// pointer, map or slice met again inside itself is written as a reference
// to the level where it began, so cycles end.
type canon struct {
	w       io.Writer
	digests map[*dl.Tensor][32]byte
	stack   []visit // the pointers, maps and slices being written
}

type visit struct {
	p   uintptr
	n   int // a slice's length
	typ reflect.Type
}

var tensorPtr = reflect.TypeFor[*dl.Tensor]()

func (c *canon) s(s string) { io.WriteString(c.w, s) }

func (c *canon) value(v reflect.Value) {
	if !v.IsValid() {
		c.s("nil")
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		c.s(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.s(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		c.s(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		c.s(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.Complex64, reflect.Complex128:
		x := v.Complex()
		c.s("(" + strconv.FormatFloat(real(x), 'g', -1, 64) + "," + strconv.FormatFloat(imag(x), 'g', -1, 64) + "i)")
	case reflect.String:
		c.s(strconv.Quote(v.String()))
	case reflect.Func:
		c.s("func")
	case reflect.Chan:
		c.s("chan")
	case reflect.UnsafePointer:
		c.s("unsafe")
	case reflect.Interface:
		if v.IsNil() {
			c.s("nil")
			return
		}
		e := v.Elem()
		c.s(e.Type().String() + "(")
		c.value(e)
		c.s(")")
	case reflect.Pointer:
		switch {
		case v.IsNil():
			c.s("nil")
		case v.Type() == tensorPtr:
			// UnsafePointer, unlike Interface, works for unexported fields too.
			c.tensor((*dl.Tensor)(v.UnsafePointer()))
		default:
			if c.enter(v, 0) {
				c.s("&")
				c.value(v.Elem())
				c.leave()
			}
		}
	case reflect.Struct:
		t := v.Type()
		c.s(t.String() + "{")
		for i := range v.NumField() {
			c.s(t.Field(i).Name + ":")
			c.value(v.Field(i))
			c.s(",")
		}
		c.s("}")
	case reflect.Array:
		c.elems(v)
	case reflect.Slice:
		switch {
		case v.IsNil():
			c.s("nil")
		case c.enter(v, v.Len()):
			c.elems(v)
			c.leave()
		}
	case reflect.Map:
		switch {
		case v.IsNil():
			c.s("nil")
		case c.enter(v, 0):
			c.mapEntries(v)
			c.leave()
		}
	default:
		panic(fmt.Sprintf("train: Cached: cannot hash a value of kind %v", v.Kind()))
	}
}

func (c *canon) elems(v reflect.Value) {
	c.s("[")
	for i := range v.Len() {
		c.value(v.Index(i))
		c.s(",")
	}
	c.s("]")
}

// mapEntries writes v's entries sorted by the texts of their keys (and of
// their values, for keys of equal text, such as two pointers to equal
// values), so that the order in which they were put in does not matter.
func (c *canon) mapEntries(v reflect.Value) {
	type entry struct{ k, v string }
	var entries []entry
	w := c.w
	text := func(x reflect.Value) string {
		var b strings.Builder
		c.w = &b
		c.value(x)
		return b.String()
	}
	for it := v.MapRange(); it.Next(); {
		entries = append(entries, entry{text(it.Key()), text(it.Value())})
	}
	c.w = w
	slices.SortFunc(entries, func(a, b entry) int {
		return cmpOr(strings.Compare(a.k, b.k), strings.Compare(a.v, b.v))
	})
	c.s("map[")
	for _, e := range entries {
		c.s(e.k + ":" + e.v + ",")
	}
	c.s("]")
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// enter notes that the walk goes into the pointer, map or slice v, and
// returns true; if the walk is already inside v, it writes a reference to
// that level instead and returns false.
func (c *canon) enter(v reflect.Value, n int) bool {
	at := visit{v.Pointer(), n, v.Type()}
	if i := slices.Index(c.stack, at); i >= 0 {
		c.s("cycle(" + strconv.Itoa(len(c.stack)-i) + ")")
		return false
	}
	c.stack = append(c.stack, at)
	return true
}

func (c *canon) leave() { c.stack = c.stack[:len(c.stack)-1] }

// tensor writes t as its shape and the digest of its values; a released
// tensor, whose values are gone, as its shape only.
func (c *canon) tensor(t *dl.Tensor) {
	d, ok := func() (d [32]byte, ok bool) {
		defer func() {
			if recover() != nil { // Data panics for a released tensor
				ok = false
			}
		}()
		return tensorDigest(t, c.digests), true
	}()
	if !ok {
		c.s(fmt.Sprintf("dl.Tensor%v(released)", t.Shape()))
		return
	}
	c.s(fmt.Sprintf("dl.Tensor%v(%x)", t.Shape(), d))
}

// tensorDigest returns the SHA-256 of t's shape and values (their float64
// bits), from digests if t is there, and records it there. A large tensor
// is hashed in chunks in parallel, and the digest is that of the chunks'
// digests.
func tensorDigest(t *dl.Tensor, digests map[*dl.Tensor][32]byte) [32]byte {
	if d, ok := digests[t]; ok {
		return d
	}
	h := sha256.New()
	fmt.Fprintf(h, "%v\n", t.Shape())
	b := floatBytes(t.Data())
	const chunk = 4 << 20
	if len(b) <= 2*chunk {
		h.Write(b)
	} else {
		sums := make([][32]byte, (len(b)+chunk-1)/chunk)
		var wg sync.WaitGroup
		next := make(chan int, len(sums))
		for i := range sums {
			next <- i
		}
		close(next)
		for range min(runtime.GOMAXPROCS(0), len(sums)) {
			wg.Go(func() {
				for i := range next {
					sums[i] = sha256.Sum256(b[i*chunk : min(len(b), (i+1)*chunk)])
				}
			})
		}
		wg.Wait()
		fmt.Fprintf(h, "%d chunks of %d bytes\n", len(sums), chunk)
		for _, s := range sums {
			h.Write(s[:])
		}
	}
	var d [32]byte
	h.Sum(d[:0])
	digests[t] = d
	return d
}

var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// floatBytes returns the bytes of v's float64 bits, little-endian: v's own
// memory on a little-endian machine (amd64, arm64), a copy elsewhere.
func floatBytes(v []float64) []byte {
	if len(v) == 0 {
		return nil
	}
	if littleEndian {
		return unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 8*len(v))
	}
	b := make([]byte, 0, 8*len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

// shortText keeps the first max bytes written to it, and says how many
// more there were.
type shortText struct {
	b    []byte
	max  int
	more int
}

func (s *shortText) Write(p []byte) (int, error) {
	n := min(len(p), s.max-len(s.b))
	s.b = append(s.b, p[:n]...)
	s.more += len(p) - n
	return len(p), nil
}

func (s *shortText) String() string {
	if s.more > 0 {
		return fmt.Sprintf("%s... (%d more bytes)", s.b, s.more)
	}
	return string(s.b)
}

// libraryVersion identifies the code of dlnb that runs, so that a change
// to the library retrains: see "The model cache" in the package
// documentation. Tests replace it.
var libraryVersion = sync.OnceValue(readLibraryVersion)

// modulePath is dlnb's module path, github.com/dlnb/dlnb.
var modulePath = strings.TrimSuffix(reflect.TypeFor[Key]().PkgPath(), "/dl/train")

func readLibraryVersion() string {
	v := runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	info, ok := debug.ReadBuildInfo()
	if ok && info.Main.Path != modulePath {
		for _, s := range info.Settings {
			if !strings.HasPrefix(s.Key, "vcs") {
				v += " " + s.Key + "=" + s.Value
			}
		}
		for _, d := range info.Deps {
			if d.Path != modulePath {
				continue
			}
			if d.Replace != nil {
				d = d.Replace
			}
			if d.Version != "" && d.Version != "(devel)" { // a version from a proxy, such as the kernel's
				return v + " " + modulePath + "@" + d.Version + " " + d.Sum
			}
		}
	}
	// dlnb is the main module (go test, go run in the checkout) or a
	// folder that replaces it: its version says nothing of local edits,
	// the executable does.
	exe, err := executableDigest()
	if err != nil {
		fmt.Fprintf(cacheLog, "train: Cached: cannot read this program's executable (%v), so models are cached for this run only\n", err)
		return fmt.Sprintf("%s unknown executable, process %d", v, os.Getpid())
	}
	return v + " executable " + exe
}

func executableDigest() (string, error) {
	path, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
