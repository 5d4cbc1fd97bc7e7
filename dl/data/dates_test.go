package data_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/internal/testutil"
)

// TestDates checks that every source parses back, with time.Parse, to the
// date of its target, in some layout of DateFormats, and that every layout
// is drawn.
func TestDates(t *testing.T) {
	pairs := data.Dates(newRNG(1), 3000, data.DateTrain)
	tok := data.DateTokenizer()
	used := map[string]int{}
	minLen, maxLen := 100, 0
	for _, p := range pairs {
		want, err := time.Parse(data.DateLayout, p.Target)
		if err != nil || len(p.Target) != 10 {
			t.Fatalf("target %q: %v", p.Target, err)
		}
		if want.Year() < 1970 || want.Year() > 2049 {
			t.Errorf("target %q outside 1970–2049", p.Target)
		}
		found := false
		for _, layout := range data.DateFormats {
			got, err := time.Parse(layout, p.Source)
			if err == nil && got.Equal(want) && got.Format(layout) == p.Source {
				used[layout]++
				found = true
				break
			}
		}
		if !found {
			t.Errorf("source %q does not parse to %s in any layout of DateFormats", p.Source, p.Target)
		}
		minLen, maxLen = min(minLen, len(p.Source)), max(maxLen, len(p.Source))
		tok.Encode(p.Source) // panics on a character outside the vocabulary
		tok.Encode(p.Target)
	}
	for _, layout := range data.DateFormats {
		if used[layout] < 100 {
			t.Errorf("layout %q used %d times in 3000 dates, want about 300", layout, used[layout])
		}
	}
	if minLen != 8 || maxLen < 25 || maxLen > 29 {
		t.Errorf("source lengths %d..%d, want 8 to about 29", minLen, maxLen)
	}
	// The longest source of all: a Wednesday in September with a two-digit day.
	longest := time.Date(2010, 9, 29, 0, 0, 0, 0, time.UTC)
	for _, layout := range data.DateFormats {
		s := longest.Format(layout)
		tok.Encode(s)
		if len(s) > 29 {
			t.Errorf("%q has %d characters, over the 29 that Dates documents", s, len(s))
		}
	}

	if !slices.Equal(pairs, data.Dates(newRNG(1), 3000, data.DateTrain)) {
		t.Errorf("the same seed gives other dates")
	}
	if slices.Equal(pairs[:100], data.Dates(newRNG(2), 100, data.DateTrain)) {
		t.Errorf("two seeds give the same dates")
	}
	testutil.Panics(t, "data: Dates: n=0, want at least 1", func() { data.Dates(newRNG(1), 0, data.DateTrain) })
	testutil.Panics(t, "data: Dates: split 2, want DateTrain or DateTest", func() { data.Dates(newRNG(1), 1, 2) })
	testutil.Panics(t, "data: Dates: rng is nil", func() { data.Dates(nil, 1, data.DateTest) })
}

// TestDatesDisjoint checks that no date of the test split is drawn for
// training, whatever the seeds, and that the test split is about a fifth
// of the days.
func TestDatesDisjoint(t *testing.T) {
	train := map[string]bool{}
	for _, p := range data.Dates(newRNG(3), 20000, data.DateTrain) {
		train[p.Target] = true
	}
	test := data.Dates(newRNG(4), 2000, data.DateTest)
	for _, p := range test {
		if train[p.Target] {
			t.Fatalf("test date %s (%q) is also a training date", p.Target, p.Source)
		}
		d, _ := time.Parse(data.DateLayout, p.Target)
		if !data.IsTestDate(d) {
			t.Fatalf("test date %s is not IsTestDate", p.Target)
		}
	}
	if len(train) < 10000 {
		t.Errorf("only %d distinct training dates in 20000", len(train))
	}
	n, days := 0, 0
	for d := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2050; d = d.AddDate(0, 0, 1) {
		days++
		if data.IsTestDate(d) {
			n++
		}
	}
	if f := float64(n) / float64(days); f < 0.18 || f > 0.22 {
		t.Errorf("%.3f of the days are test dates, want about 0.2", f)
	}
	// The split depends on the day alone, not on the time or the zone.
	d := time.Date(2014, 3, 3, 0, 0, 0, 0, time.UTC)
	if data.IsTestDate(d) != data.IsTestDate(time.Date(2014, 3, 3, 23, 59, 0, 0, time.FixedZone("x", 5*3600))) {
		t.Errorf("IsTestDate depends on the time of day")
	}
}
