package train_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
	"github.com/dlnb/dlnb/dl/train"
	"github.com/dlnb/dlnb/internal/testutil"
)

// recipe is what a notebook's cell sets before it asks Cached for a model:
// each field can be edited, and each edit must give another model.
type recipe struct {
	notebook, name string
	lr             float64 // Adam's learning rate, in Settings
	seed           uint64  // Key.Seed, which seeds the batches
	steps          int     // Key.Steps
	set            data.Set
	build          func(seed uint64) *nn.Sequential
	modelSeed      uint64
}

func newRecipe() recipe {
	return recipe{notebook: "99_test", name: "cnn", lr: 0.01, seed: 1, steps: 2, set: images(48, 5), build: cnn, modelSeed: 1}
}

func (r recipe) config() train.Config {
	return train.Config{Loss: nn.CrossEntropy, Optimizer: optim.NewAdam(r.lr), Epochs: 2, BatchSize: 8, Seed: r.seed}
}

func (r recipe) key() train.Key {
	return train.Key{Notebook: r.notebook, Name: r.name, Settings: r.config(), Seed: r.seed, Steps: r.steps, Data: []data.Set{r.set}}
}

// cached builds the model and gets it trained from Cached, as a notebook
// does; fits counts the calls of fit.
func (r recipe) cached(t *testing.T, fits *int) (*nn.Sequential, *train.History, train.CacheInfo) {
	t.Helper()
	model := r.build(r.modelSeed)
	h, info, err := train.Cached(r.key(), func() (*train.History, error) {
		*fits++
		return train.Fit(model, r.set, r.config())
	}, model)
	if err != nil {
		t.Fatal(err)
	}
	return model, h, info
}

// fresh trains the model without the cache.
func (r recipe) fresh(t *testing.T) (*nn.Sequential, *train.History) {
	t.Helper()
	model := r.build(r.modelSeed)
	h, err := train.Fit(model, r.set, r.config())
	if err != nil {
		t.Fatal(err)
	}
	return model, h
}

// cnnTanh is cnn with tanh for ReLU: the same tensors, another network.
func cnnTanh(seed uint64) *nn.Sequential {
	m := cnn(seed)
	m.Layers[2] = nn.Tanh{}
	return m
}

// useCache gives the test an empty cache folder and collects the cache's
// warnings.
func useCache(t *testing.T) (dir string, log *bytes.Buffer) {
	dir = t.TempDir()
	t.Setenv("DLNB_MODEL_CACHE", dir)
	t.Setenv("DLNB_MODEL_CACHE_MAX", "")
	log = new(bytes.Buffer)
	t.Cleanup(train.SetCacheLog(log))
	return dir, log
}

func TestCachedHitLoadsTheTrainedModel(t *testing.T) {
	dir, log := useCache(t)
	r, fits := newRecipe(), 0
	trained, h, info := r.cached(t, &fits)
	if info.Hit || fits != 1 {
		t.Fatalf("first call: Hit %v, fit ran %d times; want a miss that trains once", info.Hit, fits)
	}
	if want := filepath.Join(dir, "99_test"); filepath.Dir(info.Path) != want || !strings.HasPrefix(filepath.Base(info.Path), "cnn-") ||
		!strings.HasSuffix(info.Path, ".dlnbc") {
		t.Errorf("Path = %s, want %s/cnn-HASH.dlnbc", info.Path, want)
	}
	if _, err := os.Stat(info.Path); err != nil {
		t.Fatal(err)
	}
	if info.FLOPs <= 0 || info.FLOPs != h.FLOPs { // fit is Fit alone
		t.Errorf("FLOPs %g, want Fit's %g", info.FLOPs, h.FLOPs)
	}
	if fresh := r.build(r.modelSeed); equalSnapshots(snapshot(fresh), snapshot(trained)) {
		t.Fatal("fit did not change the model")
	}

	loaded, h2, info2 := r.cached(t, &fits)
	if !info2.Hit || fits != 1 {
		t.Fatalf("second call: Hit %v, fit ran %d times in all; want a hit without fit", info2.Hit, fits)
	}
	if !equalSnapshots(snapshot(loaded), snapshot(trained)) { // bit for bit
		t.Error("the loaded parameters and buffers differ from the trained ones")
	}
	if !reflect.DeepEqual(h2, h) {
		t.Errorf("the loaded result differs:\n%+v\nwant\n%+v", h2, h)
	}
	if info2.Path != info.Path || info2.FLOPs != info.FLOPs {
		t.Errorf("hit: Path %s, FLOPs %g; want the miss's %s, %g", info2.Path, info2.FLOPs, info.Path, info.FLOPs)
	}
	if log.Len() > 0 {
		t.Errorf("warnings: %s", log)
	}
}

