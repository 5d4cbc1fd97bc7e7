package data

import (
	"bytes"
	"compress/gzip"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"
)

func TestDigits(t *testing.T) {
	s := Digits()
	if !slices.Equal(s.X.Shape(), []int{1797, 64}) || !slices.Equal(s.Y.Shape(), []int{1797}) {
		t.Fatalf("shapes X %v Y %v, want [1797 64] [1797]", s.X.Shape(), s.Y.Shape())
	}
	for i, v := range s.X.Data() {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("pixel %d = %v, want it in [0, 1]", i, v)
		}
	}
	if slices.Max(s.X.Data()) != 1 {
		t.Errorf("no pixel is 1; the 0..16 scale was not used")
	}
	counts := make([]int, 10)
	for _, y := range s.Y.Data() {
		counts[int(y)]++
	}
	for d, c := range counts {
		if c < 170 || c > 190 {
			t.Errorf("digit %d: %d images, want about 180 (170..190); all counts %v", d, c, counts)
		}
	}

	// The first line of digits.csv.gz is a 0:
	// 0,0,5,13,9,1,0,0, 0,0,13,15,10,15,5,0, ... ,0
	first := s.X.Data()[:64]
	for _, p := range []struct {
		i    int
		want float64
	}{{0, 0}, {2, 5}, {3, 13}, {4, 9}, {5, 1}, {10, 13}, {11, 15}, {12, 10}, {13, 15}, {14, 5}, {58, 6}, {59, 13}, {60, 10}, {63, 0}} {
		if got := first[p.i]; got != p.want/16 {
			t.Errorf("first image, pixel %d = %v, want %v/16", p.i, got, p.want)
		}
	}
	if s.Y.Data()[0] != 0 || s.Y.Data()[1] != 1 || s.Y.Data()[2] != 2 || s.Y.Data()[1796] != 8 {
		t.Errorf("labels 0, 1, 2 and last = %v %v %v %v, want 0 1 2 8",
			s.Y.Data()[0], s.Y.Data()[1], s.Y.Data()[2], s.Y.Data()[1796])
	}

	// Each call returns fresh tensors.
	s.X.Data()[0] = 7
	if again := Digits(); again.X.Data()[0] != 0 {
		t.Errorf("changing one Digits() changed the next")
	}
}

// validLine is a line of the digits format: 64 pixels and the label 3.
func validLine(pixel string) string {
	return strings.Repeat(pixel+",", 64) + "3"
}

func TestParseDigits(t *testing.T) {
	s, err := parseDigits(strings.NewReader("\n " + validLine("16") + "\r\n\n" + validLine(" 4.0 ") + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.X.Shape(), []int{2, 64}) || !slices.Equal(s.Y.Data(), []float64{3, 3}) {
		t.Fatalf("got X %v Y %v, want [2 64] and labels [3 3]", s.X.Shape(), s.Y.Data())
	}
	if s.X.Data()[0] != 1 || s.X.Data()[64] != 0.25 {
		t.Errorf("pixels %v and %v, want 1 and 0.25", s.X.Data()[0], s.X.Data()[64])
	}

	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "no images"},
		{"blank lines", "\n\n  \n", "no images"},
		{"too few fields", "1,2,3\n", "line 1: 3 comma-separated fields, want 65"},
		{"too many fields", validLine("0") + ",1\n", "66 comma-separated fields"},
		{"not a number", validLine("0") + "\n" + strings.Replace(validLine("0"), "0", "x", 1), `line 2, field 1: pixel "x" is not a number`},
		{"pixel 17", strings.Replace(validLine("0"), "0", "17", 1), "pixel \"17\" is not a whole number in 0..16"},
		{"pixel -1", strings.Replace(validLine("0"), "0", "-1", 1), "0..16"},
		{"pixel 1.5", strings.Replace(validLine("0"), "0", "1.5", 1), "0..16"},
		{"pixel NaN", strings.Replace(validLine("0"), "0", "NaN", 1), "0..16"},
		{"pixel Inf", strings.Replace(validLine("0"), "0", "Inf", 1), "0..16"},
		{"label 10", strings.TrimSuffix(validLine("0"), "3") + "10", "field 65: label \"10\" is not a whole number in 0..9"},
		{"empty field", strings.Replace(validLine("0"), "0,", ",", 1), "is not a number"},
		{"long line", strings.Repeat("0", 100000), "token too long"},
	} {
		_, err := parseDigits(strings.NewReader(tc.in))
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "data: ") || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: error %q, want one starting with \"data: \" that contains %q", tc.name, msg, tc.want)
		}
	}
}

