package mnist

import (
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
)

// The four files of a set in LeCun's IDX format, gzipped. MNIST and
// Fashion-MNIST use the same names.
const (
	trainImages = "train-images-idx3-ubyte.gz"
	trainLabels = "train-labels-idx1-ubyte.gz"
	testImages  = "t10k-images-idx3-ubyte.gz"
	testLabels  = "t10k-labels-idx1-ubyte.gz"
)

const (
	imageMagic = 0x00000803 // unsigned bytes, 3 dimensions: n, rows, cols
	labelMagic = 0x00000801 // unsigned bytes, 1 dimension: n
	maxImages  = 1 << 20    // more than any MNIST-like file holds; guards the allocation
)

// raw is one split as stored in the files: n images of Pixels bytes each,
// row by row, and n labels.
type raw struct {
	pixels []byte // [n*Pixels], 0 (background) .. 255 (ink)
	labels []byte // [n], 0..9
}

// pair is a training and a test split.
type pair struct{ train, test *raw }

// scale maps a byte to [0, 1]: scale[b] = b/255.
var scale = func() (s [256]float64) {
	for b := range s {
		s[b] = float64(b) / 255
	}
	return s
}()

// set turns r into a data.Set: X [n, Pixels] in [0, 1]
// and Y [n] with the labels as float64.
func (r *raw) set() data.Set {
	n := len(r.labels)
	x := make([]float64, len(r.pixels))
	for i, b := range r.pixels {
		x[i] = scale[b]
	}
	y := make([]float64, n)
	for i, l := range r.labels {
		y[i] = float64(l)
	}
	return data.Set{X: dl.New(x, n, Pixels), Y: dl.New(y, n)}
}

// cache keeps a data set after its first successful load. A failed load
// is not kept: the next call tries again, after the user has fixed the
// files.
type cache struct {
	mu          sync.Mutex
	train, test data.Set
}

// get returns the cached sets, or loads them with load and converts them.
func (c *cache) get(load func() (*pair, error)) (train, test data.Set, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.train.X == nil {
		p, err := load()
		if err != nil {
			return data.Set{}, data.Set{}, err
		}
		c.train, c.test = p.sets()
	}
	return c.train, c.test, nil
}

// sets returns data.Sets made from p.
func (p *pair) sets() (train, test data.Set) { return p.train.set(), p.test.set() }

