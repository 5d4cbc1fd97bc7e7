package train

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/internal/atomicfile"
)

// Key names a training run for [Cached]: everything that determines its
// result. Cached hashes it together with the models' architecture and
// initial values, the result's type and the version of dlnb, so two runs
// share a cached model only if they would train the same one.
type Key struct {
	// Notebook is the notebook (or program) that trains the model, such
	// as "12_alexnet_2012": models are never shared between notebooks.
	// It names the cache's subfolder.
	Notebook string
	// Name says which model of the notebook it is, such as "cnn-relu".
	// It starts the cache file's name.
	Name string
	// Settings is the plain data that determines the result and is not
	// in the models themselves: rates, epochs, batch sizes, flags, as a
	// struct, a map or a train.Config. Cached cannot see inside fit, so
	// every value that fit uses must be here, or in the models or Data.
	// See "The model cache" in the package documentation for how it is
	// hashed; function values are skipped.
	Settings any
	// Seed is the seed of the run's random choices.
	Seed uint64
	// Data is the training data, hashed by value: every number of X and Y.
	Data []data.Set
	// Steps is the step budget.
	Steps int
}

// CacheInfo says what [Cached] did.
type CacheInfo struct {
	// Hit is true if the model and result were loaded from the cache, and
	// fit did not run.
	Hit bool
	// FLOPs is the number of floating-point operations of the training run
	// (fit), as dl.CountFLOPs counts them: measured on a miss, and read
	// back from the cache file on a hit.
	FLOPs float64
	// Path is the cache file that was loaded or written; "" if none was,
	// such as when the cache is off or the file could not be written.
	Path string
}

// The cache file format; see "The model cache" in the package
// documentation.
const (
	cacheMagic  = "DLNBCACH"
	cacheFormat = 1
	cacheExt    = ".dlnbc"

	defaultCacheMax = 256 << 20 // bytes
	maxHeaderLen    = 64 << 20  // bytes
)

// cacheLog receives the warnings of the cache: one line each. Tests
// replace it.
var cacheLog io.Writer = os.Stderr

