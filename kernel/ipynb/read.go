package ipynb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// Read parses an nbformat 4 notebook. name, usually the file path, starts
// every error message.
//
// Sources, stream texts and text-like MIME values may be a string or a list
// of strings on disk; Read joins them. Notebook and cell metadata, and the
// data and metadata of display outputs, are never nil; empty lists of
// outputs and traceback lines are nil. Unknown metadata keys are kept as decoded JSON.
func Read(r io.Reader, name string) (*Notebook, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return decode(data, name)
}

// ReadFile reads the notebook at path.
func ReadFile(path string) (*Notebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // *fs.PathError already names the path
	}
	return decode(data, path)
}

func decode(data []byte, name string) (*Notebook, error) {
	nb, err := parseNotebook(data, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return nb, nil
}

func parseNotebook(data []byte, name string) (*Notebook, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("not a valid notebook: the file is empty")
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			line, col := position(data, syntax.Offset)
			return nil, fmt.Errorf("not a valid notebook: invalid JSON at line %d, column %d: %w", line, col, err)
		}
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return nil, fmt.Errorf("not a Jupyter notebook: the file holds a JSON %s, not an object", typ.Value)
		}
		return nil, err
	}
	if top == nil {
		return nil, errors.New("not a Jupyter notebook: the file holds JSON null, not an object")
	}

	f := &fields{obj: top}
	var format, minor *int
	f.get("nbformat", &format, "an integer")
	f.get("nbformat_minor", &minor, "an integer")
	if f.err != nil {
		return nil, fmt.Errorf("not a Jupyter notebook: %w", f.err)
	}
	switch {
	case format == nil:
		return nil, errors.New(`not a Jupyter notebook: it has no "nbformat" version`)
	case *format < 4:
		return nil, fmt.Errorf("nbformat %d is too old; convert it with: jupyter nbconvert --to notebook --nbformat 4 %s",
			*format, shellQuote(name))
	case *format > 4:
		return nil, fmt.Errorf("nbformat %d is not supported; dlnb reads nbformat 4", *format)
	}
	if _, ok := top["cells"]; !ok {
		return nil, errors.New(`not a Jupyter notebook: it has no "cells" list`)
	}
	var cells []json.RawMessage
	f.get("cells", &cells, "a list")
	nb := &Notebook{NBFormat: *format, Metadata: f.object("metadata")}
	if minor != nil {
		nb.NBFormatMinor = *minor
	}
	if f.err != nil {
		return nil, f.err
	}
	for i, raw := range cells {
		c, err := parseCell(raw)
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i+1, err)
		}
		nb.Cells = append(nb.Cells, c)
	}
	return nb, nil
}

func parseCell(raw json.RawMessage) (*Cell, error) {
	f, err := fieldsOf(raw)
	if err != nil {
		return nil, err
	}
	c := &Cell{}
	f.get("cell_type", &c.CellType, "a string")
	f.get("id", &c.ID, "a string")
	c.Source = f.text("source")
	c.Metadata = f.object("metadata")
	switch c.CellType {
	case codeCell:
		f.get("execution_count", &c.ExecutionCount, "an integer or null")
		var outputs []json.RawMessage
		f.get("outputs", &outputs, "a list")
		for i, raw := range outputs {
			o, err := parseOutput(raw)
			if err != nil {
				return nil, fmt.Errorf("output %d: %w", i+1, err)
			}
			c.Outputs = append(c.Outputs, o)
		}
	case markdownCell, rawCell:
		f.get("attachments", &c.Attachments, "an object of MIME bundles")
		for _, bundle := range c.Attachments {
			joinBundle(bundle)
		}
	default:
		if f.err == nil {
			return nil, fmt.Errorf("unknown cell_type %q; it must be code, markdown or raw", c.CellType)
		}
	}
	return c, f.err
}

func parseOutput(raw json.RawMessage) (*Output, error) {
	f, err := fieldsOf(raw)
	if err != nil {
		return nil, err
	}
	o := &Output{}
	f.get("output_type", &o.OutputType, "a string")
	switch o.OutputType {
	case streamOutput:
		f.get("name", &o.Name, "a string")
		o.Text = f.text("text")
	case displayData, executeResult:
		o.Data = f.object("data")
		joinBundle(o.Data)
		o.Metadata = f.object("metadata")
		if o.OutputType == executeResult {
			f.get("execution_count", &o.ExecutionCount, "an integer or null")
		}
	case errorOutput:
		f.get("ename", &o.EName, "a string")
		f.get("evalue", &o.EValue, "a string")
		f.get("traceback", &o.Traceback, "a list of strings")
		if len(o.Traceback) == 0 {
			o.Traceback = nil
		}
	default:
		if f.err == nil {
			return nil, fmt.Errorf("unknown output_type %q; it must be stream, display_data, execute_result or error", o.OutputType)
		}
	}
	return o, f.err
}

// fields decodes the fields of one JSON object and keeps the first error,
// so that parsers can read field after field and check once.
type fields struct {
	obj map[string]json.RawMessage
	err error
}

func fieldsOf(raw json.RawMessage) (*fields, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, errors.New("not a JSON object")
	}
	return &fields{obj: obj}, nil
}

// get decodes the field key into v; want describes its type for the error.
// A missing key leaves v unchanged, and so does null for non-pointer v.
func (f *fields) get(key string, v any, want string) {
	raw, ok := f.obj[key]
	if !ok || f.err != nil {
		return
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			f.err = fmt.Errorf("%q must be %s (found %s)", key, want, typ.Value)
		} else {
			f.err = fmt.Errorf("%q: %w", key, err)
		}
	}
}

// object returns the JSON object under key, an empty map if it is missing or
// null.
func (f *fields) object(key string) map[string]any {
	var m map[string]any
	f.get(key, &m, "an object")
	if m == nil {
		m = map[string]any{}
	}
	return m
}

// text returns the string or joined list of strings under key, "" if the key
// is missing.
func (f *fields) text(key string) string {
	var v any
	f.get(key, &v, "a string or a list of strings")
	if _, ok := f.obj[key]; !ok || f.err != nil {
		return ""
	}
	switch v := v.(type) {
	case string:
		return v
	case []any:
		if s, ok := joinLines(v); ok {
			return s
		}
	}
	f.err = fmt.Errorf("%q must be a string or a list of strings", key)
	return ""
}

// joinLines concatenates list if all its elements are strings.
func joinLines(list []any) (string, bool) {
	var b strings.Builder
	for _, line := range list {
		s, ok := line.(string)
		if !ok {
			return "", false
		}
		b.WriteString(s)
	}
	return b.String(), true
}

// joinBundle joins the multi-line string values of a MIME bundle in place.
func joinBundle(bundle map[string]any) {
	for mime, v := range bundle {
		if list, ok := v.([]any); ok && !isJSONMIME(mime) {
			if s, ok := joinLines(list); ok {
				bundle[mime] = s
			}
		}
	}
}

// position converts the offset of a json.SyntaxError, which counts the
// offending byte, to a 1-based line and column (in characters).
func position(data []byte, offset int64) (line, col int) {
	before := data[:min(max(offset-1, 0), int64(len(data)))]
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return 1 + bytes.Count(before, []byte("\n")), 1 + utf8.RuneCount(before[lineStart:])
}

// shellQuote quotes s for a POSIX shell if it needs quoting.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!&|;<>()[]{}*?#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