// readDir reads the four IDX files in dir, the four at once. want, if not
// nil, holds the numbers of training and test images the files must have.
// fix is appended to every error: what the user should do about it.
func readDir(dir string, want *[2]int, fix string) (*pair, error) {
	files := [4]string{trainImages, trainLabels, testImages, testLabels}
	var bufs [4][]byte
	var errs [4]error
	var wg sync.WaitGroup
	for i, name := range files {
		wg.Go(func() {
			path := filepath.Join(dir, name)
			if i%2 == 0 {
				bufs[i], errs[i] = readImages(path)
			} else {
				bufs[i], errs[i] = readLabels(path)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%w; %s", err, fix)
		}
	}
	p := &pair{
		train: &raw{pixels: bufs[0], labels: bufs[1]},
		test:  &raw{pixels: bufs[2], labels: bufs[3]},
	}
	for i, r := range []*raw{p.train, p.test} {
		imgs := files[2*i]
		n := len(r.pixels) / Pixels
		if n != len(r.labels) {
			return nil, fmt.Errorf("mnist: %s has %d images but %s has %d labels; %s",
				filepath.Join(dir, imgs), n, files[2*i+1], len(r.labels), fix)
		}
		if want != nil && n != want[i] {
			return nil, fmt.Errorf("mnist: %s has %d images, want %d; %s", filepath.Join(dir, imgs), n, want[i], fix)
		}
	}
	return p, nil
}

// readImages reads a gzipped IDX image file of 28×28 images and returns
// its pixels, n*Pixels bytes.
func readImages(path string) ([]byte, error) {
	b, err := readGzip(path, 16, func(h []byte) (int, error) {
		if m := binary.BigEndian.Uint32(h); m != imageMagic {
			return 0, fmt.Errorf("magic number %#08x, want %#08x (an IDX image file)", m, imageMagic)
		}
		n := binary.BigEndian.Uint32(h[4:])
		r, c := binary.BigEndian.Uint32(h[8:]), binary.BigEndian.Uint32(h[12:])
		if r != Rows || c != Cols {
			return 0, fmt.Errorf("images of %d×%d pixels, want %d×%d", r, c, Rows, Cols)
		}
		if n > maxImages {
			return 0, fmt.Errorf("header says %d images, more than %d", n, maxImages)
		}
		return int(n) * Pixels, nil
	})
	return b, err
}

// readLabels reads a gzipped IDX label file and returns its labels, which
// must be in 0..9.
func readLabels(path string) ([]byte, error) {
	b, err := readGzip(path, 8, func(h []byte) (int, error) {
		if m := binary.BigEndian.Uint32(h); m != labelMagic {
			return 0, fmt.Errorf("magic number %#08x, want %#08x (an IDX label file)", m, labelMagic)
		}
		n := binary.BigEndian.Uint32(h[4:])
		if n > maxImages {
			return 0, fmt.Errorf("header says %d labels, more than %d", n, maxImages)
		}
		return int(n), nil
	})
	if err != nil {
		return nil, err
	}
	for i, l := range b {
		if l > 9 {
			return nil, fmt.Errorf("mnist: %s: label %d at index %d, want 0..9", path, l, i)
		}
	}
	return b, nil
}

// readGzip opens the gzipped file path, reads a header of headerLen bytes,
// asks header for the number of bytes that follow, and returns them. The
// file must end right after them, and its gzip checksum must be right.
func readGzip(path string, headerLen int, header func([]byte) (int, error)) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mnist: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: not a gzip file: %v", path, err)
	}
	defer zr.Close()
	h := make([]byte, headerLen)
	if _, err := io.ReadFull(zr, h); err != nil {
		return nil, fmt.Errorf("mnist: %s: reading the IDX header: %v", path, err)
	}
	size, err := header(h)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: %v", path, err)
	}
	body, err := readBody(zr, size)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: the header announces %d bytes of data, the file holds %d: %v", path, size, len(body), err)
	}
	// Reading to the end checks that nothing follows and the gzip checksum.
	// Up to 1 MB of what follows is read, into no buffer, to say how much.
	rest, err := io.Copy(io.Discard, io.LimitReader(zr, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: broken gzip data: %v", path, err)
	}
	if rest > 0 {
		return nil, fmt.Errorf("mnist: %s: %d bytes or more after the %d the header announces", path, rest, size)
	}
	return body, nil
}

// firstChunk is the most memory readBody takes before data arrives.
const firstChunk = 64 << 10

// readBody reads n bytes from r. It does not trust n, which comes from the
// file's header: the buffer starts at firstChunk bytes at most and doubles
// as data arrives, so a header that announces more than the file holds
// costs a few times the data that is there (the doublings add up to less
// than four times it), not what the header says. The gzip size is no
// guide, since a gzip file does not say up front how much it decompresses
// to. On a short read it returns what arrived and io.ErrUnexpectedEOF.
func readBody(r io.Reader, n int) ([]byte, error) {
	b := make([]byte, 0, min(n, firstChunk))
	for len(b) < n {
		if len(b) == cap(b) {
			b = slices.Grow(b, min(n-len(b), len(b))) // double, up to n
		}
		k, err := r.Read(b[len(b):min(cap(b), n)])
		b = b[:len(b)+k]
		switch {
		case len(b) == n:
			// An error with the last bytes (a bad gzip checksum) comes
			// again from the caller's next read.
		case err == io.EOF:
			return b, io.ErrUnexpectedEOF
		case err != nil:
			return b, err
		}
	}
	return b, nil
}
