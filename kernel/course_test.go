package kernel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/kernel/ipynb"
)

// writeCourseNotebook writes a notebook whose first cell is the Markdown md.
func writeCourseNotebook(t *testing.T, path, md string) {
	t.Helper()
	nb := ipynb.New()
	nb.Cells = []*ipynb.Cell{{CellType: "markdown", Source: md}}
	if err := ipynb.WriteFile(path, nb); err != nil {
		t.Fatal(err)
	}
}

// The pages of a run link to each other in file name order, per folder,
// and WriteIndexes writes the table of contents that they link to.
func TestHTMLCourse(t *testing.T) {
	dir, other, out := t.TempDir(), t.TempDir(), t.TempDir()
	a, b, c := filepath.Join(dir, "01_a.ipynb"), filepath.Join(dir, "02_b.ipynb"), filepath.Join(dir, "03_c.ipynb")
	writeCourseNotebook(t, a, "# 01 · The perceptron: $y = wx$")
	writeCourseNotebook(t, b, "no heading")
	writeCourseNotebook(t, c, "## 03 · Three")
	alone := filepath.Join(other, "00_alone.ipynb")
	writeCourseNotebook(t, alone, "# Alone")

	// Given out of order: the course is in file name order.
	paths := []string{c, alone, a, b}
	opt := RunOptions{OutDir: out, HTML: true, Course: paths}
	if err := opt.Check(paths); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path       string
		prev, next ipynb.Link
	}{
		// Under --out, the notebook of the other folder is in the course.
		{alone, ipynb.Link{}, ipynb.Link{Href: "01_a.html", Text: "01 · The perceptron: $y = wx$"}},
		{a, ipynb.Link{Href: "00_alone.html", Text: "Alone"}, ipynb.Link{Href: "02_b.html", Text: "02_b"}},
		{b, ipynb.Link{Href: "01_a.html", Text: "01 · The perceptron: $y = wx$"}, ipynb.Link{Href: "03_c.html", Text: "03 · Three"}},
		{c, ipynb.Link{Href: "02_b.html", Text: "02_b"}, ipynb.Link{}},
	}
	for _, tt := range tests {
		p := opt.pageLinks(tt.path)
		if p.Prev != tt.prev || p.Next != tt.next || p.Index != (ipynb.Link{Href: "index.html", Text: "contents"}) {
			t.Errorf("links of %s: %+v, want prev %+v, next %+v and index.html", filepath.Base(tt.path), p, tt.prev, tt.next)
		}
	}

	written, err := WriteIndexes(paths, &opt)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(out, "index.html"); len(written) != 1 || written[0] != want {
		t.Fatalf("WriteIndexes wrote %v, want %s", written, want)
	}
	page, err := os.ReadFile(written[0])
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	rows := []string{
		`<tr><td><a href="00_alone.html">00_alone</a></td><td>Alone</td></tr>`,
		`<tr><td><a href="01_a.html">01_a</a></td><td>01 · The perceptron: <math>`,
		`<tr><td><a href="02_b.html">02_b</a></td><td>02_b</td></tr>`,
		`<tr><td><a href="03_c.html">03_c</a></td><td>03 · Three</td></tr>`,
	}
	last := -1
	for _, row := range rows {
		i := strings.Index(s, row)
		if i < 0 {
			t.Errorf("index lacks %q:\n%s", row, s)
		} else if i < last {
			t.Errorf("index: %q is out of order", row)
		}
		last = i
	}

	// Without --out the pages stay in their folders: the one alone there
	// gets no links, and its folder no index.
	opt = RunOptions{HTML: true, Course: paths}
	if p := opt.pageLinks(alone); p != (ipynb.Page{}) {
		t.Errorf("a notebook alone in its folder has links: %+v", p)
	}
	if p := opt.pageLinks(b); p.Next.Href != "03_c.out.html" || p.Index.Href != "index.out.html" {
		t.Errorf("links next to the notebooks: %+v, want 03_c.out.html and index.out.html", p)
	}
	written, err = WriteIndexes(paths, &opt)
	if err != nil || len(written) != 1 || written[0] != filepath.Join(dir, "index.out.html") {
		t.Errorf("WriteIndexes next to the notebooks wrote %v (%v), want only %s", written, err, filepath.Join(dir, "index.out.html"))
	}

	// No HTML, no index; one notebook, no links.
	if written, _ := WriteIndexes(paths, &RunOptions{OutDir: t.TempDir()}); len(written) != 0 {
		t.Errorf("WriteIndexes without HTML wrote %v", written)
	}
	one := RunOptions{OutDir: out, HTML: true, Course: []string{a}}
	if p := one.pageLinks(a); p != (ipynb.Page{}) {
		t.Errorf("a run of one notebook has links: %+v", p)
	}
}

// A notebook whose page would be the index is refused before it runs.
func TestHTMLCourseIndexClash(t *testing.T) {
	dir := t.TempDir()
	paths := []string{filepath.Join(dir, "01_a.ipynb"), filepath.Join(dir, "index.ipynb")}
	for _, p := range paths {
		writeNotebook(t, p)
	}
	opt := RunOptions{OutDir: t.TempDir(), HTML: true}
	err := opt.Check(paths)
	if err == nil || !strings.Contains(err.Error(), "index.ipynb: its page") || !strings.Contains(err.Error(), "would be the table of contents") {
		t.Errorf("Check = %v, want the clash with the index", err)
	}
	opt.HTML = false
	if err := opt.Check(paths); err != nil {
		t.Errorf("without --html: %v", err)
	}
}
