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
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dlnb/dlnb/kernel/ipynb"
	"github.com/dlnb/dlnb/kernel/jupyter"
)

// RunOptions configures Run.
type RunOptions struct {
	// SpecDir is the kernelspec to start, as found by FindSpec.
	SpecDir string
	// Timeout limits each cell; zero means no limit (a negative one is
	// taken as zero). A cell that runs past it is interrupted and counts as
	// failed.
	Timeout time.Duration
	// OutDir receives the executed notebooks under their own names. If empty,
	// NAME.ipynb is written next to its input as NAME.out.ipynb.
	OutDir string
	// HTML also writes a self-contained HTML page next to each output.
	HTML bool
	// Course lists all the notebooks of the run, for the links between
	// their HTML pages: the pages that go into one folder, two or more,
	// link to each other in file name order and to the folder's table of
	// contents, which WriteIndexes writes. Empty: no links.
	Course []string
	// KeepGoing runs the cells after a failed one instead of stopping.
	KeepGoing bool
	// Log receives one line per cell and a summary per notebook.
	Log io.Writer
}

// Cell statuses in a CellResult.
const (
	StatusOK      = "ok"
	StatusError   = "error"   // the kernel replied with an error, or the cell asked for input
	StatusCrash   = "crash"   // the cell's program panicked, exited non-zero or was killed
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

// Check makes sure, before any cell runs, that the executed copies of the
// notebooks in paths can be written: their folders exist (OutDir is made
// if missing) and take a new file, no two notebooks go to the same file,
// and no executed copy would write over a notebook in paths. Files are
// compared by identity, not by name, so a symlink or a path such as
// ./x.ipynb does not hide an input. Run checks its own notebook.
func (o *RunOptions) Check(paths []string) error {
	inputs := make([]os.FileInfo, len(paths))
	for i, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("%s: no such notebook", p)
		}
		inputs[i] = st
	}
	writer := make(map[string]string) // absolute output path → the notebook written there
	var dirs []string
	for _, p := range paths {
		nbPath, htmlPath := o.outPaths(p)
		outs := []string{nbPath}
		if o.HTML {
			outs = append(outs, htmlPath)
		}
		for _, out := range outs {
			abs, err := filepath.Abs(out)
			if err != nil {
				return err
			}
			if other, dup := writer[abs]; dup {
				return fmt.Errorf("%s and %s would both be written to %s; run them separately, with different --out folders", other, p, out)
			}
			writer[abs] = p
			st, err := os.Stat(out)
			if err != nil {
				continue // a new file cannot be an input
			}
			for i, in := range inputs {
				if os.SameFile(st, in) {
					return o.overwriteError(p, out, paths[i])
				}
			}
		}
		if dir := filepath.Dir(nbPath); !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
	}
	if o.HTML {
		for dir, pages := range coursePages(paths, o) {
			for _, e := range pages {
				if e.page == o.indexPath(dir) {
					return fmt.Errorf("%s: its page %s would be the table of contents of the pages in %s; rename the notebook, or run it on its own", e.notebook, e.page, dir)
				}
			}
		}
	}
	for _, dir := range dirs {
		if err := makeWritable(dir); err != nil {
			if o.OutDir != "" {
				return fmt.Errorf("--out %s: cannot write the executed notebooks there (%v); choose a folder you can write", o.OutDir, err)
			}
			return fmt.Errorf("cannot write the executed notebooks next to their inputs in %s (%v); write them elsewhere with --out DIR", dir, err)
		}
	}
	return nil
}

// overwriteError says why the executed copy of path may not go to out,
// which is the notebook input: dlnb run never writes over a notebook it
// runs, since the outputs that notebook holds would be lost.
func (o *RunOptions) overwriteError(path, out, input string) error {
	if o.OutDir != "" {
		next, _ := (&RunOptions{}).outPaths(path)
		return fmt.Errorf("%s: --out %s would write the executed copy over the notebook %s; dlnb run never writes over a notebook it runs: choose another --out folder, or drop --out to write %s", path, o.OutDir, input, next)
	}
	return fmt.Errorf("%s: its executed copy %s would write over %s, which dlnb run also runs; dlnb run never writes over a notebook it runs: use --out DIR, or rename %s", path, out, input, input)
}

