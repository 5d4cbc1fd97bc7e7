package data

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// DateFormats are the layouts of the sources of [Dates], in the notation
// of Go's time package (the reference date Monday, 2 January 2006): each
// source is a date written in one of them, and time.Parse with the same
// layout reads it back. Slashes are month first, as in the US ("01/02/06"
// is 2 January 2006); dots are day first, as in much of Europe, so that
// no source is ambiguous. Two-digit years follow time.Parse: 70–99 are
// 1970–1999 and 00–49 are 2000–2049, the years that Dates draws.
var DateFormats = []string{
	"2 January 2006",
	"January 2, 2006",
	"01/02/06",
	"2 Jan 2006",
	"Jan 2, 2006",
	"02.01.2006",
	"Monday, 2 January 2006",
	"Mon 2 Jan 06",
	"2006-01-02",
	"Jan 02 2006",
}

// DateLayout is the layout of the targets of [Dates], ISO 8601: "2014-03-03".
const DateLayout = "2006-01-02"

// The dates that Dates draws: every day from 1 January 1970 to 31
// December 2049.
var (
	firstDate = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	numDays   = int(time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC).Sub(firstDate).Hours() / 24)
)

// DateSplit says which dates [Dates] draws from: the dates of the two
// splits are disjoint, so that a test measures whether a model has learned
// to read dates, not remembered them.
type DateSplit int

const (
	// DateTrain holds about 80% of the days.
	DateTrain DateSplit = iota
	// DateTest holds the other 20%.
	DateTest
)

// IsTestDate reports whether the day of t (its year, month and day) is in
// the [DateTest] split. The split is fixed: it depends on the day alone,
// through a hash of its number, not on a seed, so the train and test dates
// of any two calls of [Dates] are disjoint.
func IsTestDate(t time.Time) bool {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	n := uint64(day.Unix() / 86400) // the day's number since 1 January 1970
	// splitmix64's finalizer spreads neighbouring days over the splits.
	n ^= n >> 30
	n *= 0xbf58476d1ce4e5b9
	n ^= n >> 27
	n *= 0x94d049bb133111eb
	n ^= n >> 31
	return n%5 == 0
}

// Dates returns n pairs of the date-normalisation task of the attention
// tutorials (after Bahdanau et al., 2014, whose attention maps line up
// the words of two sentences): the source is a date between 1970 and 2049
// written in one of the [DateFormats], drawn uniformly, such as
// "3 March 2014", "March 3, 2014", "03/03/14" or "Monday, 3 March 2014",
// and the target the same date as "2014-03-03" ([DateLayout]). The sources
// have 8 to 29 characters, the targets 10. The days are drawn uniformly
// from those of split ([IsTestDate]). Tokenize with [DateTokenizer].
//
//	train := data.Dates(rand.New(rand.NewPCG(1, 1)), 5000, data.DateTrain)
//	test := data.Dates(rand.New(rand.NewPCG(2, 1)), 500, data.DateTest)
//
// Dates panics if n is below 1, if split is neither DateTrain nor
// DateTest, or if rng is nil.
func Dates(rng *rand.Rand, n int, split DateSplit) []Pair {
	if n < 1 {
		panic(fmt.Sprintf("data: Dates: n=%d, want at least 1", n))
	}
	if split != DateTrain && split != DateTest {
		panic(fmt.Sprintf("data: Dates: split %d, want DateTrain or DateTest", split))
	}
	needRNG("Dates", rng)
	pairs := make([]Pair, n)
	for i := range pairs {
		var day time.Time
		for {
			day = firstDate.AddDate(0, 0, rng.IntN(numDays))
			if IsTestDate(day) == (split == DateTest) {
				break
			}
		}
		layout := DateFormats[rng.IntN(len(DateFormats))]
		pairs[i] = Pair{Source: day.Format(layout), Target: day.Format(DateLayout)}
	}
	return pairs
}

// DateTokenizer returns the tokenizer of [Dates]: the special tokens Pad,
// Begin and End, then every character that a source or target can hold
// (the digits, the letters of the month and weekday names, space, comma,
// dot, slash and hyphen).
func DateTokenizer() *CharTokenizer {
	var b strings.Builder
	b.WriteString("0123456789 ,./-")
	for m := time.January; m <= time.December; m++ {
		b.WriteString(m.String())
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		b.WriteString(d.String())
	}
	return NewCharTokenizer(b.String()).WithSpecials()
}
