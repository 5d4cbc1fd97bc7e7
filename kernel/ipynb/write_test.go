package ipynb

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/atomicfile/atomicfiletest"
)

func write(t *testing.T, nb *Notebook) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, nb); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// full.ipynb was written by Python's nbformat, so writing what we read must
// reproduce it byte for byte.
func TestWriteMatchesJupyter(t *testing.T) {
	want, err := os.ReadFile("testdata/full.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if got := write(t, readTestdata(t, "full.ipynb")); !bytes.Equal(got, want) {
		t.Errorf("Write differs from Jupyter's file:\n%s", got)
	}
}

func TestRoundTrip(t *testing.T) {
	files, err := filepath.Glob("testdata/*.ipynb")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata notebooks: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			nb, err := ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			first := write(t, nb)
			again, err := Read(bytes.NewReader(first), "written")
			if err != nil {
				t.Fatalf("reading what Write wrote: %v\n%s", err, first)
			}
			if !reflect.DeepEqual(nb, again) {
				t.Errorf("round trip changed the notebook:\nbefore %s\nafter  %s", dump(nb), dump(again))
			}
			if second := write(t, again); !bytes.Equal(first, second) {
				t.Errorf("writing twice gives different bytes:\n%s\n%s", first, second)
			}
		})
	}
}

// TestWriteFormat checks the on-disk conventions on a notebook that was not
// written by Jupyter.
func TestWriteFormat(t *testing.T) {
	nb := readTestdata(t, "mixed.ipynb")
	out := write(t, nb)
	if !bytes.HasSuffix(out, []byte("}\n")) || !bytes.HasPrefix(out, []byte("{\n \"cells\": [\n  {\n   \"cell_type\"")) {
		t.Errorf("not 1-space indented with a final newline:\n%s", out)
	}
	var disk struct {
		Cells []struct {
			ID      string          `json:"id"`
			Source  json.RawMessage `json:"source"`
			Outputs []struct {
				Text json.RawMessage            `json:"text"`
				Data map[string]json.RawMessage `json:"data"`
			} `json:"outputs"`
		} `json:"cells"`
		Minor int `json:"nbformat_minor"`
	}
	if err := json.Unmarshal(out, &disk); err != nil {
		t.Fatal(err)
	}
	if disk.Minor != 5 || nb.NBFormatMinor != 5 {
		t.Errorf("nbformat_minor = %d on disk, %d in memory, want 5", disk.Minor, nb.NBFormatMinor)
	}
	for i, c := range disk.Cells {
		if !validID(c.ID) || c.ID != nb.Cells[i].ID {
			t.Errorf("cell %d: id %q on disk, %q in memory", i+1, c.ID, nb.Cells[i].ID)
		}
	}
	checks := []struct {
		what      string
		got, want json.RawMessage
	}{
		{"string source", disk.Cells[0].Source, json.RawMessage(`["# Written by another tool\n","\n","Sources as one string,\n","not a list of lines."]`)},
		{"empty source", disk.Cells[2].Source, json.RawMessage(`[]`)},
		{"stream text", disk.Cells[1].Outputs[1].Text, json.RawMessage(`["progress 50%\r","progress 100%\r\n","done"]`)},
		{"text/plain", disk.Cells[1].Outputs[2].Data["text/plain"], json.RawMessage(`["line one\n","line two"]`)},
		{"image/png", disk.Cells[1].Outputs[2].Data["image/png"], json.RawMessage(`"iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAGklEQVR4nGJhYDjBxcDAwsDF\nwMDAAAgAAP//CZAA5UPDmAkAAAAASUVORK5CYII=\n"`)},
		{"+json", disk.Cells[1].Outputs[2].Data["application/vnd.custom+json"], json.RawMessage(`["stays","a","list"]`)},
	}
	for _, c := range checks {
		var got, want bytes.Buffer
		json.Compact(&got, c.got)
		json.Compact(&want, c.want)
		if got.String() != want.String() {
			t.Errorf("%s written as %s, want %s", c.what, got.String(), want.String())
		}
	}
}

