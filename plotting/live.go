package plotting

import (
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/dlnb/dlnb/dl/train"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// liveEvery is the least time between two frames of Live.
const liveEvery = time.Second

// Live shows training as it goes. Make one with NewLive and put its
// Callback in train.Config.Callbacks:
//
//	live := plotting.NewLive(plotting.Options{Title: "digits"})
//	h, err := train.Fit(model, set, train.Config{..., Callbacks: []train.Callback{live.Callback}})
//
// In a notebook it keeps one output area up to date, at most once a
// second: a plot of the training loss per epoch, the validation loss if
// there is validation data, and every step's loss as a faint line, with a
// progress line such as
//
//	epoch 3/20 · loss 0.4123 · val loss 0.4500 · 5,230 samples/s · 1.2s
//
// When training ends it always draws a last frame, which stays in the
// saved notebook. After training, Show and Save give that last frame again
// as a figure, and Figure returns it, for Row or further changes.
//
// Outside a notebook (under go test, or from a shell) the callback prints
// one line per epoch instead, and nothing else:
//
//	epoch  3/20  loss 0.4123  val_loss 0.4500  1.2s
//
// with the metrics of the history after the losses. The callback never
// returns an error. A Live may serve several calls of Fit, one after the
// other: each gets a new output area, and the figure is that of the last.
type Live struct {
	opts  Options
	id    string      // the notebook display id
	last  time.Time   // when the last frame was drawn
	event train.Event // the latest event: the last frame's
	ended bool        // End came: the next event starts a new run
	stepX []float64   // every step's position, in epochs (2.5: halfway through epoch 3)
	stepY []float64   // and its loss
	sum   float64     // sum and count of the current epoch's step losses
	count int

	// Seams for the tests: where lines go outside a notebook (nil means
	// os.Stdout at the time of printing, so that examples, which swap
	// os.Stdout, see them), and the clock of the throttle (nil: time.Now).
	out io.Writer
	now func() time.Time
}

// NewLive returns a live display of training. It uses every field of
// Options: the axes are "epoch" and "loss" unless opts sets them, and the
// size, 600×340 pixels unless opts sets it, is that of the frames.
func NewLive(opts ...Options) *Live {
	return &Live{opts: options("NewLive", opts)}
}

// Callback is the train.Callback that updates the display: put
// live.Callback in train.Config.Callbacks.
func (l *Live) Callback(e train.Event) error {
	if l.ended { // a new call of Fit
		*l = Live{opts: l.opts, out: l.out, now: l.now}
	}
	l.event = e
	if e.Kind == train.StepEnd {
		if e.Step == 1 {
			l.sum, l.count = 0, 0
		}
		l.sum += e.Loss
		l.count++
		if e.Steps > 0 {
			l.stepX = append(l.stepX, float64(e.Epoch-1)+float64(e.Step)/float64(e.Steps))
			l.stepY = append(l.stepY, e.Loss)
		}
	}
	if e.Kind == train.End {
		l.ended = true
	}
	if !display.IsNotebook() {
		if e.Kind == train.EpochEnd {
			w := l.out
			if w == nil {
				w = os.Stdout
			}
			fmt.Fprintln(w, l.textLine(e))
		}
		return nil
	}
	switch e.Kind {
	case train.StepEnd, train.EpochEnd:
		if l.clock().Sub(l.last) >= liveEvery {
			l.frame(e)
		}
	case train.End:
		l.frame(e)
		display.Sync()
	}
	return nil
}

func (l *Live) clock() time.Time {
	if l.now == nil {
		return time.Now()
	}
	return l.now()
}

// Figure returns the display's latest frame as a figure: after training,
// the last frame. Before any event it is an empty plot.
func (l *Live) Figure() *Figure {
	f := single(l.plot(l.event), l.opts)
	if f.Width == 0 && f.Height == 0 {
		f.Width, f.Height = 600, 340
	}
	return f
}

// Show displays the latest frame inline in the notebook, as
// Figure.Show does; outside a notebook it does nothing.
func (l *Live) Show() { l.Figure().Show() }

// Save writes the latest frame to path, as Figure.Save does.
func (l *Live) Save(path string) error { return l.Figure().Save(path) }

// frame draws the plot and the progress line into the display.
func (l *Live) frame(e train.Event) {
	if l.id == "" {
		l.id = "dlnb-live-" + display.UniqueID()
	}
	f := l.Figure()
	html := ""
	if b, err := f.png(1.5); err == nil {
		html = imgTag(b, f.Width)
	} else {
		html = "<pre>" + htmlEscape(err.Error()) + "</pre>"
	}
	html = `<div>` + html + `<div style="font-family:monospace;font-size:13px;color:#333;margin:4px 0 0 12px">` +
		htmlEscape(l.progress(e)) + `</div></div>`
	display.UpdateHTML(l.id, html)
	l.last = l.clock()
}

// plot draws the losses so far.
func (l *Live) plot(e train.Event) *plot.Plot {
	log := l.opts.LogY
	p := newPlot("", "epoch", "loss")
	p.X.Tick.Marker = niceTicks{whole: true}
	if log {
		logY(p)
	}
	var avoid []plotter.XYs
	sx, sy := downsample(l.stepX, positive(l.stepY, log), 300)
	if len(sx) > 1 {
		s := line(sx, sy, withAlpha(Color(0), 0.35))
		s.Width = vg.Points(1)
		p.Add(s)
		addLegend(p, "train (steps)", s)
		avoid = append(avoid, dense(sx, sy))
	}
	if len(sx) == 1 && finite(sy[0]) && (e.History == nil || len(e.History.Loss) == 0) {
		// The first frame has one loss: a dot, with the axis from 0 (or a
		// decade below, on a log scale) to a little above it, rather than
		// gonum's empty -1 to 1.
		if pts, err := plotter.NewScatter(xys(sx, sy)); err == nil {
			pts.GlyphStyle = draw.GlyphStyle{Color: Color(0), Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
			p.Add(pts)
		}
		y := sy[0]
		switch {
		case log:
			p.Y.Min, p.Y.Max = y/10, 2*y
		case y > 0:
			p.Y.Min, p.Y.Max = 0, 1.25*y
		case y < 0:
			p.Y.Min, p.Y.Max = 1.25*y, 0
		default:
			p.Y.Min, p.Y.Max = 0, 1
		}
	}
	if h := e.History; h != nil {
		loss, val := positive(h.Loss, log), positive(h.ValLoss, log)
		n := max(len(loss), len(val))
		addCurve(p, loss, "train", Color(0), n <= 30)
		addCurve(p, val, "validation", Color(1), n <= 30)
		avoid = append(avoid, dense(epochs(len(loss)), loss), dense(epochs(len(val)), val))
	}
	p.X.Min, p.X.Max = 0, float64(max(e.Epochs, 1))
	return finish(p, avoid...)
}

// downsample averages consecutive points into at most n buckets, to keep
// frames cheap when there are many steps.
func downsample(xs, ys []float64, n int) ([]float64, []float64) {
	if len(xs) <= n {
		return xs, ys
	}
	k := (len(xs) + n - 1) / n
	var ox, oy []float64
	for i := 0; i < len(xs); i += k {
		j := min(i+k, len(xs))
		sx, sy, c := 0.0, 0.0, 0
		for t := i; t < j; t++ {
			if finite(ys[t]) {
				sx, sy, c = sx+xs[t], sy+ys[t], c+1
			}
		}
		if c > 0 {
			ox, oy = append(ox, sx/float64(c)), append(oy, sy/float64(c))
		}
	}
	return ox, oy
}

// progress is the line under the notebook plot.
func (l *Live) progress(e train.Event) string {
	loss := e.Loss
	if e.Kind == train.StepEnd && l.count > 0 {
		loss = l.sum / float64(l.count) // the epoch's mean so far
	}
	parts := []string{fmt.Sprintf("epoch %d/%d", e.Epoch, e.Epochs)}
	if e.Kind == train.StepEnd {
		parts[0] += fmt.Sprintf(" step %d/%d", e.Step, e.Steps)
	}
	if e.Kind == train.End && e.Epoch < e.Epochs {
		parts[0] = fmt.Sprintf("stopped after epoch %d/%d", e.Epoch, e.Epochs)
	}
	if finite(loss) || e.Kind != train.End {
		parts = append(parts, "loss "+formatLoss(loss))
	}
	for _, m := range historyValues(e.History) {
		parts = append(parts, strings.ReplaceAll(m.name, "_", " ")+" "+formatLoss(m.value))
	}
	if s := e.Elapsed.Seconds(); s > 0 {
		parts = append(parts, commas(float64(e.Samples)/s)+" samples/s")
	}
	parts = append(parts, fmt.Sprintf("%.1fs", e.Elapsed.Seconds()))
	return strings.Join(parts, " · ")
}

// textLine is the line printed per epoch outside a notebook.
func (l *Live) textLine(e train.Event) string {
	width := len(fmt.Sprint(e.Epochs))
	parts := []string{fmt.Sprintf("epoch %*d/%d", width, e.Epoch, e.Epochs), "loss " + formatLoss(e.Loss)}
	for _, m := range historyValues(e.History) {
		parts = append(parts, m.name+" "+formatLoss(m.value))
	}
	parts = append(parts, fmt.Sprintf("%.1fs", e.Elapsed.Seconds()))
	return strings.Join(parts, "  ")
}

type namedValue struct {
	name  string
	value float64
}

// historyValues returns the last validation loss ("val_loss"), then the
// last value of each metric in name order, each followed by its
// validation value ("accuracy", "val_accuracy").
func historyValues(h *train.History) []namedValue {
	if h == nil {
		return nil
	}
	var vs []namedValue
	if n := len(h.ValLoss); n > 0 {
		vs = append(vs, namedValue{"val_loss", h.ValLoss[n-1]})
	}
	for _, name := range slices.Sorted(maps.Keys(h.Metrics)) {
		if v := h.Metrics[name]; len(v) > 0 {
			vs = append(vs, namedValue{name, v[len(v)-1]})
		}
		if v := h.ValMetrics[name]; len(v) > 0 {
			vs = append(vs, namedValue{"val_" + name, v[len(v)-1]})
		}
	}
	return vs
}

// formatLoss prints v with four decimals, or four significant digits when
// it is very small or very large.
func formatLoss(v float64) string {
	if a := math.Abs(v); v == 0 || (a >= 1e-3 && a < 1e5) {
		return fmt.Sprintf("%.4f", v)
	}
	return fmt.Sprintf("%.4g", v)
}

// commas formats a rate as a whole number with thousands separators.
func commas(v float64) string {
	if !finite(v) {
		return "-"
	}
	s := fmt.Sprintf("%.0f", v)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
