package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/dlnb/dlnb/kernel/ipynb"
	"github.com/dlnb/dlnb/kernel/jupyter"
)

// RunOptions configures Run.
type RunOptions struct {
	// SpecDir is the kernelspec to start, as found by FindSpec.
	SpecDir string
	// Timeout limits each cell; zero means no limit. A cell that runs past
	// it is interrupted and counts as failed.
	Timeout time.Duration
	// OutDir receives the executed notebooks under their own names. If empty,
	// NAME.ipynb is written next to its input as NAME.out.ipynb.
	OutDir string
	// HTML also writes a self-contained HTML page next to each output.
	HTML bool
	// KeepGoing runs the cells after a failed one instead of stopping.
	KeepGoing bool
	// Log receives one line per cell and a summary per notebook.
	Log io.Writer
}

// Cell statuses in a CellResult.
const (
	StatusOK      = "ok"
	StatusError   = "error"   // the kernel replied with an error
	StatusPanic   = "panic"   // the cell's program panicked or exited non-zero
	StatusTimeout = "timeout" // the cell ran past RunOptions.Timeout
)

// CellResult is what happened to one code cell.
type CellResult struct {
	Index    int // 1-based position among all cells of the notebook
	Status   string
	Message  string // why it failed; empty when it is ok
	Duration time.Duration
}

// Result is what happened to one notebook.
type Result struct {
	Path     string       // the input notebook
	OutPath  string       // the executed notebook, once written
	HTMLPath string       // the HTML page, if asked for
	Cells    []CellResult // the code cells that ran, in order
	Duration time.Duration
	Err      error // the first failure: a cell, the kernel, or the file
}

// Notebooks expands args into notebook paths: files as given, and the
// .ipynb files of folders in name order, leaving out executed copies
// (*.out.ipynb) and checkpoints.
func Notebooks(args []string) ([]string, error) {
	var paths []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("%s: no such notebook or folder", a)
		}
		if !st.IsDir() {
			paths = append(paths, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, err
		}
		var found []string
		for _, e := range entries {
			n := e.Name()
			if !e.IsDir() && strings.HasSuffix(n, ".ipynb") && !strings.HasSuffix(n, ".out.ipynb") {
				found = append(found, filepath.Join(a, n))
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no .ipynb notebooks in this folder", a)
		}
		sort.Strings(found)
		paths = append(paths, found...)
	}
	return paths, nil
}

// outPaths says where the executed copy of path goes.
func (o *RunOptions) outPaths(path string) (nbPath, htmlPath string) {
	base := strings.TrimSuffix(filepath.Base(path), ".ipynb")
	if o.OutDir != "" {
		nbPath = filepath.Join(o.OutDir, base+".ipynb")
		return nbPath, filepath.Join(o.OutDir, base+".html")
	}
	dir := filepath.Dir(path)
	return filepath.Join(dir, base+".out.ipynb"), filepath.Join(dir, base+".out.html")
}

// Run executes one notebook in a fresh kernel and writes the executed copy,
// even when a cell fails, so that nothing of the run is lost. Cells after
// a failed one are left unexecuted unless KeepGoing is set. Cancelling ctx
// (Ctrl-C) interrupts the cell that is running and shuts the kernel down.
func Run(ctx context.Context, path string, opt RunOptions) *Result {
	start := time.Now()
	res := &Result{Path: path}
	defer func() { res.Duration = time.Since(start) }()

	nb, err := ipynb.ReadFile(path)
	if err != nil {
		res.Err = err
		return res
	}
	if lang := nb.Language(); lang != "" && lang != "go" {
		res.Err = fmt.Errorf("%s: this is a %s notebook; dlnb runs Go notebooks (kernelspec language \"go\")", path, lang)
		return res
	}
	k, err := StartKernel(ctx, opt.SpecDir, StartOptions{Args: []string{"--raw_error"}, NoLSP: true})
	if err != nil {
		res.Err = fmt.Errorf("%s: %w", path, err)
		return res
	}
	defer k.Close()

	nb.ClearOutputs()
	setKernelspec(nb)
	code := 0
	for _, c := range nb.Cells {
		if runnable(c) {
			code++
		}
	}
	n := 0
	for i, c := range nb.Cells {
		if !runnable(c) {
			continue
		}
		n++
		cr := runCell(ctx, k, c, i+1, opt.Timeout)
		res.Cells = append(res.Cells, cr)
		if opt.Log != nil {
			line := fmt.Sprintf("%s  cell %d/%d (#%d)  %6.2fs  %s", path, n, code, cr.Index, cr.Duration.Seconds(), cr.Status)
			if cr.Message != "" {
				line += ": " + firstLine(cr.Message)
			}
			fmt.Fprintln(opt.Log, line)
		}
		if cr.Status != StatusOK && res.Err == nil {
			res.Err = fmt.Errorf("%s: cell %d: %s", path, cr.Index, cr.Message)
		}
		if ctx.Err() != nil || k.Exited() || (cr.Status != StatusOK && !opt.KeepGoing) {
			break
		}
	}
	if res.Err == nil && ctx.Err() != nil {
		res.Err = fmt.Errorf("%s: interrupted", path)
	}
	if err := writeResults(nb, res, &opt); err != nil && res.Err == nil {
		res.Err = err
	}
	return res
}

