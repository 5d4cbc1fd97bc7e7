// Package ipynb reads, writes and renders Jupyter notebooks (nbformat 4).
//
// Read accepts what Jupyter and other tools write: sources and texts as a
// string or a list of lines, notebooks with or without cell ids. Write
// produces what Jupyter writes: 1-space indented JSON with sorted keys,
// multi-line strings as lists of lines, and a valid id on every cell, so a
// notebook that dlnb runs diffs cleanly against the one Jupyter saved.
// WriteHTML renders a notebook as a self-contained HTML page, with its TeX
// formulas as MathML (package mathml) and its Go code highlighted;
// WriteHTMLPage adds links to the pages before and after it, and
// WriteIndexHTML writes a course's table of contents.
package ipynb

import "strings"

// Notebook is an nbformat 4 notebook.
type Notebook struct {
	NBFormat      int            // "nbformat", must be 4
	NBFormatMinor int            // "nbformat_minor"
	Metadata      map[string]any // kept as-is (unknown keys round-trip)
	Cells         []*Cell
}

// Cell is one notebook cell.
type Cell struct {
	ID             string // "id" (nbformat 4.5); Write replaces a missing, invalid or repeated one with a fresh valid id
	CellType       string // "code", "markdown", "raw"
	Source         string // joined; on disk it is a string or a list of lines
	Metadata       map[string]any
	ExecutionCount *int                      // code cells only; nil when not run
	Outputs        []*Output                 // code cells only
	Attachments    map[string]map[string]any // markdown/raw: file name to MIME bundle; may be nil
}

// Output is one output of a code cell.
type Output struct {
	OutputType string // "stream", "display_data", "execute_result", "error"
	Name       string // stream: "stdout"/"stderr"
	Text       string // stream text (joined)

	// Data is the MIME bundle of display_data and execute_result. Values
	// that are a string or a list of strings (text/*, image/svg+xml, base64
	// image/png, ...) are joined to one string; JSON MIME types
	// (application/json, *+json) stay as decoded JSON.
	Data           map[string]any
	Metadata       map[string]any
	ExecutionCount *int // execute_result only

	EName, EValue string   // error: exception name and value
	Traceback     []string // error: traceback lines, may hold ANSI colors
}

// Cell types and output types, as nbformat spells them.
const (
	codeCell     = "code"
	markdownCell = "markdown"
	rawCell      = "raw"

	streamOutput  = "stream"
	displayData   = "display_data"
	executeResult = "execute_result"
	errorOutput   = "error"
)

// New returns an empty nbformat 4.5 notebook.
func New() *Notebook {
	return &Notebook{NBFormat: 4, NBFormatMinor: 5, Metadata: map[string]any{}}
}

// Language returns the notebook's programming language:
// metadata.kernelspec.language, else metadata.language_info.name, else "".
func (nb *Notebook) Language() string {
	if lang := lookupString(nb.Metadata, "kernelspec", "language"); lang != "" {
		return lang
	}
	return lookupString(nb.Metadata, "language_info", "name")
}

// lookupString returns m[section][key] if that is a string, else "".
func lookupString(m map[string]any, section, key string) string {
	sub, _ := m[section].(map[string]any)
	s, _ := sub[key].(string)
	return s
}

// ClearOutputs drops the outputs and execution counts of all code cells.
func (nb *Notebook) ClearOutputs() {
	for _, c := range nb.Cells {
		if c.CellType == codeCell {
			c.Outputs = nil
			c.ExecutionCount = nil
		}
	}
}

// isJSONMIME reports whether values of the MIME type are JSON documents
// rather than (possibly multi-line) strings.
func isJSONMIME(mime string) bool {
	return mime == "application/json" || strings.HasSuffix(mime, "+json")
}