// Cached returns the models trained by fit, and fit's result, training
// them only once: the first call for a key runs fit, which must train
// models in place, and stores their parameters and buffers, fit's result
// and the FLOPs that fit took in a file of the cache folder ([CacheDir]);
// a later call with the same key, with models built the same way, loads
// them into models (in order) and returns the stored result without
// running fit, in milliseconds. See "The model cache" in the package
// documentation for what the key covers.
//
//	model := nn.MLP(rand.New(rand.NewPCG(seed, 1)), 2, 16, 2)
//	cfg := train.Config{Loss: nn.CrossEntropy, Optimizer: optim.NewAdam(0.01), Epochs: 50, Seed: seed}
//	h, info, err := train.Cached(train.Key{Notebook: "07_mlp", Name: "moons", Settings: cfg, Seed: seed, Data: []data.Set{moons}},
//		func() (*train.History, error) { return train.Fit(model, moons, cfg) }, model)
//
// The result R is stored as JSON, so it must be a concrete type that
// encoding/json writes and reads back, such as *train.History, []float64
// or a struct of exported fields; floats must be finite. If it cannot be
// encoded, Cached returns it but stores nothing, with a warning.
//
// If fit returns an error, Cached stores nothing and returns the error;
// if fit panics, Cached stores nothing and the panic goes on. A cache file
// that is damaged or does not fit is not an error: Cached trains again,
// overwrites it and says so on stderr in one line. Nor is a folder that
// cannot be written: Cached returns the trained model and result, and
// warns. With DLNB_MODEL_CACHE=off, Cached always runs fit and stores
// nothing.
//
// Cached panics if key.Notebook or key.Name is empty, ".", contains "..",
// a path separator or a NUL byte, if fit is nil, if no model is given or
// a model is nil.
func Cached[R any](key Key, fit func() (R, error), models ...nn.Module) (R, CacheInfo, error) {
	checkCached(key, fit, models)
	dir, dirErr := CacheDir()
	if dir == "" && dirErr == nil { // DLNB_MODEL_CACHE=off
		r, flops, err := countedFit(fit)
		return r, CacheInfo{FLOPs: flops}, err
	}
	sum, summary := keyHash(key, reflect.TypeFor[R](), models)
	who := key.Notebook + "/" + key.Name
	var path string
	if dirErr == nil {
		path = filepath.Join(dir, key.Notebook, fmt.Sprintf("%s-%x%s", key.Name, sum[:8], cacheExt))
		r, info, err := loadCached[R](path, sum, models)
		if err == nil {
			now := time.Now()
			os.Chtimes(path, now, now) // the least recently used go first
			return r, info, nil
		}
		// No file, or none that can be read, is a plain miss: if it
		// cannot be written either, storing says so.
		if pe := (*fs.PathError)(nil); !errors.As(err, &pe) {
			fmt.Fprintf(cacheLog, "train: Cached: %s: %v; training again\n", who, err)
		}
	}

	r, flops, err := countedFit(fit)
	if err != nil {
		var zero R
		return zero, CacheInfo{FLOPs: flops}, err
	}
	info := CacheInfo{FLOPs: flops}
	if dirErr != nil {
		fmt.Fprintf(cacheLog, "train: Cached: %s: trained but not stored: %v\n", who, dirErr)
		return r, info, nil
	}
	if err := storeCached(path, sum, summary, r, flops, models); err != nil {
		fmt.Fprintf(cacheLog, "train: Cached: %s: trained but not stored: %v\n", who, err)
		return r, info, nil
	}
	info.Path = path
	if err := evict(dir, path); err != nil {
		fmt.Fprintf(cacheLog, "train: Cached: %s: stored, but keeping the cache folder within its size failed: %v\n", who, err)
	}
	return r, info, nil
}