// Run executes one notebook in a fresh kernel and writes the executed copy,
// even when a cell fails, so that nothing of the run is lost. Before it
// starts the kernel, it checks the output (see Check): it never writes over
// its input. Cells after a failed one are left unexecuted unless KeepGoing
// is set. Cancelling ctx (Ctrl-C) interrupts the cell that is running and
// shuts the kernel down.
//
// A cell fails when the kernel reports an error, when its program panics,
// exits non-zero or is killed (see CrashLine), when it runs past Timeout,
// and when it asks for input: notebooks run here get no standard input, so
// a cell that asks is interrupted at once. A cell that prints more than
// 10 MiB keeps the first and the last 5 MiB, with a note of what was cut.
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
	if err := opt.Check([]string{path}); err != nil {
		res.Err = err
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
	if err := ipynb.WriteFile(nbPath, nb); err != nil {
		return fmt.Errorf("writing %s: %w", nbPath, err)
	}
	res.OutPath = nbPath
	if !opt.HTML {
		return nil
	}
	var page bytes.Buffer
	p := opt.pageLinks(res.Path)
	p.Title = strings.TrimSuffix(filepath.Base(res.Path), ".ipynb")
	err := ipynb.WriteHTMLPage(&page, nb, &p)
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

// gonbExit matches the message GoNB v0.11.1 publishes when the program of
// a cell, or a shell command (!cmd), ends with an error: after copying the
// program's stdout and stderr, jpyexec.Executor.Exec publishes the error
// of exec.Cmd.Wait plus a newline as a stream message of its own on
// stderr, after a "^C" line if the kernel was interrupted. The error reads
// "exit status N" or "signal: NAME", perhaps with " (core dumped)".
var gonbExit = regexp.MustCompile(`^(?:\^C\n)?(exit status [0-9]+|signal: [^\n]+)\n$`)

// goroutineHeader matches the first line of a goroutine's trace in what
// the Go runtime writes when a program crashes, such as
// "goroutine 1 [running]:".
var goroutineHeader = regexp.MustCompile(`(?m)^goroutine [0-9]+ .*\]:$`)

// goCrash returns the first line of the Go runtime's report of a panic or
// a fatal error in stderr: a line that starts with "panic: " or
// "fatal error: ", followed, after a blank line, by the trace of a
// goroutine. It returns "" if there is none: a line such as
// "panic: not really" on its own is not a crash.
func goCrash(stderr string) string {
	from := 0
	for _, h := range goroutineHeader.FindAllStringIndex(stderr, -1) {
		before := stderr[from:h[0]]
		from = h[1]
		if !strings.HasSuffix(before, "\n\n") {
			continue
		}
		// The report starts at the last such line before the trace: the
		// message of a panic may take several lines.
		start := -1
		for _, prefix := range []string{"panic: ", "fatal error: "} {
			if i := strings.LastIndex(before, "\n"+prefix); i >= 0 {
				start = max(start, i+1)
			} else if strings.HasPrefix(before, prefix) {
				start = max(start, 0)
			}
		}
		if start >= 0 {
			return firstLine(before[start:])
		}
	}
	return ""
}

// CrashLine returns the line of a cell's stderr text, as saved in a
// notebook, that shows the cell's program crashed: the first line of a Go
// panic or fatal error followed by a goroutine's trace, or else, as the
// text's last line, GoNB's report that the program exited non-zero or was
// killed ("exit status 2"). It returns "" if there is none.
//
// A saved notebook joins the stream messages of a cell, so a program that
// itself prints "exit status 2" as its last line of stderr looks the same
// as a crash here. dlnb run sees each message and does not mistake it so.
func CrashLine(stderr string) string {
	if line := goCrash(stderr); line != "" {
		return line
	}
	last := strings.TrimSuffix(stderr, "\n")
	last = last[strings.LastIndexByte(last, '\n')+1:]
	if gonbExit.MatchString(last + "\n") {
		return last
	}
	return ""
}

// readsStdin matches Go code that reads standard input.
var readsStdin = regexp.MustCompile(`\bos\.Stdin\b|\bfmt\.Scan(?:ln|f)?\(`)

// noStdin says why a cell that waits for input cannot get it.
const noStdin = "notebooks run by dlnb run get no standard input; put the values in the code instead"

// runCell executes one cell and folds its messages into c.Outputs.
func runCell(ctx context.Context, k *Kernel, c *ipynb.Cell, index int, timeout time.Duration) CellResult {
	start := time.Now()
	cr := CellResult{Index: index, Status: StatusOK}
	cctx, cancel := context.WithCancel(ctx)
	if timeout > 0 {
		cctx, cancel = context.WithTimeout(ctx, timeout)
	}
	defer cancel()

	// A cell that asks for input would wait for it forever: stop it at once.
	out := outputs{onInput: cancel}
	reply, err := k.Execute(cctx, c.Source, out.add)
	var stopped *ipynb.Output // the error output of a cell that was stopped
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
		// Timeout, a request for input or Ctrl-C: interrupt the cell and
		// collect what it still says.
		ictx, icancel := context.WithTimeout(context.Background(), 10*time.Second)
		if ierr := k.Interrupt(ictx); ierr == nil {
			var te *jupyter.ExecuteError
			if errors.As(err, &te) {
				k.Drain(ictx, te.MsgID, out.add)
			}
		}
		icancel()
		ename := "Timeout"
		switch {
		case ctx.Err() != nil:
			ename, cr.Status, cr.Message = "Interrupted", StatusError, "interrupted (Ctrl-C)"
		case out.inputPrompt != nil:
			ename, cr.Status = "NoStdin", StatusError
			cr.Message = fmt.Sprintf("the cell asked for input (prompt %q) and was interrupted: %s", *out.inputPrompt, noStdin)
		default:
			cr.Status = StatusTimeout
			cr.Message = fmt.Sprintf("cell ran past --timeout %v and was interrupted", timeout)
			if readsStdin.MatchString(c.Source) {
				cr.Message += "; the cell may be waiting for standard input: " + noStdin
			}
			// Replies that the client dropped (a bad signature, a replay)
			// may be why the cell never seemed to finish: say so.
			var de *jupyter.DroppedError
			if errors.As(err, &de) {
				cr.Message += "; " + de.Dropped.String()
			}
		}
		stopped = &ipynb.Output{OutputType: "error", EName: ename, EValue: cr.Message, Traceback: []string{cr.Message}}
	}
	c.Outputs = out.done()
	if stopped != nil {
		c.Outputs = append(c.Outputs, stopped)
	}
	if cr.Status == StatusOK {
		if line := out.crash(); line != "" {
			cr.Status, cr.Message = StatusCrash, line
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

// The text a cell prints (its stream outputs, stdout and stderr together)
// is kept up to streamHead+streamTail bytes. Beyond that, as in Jupyter
// front ends, the first streamHead and the last streamTail bytes are kept,
// and a note between them says how much was cut.
const (
	streamHead = 5 << 20
	streamTail = 5 << 20
)

// outputs folds iopub messages into a cell's outputs, as a Jupyter front
// end would: consecutive stream text is joined, update_display_data
// changes the output it names, and clear_output empties the list. The
// text of each stream output grows in a buffer, so that folding takes time
// in proportion to the text, and done turns the buffers into outputs.
type outputs struct {
	parts     []*part
	displays  map[string][]*ipynb.Output // display_id → the outputs showing it
	clearWait bool                       // clear_output(wait=True) pending

	// Printed text beyond streamHead bytes goes to the tail: the parts
	// from tailFrom on, which keep at most streamTail bytes of text. The
	// oldest text of the tail is cut first; trimFrom is the first part
	// that may still hold some.
	head, tail         int
	cutting            bool
	tailFrom, trimFrom int
	cut                int64 // bytes cut

	lastStderr string // the last stderr message, whole, for gonbExit

	// onInput, if set, is called when the kernel asks for input;
	// inputPrompt is then the prompt it showed.
	onInput     func()
	inputPrompt *string
}

// part is one output of a cell, with the text of a stream output while it
// grows.
type part struct {
	out  *ipynb.Output
	text []byte
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
	Prompt         string   `json:"prompt"` // input_request
}

func (o *outputs) add(m *jupyter.Message) {
	var c iopubContent
	if err := json.Unmarshal(m.Content, &c); err != nil {
		return
	}
	t := m.Header.MsgType
	switch t {
	case "update_display_data":
		for _, out := range o.displays[c.Transient.DisplayID] {
			out.Data, out.Metadata = orEmpty(c.Data), orEmpty(c.Metadata)
		}
		return
	case "clear_output":
		if c.Wait {
			o.clearWait = true
		} else {
			o.clear()
		}
		return
	case "input_request":
		if o.inputPrompt == nil {
			o.inputPrompt = &c.Prompt
		}
		if o.onInput != nil {
			o.onInput()
		}
		return
	case "stream", "display_data", "execute_result", "error":
		if o.clearWait {
			o.clear() // the next output replaces the cleared ones
		}
	default:
		return // status, execute_input and the like
	}
	var out *ipynb.Output
	switch t {
	case "stream":
		if c.Name == "stderr" {
			o.lastStderr = c.Text
		}
		o.addText(c.Name, c.Text)
		return
	case "display_data", "execute_result":
		out = &ipynb.Output{OutputType: t, Data: orEmpty(c.Data), Metadata: orEmpty(c.Metadata)}
		if t == "execute_result" {
			n := c.ExecutionCount
			out.ExecutionCount = &n
		}
	case "error":
		out = &ipynb.Output{OutputType: "error", EName: c.EName, EValue: c.EValue, Traceback: c.Traceback}
	}
	o.parts = append(o.parts, &part{out: out})
	if id := c.Transient.DisplayID; id != "" {
		if o.displays == nil {
			o.displays = make(map[string][]*ipynb.Output)
		}
		o.displays[id] = append(o.displays[id], out)
	}
}

// addText adds the text of a stream message, keeping the head and the
// tail of a cell's printed text.
func (o *outputs) addText(name, text string) {
	if !o.cutting {
		if len(text) <= streamHead-o.head {
			o.appendText(name, text)
			o.head += len(text)
			return
		}
		n := runeStart(text, streamHead-o.head)
		o.appendText(name, text[:n])
		o.head += n
		text = text[n:]
		o.cutting, o.tailFrom, o.trimFrom = true, len(o.parts), len(o.parts)
	}
	o.appendText(name, text)
	o.tail += len(text)
	for o.tail > streamTail {
		p := o.parts[o.trimFrom]
		if p.out.OutputType != "stream" {
			o.trimFrom++
			continue
		}
		n := min(len(p.text), o.tail-streamTail)
		for n < len(p.text) && !utf8.RuneStart(p.text[n]) {
			n++ // cut no character in two
		}
		p.text = p.text[n:]
		o.tail -= n
		o.cut += int64(n)
		if len(p.text) == 0 && o.trimFrom < len(o.parts)-1 {
			o.trimFrom++
		}
	}
}

// appendText appends text to the last output if it is of the same stream
// and on the same side of the cut, or else starts a new stream output.
func (o *outputs) appendText(name, text string) {
	if n := len(o.parts); n > 0 && (!o.cutting || n > o.tailFrom) {
		if p := o.parts[n-1]; p.out.OutputType == "stream" && p.out.Name == name {
			p.text = append(p.text, text...)
			return
		}
	}
	o.parts = append(o.parts, &part{out: &ipynb.Output{OutputType: "stream", Name: name}, text: []byte(text)})
}

// runeStart returns the largest index i <= n at which a UTF-8 character
// of s starts (or len(s) when n >= len(s)), so that a cut there splits
// none.
func runeStart(s string, n int) int {
	if n >= len(s) {
		return len(s)
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

// done returns the cell's outputs: the stream outputs get their text, and
// a note marks where text was cut.
func (o *outputs) done() []*ipynb.Output {
	var list []*ipynb.Output
	for i, p := range o.parts {
		if i == o.tailFrom && o.cut > 0 {
			list = append(list, &ipynb.Output{OutputType: "stream", Name: p.out.Name, Text: o.cutNote()})
		}
		if p.out.OutputType == "stream" {
			if len(p.text) == 0 {
				continue
			}
			p.out.Text = string(p.text)
		}
		list = append(list, p.out)
	}
	return list
}

// cutNote says what was cut from a cell's printed text.
func (o *outputs) cutNote() string {
	mib := func(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
	printed := int64(o.head+o.tail) + o.cut
	return fmt.Sprintf("\n[... dlnb run cut %d bytes (%s) of output here: the cell printed %s; the first %s and the last %s are kept ...]\n",
		o.cut, mib(o.cut), mib(printed), mib(streamHead), mib(streamTail))
}

// crash returns the line that shows the cell's program crashed, or "":
// the start of a Go panic or fatal error with its trace on stderr, or else
// GoNB's report that the program exited non-zero or was killed, which is
// always the last stderr message of the program, and a message of its
// own. A cell that prints "exit status 2" among other text is fine.
func (o *outputs) crash() string {
	var stderr strings.Builder
	for _, p := range o.parts {
		if p.out.OutputType == "stream" && p.out.Name == "stderr" {
			stderr.Write(p.text)
		}
	}
	if line := goCrash(stderr.String()); line != "" {
		return line
	}
	if m := gonbExit.FindStringSubmatch(o.lastStderr); m != nil {
		return "the cell's program failed: " + m[1]
	}
	return ""
}

func (o *outputs) clear() {
	o.parts, o.displays, o.clearWait = nil, nil, false
	o.head, o.tail, o.cutting, o.tailFrom, o.trimFrom, o.cut = 0, 0, false, 0, 0, 0
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