func TestWriteEmptyParts(t *testing.T) {
	nb := &Notebook{Cells: []*Cell{
		{ID: "c", CellType: "code", Outputs: []*Output{
			{OutputType: "display_data"},
			{OutputType: "execute_result"},
			{OutputType: "error", EName: "E"},
		}},
		{ID: "m", CellType: "markdown", Source: "<b>&</b>"},
	}}
	out := string(write(t, nb))
	for _, want := range []string{
		`"metadata": {}`, `"data": {}`, `"outputs": [`, `"traceback": []`, `"execution_count": null`,
		`"nbformat": 4`, `"<b>&</b>"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "null"); n != 2 {
		t.Errorf("%d nulls, want only the two execution counts:\n%s", n, out)
	}
	if strings.Contains(out, "attachments") {
		t.Errorf("nil attachments written:\n%s", out)
	}
}

func TestWriteIDs(t *testing.T) {
	long := strings.Repeat("a", 65)
	nb := New()
	for _, id := range []string{"keep-me_1", "", "has space", "dup", "dup", long, "Z"} {
		nb.Cells = append(nb.Cells, &Cell{ID: id, CellType: "raw"})
	}
	write(t, nb)
	seen := map[string]bool{}
	var ids []string
	for _, c := range nb.Cells {
		if !validID(c.ID) || seen[c.ID] {
			t.Errorf("id %q is invalid or repeated", c.ID)
		}
		seen[c.ID] = true
		ids = append(ids, c.ID)
	}
	if ids[0] != "keep-me_1" || ids[3] != "dup" || ids[6] != "Z" {
		t.Errorf("valid ids were replaced: %q", ids)
	}
	write(t, nb)
	for i, c := range nb.Cells {
		if c.ID != ids[i] {
			t.Errorf("second Write changed id %q to %q", ids[i], c.ID)
		}
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		nb   *Notebook
		want string
	}{
		{&Notebook{Cells: []*Cell{{CellType: "code"}, {CellType: "heading"}}}, `cell 2: unknown cell_type "heading"`},
		{&Notebook{Cells: []*Cell{{CellType: "code", Outputs: []*Output{{OutputType: "pager"}}}}}, `cell 1: output 1: unknown output_type "pager"`},
		{&Notebook{Cells: []*Cell{nil}}, "cell 1: nil cell"},
		{&Notebook{Metadata: map[string]any{"bad": make(chan int)}}, "unsupported type"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := Write(&buf, tt.nb); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Write error = %v, want %q", err, tt.want)
		}
		if buf.Len() != 0 {
			t.Errorf("failed Write wrote %q", buf.String())
		}
	}
}

func TestSplitLines(t *testing.T) {
	// Expected values are Python's s.splitlines(True).
	tests := map[string][]string{
		"":                 {},
		"a":                {"a"},
		"a\n":              {"a\n"},
		"a\nb":             {"a\n", "b"},
		"\n\n":             {"\n", "\n"},
		"a\r\nb\rc\n":      {"a\r\n", "b\r", "c\n"},
		"x\u2028y\x0cz\v":  {"x\u2028", "y\x0c", "z\v"},
		"é\u0085ü":         {"é\u0085", "ü"},
		"a\x1cb\x1dc\x1ed": {"a\x1c", "b\x1d", "c\x1e", "d"},
	}
	for in, want := range tests {
		if got := splitLines(in); !reflect.DeepEqual(got, want) {
			t.Errorf("splitLines(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lesson.ipynb")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	nb := readTestdata(t, "full.ipynb")
	if err := WriteFile(path, nb); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, nb) {
		t.Error("WriteFile then ReadFile changed the notebook")
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want the old file's 0600", info.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}

	if err := WriteFile(filepath.Join(dir, "no", "such", "dir.ipynb"), nb); err == nil {
		t.Error("WriteFile into a missing directory succeeded")
	}
	bad := &Notebook{Cells: []*Cell{{CellType: "bogus"}}}
	if err := WriteFile(path, bad); err == nil || !strings.HasPrefix(err.Error(), path) {
		t.Errorf("WriteFile(bad) error = %v, want one naming the path", err)
	}
	if again, err := ReadFile(path); err != nil || !reflect.DeepEqual(again, nb) {
		t.Errorf("a failed WriteFile damaged the old file: %v", err)
	}
}

// WriteFile keeps the file's mode and symbolic links, removes the
// temporary files of killed writes, and leaves the old file after a
// failure (the promises of atomicfile).
func TestWriteFileKeepsTheFile(t *testing.T) {
	nb := readTestdata(t, "full.ipynb")
	bad := &Notebook{Cells: []*Cell{{CellType: "bogus"}}}
	atomicfiletest.Check(t,
		func(path string) error { return WriteFile(path, nb) },
		func(path string) error { return WriteFile(path, bad) })
}

// TestSchema validates what Write writes with the reference implementation,
// Python's nbformat, where it is installed.
func TestSchema(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import nbformat").Run(); err != nil {
		t.Skipf("skipping: %s cannot import nbformat (%v); install python3-nbformat to validate against the nbformat schema", python, err)
	}
	notebooks := map[string]*Notebook{
		"new.ipynb": New(),
		"built.ipynb": {Cells: []*Cell{
			{CellType: "code", Source: "fmt.Println(1)\n", Outputs: []*Output{
				{OutputType: "stream", Name: "stdout", Text: "1\n"},
				{OutputType: "display_data", Data: map[string]any{"text/plain": "x", "image/png": bigPNG}},
				{OutputType: "execute_result", Data: map[string]any{"text/plain": "2"}},
				{OutputType: "error", EName: "panic", EValue: "boom", Traceback: []string{"a", "b"}},
			}},
			{CellType: "markdown", Source: "![x](attachment:x.png)", Attachments: map[string]map[string]any{"x.png": {"image/png": smallPNG}}},
			{CellType: "raw", ID: "same"},
			{CellType: "raw", ID: "same"},
		}},
	}
	files, _ := filepath.Glob("testdata/*.ipynb")
	for _, path := range files {
		notebooks[filepath.Base(path)] = readTestdata(t, filepath.Base(path))
	}
	dir := t.TempDir()
	args := []string{"-c", `
import sys, nbformat
for path in sys.argv[1:]:
    nbformat.validate(nbformat.read(path, as_version=4))
    print("valid", path)
`}
	for name, nb := range notebooks {
		path := filepath.Join(dir, name)
		if err := WriteFile(path, nb); err != nil {
			t.Fatal(err)
		}
		args = append(args, path)
	}
	out, err := exec.Command(python, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("nbformat rejects what Write wrote: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "valid "); n != len(notebooks) {
		t.Errorf("nbformat validated %d of %d notebooks:\n%s", n, len(notebooks), out)
	}
}
