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
)

// out is where Live prints its progress lines outside a notebook; nil
// means os.Stdout at the time of printing (so that examples, which swap
// os.Stdout, see the lines). Tests set it.
var out io.Writer

// now is the clock of Live's throttle; tests replace it.
var now = time.Now

// liveEvery is the least time between two frames of Live.
const liveEvery = time.Second

// Live returns a callback for train.Fit that shows training as it goes.
//
// In a notebook it keeps one output area up to date, at most once a
// second: a plot of the training loss per epoch, the validation loss if
// there is validation data, and every step's loss as a faint line, with a
// progress line such as
//
//	epoch 3/20 · loss 0.4123 · val loss 0.4500 · 5,230 samples/s · 1.2s
//
// When training ends it always draws a last frame, which stays in the
// saved notebook.
//
// Outside a notebook (under go test, or from a shell) it prints one line
// per epoch instead, and nothing else:
//
//	epoch  3/20  loss 0.4123  val_loss 0.4500  1.2s
//
// with the metrics of the history after the losses. The callback never
// returns an error. Use a new one for each call of Fit.
func Live(title string) train.Callback {
	l := &live{title: title}
	return l.event
}

// live is the state of one Live callback.
type live struct {
	title string
	id    string    // the notebook display id
	last  time.Time // when the last frame was drawn
	stepX []float64 // every step's position, in epochs (2.5: halfway through epoch 3)
	stepY []float64 // and its loss
	sum   float64   // sum and count of the current epoch's step losses
	count int
}

func (l *live) event(e train.Event) error {
	if e.Kind == train.StepEnd {
		if e.Step == 1 {
			l.sum, l.count = 0, 0
		}
		l.sum += e.Loss
		l.count++
	}
	if !isNotebook() {
		if e.Kind == train.EpochEnd {
			w := out
			if w == nil {
				w = os.Stdout
			}
			fmt.Fprintln(w, l.textLine(e))
		}
		return nil
	}
	switch e.Kind {
	case train.StepEnd:
		if e.Steps > 0 {
			l.stepX = append(l.stepX, float64(e.Epoch-1)+float64(e.Step)/float64(e.Steps))
			l.stepY = append(l.stepY, e.Loss)
		}
		if now().Sub(l.last) >= liveEvery {
			l.frame(e)
		}
	case train.EpochEnd:
		if now().Sub(l.last) >= liveEvery {
			l.frame(e)
		}
	case train.End:
		l.frame(e)
		syncDisplay()
	}
	return nil
}

// frame draws the plot and the progress line into the display.
func (l *live) frame(e train.Event) {
	if l.id == "" {
		l.id = "dlnb-live-" + uniqueID()
	}
	f := Row(l.plot(e))
	f.Width, f.Height = 600, 340
	html := ""
	if b, err := f.png(1.5); err == nil {
		html = imgTag(b, f.Width)
	} else {
		html = "<pre>" + htmlEscape(err.Error()) + "</pre>"
	}
	html = `<div>` + html + `<div style="font-family:monospace;font-size:13px;color:#333;margin:4px 0 0 12px">` +
		htmlEscape(l.progress(e)) + `</div></div>`
	updateHTML(l.id, html)
	l.last = now()
}

// plot draws the losses so far.
func (l *live) plot(e train.Event) *plot.Plot {
	p := newPlot(l.title, "epoch", "loss")
	p.X.Tick.Marker = niceTicks{whole: true}
	var avoid []plotter.XYs
	if sx, sy := downsample(l.stepX, l.stepY, 300); len(sx) > 1 {
		s := line(sx, sy, withAlpha(Color(0), 0.35))
		s.Width = vg.Points(1)
		p.Add(s)
		addLegend(p, "train (steps)", s)
		avoid = append(avoid, dense(sx, sy))
	}
	if h := e.History; h != nil {
		n := max(len(h.Loss), len(h.ValLoss))
		addCurve(p, h.Loss, "train", Color(0), n <= 30)
		addCurve(p, h.ValLoss, "validation", Color(1), n <= 30)
		avoid = append(avoid, dense(epochs(len(h.Loss)), h.Loss), dense(epochs(len(h.ValLoss)), h.ValLoss))
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
func (l *live) progress(e train.Event) string {
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
func (l *live) textLine(e train.Event) string {
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
