package ipynb

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Base64 PNGs in testdata/full.ipynb: the attachment of cell 1 and the
// display_data output of cell 3.
const (
	smallPNG = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAGklEQVR4nGJhYDjBxcDAwsDFwMDAAAgAAP//CZAA5UPDmAkAAAAASUVORK5CYII="
	bigPNG   = "iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAKUlEQVR4nGJhYDjBxcBAOWIBEdQAowaNGjRq0KhBowaNGkQ+AAQAAP//yl8C9aD5paAAAAAASUVORK5CYII="
)

func readTestdata(t *testing.T, name string) *Notebook {
	t.Helper()
	nb, err := ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

func TestReadFull(t *testing.T) {
	nb := readTestdata(t, "full.ipynb")
	if nb.NBFormat != 4 || nb.NBFormatMinor != 5 {
		t.Errorf("version = %d.%d, want 4.5", nb.NBFormat, nb.NBFormatMinor)
	}
	if got := nb.Language(); got != "go" {
		t.Errorf("Language() = %q, want go", got)
	}
	if lesson := nb.Metadata["dlnb"].(map[string]any)["lesson"]; lesson != 3.0 {
		t.Errorf("metadata.dlnb.lesson = %v, want 3", lesson)
	}
	var types []string
	for _, c := range nb.Cells {
		types = append(types, c.ID+":"+c.CellType)
	}
	want := []string{"intro:markdown", "hello:code", "plot:code", "answer:code", "oops:code", "later:code", "raw-1:raw", "empty_md:markdown"}
	if !reflect.DeepEqual(types, want) {
		t.Fatalf("cells = %v, want %v", types, want)
	}

	md := nb.Cells[0]
	if !strings.HasPrefix(md.Source, "# Tensors in Go\n\nA first look") || !strings.HasSuffix(md.Source, "for the language.") {
		t.Errorf("markdown source not joined: %q", md.Source)
	}
	if got := md.Attachments["diagram.png"]["image/png"]; got != smallPNG {
		t.Errorf("attachment = %v, want the PNG", got)
	}

	hello := nb.Cells[1]
	if *hello.ExecutionCount != 1 || len(hello.Outputs) != 2 {
		t.Fatalf("hello cell: count %v, %d outputs", *hello.ExecutionCount, len(hello.Outputs))
	}
	if o := hello.Outputs[1]; o.OutputType != "stream" || o.Name != "stderr" || o.Text != "warning: slow path\n" {
		t.Errorf("stderr output = %+v", o)
	}

	plot := nb.Cells[2].Outputs
	if plot[0].Data["image/png"] != bigPNG || plot[0].Data["text/plain"] != "<image 24x24>" {
		t.Errorf("display_data = %v", plot[0].Data)
	}
	if !reflect.DeepEqual(plot[1].Data["application/json"], map[string]any{
		"epoch": 2.0, "loss": []any{0.9, 0.5}, "ok": true, "note": nil,
	}) {
		t.Errorf("application/json = %#v, want decoded JSON", plot[1].Data["application/json"])
	}
	if svg := plot[2].Data["image/svg+xml"].(string); !strings.HasPrefix(svg, "<svg") || !strings.HasSuffix(svg, "</svg>\n") {
		t.Errorf("svg not joined: %q", svg)
	}

	result := nb.Cells[3].Outputs[0]
	if result.OutputType != "execute_result" || *result.ExecutionCount != 3 || result.Data["text/html"] != "<b>42</b>" {
		t.Errorf("execute_result = %+v", result)
	}

	e := nb.Cells[4].Outputs[0]
	if e.EName != "panic" || !strings.HasPrefix(e.EValue, "runtime error") || len(e.Traceback) != 5 {
		t.Errorf("error = %+v", e)
	}

	later := nb.Cells[5]
	if later.ExecutionCount != nil || later.Outputs != nil {
		t.Errorf("unrun cell: count %v, outputs %v", later.ExecutionCount, later.Outputs)
	}
	if nb.Cells[7].Source != "" || nb.Cells[7].Metadata == nil {
		t.Errorf("empty markdown cell = %+v", nb.Cells[7])
	}
}

func TestReadMixed(t *testing.T) {
	nb := readTestdata(t, "mixed.ipynb")
	if nb.NBFormatMinor != 2 {
		t.Errorf("nbformat_minor = %d, want 2", nb.NBFormatMinor)
	}
	if got := nb.Language(); got != "go" {
		t.Errorf("Language() = %q, want go (from language_info)", got)
	}
	for i, c := range nb.Cells {
		if c.ID != "" {
			t.Errorf("cell %d: id %q read from a 4.2 notebook", i+1, c.ID)
		}
	}
	if got := nb.Cells[0].Source; got != "# Written by another tool\n\nSources as one string,\nnot a list of lines." {
		t.Errorf("string source = %q", got)
	}
	code := nb.Cells[1]
	if code.Source != "fmt.Println(\"a\")\nfmt.Println(\"b\")" {
		t.Errorf("list source = %q", code.Source)
	}
	if got := code.Outputs[1].Text; got != "progress 50%\rprogress 100%\r\ndone" {
		t.Errorf("list stream text = %q", got)
	}
	data := code.Outputs[2].Data
	if data["text/plain"] != "line one\nline two" {
		t.Errorf("text/plain = %#v, want joined", data["text/plain"])
	}
	if !reflect.DeepEqual(data["application/vnd.custom+json"], []any{"stays", "a", "list"}) {
		t.Errorf("+json value = %#v, want the decoded list", data["application/vnd.custom+json"])
	}
	if nb.Cells[3].CellType != "raw" || nb.Cells[3].Source != "" {
		t.Errorf("raw cell = %+v", nb.Cells[3])
	}
}

func TestReadErrors(t *testing.T) {
	cell := func(c string) string {
		return `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [` + c + `]}`
	}
	tests := []struct {
		name, input string
		want        []string
	}{
		{"empty", "", []string{"not a valid notebook", "empty"}},
		{"blank", " \n\t", []string{"empty"}},
		{"bad JSON", "{\n \"cells\": [,]\n}", []string{"not a valid notebook: invalid JSON at line 2, column 12"}},
		{"bad JSON non-ASCII", "{\"é\": \"ü\" x}", []string{"invalid JSON at line 1, column 11"}},
		{"truncated", `{"cells": [`, []string{"invalid JSON at line 1", "unexpected end of JSON input"}},
		{"array", `[1, 2]`, []string{"not a Jupyter notebook", "JSON array"}},
		{"null", `null`, []string{"not a Jupyter notebook"}},
		{"no cells", `{"nbformat": 4, "nbformat_minor": 5}`, []string{`not a Jupyter notebook: it has no "cells"`}},
		{"no nbformat", `{"cells": []}`, []string{`not a Jupyter notebook: it has no "nbformat"`}},
		{"string nbformat", `{"cells": [], "nbformat": "4"}`, []string{`not a Jupyter notebook: "nbformat" must be an integer`}},
		{"nbformat 3", `{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}`,
			[]string{"nbformat 3 is too old; convert it with: jupyter nbconvert --to notebook --nbformat 4 bad.ipynb"}},
		{"nbformat 5", `{"nbformat": 5, "cells": []}`, []string{"nbformat 5 is not supported"}},
		{"metadata", `{"nbformat": 4, "cells": [], "metadata": []}`, []string{`"metadata" must be an object`}},
		{"cell not object", cell(`{"cell_type": "code", "source": ""}, 7`), []string{"cell 2: not a JSON object"}},
		{"unknown cell type", cell(`{"cell_type": "markdown", "source": ""}, {"cell_type": "heading", "source": ""}`),
			[]string{`cell 2: unknown cell_type "heading"`, "code, markdown or raw"}},
		{"missing cell type", cell(`{"source": ""}`), []string{`cell 1: unknown cell_type ""`}},
		{"numeric source", cell(`{"cell_type": "code", "source": 42}`), []string{`cell 1: "source" must be a string or a list of strings`}},
		{"null source", cell(`{"cell_type": "raw", "source": null}`), []string{`cell 1: "source" must be a string or a list of strings`}},
		{"mixed list source", cell(`{"cell_type": "code", "source": ["a", 1]}`), []string{`cell 1: "source" must be a string or a list of strings`}},
		{"fractional count", cell(`{"cell_type": "code", "source": "", "execution_count": 1.5}`),
			[]string{`cell 1: "execution_count" must be an integer or null`}},
		{"unknown output type", cell(`{"cell_type": "code", "source": "", "outputs": [{"output_type": "stream", "name": "stdout", "text": ""}, {"output_type": "pager"}]}`),
			[]string{`cell 1: output 2: unknown output_type "pager"`}},
		{"bad stream text", cell(`{"cell_type": "code", "source": "", "outputs": [{"output_type": "stream", "text": {}}]}`),
			[]string{`cell 1: output 1: "text" must be a string or a list of strings`}},
		{"bad traceback", cell(`{"cell_type": "code", "source": "", "outputs": [{"output_type": "error", "traceback": "boom"}]}`),
			[]string{`cell 1: output 1: "traceback" must be a list of strings`}},
		{"bad attachments", cell(`{"cell_type": "markdown", "source": "", "attachments": {"a.png": "x"}}`),
			[]string{`cell 1: "attachments" must be an object of MIME bundles`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nb, err := Read(strings.NewReader(tt.input), "bad.ipynb")
			if err == nil {
				t.Fatalf("Read succeeded: %+v", nb)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "bad.ipynb: ") {
				t.Errorf("error %q does not start with the name", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.ipynb")
	if _, err := ReadFile(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("ReadFile(missing) error = %v, want one naming the path", err)
	}

	old := filepath.Join(dir, "old lesson.ipynb")
	if err := os.WriteFile(old, []byte(`{"nbformat": 3, "worksheets": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(old)
	if want := old + ": nbformat 3 is too old; convert it with: jupyter nbconvert --to notebook --nbformat 4 '" + old + "'"; err == nil || err.Error() != want {
		t.Errorf("ReadFile(old) error = %v\nwant %s", err, want)
	}
}

func TestLanguage(t *testing.T) {
	tests := []struct {
		meta map[string]any
		want string
	}{
		{map[string]any{"kernelspec": map[string]any{"language": "go"}, "language_info": map[string]any{"name": "python"}}, "go"},
		{map[string]any{"kernelspec": map[string]any{"name": "gonb"}, "language_info": map[string]any{"name": "go"}}, "go"},
		{map[string]any{"kernelspec": "odd", "language_info": 3}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := (&Notebook{Metadata: tt.meta}).Language(); got != tt.want {
			t.Errorf("Language() of %v = %q, want %q", tt.meta, got, tt.want)
		}
	}
}

func TestClearOutputs(t *testing.T) {
	nb := readTestdata(t, "full.ipynb")
	nb.ClearOutputs()
	for i, c := range nb.Cells {
		if c.Outputs != nil || c.ExecutionCount != nil {
			t.Errorf("cell %d still has outputs %v or count %v", i+1, c.Outputs, c.ExecutionCount)
		}
	}
	if nb.Cells[0].Attachments == nil || nb.Cells[1].Source == "" {
		t.Error("ClearOutputs dropped more than outputs")
	}
}
