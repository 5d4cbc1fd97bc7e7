package ipynb

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/dlnb/dlnb/internal/atomicfile"
)

// The on-disk shapes of notebooks, cells and outputs. Fields are declared in
// sorted order, as Jupyter writes them.
type (
	diskNotebook struct {
		Cells         []any          `json:"cells"`
		Metadata      map[string]any `json:"metadata"`
		NBFormat      int            `json:"nbformat"`
		NBFormatMinor int            `json:"nbformat_minor"`
	}
	diskCodeCell struct {
		CellType       string         `json:"cell_type"`
		ExecutionCount *int           `json:"execution_count"`
		ID             string         `json:"id"`
		Metadata       map[string]any `json:"metadata"`
		Outputs        []any          `json:"outputs"`
		Source         []string       `json:"source"`
	}
	diskTextCell struct { // markdown and raw
		Attachments map[string]map[string]any `json:"attachments,omitzero"`
		CellType    string                    `json:"cell_type"`
		ID          string                    `json:"id"`
		Metadata    map[string]any            `json:"metadata"`
		Source      []string                  `json:"source"`
	}
	diskStream struct {
		Name       string   `json:"name"`
		OutputType string   `json:"output_type"`
		Text       []string `json:"text"`
	}
	diskDisplayData struct {
		Data       map[string]any `json:"data"`
		Metadata   map[string]any `json:"metadata"`
		OutputType string         `json:"output_type"`
	}
	diskExecuteResult struct {
		Data           map[string]any `json:"data"`
		ExecutionCount *int           `json:"execution_count"`
		Metadata       map[string]any `json:"metadata"`
		OutputType     string         `json:"output_type"`
	}
	diskError struct {
		EName      string   `json:"ename"`
		EValue     string   `json:"evalue"`
		OutputType string   `json:"output_type"`
		Traceback  []string `json:"traceback"`
	}
)