// The test the issue asks for: edit a setting and the model is trained
// again, with the new setting, never loaded from the old.
func TestCachedNeverGivesAStaleModel(t *testing.T) {
	useCache(t)
	fits := 0
	r1 := newRecipe()
	r1.lr = 0.1
	m1, _, _ := r1.cached(t, &fits)

	r2 := r1 // the student edits the cell: lr 0.1 becomes 0.2
	r2.lr = 0.2
	m2, h2, info := r2.cached(t, &fits)
	if info.Hit || fits != 2 {
		t.Fatalf("after the edit: Hit %v, fit ran %d times in all; want a miss that trains", info.Hit, fits)
	}
	if equalSnapshots(snapshot(m2), snapshot(m1)) {
		t.Fatal("the lr-0.2 model is the lr-0.1 one")
	}
	f2, fh2 := r2.fresh(t)
	if !equalSnapshots(snapshot(m2), snapshot(f2)) || !reflect.DeepEqual(h2, fh2) {
		t.Error("the lr-0.2 model differs from a fresh lr-0.2 training")
	}

	back, _, info := r1.cached(t, &fits) // and back to 0.1: that model is still there
	if !info.Hit || fits != 2 || !equalSnapshots(snapshot(back), snapshot(m1)) {
		t.Errorf("back at lr 0.1: Hit %v, fit ran %d times; want the lr-0.1 model from the cache", info.Hit, fits)
	}
}

// Each part of the key, edited alone, gives another model: a miss, which
// is then a hit of its own, while the first model stays cached.
func TestCachedKeyCoversEverything(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *recipe)
	}{
		{"Settings: a nested field (Adam's rate)", func(r *recipe) { r.lr = 0.01 + 1e-12 }},
		{"Seed", func(r *recipe) { r.seed = 2 }},
		{"Steps", func(r *recipe) { r.steps = 3 }},
		{"Data: one value by one ulp", func(r *recipe) {
			x := r.set.X.Clone()
			x.Data()[17] = math.Nextafter(x.Data()[17], math.Inf(1))
			r.set = data.Set{X: x, Y: r.set.Y}
		}},
		{"Data: one label", func(r *recipe) {
			y := r.set.Y.Clone()
			y.Data()[3] = float64((int(y.Data()[3]) + 1) % 3)
			r.set = data.Set{X: r.set.X, Y: y}
		}},
		{"Name", func(r *recipe) { r.name = "cnn2" }},
		{"Notebook", func(r *recipe) { r.notebook = "98_test" }},
		{"the model's initialization", func(r *recipe) { r.modelSeed = 2 }},
		{"the model's architecture (tanh for ReLU)", func(r *recipe) { r.build = cnnTanh }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			useCache(t)
			base, fits := newRecipe(), 0
			base.cached(t, &fits)
			edited := base
			tt.change(&edited)
			if _, _, info := edited.cached(t, &fits); info.Hit || fits != 2 {
				t.Fatalf("edited: Hit %v, fit ran %d times in all; want a miss", info.Hit, fits)
			}
			if _, _, info := edited.cached(t, &fits); !info.Hit || fits != 2 {
				t.Errorf("edited again: Hit %v, fit ran %d times in all; want a hit", info.Hit, fits)
			}
			if _, _, info := base.cached(t, &fits); !info.Hit || fits != 2 {
				t.Errorf("the base again: Hit %v, fit ran %d times in all; want a hit", info.Hit, fits)
			}
		})
	}
}

func TestCachedKeyCoversTheLibraryVersion(t *testing.T) {
	useCache(t)
	r, fits := newRecipe(), 0
	restore := train.SetLibraryVersion("v0.1.0")
	r.cached(t, &fits)
	restore()
	t.Cleanup(train.SetLibraryVersion("v0.1.1"))
	if _, _, info := r.cached(t, &fits); info.Hit || fits != 2 {
		t.Errorf("after an update of dlnb: Hit %v, fit ran %d times; want a miss", info.Hit, fits)
	}
}

// lossOnly reads the JSON of a *train.History: only the result's type
// tells them apart.
type lossOnly struct{ Loss []float64 }