// writeResults writes the executed notebook and, if asked, its HTML page.
func writeResults(nb *ipynb.Notebook, res *Result, opt *RunOptions) error {
	nbPath, htmlPath := opt.outPaths(res.Path)
	if opt.OutDir != "" {
		if err := os.MkdirAll(opt.OutDir, 0o755); err != nil {
			return fmt.Errorf("creating the output folder: %w", err)
		}
	}
	if err := ipynb.WriteFile(nbPath, nb); err != nil {
		return fmt.Errorf("writing %s: %w", nbPath, err)
	}
	res.OutPath = nbPath
	if !opt.HTML {
		return nil
	}
	var page bytes.Buffer
	title := strings.TrimSuffix(filepath.Base(res.Path), ".ipynb")
	err := ipynb.WriteHTML(&page, nb, title)
	if err == nil {
		err = writeFileAtomic(htmlPath, page.Bytes())
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", htmlPath, err)
	}
	res.HTMLPath = htmlPath
	return nil
}

// setKernelspec records the dlnb kernel in the notebook's metadata, so
// that Jupyter opens the executed copy with it.
func setKernelspec(nb *ipynb.Notebook) {
	if nb.Metadata == nil {
		nb.Metadata = map[string]any{}
	}
	nb.Metadata["kernelspec"] = map[string]any{"name": Name, "display_name": "Go (dlnb)", "language": "go"}
}

// crashPattern matches what a cell's program writes to stderr when it
// panics or exits non-zero. GoNB v0.11.1 reports neither as an error.
var crashPattern = regexp.MustCompile(`(?m)^(panic: |fatal error: |exit status \d+)`)

// CrashLine returns the line of a cell's stderr that shows its program
// panicked or exited non-zero, or "" if there is none.
func CrashLine(stderr string) string {
	if loc := crashPattern.FindStringIndex(stderr); loc != nil {
		return firstLine(stderr[loc[0]:])
	}
	return ""
}

// runCell executes one cell and folds its messages into c.Outputs.
func runCell(ctx context.Context, k *Kernel, c *ipynb.Cell, index int, timeout time.Duration) CellResult {
	start := time.Now()
	cr := CellResult{Index: index, Status: StatusOK}
	cctx, cancel := ctx, context.CancelFunc(func() {})
	if timeout > 0 {
		cctx, cancel = context.WithTimeout(ctx, timeout)
	}
	defer cancel()

	var out outputs
	reply, err := k.Execute(cctx, c.Source, out.add)
	switch {
	case err == nil:
		if reply.ExecutionCount > 0 {
			n := reply.ExecutionCount
			c.ExecutionCount = &n
		}
		if reply.Status == "error" {
			cr.Status, cr.Message = StatusError, errorMessage(reply.EName, reply.EValue)
		}
	case errors.Is(err, jupyter.ErrConnectionLost) || k.Exited():
		k.Wait(5 * time.Second)
		cr.Status, cr.Message = StatusError, "the kernel died while running this cell; its log ends with:\n"+k.LogTail(10)
	default:
		// Timeout or Ctrl-C: interrupt the cell and collect what it still says.
		ictx, icancel := context.WithTimeout(context.Background(), 10*time.Second)
		if ierr := k.Interrupt(ictx); ierr == nil {
			var te *jupyter.ExecuteError
			if errors.As(err, &te) {
				k.Drain(ictx, te.MsgID, out.add)
			}
		}
		icancel()
		cr.Status = StatusTimeout
		cr.Message = fmt.Sprintf("cell ran past --timeout %v and was interrupted", timeout)
		if ctx.Err() != nil {
			cr.Status, cr.Message = StatusError, "interrupted (Ctrl-C)"
		}
		out.list = append(out.list, &ipynb.Output{OutputType: "error", EName: "Timeout", EValue: cr.Message, Traceback: []string{cr.Message}})
	}
	c.Outputs = out.list
	if cr.Status == StatusOK {
		if line := CrashLine(out.stderr.String()); line != "" {
			cr.Status, cr.Message = StatusPanic, line
		}
	}
	for _, o := range c.Outputs {
		if o.OutputType == "error" && cr.Status == StatusOK {
			cr.Status, cr.Message = StatusError, errorMessage(o.EName, o.EValue)
		}
	}
	cr.Duration = time.Since(start)
	return cr
}

