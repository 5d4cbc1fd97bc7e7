package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEPromisesHaveTests checks that every test that the README's
// "What dlnb promises" table names exists, so that a renamed or deleted
// test cannot leave a promise that nothing checks.
func TestREADMEPromisesHaveTests(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## What dlnb promises\n")
	if !ok {
		t.Fatal(`README.md has no "## What dlnb promises" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	named := regexp.MustCompile("`((?:Test|Fuzz)[A-Za-z0-9_]+)(?:/[^`]*)?`").FindAllStringSubmatch(section, -1)
	if len(named) < 20 {
		t.Fatalf("the promises name %d tests; the table was not read whole", len(named))
	}
	defined := map[string]bool{}
	decl := regexp.MustCompile(`(?m)^func ((?:Test|Fuzz)[A-Za-z0-9_]+)\(`)
	err = filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		for _, m := range decl.FindAllStringSubmatch(string(src), -1) {
			defined[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range named {
		if !defined[m[1]] {
			t.Errorf("README.md promises that %s checks something, but no test of that name exists", m[1])
		}
	}
}