func TestCachedKeyCoversTheResultType(t *testing.T) {
	useCache(t)
	r, fits := newRecipe(), 0
	r.cached(t, &fits)
	model := r.build(r.modelSeed)
	got, info, err := train.Cached(r.key(), func() (lossOnly, error) {
		fits++
		h, err := train.Fit(model, r.set, r.config())
		return lossOnly{h.Loss}, err
	}, model)
	if err != nil {
		t.Fatal(err)
	}
	if info.Hit || fits != 2 || len(got.Loss) != 2 {
		t.Errorf("another result type: Hit %v, fit ran %d times, result %v; want a miss", info.Hit, fits, got)
	}
}

// Under go test dlnb is the main module: its version is the executable's
// digest, so any edit of the code retrains.
func TestLibraryVersionOfTheMainModule(t *testing.T) {
	v := train.ReadLibraryVersion()
	if !strings.Contains(v, " executable ") || len(v) < 64 {
		t.Errorf("version %q does not name the executable's digest", v)
	}
	if v2 := train.ReadLibraryVersion(); v2 != v || train.LibraryVersion() != v {
		t.Errorf("the version changes from call to call: %q, %q, %q", v, v2, train.LibraryVersion())
	}
}

type inner struct {
	Rate   float64
	hidden int
	Fn     func()
	Ch     chan int
}

type outer struct {
	Name  string
	In    *inner
	Any   any
	Sizes map[string]int
	Next  *outer
}

func TestSettingsCanonicalText(t *testing.T) {
	build := func(order []string, rate float64, hidden int) outer {
		m := map[string]int{}
		for _, k := range order {
			m[k] = len(k)
		}
		return outer{Name: "x", In: &inner{Rate: rate, hidden: hidden, Fn: func() {}}, Any: &inner{Rate: 1}, Sizes: m}
	}
	a := build([]string{"a", "bb", "ccc", "dddd", "e", "ff"}, 0.5, 3)
	b := build([]string{"ff", "e", "dddd", "ccc", "bb", "a"}, 0.5, 3) // other pointers, other insertion order
	b.In.Fn, b.In.Ch = nil, make(chan int)                            // funcs and chans are skipped
	text := train.CanonicalText(a)
	if got := train.CanonicalText(b); got != text {
		t.Errorf("equal settings give different texts:\n%s\n%s", text, got)
	}
	if strings.Contains(text, "0xc") {
		t.Errorf("the text holds an address: %s", text)
	}
	for i := range 20 { // map order is random in each iteration
		if got := train.CanonicalText(a); got != text {
			t.Fatalf("iteration %d: %s, want %s", i, got, text)
		}
	}

	differ := map[string]any{
		"a nested rate":              build([]string{"a"}, 0.5000000000000001, 3),
		"an unexported field":        build([]string{"a"}, 0.5, 4),
		"a map value":                outer{Sizes: map[string]int{"a": 2}},
		"an int for a float":         map[string]any{"lr": 1},
		"-0 for 0":                   map[string]any{"lr": math.Copysign(0, -1)},
		"Adam's rate":                optim.NewAdam(2e-3),
		"a value in a Config's Val":  train.Config{Val: &data.Set{X: dl.New([]float64{1, 2.0000001})}},
		"a nil pointer for an empty": outer{In: nil},
	}
	same := map[string]any{
		"a nested rate":              build([]string{"a"}, 0.5, 3),
		"an unexported field":        build([]string{"a"}, 0.5, 3),
		"a map value":                outer{Sizes: map[string]int{"a": 1}},
		"an int for a float":         map[string]any{"lr": 1.0},
		"-0 for 0":                   map[string]any{"lr": 0.0},
		"Adam's rate":                optim.NewAdam(1e-3),
		"a value in a Config's Val":  train.Config{Val: &data.Set{X: dl.New([]float64{1, 2})}},
		"a nil pointer for an empty": outer{In: &inner{}},
	}
	for name, v := range differ {
		if x, y := train.CanonicalText(v), train.CanonicalText(same[name]); x == y {
			t.Errorf("%s: both give %s", name, x)
		}
	}
	if x, y := train.CanonicalText(optim.NewAdam(1e-3)), train.CanonicalText(optim.NewAdam(1e-3)); x != y {
		t.Errorf("two NewAdam(1e-3) differ: %s, %s", x, y)
	}

	cyclic := &outer{Name: "a"}
	cyclic.Next = &outer{Name: "b", Next: cyclic}
	cyclic.Any = cyclic
	if got := train.CanonicalText(cyclic); !strings.Contains(got, "cycle(") {
		t.Errorf("a cycle: %s", got)
	}
}