// errorMessage makes a one-paragraph message of an error output, leaving
// out the "# package" lines that the go command puts before its errors.
func errorMessage(ename, evalue string) string {
	var lines []string
	for _, l := range strings.Split(evalue, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "# ") {
			lines = append(lines, l)
		}
	}
	return strings.TrimSpace(ename + ": " + strings.Join(lines, "; "))
}

// runnable reports whether c is a code cell with something to run.
func runnable(c *ipynb.Cell) bool {
	return c.CellType == "code" && strings.TrimSpace(c.Source) != ""
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// outputs folds iopub messages into a cell's outputs, as a Jupyter front
// end would: consecutive stream text is joined, update_display_data
// changes the output it names, and clear_output empties the list.
type outputs struct {
	list      []*ipynb.Output
	displays  map[string][]*ipynb.Output // display_id → the outputs showing it
	clearWait bool                       // clear_output(wait=True) pending
	stderr    strings.Builder
}

type iopubContent struct {
	Name      string         `json:"name"`
	Text      string         `json:"text"`
	Data      map[string]any `json:"data"`
	Metadata  map[string]any `json:"metadata"`
	Transient struct {
		DisplayID string `json:"display_id"`
	} `json:"transient"`
	ExecutionCount int      `json:"execution_count"`
	EName          string   `json:"ename"`
	EValue         string   `json:"evalue"`
	Traceback      []string `json:"traceback"`
	Wait           bool     `json:"wait"`
}

func (o *outputs) add(m *jupyter.Message) {
	var c iopubContent
	if err := json.Unmarshal(m.Content, &c); err != nil {
		return
	}
	t := m.Header.MsgType
	if t == "update_display_data" {
		for _, out := range o.displays[c.Transient.DisplayID] {
			out.Data, out.Metadata = orEmpty(c.Data), orEmpty(c.Metadata)
		}
		return
	}
	if t == "clear_output" {
		if c.Wait {
			o.clearWait = true
		} else {
			o.clear()
		}
		return
	}
	var out *ipynb.Output
	switch t {
	case "stream":
		if c.Name == "stderr" {
			o.stderr.WriteString(c.Text)
		}
		if o.clearWait {
			o.clear()
		}
		if n := len(o.list); n > 0 && o.list[n-1].OutputType == "stream" && o.list[n-1].Name == c.Name {
			o.list[n-1].Text += c.Text
			return
		}
		out = &ipynb.Output{OutputType: "stream", Name: c.Name, Text: c.Text}
	case "display_data", "execute_result":
		out = &ipynb.Output{OutputType: t, Data: orEmpty(c.Data), Metadata: orEmpty(c.Metadata)}
		if t == "execute_result" {
			n := c.ExecutionCount
			out.ExecutionCount = &n
		}
	case "error":
		out = &ipynb.Output{OutputType: "error", EName: c.EName, EValue: c.EValue, Traceback: c.Traceback}
	default:
		return // status, execute_input and the like
	}
	if o.clearWait {
		o.clear()
	}
	o.list = append(o.list, out)
	if id := c.Transient.DisplayID; id != "" {
		if o.displays == nil {
			o.displays = make(map[string][]*ipynb.Output)
		}
		o.displays[id] = append(o.displays[id], out)
	}
}

func (o *outputs) clear() {
	o.list, o.displays, o.clearWait = nil, nil, false
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
