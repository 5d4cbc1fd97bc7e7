package data

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dlnb/dlnb/dl"
)

// digitsGz is scikit-learn's digits.csv.gz, taken unchanged from Debian's
// python3-sklearn package; see DIGITS-LICENSE.md.
//
//go:embed digits.csv.gz
var digitsGz []byte

const (
	digitsRows   = 1797 // images in the file
	digitsPixels = 64   // 8×8 pixels per image
	digitsMax    = 16   // a pixel counts the on bits of a 4×4 block: 0..16
)

// Digits returns the 8×8 handwritten digits of UCI "Optical Recognition of
// Handwritten Digits" (Alpaydin & Kaynak, 1998), 1797 images, the copy that
// scikit-learn ships as load_digits: X [1797, 64] holds the pixels of each
// image row by row, scaled from 0..16 to [0, 1], and Y [1797] the labels
// 0..9, about 180 of each. Reshape a row to [8, 8] to see the image.
//
// The file is embedded in the package, so Digits reads no file and needs no
// network. Each call returns fresh tensors.
//
// Digits panics if the embedded copy is damaged, which only a change to
// the package's own files can do; the message says how to restore it.
func Digits() Set {
	s, err := embeddedDigits(digitsGz)
	if err != nil {
		panic(err.Error())
	}
	return s
}

// embeddedDigits reads the embedded digits file, gz, and checks that it
// holds all the images.
func embeddedDigits(gz []byte) (Set, error) {
	s, err := readDigits(bytes.NewReader(gz))
	if err != nil {
		return Set{}, fmt.Errorf("%w (the embedded dl/data/digits.csv.gz is damaged; restore it with git checkout dl/data/digits.csv.gz)", err)
	}
	if n := s.Len(); n != digitsRows {
		return Set{}, fmt.Errorf("data: Digits: the embedded file has %d images, want %d; restore it with git checkout dl/data/digits.csv.gz", n, digitsRows)
	}
	return s, nil
}

// readDigits decompresses gzipped digits CSV from r and parses it with
// parseDigits.
func readDigits(r io.Reader) (Set, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return Set{}, fmt.Errorf("data: digits: not a gzip file: %v", err)
	}
	defer zr.Close()
	s, err := parseDigits(zr)
	if err != nil {
		return Set{}, err
	}
	// Reading to the end checks the gzip checksum.
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return Set{}, fmt.Errorf("data: digits: broken gzip data: %v", err)
	}
	return s, nil
}

// parseDigits reads digits in scikit-learn's CSV format from r: one image a
// line, 65 comma-separated whole numbers, the 64 pixels 0..16 row by row and
// then the label 0..9. Blank lines, spaces around numbers and "\r\n" line ends
// are allowed. It returns X [n, 64] with the pixels divided by 16 and Y [n].
//
// It returns an error, never panics, on anything else: a wrong number of
// fields, a field that is not a number, a value out of range, or no images.
func parseDigits(r io.Reader) (Set, error) {
	sc := bufio.NewScanner(r)
	var x, y []float64
	n, line := 0, 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		fields := strings.Split(text, ",")
		if len(fields) != digitsPixels+1 {
			return Set{}, fmt.Errorf("data: digits line %d: %d comma-separated fields, want %d (64 pixels and a label)",
				line, len(fields), digitsPixels+1)
		}
		for j, f := range fields {
			hi, what := digitsMax, "pixel"
			if j == digitsPixels {
				hi, what = 9, "label"
			}
			v, err := wholeNumber(f, hi)
			if err != nil {
				return Set{}, fmt.Errorf("data: digits line %d, field %d: %s %v", line, j+1, what, err)
			}
			if j == digitsPixels {
				y = append(y, float64(v))
			} else {
				x = append(x, float64(v)/digitsMax)
			}
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return Set{}, fmt.Errorf("data: digits: reading line %d: %v", line+1, err)
	}
	if n == 0 {
		return Set{}, fmt.Errorf("data: digits: no images found; want lines of 65 comma-separated numbers")
	}
	return Set{X: dl.New(x, n, digitsPixels), Y: dl.New(y, n)}, nil
}

// wholeNumber parses f as a whole number in 0..hi. It accepts "7" and also
// "7.0", as numpy may write.
func wholeNumber(f string, hi int) (int, error) {
	f = strings.TrimSpace(f)
	v, err := strconv.ParseFloat(f, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", f)
	}
	// NaN fails every comparison, so it is rejected here too.
	if !(v >= 0 && v <= float64(hi)) || v != float64(int(v)) {
		return 0, fmt.Errorf("%q is not a whole number in 0..%d", f, hi)
	}
	return int(v), nil
}