// corrupt applies a damage to the bytes of a cache file.
var corruptions = []struct {
	name   string
	damage func(b []byte) []byte
}{
	{"a flipped bit in the parameters", func(b []byte) []byte { b[len(b)-30] ^= 4; return b }},
	{"a flipped bit in the checksum", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }},
	{"truncated in the parameters", func(b []byte) []byte { return b[:len(b)-9] }},
	{"truncated in the header", func(b []byte) []byte { return b[:40] }},
	{"a damaged header", func(b []byte) []byte { b[16] = 'x'; return b }},
	{"bytes after the end", func(b []byte) []byte { return append(b, 0) }},
	{"empty", func(b []byte) []byte { return nil }},
	{"not a cache file", func(b []byte) []byte { return []byte("DLNBPARM and more") }},
	{"a newer format", func(b []byte) []byte { b[8] = 9; return b }},
	{"another key", func(b []byte) []byte {
		i := bytes.Index(b, []byte(`"key": "`)) + len(`"key": "`)
		b[i] = "10"[b[i]&1] // another hex digit
		return b
	}},
	{"a result of another type", func(b []byte) []byte {
		return bytes.Replace(b, []byte(`"Loss": [`), []byte(`"Loss": ["`), 1)
	}},
}

// A damaged cache file is trained again, with one line on stderr, and
// overwritten.
func TestCachedRetrainsADamagedFile(t *testing.T) {
	for _, c := range corruptions {
		t.Run(c.name, func(t *testing.T) {
			_, log := useCache(t)
			r, fits := newRecipe(), 0
			_, _, info := r.cached(t, &fits)
			b, err := os.ReadFile(info.Path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(info.Path, c.damage(b), 0o644); err != nil {
				t.Fatal(err)
			}
			got, _, info2 := r.cached(t, &fits)
			if info2.Hit || fits != 2 {
				t.Fatalf("Hit %v, fit ran %d times; want a miss that trains again", info2.Hit, fits)
			}
			if want, _ := r.fresh(t); !equalSnapshots(snapshot(got), snapshot(want)) {
				t.Error("the model differs from a fresh training")
			}
			if lines := strings.Split(strings.TrimSpace(log.String()), "\n"); len(lines) != 1 ||
				!strings.HasPrefix(lines[0], "train: Cached: 99_test/cnn: the cache file ") || !strings.HasSuffix(lines[0], "; training again") {
				t.Errorf("warning %q, want one line that names the file and says it trains again", log)
			}
			if _, _, info := r.cached(t, &fits); !info.Hit || fits != 2 {
				t.Errorf("after training again: Hit %v, fit ran %d times; want the new file to load", info.Hit, fits)
			}
		})
	}
}

// With two models, a file whose second part is damaged leaves the first
// model as it was, so that training again starts from its initial values.
func TestCachedDamagedFileLeavesAllModelsAsTheyWere(t *testing.T) {
	useCache(t)
	set := images(48, 5)
	fits := 0
	run := func() (*nn.Sequential, *nn.Sequential, train.CacheInfo) {
		a, b := cnn(1), cnn(2)
		_, info, err := train.Cached(train.Key{Notebook: "99_test", Name: "pair", Data: []data.Set{set}},
			func() ([]float64, error) {
				fits++
				fitFew(t, a, set)
				fitFew(t, b, set)
				return nil, nil
			}, a, b)
		if err != nil {
			t.Fatal(err)
		}
		return a, b, info
	}
	wantA, wantB, info := run()
	b, err := os.ReadFile(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 1 // the checksum of the second model
	if err := os.WriteFile(info.Path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	gotA, gotB, info := run()
	if info.Hit || fits != 2 {
		t.Fatalf("Hit %v, fit ran %d times; want a miss", info.Hit, fits)
	}
	if !equalSnapshots(snapshot(gotA), snapshot(wantA)) || !equalSnapshots(snapshot(gotB), snapshot(wantB)) {
		t.Error("training again did not start from the initial values: the first model kept what the damaged file loaded")
	}
}

func TestCachedEvictsTheLeastRecentlyUsed(t *testing.T) {
	dir, _ := useCache(t)
	fits := 0
	recipes := map[string]recipe{}
	paths := map[string]string{}
	for _, name := range []string{"a", "b", "c", "d"} {
		r := newRecipe()
		r.name = name
		recipes[name] = r
	}
	_, _, info := recipes["a"].cached(t, &fits)
	paths["a"] = info.Path
	st, err := os.Stat(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	// Room for two files and a half.
	t.Setenv("DLNB_MODEL_CACHE_MAX", fmt.Sprint(2.5*float64(st.Size())/(1<<20)))
	_, _, info = recipes["b"].cached(t, &fits)
	paths["b"] = info.Path
	old := st.ModTime().Add(-2 * time.Hour)
	os.Chtimes(paths["a"], old, old)
	os.Chtimes(paths["b"], old.Add(time.Second), old.Add(time.Second)) // b was used after a...
	if _, _, info := recipes["a"].cached(t, &fits); !info.Hit {
		t.Fatal("a is not cached")
	}
	// ...but a was loaded since, so b goes when c comes.
	_, _, info = recipes["c"].cached(t, &fits)
	paths["c"] = info.Path
	exists := func(name string) bool {
		_, err := os.Stat(paths[name])
		return err == nil
	}
	if !exists("a") || exists("b") || !exists("c") {
		t.Errorf("after storing c: a %v, b %v, c %v; want b, the least recently used, removed", exists("a"), exists("b"), exists("c"))
	}
	if _, _, info := recipes["b"].cached(t, &fits); info.Hit {
		t.Error("b loads after its eviction")
	}

	// A limit below one file keeps only the file just written.
	t.Setenv("DLNB_MODEL_CACHE_MAX", "0")
	_, _, info = recipes["d"].cached(t, &fits)
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.dlnbc"))
	if !slices.Equal(files, []string{info.Path}) {
		t.Errorf("with DLNB_MODEL_CACHE_MAX=0 the folder holds %v, want only %s", files, info.Path)
	}
}

func TestClearCache(t *testing.T) {
	dir, _ := useCache(t)
	fits := 0
	r := newRecipe()
	r.cached(t, &fits)
	r2 := r
	r2.notebook = "98_test"
	r2.cached(t, &fits)
	other := filepath.Join(dir, "99_test", "notes.txt") // not the cache's: it stays
	if err := os.WriteFile(other, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := train.ClearCache(); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*", "*.dlnbc")); len(files) > 0 {
		t.Errorf("after ClearCache: %v", files)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("ClearCache removed a file that is not the cache's: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "98_test")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the emptied folder 98_test stays: %v", err)
	}
	if _, _, info := r.cached(t, &fits); info.Hit || fits != 3 {
		t.Errorf("after ClearCache: Hit %v, fit ran %d times; want a miss", info.Hit, fits)
	}
}

func TestCacheOff(t *testing.T) {
	home := t.TempDir() // where the default folder would be
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", home)
	t.Setenv("DLNB_MODEL_CACHE", "off")
	if dir, err := train.CacheDir(); dir != "" || err != nil {
		t.Errorf("CacheDir() = %q, %v; want \"\", nil", dir, err)
	}
	r, fits := newRecipe(), 0
	for i := range 2 {
		if _, _, info := r.cached(t, &fits); info.Hit || info.Path != "" || fits != i+1 {
			t.Errorf("call %d: %+v, fit ran %d times; want fit to run every time", i, info, fits)
		}
	}
	if entries, _ := os.ReadDir(home); len(entries) > 0 {
		t.Errorf("with the cache off, %s holds %v", home, entries)
	}
}

func TestCacheDir(t *testing.T) {
	t.Setenv("DLNB_MODEL_CACHE", "")
	t.Setenv("XDG_CACHE_HOME", "/tmp/xdg")
	t.Setenv("HOME", "/tmp/home") // for macOS
	base, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if dir, err := train.CacheDir(); dir != filepath.Join(base, "dlnb", "models") || err != nil {
		t.Errorf("CacheDir() = %q, %v; want %s/dlnb/models", dir, err, base)
	}
	t.Setenv("DLNB_MODEL_CACHE", "/tmp/models")
	if dir, err := train.CacheDir(); dir != filepath.FromSlash("/tmp/models") || err != nil {
		t.Errorf("with DLNB_MODEL_CACHE: CacheDir() = %q, %v", dir, err)
	}
}

func TestCachedFitFails(t *testing.T) {
	dir, _ := useCache(t)
	model := cnn(1)
	key := newRecipe().key()
	boom := errors.New("boom")
	_, info, err := train.Cached(key, func() (*train.History, error) { return nil, boom }, model)
	if !errors.Is(err, boom) || info.Hit || info.Path != "" {
		t.Errorf("fit fails: %+v, %v; want its error", info, err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("fit's panic did not go on")
			}
		}()
		train.Cached(key, func() (*train.History, error) { panic("fit panics") }, model)
	}()
	if files, _ := filepath.Glob(filepath.Join(dir, "*", "*")); len(files) > 0 {
		t.Errorf("a failed fit stored %v", files)
	}
}

func TestCachedCannotStore(t *testing.T) {
	for _, tt := range []struct {
		name string
		dir  func(t *testing.T) string
		fit  func(model nn.Module) ([]float64, error)
		want string
	}{
		{"a folder under a file",
			func(t *testing.T) string {
				f := filepath.Join(t.TempDir(), "file")
				os.WriteFile(f, nil, 0o644)
				return filepath.Join(f, "cache")
			},
			func(model nn.Module) ([]float64, error) { return []float64{1}, nil },
			"not a directory"},
		{"a result that is not JSON",
			func(t *testing.T) string { return t.TempDir() },
			func(model nn.Module) ([]float64, error) { return []float64{math.NaN()}, nil },
			"cannot be stored as JSON"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, log := useCache(t)
			t.Setenv("DLNB_MODEL_CACHE", tt.dir(t))
			model := cnn(1)
			got, info, err := train.Cached(train.Key{Notebook: "99_test", Name: "x"}, func() ([]float64, error) { return tt.fit(model) }, model)
			if err != nil || len(got) != 1 || info.Hit || info.Path != "" {
				t.Errorf("got %v, %+v, %v; want the result, not stored", got, info, err)
			}
			if lines := strings.Split(strings.TrimSpace(log.String()), "\n"); len(lines) != 1 || !strings.Contains(lines[0], tt.want) ||
				!strings.HasPrefix(lines[0], "train: Cached: 99_test/x: trained but not stored: ") {
				t.Errorf("warning %q, want one line that says %q", log, tt.want)
			}
		})
	}
}

func TestCachedPanics(t *testing.T) {
	useCache(t)
	model := cnn(1)
	fit := func() (int, error) { return 0, nil }
	key := train.Key{Notebook: "99_test", Name: "cnn"}
	with := func(change func(k *train.Key)) train.Key {
		k := key
		change(&k)
		return k
	}
	var nilModel *nn.Sequential
	tests := []struct {
		name, want string
		f          func()
	}{
		{"no notebook", "train: Cached: key.Notebook is empty", func() { train.Cached(with(func(k *train.Key) { k.Notebook = "" }), fit, model) }},
		{"no name", "train: Cached: key.Name is empty", func() { train.Cached(with(func(k *train.Key) { k.Name = "" }), fit, model) }},
		{"a path in the name", `train: Cached: key.Name "a/b" names a file`, func() { train.Cached(with(func(k *train.Key) { k.Name = "a/b" }), fit, model) }},
		{"a backslash", `key.Name "a\\b"`, func() { train.Cached(with(func(k *train.Key) { k.Name = `a\b` }), fit, model) }},
		{"..", `key.Notebook ".." names a file`, func() { train.Cached(with(func(k *train.Key) { k.Notebook = ".." }), fit, model) }},
		{".", `key.Notebook "." names a file`, func() { train.Cached(with(func(k *train.Key) { k.Notebook = "." }), fit, model) }},
		{"nil fit", "train: Cached: fit is nil", func() { train.Cached[int](key, nil, model) }},
		{"no models", "train: Cached: no models", func() { train.Cached(key, fit) }},
		{"a nil model", "train: Cached: models[1]: model is a nil *nn.Sequential", func() { train.Cached(key, fit, model, nilModel) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { testutil.Panics(t, tt.want, tt.f) })
	}
}

// BenchmarkCachedHit measures a hit with the data of 10,000 MNIST images:
// hashing the key (mostly the data) and loading the model.
func BenchmarkCachedHit(b *testing.B) {
	b.Setenv("DLNB_MODEL_CACHE", b.TempDir())
	rng := newRNG(1)
	set := data.Set{X: dl.Randn(rng, 10000, 784), Y: dl.Zeros(10000)}
	key := train.Key{Notebook: "99_bench", Name: "mlp", Data: []data.Set{set}}
	fit := func() (int, error) { return 0, nil }
	model := nn.MLP(newRNG(2), 784, 256, 10)
	if _, _, err := train.Cached(key, fit, model); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, info, err := train.Cached(key, fit, nn.MLP(newRNG(2), 784, 256, 10)); err != nil || !info.Hit {
			b.Fatal(info, err)
		}
	}
}