// Write writes nb the way Jupyter does: 1-space indented JSON with sorted
// keys, multi-line strings as lists of lines, and a final newline.
//
// Write first brings nb itself up to nbformat 4.5: it sets NBFormat to 4,
// raises NBFormatMinor to 5, and gives a fresh id to every cell whose id is
// missing, invalid or taken by an earlier cell. Writing the same notebook
// again therefore keeps its ids.
func Write(w io.Writer, nb *Notebook) error {
	doc, err := toDisk(nb)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// WriteFile writes nb to path atomically, with atomicfile.Write: it
// writes a temporary file in the same folder and renames it over path, so
// a crash never leaves half a notebook, and an error leaves path as it
// was. An existing file keeps its permissions; a symbolic link stays a
// link, and the file it points to gets the notebook. The temporary files
// of a killed write are removed by a later one.
func WriteFile(path string, nb *Notebook) error {
	if err := atomicfile.Write(path, func(w io.Writer) error { return Write(w, nb) }); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func toDisk(nb *Notebook) (*diskNotebook, error) {
	nb.NBFormat = 4
	nb.NBFormatMinor = max(nb.NBFormatMinor, 5)
	fillIDs(nb.Cells)
	doc := &diskNotebook{
		Cells:         []any{},
		Metadata:      orEmpty(nb.Metadata),
		NBFormat:      nb.NBFormat,
		NBFormatMinor: nb.NBFormatMinor,
	}
	for i, c := range nb.Cells {
		dc, err := toDiskCell(c)
		if err != nil {
			return nil, fmt.Errorf("ipynb: cell %d: %w", i+1, err)
		}
		doc.Cells = append(doc.Cells, dc)
	}
	return doc, nil
}

func toDiskCell(c *Cell) (any, error) {
	if c == nil {
		return nil, errors.New("nil cell")
	}
	switch c.CellType {
	case codeCell:
		dc := &diskCodeCell{
			CellType:       c.CellType,
			ExecutionCount: c.ExecutionCount,
			ID:             c.ID,
			Metadata:       orEmpty(c.Metadata),
			Outputs:        []any{},
			Source:         splitLines(c.Source),
		}
		for i, o := range c.Outputs {
			do, err := toDiskOutput(o)
			if err != nil {
				return nil, fmt.Errorf("output %d: %w", i+1, err)
			}
			dc.Outputs = append(dc.Outputs, do)
		}
		return dc, nil
	case markdownCell, rawCell:
		dc := &diskTextCell{
			CellType: c.CellType,
			ID:       c.ID,
			Metadata: orEmpty(c.Metadata),
			Source:   splitLines(c.Source),
		}
		if c.Attachments != nil {
			dc.Attachments = make(map[string]map[string]any, len(c.Attachments))
			for name, bundle := range c.Attachments {
				dc.Attachments[name] = splitBundle(bundle)
			}
		}
		return dc, nil
	}
	return nil, fmt.Errorf("unknown cell_type %q; it must be code, markdown or raw", c.CellType)
}

func toDiskOutput(o *Output) (any, error) {
	if o == nil {
		return nil, errors.New("nil output")
	}
	switch o.OutputType {
	case streamOutput:
		return &diskStream{Name: o.Name, OutputType: o.OutputType, Text: splitLines(o.Text)}, nil
	case displayData:
		return &diskDisplayData{
			Data:       splitBundle(orEmpty(o.Data)),
			Metadata:   orEmpty(o.Metadata),
			OutputType: o.OutputType,
		}, nil
	case executeResult:
		return &diskExecuteResult{
			Data:           splitBundle(orEmpty(o.Data)),
			ExecutionCount: o.ExecutionCount,
			Metadata:       orEmpty(o.Metadata),
			OutputType:     o.OutputType,
		}, nil
	case errorOutput:
		tb := o.Traceback
		if tb == nil {
			tb = []string{}
		}
		return &diskError{EName: o.EName, EValue: o.EValue, OutputType: o.OutputType, Traceback: tb}, nil
	}
	return nil, fmt.Errorf("unknown output_type %q; it must be stream, display_data, execute_result or error", o.OutputType)
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// splitBundle returns a copy of a MIME bundle with its text values split
// into lines, as nbformat does for text/*, image/svg+xml and
// application/javascript. Base64 images stay one string.
func splitBundle(bundle map[string]any) map[string]any {
	if bundle == nil {
		return nil
	}
	out := make(map[string]any, len(bundle))
	for mime, v := range bundle {
		s, ok := v.(string)
		if ok && !isJSONMIME(mime) &&
			(strings.HasPrefix(mime, "text/") || mime == "image/svg+xml" || mime == "application/javascript") {
			out[mime] = splitLines(s)
		} else {
			out[mime] = v
		}
	}
	return out
}

// splitLines splits s into lines that keep their line breaks, exactly like
// Python's s.splitlines(True), which is what Jupyter stores. It returns an
// empty, non-nil list for "".
func splitLines(s string) []string {
	lines := []string{}
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
		case '\n', '\v', '\f', '\x1c', '\x1d', '\x1e', '\u0085', '\u2028', '\u2029':
		default:
			continue
		}
		lines = append(lines, s[start:i])
		start = i
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}

// fillIDs gives a fresh id to each cell whose id is missing, invalid, or
// already used by an earlier cell.
func fillIDs(cells []*Cell) {
	taken := make(map[string]bool, len(cells))
	for _, c := range cells {
		if c == nil {
			continue
		}
		if !validID(c.ID) || taken[c.ID] {
			c.ID = freshID(taken)
		}
		taken[c.ID] = true
	}
}

// validID reports whether id matches nbformat's ^[a-zA-Z0-9-_]+$ and is at
// most 64 characters long.
func validID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// freshID returns a random 8-hex-digit id, like Jupyter's, not in taken.
func freshID(taken map[string]bool) string {
	for {
		b := make([]byte, 4)
		rand.Read(b)
		if id := hex.EncodeToString(b); !taken[id] {
			return id
		}
	}
}
