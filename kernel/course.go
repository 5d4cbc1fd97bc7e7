package kernel

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dlnb/dlnb/kernel/ipynb"
)

// A run that writes the HTML pages of two or more notebooks into one
// folder makes a course of them: each page links to the pages before and
// after it, in file name order (the course's order: 00_…, 01_…), and to a
// table of contents in the same folder, index.html under --out and
// index.out.html next to the notebooks (like the pages, NAME.out.html).

// coursePages returns the HTML pages that the notebooks in paths get, by
// folder, each folder's in file name order, for the folders that get two
// or more; page i of a folder is that of notebook names[i].
func coursePages(paths []string, o *RunOptions) map[string][]courseEntry {
	byDir := make(map[string][]courseEntry)
	for _, p := range paths {
		_, htmlPath := o.outPaths(p)
		dir := filepath.Dir(htmlPath)
		byDir[dir] = append(byDir[dir], courseEntry{notebook: p, page: htmlPath})
	}
	for dir, pages := range byDir {
		if len(pages) < 2 {
			delete(byDir, dir)
			continue
		}
		sort.SliceStable(pages, func(i, j int) bool { return filepath.Base(pages[i].page) < filepath.Base(pages[j].page) })
	}
	return byDir
}

// courseEntry is a notebook of a course and its page.
type courseEntry struct{ notebook, page string }

// indexPath returns the path of the table of contents in dir.
func (o *RunOptions) indexPath(dir string) string {
	if o.OutDir != "" {
		return filepath.Join(dir, "index.html")
	}
	return filepath.Join(dir, "index.out.html")
}

// pageLinks returns the links of the page of the notebook at path to its
// neighbours in the course and to the index, or an empty Page.
func (o *RunOptions) pageLinks(path string) ipynb.Page {
	_, htmlPath := o.outPaths(path)
	dir := filepath.Dir(htmlPath)
	pages := coursePages(o.Course, o)[dir]
	for i, e := range pages {
		if e.page != htmlPath {
			continue
		}
		var p ipynb.Page
		if i > 0 {
			p.Prev = courseLink(pages[i-1])
		}
		if i+1 < len(pages) {
			p.Next = courseLink(pages[i+1])
		}
		p.Index = ipynb.Link{Href: filepath.Base(o.indexPath(dir)), Text: "contents"}
		return p
	}
	return ipynb.Page{}
}

// courseLink links to the page of e, with the notebook's first heading
// as its text, or its name if it has none or cannot be read.
func courseLink(e courseEntry) ipynb.Link {
	return ipynb.Link{Href: filepath.Base(e.page), Text: heading(e.notebook)}
}

// heading returns the first heading of the notebook at path, or its name.
func heading(path string) string {
	if nb, err := ipynb.ReadFile(path); err == nil {
		if h := nb.Heading(); h != "" {
			return h
		}
	}
	return strings.TrimSuffix(filepath.Base(path), ".ipynb")
}

// WriteIndexes writes the table of contents of each folder into which the
// HTML pages of two or more of the notebooks in paths go (see RunOptions.HTML):
// a table of the notebooks in file name order, with links to their pages
// and their first headings. It returns the files it wrote. It does nothing
// unless o.HTML is set.
func WriteIndexes(paths []string, o *RunOptions) ([]string, error) {
	if !o.HTML {
		return nil, nil
	}
	var written []string
	byDir := coursePages(paths, o)
	dirs := make([]string, 0, len(byDir))
	for dir := range byDir {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		var entries []ipynb.IndexEntry
		for _, e := range byDir[dir] {
			entries = append(entries, ipynb.IndexEntry{
				Href:    filepath.Base(e.page),
				Name:    strings.TrimSuffix(filepath.Base(e.notebook), ".ipynb"),
				Heading: heading(e.notebook),
			})
		}
		var page bytes.Buffer
		title := filepath.Base(filepath.Dir(byDir[dir][0].notebook)) + ": contents"
		path := o.indexPath(dir)
		err := ipynb.WriteIndexHTML(&page, title, entries)
		if err == nil {
			err = writeFileAtomic(path, page.Bytes())
		}
		if err != nil {
			return written, fmt.Errorf("writing %s: %w", path, err)
		}
		written = append(written, path)
	}
	return written, nil
}
