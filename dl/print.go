package dl

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dlnb/dlnb/dl/internal/loops"
)

// How String lays out a tensor; the same numbers as NumPy's defaults.
const (
	printThreshold = 1000 // tensors with more elements are summarized
	printEdge      = 3    // elements shown at each end of a summarized dimension
	printWidth     = 75   // the width at which rows wrap
)

// String returns t's values laid out as NumPy's print does, without the
// shape: a scalar is a bare number, and other tensors are nested brackets
// with one row of the last dimension per line, columns right-aligned, and
// a blank line between blocks of higher dimensions:
//
//	[[1 2]
//	 [3 4]]
//
// Each number has at most 4 significant digits. A tensor of more than
// 1000 elements shows only the first and last 3 entries of each long
// dimension, with "..." for the rest. Rows longer than 75 characters wrap.
func (t *Tensor) String() string {
	if t == nil {
		return "<nil>"
	}
	if t.dead() {
		return fmt.Sprintf("<%s %v, released by Release>", opName(t), t.shape)
	}
	if len(t.shape) == 0 {
		return formatFloat(t.data[0])
	}
	if len(t.data) == 0 {
		return "[]"
	}
	p := &printer{t: t, stride: loops.Strides(t.shape), summary: len(t.data) > printThreshold}
	p.measure(0, 0)
	return p.format(0, 0, " ", printWidth)
}

// formatFloat formats one number: %.4g, with NumPy's names for NaN and
// infinities.
func formatFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// printer holds what String needs while it walks a tensor.
type printer struct {
	t       *Tensor
	stride  []int
	summary bool // show only the edges of long dimensions
	width   int  // of the widest number shown, to align columns
}

// each calls f with the offset in the data of every entry shown along
// dimension d of the block that starts at off, and with -1 in place of
// the entries that a summary leaves out.
func (p *printer) each(d, off int, f func(off int)) {
	n := p.t.shape[d]
	for i := 0; i < n; i++ {
		if p.summary && n > 2*printEdge && i == printEdge {
			f(-1)
			i = n - printEdge
		}
		f(off + i*p.stride[d])
	}
}

// measure sets p.width from the numbers shown in the block at dimension d
// and offset off.
func (p *printer) measure(d, off int) {
	p.each(d, off, func(o int) {
		switch {
		case o < 0:
		case d == len(p.t.shape)-1:
			p.width = max(p.width, len(formatFloat(p.t.data[o])))
		default:
			p.measure(d+1, o)
		}
	})
}

// format returns the text of the block at dimension d and offset off.
// Every line but the first starts with indent, one space per open
// bracket, and no line is wider than width. This follows NumPy's
// _formatArray.
func (p *printer) format(d, off int, indent string, width int) string {
	var s strings.Builder
	if d == len(p.t.shape)-1 { // a row: numbers, wrapped
		line := indent
		p.each(d, off, func(o int) {
			word := "..."
			if o >= 0 {
				word = formatFloat(p.t.data[o])
				word = strings.Repeat(" ", p.width-len(word)) + word
			}
			// Keep one column for the closing bracket.
			if len(line)+len(word) > width-1 && len(line) > len(indent) {
				s.WriteString(strings.TrimRight(line, " ") + "\n")
				line = indent
			}
			line += word + " "
		})
		s.WriteString(strings.TrimSuffix(line, " "))
	} else { // blocks, one per line, with blank lines between big ones
		sep := strings.Repeat("\n", len(p.t.shape)-d-1)
		first := true
		p.each(d, off, func(o int) {
			if !first {
				s.WriteString(sep)
			}
			first = false
			s.WriteString(indent)
			if o < 0 {
				s.WriteString("...")
			} else {
				s.WriteString(p.format(d+1, o, indent+" ", width-1))
			}
		})
	}
	return "[" + s.String()[len(indent):] + "]"
}