func TestReadDigitsCorrupted(t *testing.T) {
	good := bytes.NewBuffer(gzipped(validLine("1") + "\n"))
	if s, err := readDigits(bytes.NewReader(good.Bytes())); err != nil || s.Len() != 1 {
		t.Fatalf("a good gzip file: %v rows, error %v", s.Len(), err)
	}

	flipped := slices.Clone(digitsGz)
	flipped[len(flipped)/2] ^= 0xff
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"not gzip", []byte(validLine("1"))},
		{"truncated", digitsGz[:len(digitsGz)/2]},
		{"flipped byte", flipped},
		{"bad checksum", append(slices.Clone(good.Bytes()[:good.Len()-8]), 0, 0, 0, 0, 0, 0, 0, 0)},
	} {
		_, err := readDigits(bytes.NewReader(tc.in))
		if err == nil || !strings.HasPrefix(err.Error(), "data: ") {
			t.Errorf("%s: error %v, want one starting with \"data: \"", tc.name, err)
		}
	}
}

// A damaged embedded file is a programmer error: Digits panics with a
// message that says how to restore the file.
func TestDigitsDamaged(t *testing.T) {
	good := digitsGz
	defer func() { digitsGz = good }()
	for _, tc := range []struct {
		name string
		gz   []byte
		want string
	}{
		{"truncated", good[:len(good)/2], "the embedded dl/data/digits.csv.gz is damaged; restore it with git checkout dl/data/digits.csv.gz"},
		{"too few images", gzipped(validLine("1") + "\n"), "data: Digits: the embedded file has 1 images, want 1797; restore it with git checkout"},
	} {
		digitsGz = tc.gz
		t.Run(tc.name, func(t *testing.T) { testutil.Panics(t, tc.want, func() { Digits() }) })
	}
}

// gzipped returns text compressed with gzip.
func gzipped(text string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(text))
	zw.Close()
	return b.Bytes()
}

// FuzzParseDigits checks that parseDigits never panics, and that whatever it
// accepts is consistent: X [n, 64] with values in [0, 1], Y [n] labels 0..9.
func FuzzParseDigits(f *testing.F) {
	f.Add(validLine("0") + "\n")
	f.Add(validLine("16") + "\r\n" + validLine("7") + "\n")
	f.Add("0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0,0\n")
	f.Add("")
	f.Add("\n\n")
	f.Add("1,2,3\n")
	f.Add(validLine("17"))
	f.Add(validLine("NaN"))
	f.Add(validLine("-0"))
	f.Add(validLine("1e1"))
	f.Add(validLine("0x10"))
	f.Add(strings.TrimSuffix(validLine("0"), "3") + "9.5")
	f.Add(validLine("0") + ",")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := parseDigits(strings.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "data: ") {
				t.Errorf("error %q does not start with \"data: \"", err)
			}
			return
		}
		n := s.Len()
		if n < 1 || !slices.Equal(s.X.Shape(), []int{n, 64}) || !slices.Equal(s.Y.Shape(), []int{n}) {
			t.Fatalf("shapes X %v Y %v for n = %d", s.X.Shape(), s.Y.Shape(), n)
		}
		for _, v := range s.X.Data() {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("pixel %v outside [0, 1]", v)
			}
		}
		for _, y := range s.Y.Data() {
			if y != math.Trunc(y) || y < 0 || y > 9 {
				t.Fatalf("label %v is not 0..9", y)
			}
		}
	})
}
