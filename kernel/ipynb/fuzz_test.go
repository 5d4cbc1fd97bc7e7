package ipynb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzRead checks that Read never panics, that its errors start with the
// name, and that whatever it accepts survives Write and Read unchanged.
// Write normalizes the notebook in place (version 4.5, valid unique ids), so
// the notebook that Read returned is compared after Write with no further
// normalization. Writing again must give the same bytes, and the notebook
// must render as HTML.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.ipynb")
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"nbformat": 3, "worksheets": []}`))
	f.Add([]byte(`{"nbformat": 4, "cells": [{"cell_type": "code", "source": ["a\r", "b"], "id": "x y", "outputs": [{"output_type": "stream", "text": "t"}]}, {"cell_type": "raw", "id": "x y"}]}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := Read(bytes.NewReader(data), "fuzz.ipynb")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.ipynb: ") {
				t.Fatalf("error does not start with the name: %v", err)
			}
			return
		}
		var first bytes.Buffer
		if err := Write(&first, nb); err != nil {
			t.Fatalf("Write of a notebook Read accepted: %v", err)
		}
		again, err := Read(bytes.NewReader(first.Bytes()), "written.ipynb")
		if err != nil {
			t.Fatalf("Read of what Write wrote: %v\n%s", err, first.Bytes())
		}
		if !reflect.DeepEqual(nb, again) {
			t.Fatalf("round trip changed the notebook:\nbefore %s\nafter  %s", dump(nb), dump(again))
		}
		var second bytes.Buffer
		if err := Write(&second, again); err != nil || !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("second Write differs (%v):\n%s\n%s", err, first.Bytes(), second.Bytes())
		}
		if err := WriteHTML(io.Discard, nb, "fuzz"); err != nil {
			t.Fatalf("WriteHTML: %v", err)
		}
	})
}

// dump shows a notebook, with Go's field names and types, for test failures.
func dump(nb *Notebook) string {
	b, err := json.MarshalIndent(nb, "", "  ")
	if err != nil {
		return fmt.Sprintf("%#v", nb)
	}
	return string(b)
}
