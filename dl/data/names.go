package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// The labels of [LabeledName]: which list a first name comes from.
const (
	FemaleName = 0 // the name is on the female list only
	MaleName   = 1 // the name is on the male list only
)

// LabeledName is a first name, lower-cased, with the list it comes from:
// Label is [FemaleName] (0) or [MaleName] (1).
type LabeledName struct {
	Name  string
	Label int
}

// NameLists returns the labeled-name task of the NLTK book's chapter 6
// (Bird, Klein and Loper, 2009, "Learning to Classify Text"): which list a
// first name comes from, for the female and male lists given, usually
// corpus.FemaleNames() and corpus.MaleNames(). Each name is lower-cased and
// trimmed; a name that is on both lists after lower-casing (such as
// "jean") is removed, since its label would be a coin toss, and a name
// repeated in one list appears once. The result is sorted by name, so the
// same lists always give the same slice.
//
// The lists are arguments, not read from package corpus, so that package
// data does not carry the embedded texts (see corpus's doc):
//
//	names := data.NameLists(corpus.FemaleNames(), corpus.MaleNames())
//	train, test := data.SplitNames(names, 0.2, rand.New(rand.NewPCG(1, 2)))
//
// NameLists panics if a list is empty or holds an empty name.
func NameLists(female, male []string) []LabeledName {
	if len(female) == 0 || len(male) == 0 {
		panic(fmt.Sprintf("data: NameLists: %d female and %d male names; both lists must be non-empty", len(female), len(male)))
	}
	set := func(list []string, which string) map[string]bool {
		s := make(map[string]bool, len(list))
		for i, n := range list {
			n = strings.ToLower(strings.TrimSpace(n))
			if n == "" {
				panic(fmt.Sprintf("data: NameLists: %s name %d is empty; remove empty names from the list", which, i))
			}
			s[n] = true
		}
		return s
	}
	f, m := set(female, "female"), set(male, "male")
	var out []LabeledName
	for n := range f {
		if !m[n] {
			out = append(out, LabeledName{n, FemaleName})
		}
	}
	for n := range m {
		if !f[n] {
			out = append(out, LabeledName{n, MaleName})
		}
	}
	slices.SortFunc(out, func(a, b LabeledName) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// SplitNames shuffles names with rng and puts the first testFrac of them
// (rounded to the nearest whole name) in test and the rest in train, as
// [Split] does for a [Set]; names itself is not changed. The same rng
// state gives the same split. A name is in exactly one of the two lists,
// so that a model pretrained on train's names never sees a test name.
//
// SplitNames panics if names is empty, if testFrac is not in (0, 1), if
// either part would be empty, or if rng is nil.
func SplitNames(names []LabeledName, testFrac float64, rng *rand.Rand) (train, test []LabeledName) {
	needRNG("SplitNames", rng)
	if !(testFrac > 0 && testFrac < 1) {
		panic(fmt.Sprintf("data: SplitNames: testFrac %v; it must be in (0, 1), e.g. 0.2", testFrac))
	}
	nTest := int(math.Round(testFrac * float64(len(names))))
	if nTest == 0 || nTest == len(names) {
		panic(fmt.Sprintf("data: SplitNames: %d names with testFrac %v leave a part empty; pass more names or another testFrac", len(names), testFrac))
	}
	s := slices.Clone(names)
	rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s[nTest:], s[:nTest]
}
