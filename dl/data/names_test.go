package data_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/dl/data"
	"github.com/dlnb/dlnb/dl/data/corpus"
	"github.com/dlnb/dlnb/internal/testutil"
)

func TestNameListsSmall(t *testing.T) {
	got := data.NameLists([]string{"Anna", "Jean", "Mary", "anna", " Eve "}, []string{"John", "JEAN", "Bob"})
	want := []data.LabeledName{{"anna", data.FemaleName}, {"bob", data.MaleName}, {"eve", data.FemaleName}, {"john", data.MaleName}, {"mary", data.FemaleName}}
	if !slices.Equal(got, want) {
		t.Fatalf("NameLists = %v, want %v", got, want)
	}
}

func TestNameListsCorpus(t *testing.T) {
	f, m := corpus.FemaleNames(), corpus.MaleNames()
	names := data.NameLists(f, m)
	female, male := map[string]bool{}, map[string]bool{}
	for _, n := range f {
		female[lower(n)] = true
	}
	for _, n := range m {
		male[lower(n)] = true
	}
	both := 0
	for n := range female {
		if male[n] {
			both++
		}
	}
	if both == 0 {
		t.Fatal("no name is on both lists; the test expects some (such as jean)")
	}
	if want := len(female) + len(male) - 2*both; len(names) != want {
		t.Errorf("%d names, want %d (%d female + %d male - 2·%d on both)", len(names), want, len(female), len(male), both)
	}
	counts := [2]int{}
	for i, n := range names {
		if i > 0 && names[i-1].Name >= n.Name {
			t.Fatalf("names not sorted or repeated at %d: %q, %q", i, names[i-1].Name, n.Name)
		}
		switch {
		case female[n.Name] && male[n.Name]:
			t.Errorf("%q is on both lists but kept", n.Name)
		case female[n.Name] && n.Label != data.FemaleName, male[n.Name] && n.Label != data.MaleName:
			t.Errorf("%q has label %d", n.Name, n.Label)
		}
		counts[n.Label]++
	}
	t.Logf("%d names: %d female, %d male, %d removed as on both lists", len(names), counts[0], counts[1], both)
}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func TestSplitNames(t *testing.T) {
	names := data.NameLists(corpus.FemaleNames(), corpus.MaleNames())
	orig := slices.Clone(names)
	train, test := data.SplitNames(names, 0.2, rand.New(rand.NewPCG(3, 4)))
	if !slices.Equal(names, orig) {
		t.Error("SplitNames changed its argument")
	}
	if want := (len(names)*2 + 5) / 10; len(test) != want || len(train)+len(test) != len(names) {
		t.Errorf("split %d + %d of %d, want test %d", len(train), len(test), len(names), want)
	}
	seen := map[data.LabeledName]int{}
	for _, n := range train {
		seen[n]++
	}
	for _, n := range test {
		seen[n] += 10
	}
	for _, n := range names {
		if c := seen[n]; c != 1 && c != 10 {
			t.Fatalf("%v is in train %d and test %d times", n, c%10, c/10)
		}
	}
	train2, test2 := data.SplitNames(names, 0.2, rand.New(rand.NewPCG(3, 4)))
	if !slices.Equal(train, train2) || !slices.Equal(test, test2) {
		t.Error("the same seed gave another split")
	}
	_, test3 := data.SplitNames(names, 0.2, rand.New(rand.NewPCG(5, 4)))
	if slices.Equal(test, test3) {
		t.Error("another seed gave the same split")
	}
}

func TestNamesPanics(t *testing.T) {
	two := []data.LabeledName{{"a", 0}, {"b", 1}}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		want string
		f    func()
	}{
		{"data: NameLists: 0 female and 1 male names", func() { data.NameLists(nil, []string{"bob"}) }},
		{"data: NameLists: male name 1 is empty", func() { data.NameLists([]string{"ann"}, []string{"bob", " "}) }},
		{"data: SplitNames: rng is nil", func() { data.SplitNames(two, 0.5, nil) }},
		{"data: SplitNames: testFrac 1;", func() { data.SplitNames(two, 1, rng) }},
		{"data: SplitNames: 2 names with testFrac 0.1 leave a part empty", func() { data.SplitNames(two, 0.1, rng) }},
	} {
		testutil.Panics(t, tc.want, tc.f)
	}
}

// A name on both lists is dropped; the rest keep the list they come from.
func ExampleNameLists() {
	names := data.NameLists([]string{"Anna", "Jean", "Mary"}, []string{"Jean", "John", "Paul"})
	fmt.Println(names)
	train, test := data.SplitNames(names, 0.25, rand.New(rand.NewPCG(1, 2)))
	fmt.Println(len(train), "train,", len(test), "test")
	// Output:
	// [{anna 0} {john 1} {mary 0} {paul 1}]
	// 3 train, 1 test
}