// checkCached panics if Cached's arguments cannot work.
func checkCached[R any](key Key, fit func() (R, error), models []nn.Module) {
	for _, f := range []struct{ field, v string }{{"Notebook", key.Notebook}, {"Name", key.Name}} {
		switch {
		case f.v == "":
			panic(fmt.Sprintf("train: Cached: key.%s is empty; give it a name such as %q", f.field,
				map[string]string{"Notebook": "12_alexnet_2012", "Name": "cnn"}[f.field]))
		case f.v == "." || strings.Contains(f.v, "..") || strings.ContainsAny(f.v, `/\`+"\x00") || filepath.Base(f.v) != f.v:
			panic(fmt.Sprintf("train: Cached: key.%s %q names a file of the cache, so it must not be \".\" or contain \"..\", a path separator or a NUL byte", f.field, f.v))
		}
	}
	if fit == nil {
		panic("train: Cached: fit is nil; pass the function that trains the models, e.g. func() (*train.History, error) { return train.Fit(model, set, cfg) }")
	}
	if len(models) == 0 {
		panic("train: Cached: no models; pass the models that fit trains after fit, e.g. train.Cached(key, fit, model)")
	}
	for i, m := range models {
		checkModel(fmt.Sprintf("Cached: models[%d]", i), m)
	}
}

// countedFit runs fit and counts its FLOPs.
func countedFit[R any](fit func() (R, error)) (R, float64, error) {
	c := dl.CountFLOPs()
	r, err := fit()
	return r, c.FLOPs(), err
}

// cacheHeader is the JSON header of a cache file.
type cacheHeader struct {
	Key     string          `json:"key"` // the full SHA-256, hex
	Summary keySummary      `json:"summary"`
	FLOPs   float64         `json:"flops"`
	Created time.Time       `json:"created"`
	Result  json.RawMessage `json:"result"`
}

// storeCached writes the cache file path for the key sum: the header with
// result, then the models' tensors as Save writes them.
func storeCached[R any](path string, sum [32]byte, summary keySummary, r R, flops float64, models []nn.Module) error {
	result, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("the result, a %T, cannot be stored as JSON (%v); use a type of exported fields and finite floats", r, err)
	}
	header, err := json.MarshalIndent(cacheHeader{hex.EncodeToString(sum[:]), summary, flops, time.Now().UTC(), result}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		var b []byte
		b = append(b, cacheMagic...)
		b = binary.LittleEndian.AppendUint32(b, cacheFormat)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(header)))
		b = append(b, header...)
		if _, err := w.Write(b); err != nil {
			return err
		}
		for _, m := range models {
			if err := save(w, m, "Cached"); err != nil {
				return err
			}
		}
		return nil
	})
}

// loadCached loads the cache file path into models and returns its result,
// if the file holds the key sum. It returns a *fs.PathError if the file
// cannot be read (such as when there is none), and another error if the
// file is damaged or does not fit; then models are as they were.
func loadCached[R any](path string, sum [32]byte, models []nn.Module) (r R, info CacheInfo, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return r, info, err
	}
	damaged := func(format string, args ...any) error {
		return fmt.Errorf("the cache file %s "+format, append([]any{path}, args...)...)
	}
	const start = len(cacheMagic) + 8
	if len(b) < start || string(b[:len(cacheMagic)]) != cacheMagic {
		return r, info, damaged("is not a model cache file (no %q at its start)", cacheMagic)
	}
	if v := binary.LittleEndian.Uint32(b[len(cacheMagic):]); v != cacheFormat {
		return r, info, damaged("has format version %d, not %d", v, cacheFormat)
	}
	n := binary.LittleEndian.Uint32(b[len(cacheMagic)+4:])
	if n > maxHeaderLen || int(n) > len(b)-start {
		return r, info, damaged("is truncated or damaged: its header says %d bytes, the file has %d after it", n, len(b)-start)
	}
	var h cacheHeader
	if err := json.Unmarshal(b[start:start+int(n)], &h); err != nil {
		return r, info, damaged("has a damaged header: %v", err)
	}
	if h.Key != hex.EncodeToString(sum[:]) {
		return r, info, damaged("holds another training run (key %.16s...)", h.Key)
	}
	if err := json.Unmarshal(h.Result, &r); err != nil {
		var zero R
		return zero, info, damaged("has a result that does not read as a %T: %v", zero, err)
	}
	// Load checks each model's part before it changes that model; undo
	// the models loaded before a part that fails.
	before := snapshot(models)
	rest := bytes.NewReader(b[start+int(n):])
	for i, m := range models {
		if err := Load(rest, m); err != nil {
			before.restore()
			var zero R
			return zero, info, damaged("does not load into model %d: %v", i, err)
		}
	}
	if rest.Len() != 0 {
		before.restore()
		var zero R
		return zero, info, damaged("goes on for %d bytes after its last model", rest.Len())
	}
	return r, CacheInfo{Hit: true, FLOPs: h.FLOPs, Path: path}, nil
}

// modelState is a copy of the values of models' parameters and buffers.
type modelState struct {
	tensors []namedTensor
	values  [][]float64
}

func snapshot(models []nn.Module) modelState {
	var s modelState
	for _, m := range models {
		for _, e := range state(m, "Cached") {
			s.tensors = append(s.tensors, e)
			s.values = append(s.values, slices.Clone(e.t.Data()))
		}
	}
	return s
}

func (s modelState) restore() {
	for i, e := range s.tensors {
		copy(e.t.Data(), s.values[i])
	}
}

// CacheDir returns the folder of the model cache of [Cached]: the
// environment variable DLNB_MODEL_CACHE if it is set, else the folder
// dlnb/models in the user's cache folder (os.UserCacheDir: ~/.cache on
// Linux, ~/Library/Caches on macOS, %LocalAppData% on Windows). It
// returns "" and no error if DLNB_MODEL_CACHE is "off", and an error if
// the user has no cache folder ($HOME and $XDG_CACHE_HOME are unset). The
// folder need not exist yet.
func CacheDir() (string, error) {
	switch env := os.Getenv("DLNB_MODEL_CACHE"); env {
	case "off":
		return "", nil
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("train: CacheDir: %w; set DLNB_MODEL_CACHE to a folder for trained models", err)
		}
		return filepath.Join(base, "dlnb", "models"), nil
	default:
		return filepath.Abs(env)
	}
}

// ClearCache empties the model cache: it removes the files that [Cached]
// wrote in [CacheDir] (and the temporary files of writes that were cut
// short), and the folders that this leaves empty; nothing else. It does
// nothing if the cache is off or its folder does not exist. It returns an
// error, starting "train: ClearCache: ", if a file cannot be removed.
func ClearCache() error {
	dir, err := CacheDir()
	if err != nil || dir == "" {
		if err != nil {
			err = fmt.Errorf("train: ClearCache: %w", err)
		}
		return err
	}
	files, err := cacheFiles(dir, true)
	if err != nil {
		return fmt.Errorf("train: ClearCache: %w", err)
	}
	for _, f := range files {
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("train: ClearCache: %w", err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() {
			os.Remove(filepath.Join(dir, e.Name())) // only if it is empty
		}
	}
	os.Remove(dir)
	return nil
}

type cacheFile struct {
	path string
	size int64
	used time.Time
}

// cacheFiles lists the cache files in the notebook folders of dir, and
// with temp their temporary files too. A missing dir has none.
func cacheFiles(dir string, temp bool) ([]cacheFile, error) {
	notebooks, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var files []cacheFile
	for _, nb := range notebooks {
		if !nb.IsDir() {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(dir, nb.Name()))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			name := e.Name()
			isTemp := strings.HasPrefix(name, ".") && strings.Contains(name, cacheExt+".") && strings.HasSuffix(name, ".tmp")
			if !e.Type().IsRegular() || !(strings.HasSuffix(name, cacheExt) && !strings.HasPrefix(name, ".") || temp && isTemp) {
				continue
			}
			info, err := e.Info()
			if err != nil {
				continue // removed meanwhile
			}
			files = append(files, cacheFile{filepath.Join(dir, nb.Name(), name), info.Size(), info.ModTime()})
		}
	}
	return files, nil
}

// evict removes the least recently used cache files of dir until their
// total size is within the limit (cacheMax), but never keep, the file just
// written.
func evict(dir, keep string) error {
	files, err := cacheFiles(dir, false)
	if err != nil {
		return err
	}
	var total int64
	for _, f := range files {
		total += f.size
	}
	limit := cacheMax()
	if total <= limit {
		return nil
	}
	slices.SortFunc(files, func(a, b cacheFile) int {
		return cmpOr(a.used.Compare(b.used), strings.Compare(a.path, b.path))
	})
	for _, f := range files {
		if total <= limit {
			break
		}
		if f.path == keep {
			continue
		}
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		total -= f.size
	}
	return nil
}

// cacheMax returns the size limit of the cache folder in bytes:
// DLNB_MODEL_CACHE_MAX MiB, or 256 MiB if it is unset or not a number ≥ 0
// (with a warning).
func cacheMax() int64 {
	env := os.Getenv("DLNB_MODEL_CACHE_MAX")
	if env == "" {
		return defaultCacheMax
	}
	mib, err := strconv.ParseFloat(env, 64)
	if err != nil || !(mib >= 0) || mib > math.MaxInt64>>21 {
		fmt.Fprintf(cacheLog, "train: Cached: DLNB_MODEL_CACHE_MAX=%q is not a size in MiB, such as 256; using %d\n", env, defaultCacheMax>>20)
		return defaultCacheMax
	}
	return int64(mib * (1 << 20))
}
