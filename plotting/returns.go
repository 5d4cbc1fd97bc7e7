package plotting

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Returns draws the learning curve of one reinforcement-learning run: the
// return of each episode as a faint point, over episodes 1, 2, 3, ..., and
// their running mean over window episodes (see RunningMean) as a bold
// line, which shows the trend through the noise of single episodes.
//
//	plotting.Returns(returns, 50, plotting.Options{Title: "DQN on Catch"}).Show()
//
// window 1 draws the returns as a line, without averaging. To compare
// several runs (seeds, ablations) on one plot, use ReturnsSeries.
//
// It uses Title, XLabel, YLabel, Width and Height of Options (not LogY:
// returns can be negative); the axes are "episode" and "return" unless
// opts sets them.
//
// Returns panics if window < 1 or if a return is not finite.
func Returns(returns []float64, window int, opts ...Options) *Figure {
	o := options("Returns", opts, "LogY")
	return returnsFigure("Returns", []Series{{Y: returns}}, window, o)
}

// ReturnsSeries draws the learning curves of several reinforcement-learning
// runs on one plot, such as DQN with and without replay, three seeds each.
// runs[i].Y holds the return of each episode of run i, at runs[i].X (such
// as the environment step at which each episode ended, to compare runs at
// the same step budget) or, when X is nil, at episodes 1, 2, 3, ...
//
// Runs with the same Name are runs of one configuration (seeds) and share
// a colour of the palette and a legend entry, such as "no replay (3
// runs)"; unnamed runs are one configuration without a legend entry. Each
// configuration gets a bold line: the running mean over window episodes
// (RunningMean) of its run, or, of several runs, the mean of their running
// means, at the x of its first run where every run has values (up to its
// shortest run; between episodes, a run's running mean is interpolated
// linearly). Under it is what the line averages, faint: the returns of a
// single run as points, or the running mean of each run as a thin line, so
// that the spread between seeds shows.
//
//	plotting.ReturnsSeries([]plotting.Series{
//		{Name: "DQN", Y: full[0]}, {Name: "DQN", Y: full[1]}, {Name: "DQN", Y: full[2]},
//		{Name: "no replay", Y: noReplay[0]}, {Name: "no replay", Y: noReplay[1]}, {Name: "no replay", Y: noReplay[2]},
//	}, 50, plotting.Options{Title: "Catch: the ablation of replay"}).Show()
//
// ReturnsSeries with one run draws what Returns draws, with the run's Name
// in the legend. It uses Title, XLabel, YLabel, Width and Height of Options
// (not LogY); the axes are "episode" (no label when runs have X) and
// "return", with the window, unless opts sets them.
//
// ReturnsSeries panics if window < 1, if a return or an x is not finite,
// if a run has X of another length than Y, or X that decreases.
func ReturnsSeries(runs []Series, window int, opts ...Options) *Figure {
	o := options("ReturnsSeries", opts, "LogY")
	return returnsFigure("ReturnsSeries", runs, window, o)
}

// RunningMean returns the running mean of ys over window values: out[i]
// is the mean of ys[i-window+1], ..., ys[i], or of ys[0], ..., ys[i] for
// i < window-1, where fewer values have come (so out[0] = ys[0]). It is
// the bold line of Returns and ReturnsSeries, and gives the number to
// print beside it, such as the mean return of the last 100 episodes:
// RunningMean(returns, 100)[len(returns)-1].
//
// RunningMean panics if window < 1.
func RunningMean(ys []float64, window int) []float64 {
	if window < 1 {
		panic(fmt.Sprintf("plotting: RunningMean: window %d; want at least 1 (1 returns the values)", window))
	}
	out := make([]float64, len(ys))
	sum := 0.0
	for i, v := range ys {
		sum += v
		if i >= window {
			sum -= ys[i-window]
		}
		out[i] = sum / float64(min(i+1, window))
	}
	return out
}

// returnsGroup is one configuration of ReturnsSeries: its name and the
// indices of its runs, in order.
type returnsGroup struct {
	name string
	runs []int
}

// returnsFigure draws the figure of Returns (fig "Returns") and
// ReturnsSeries.
func returnsFigure(fig string, runs []Series, window int, o Options) *Figure {
	if window < 1 {
		panic(fmt.Sprintf("plotting: %s: window %d; want at least 1 (1 draws the returns without averaging)", fig, window))
	}
	run := func(i int) string { // the run named in a message
		if fig == "Returns" {
			return ""
		}
		return fmt.Sprintf("run %d (%q): ", i, runs[i].Name)
	}
	xs := make([][]float64, len(runs))
	hasX := false
	for i, r := range runs {
		for k, v := range r.Y {
			if !finite(v) {
				panic(fmt.Sprintf("plotting: %s: %sreturn %d is %v; want finite returns", fig, run(i), k, v))
			}
		}
		xs[i] = r.X
		if r.X == nil {
			xs[i] = epochs(len(r.Y))
			continue
		}
		hasX = true
		if len(r.X) != len(r.Y) {
			panic(fmt.Sprintf("plotting: %s: %s%d x values for %d returns; want one x per return", fig, run(i), len(r.X), len(r.Y)))
		}
		for k, v := range r.X {
			if !finite(v) || (k > 0 && v < r.X[k-1]) {
				after := ""
				if k > 0 {
					after = fmt.Sprintf(" after x[%d] = %v", k-1, r.X[k-1])
				}
				panic(fmt.Sprintf("plotting: %s: %sx[%d] is %v%s; want finite x that do not decrease, such as the step at which each episode ended",
					fig, run(i), k, v, after))
			}
		}
	}

	var groups []returnsGroup
	for i, r := range runs {
		k := 0
		for k < len(groups) && groups[k].name != r.Name {
			k++
		}
		if k == len(groups) {
			groups = append(groups, returnsGroup{name: r.Name})
		}
		groups[k].runs = append(groups[k].runs, i)
	}

	xlabel, ylabel := "episode", "return"
	if hasX {
		xlabel = ""
	}
	if fig == "ReturnsSeries" && window > 1 {
		ylabel = fmt.Sprintf("return, running mean of %d", window)
	}
	p := newPlot("", xlabel, ylabel)
	var avoid []plotter.XYs
	var bold []*plotter.Line
	var legends []func()
	for gi, g := range groups {
		c := Color(gi)
		faint := lighten(c, 0.6)
		means := make([][]float64, len(g.runs))
		for k, i := range g.runs {
			means[k] = RunningMean(runs[i].Y, window)
		}
		var thumbs []plot.Thumbnailer
		switch {
		case len(g.runs) > 1:
			for k, i := range g.runs {
				l := line(xs[i], means[k], faint)
				l.LineStyle.Width = vg.Points(0.9)
				p.Add(l)
				avoid = append(avoid, dense(xs[i], means[k]))
			}
		case window > 1:
			i := g.runs[0]
			dots := scatter(xs[i], runs[i].Y, withAlpha(c, 0.3), vg.Points(1.6))
			dots.GlyphStyle.Shape = draw.CircleGlyph{}
			p.Add(dots)
			avoid = append(avoid, xys(xs[i], runs[i].Y))
			if fig == "Returns" {
				legends = append(legends, func() { addLegend(p, "return", dots) })
			}
		}
		mx, my := groupMean(xs, means, g.runs)
		l := line(mx, my, c)
		l.LineStyle.Width = lineWidth * 1.3
		bold = append(bold, l)
		avoid = append(avoid, dense(mx, my))
		name := g.name
		switch {
		case fig == "Returns" && window > 1:
			name = fmt.Sprintf("mean of last %d", window)
		case fig == "Returns":
			name = "return"
		case len(g.runs) > 1 && name != "":
			name = fmt.Sprintf("%s (%d runs)", name, len(g.runs))
		}
		thumbs = append(thumbs, l)
		if name != "" {
			legends = append(legends, func() { addLegend(p, name, thumbs...) })
		}
	}
	for _, l := range bold { // over every faint mark
		p.Add(l)
	}
	for _, add := range legends {
		add()
	}
	p.X.Tick.Marker = niceTicks{whole: !hasX || allWhole(xs)}
	return single(finish(p, avoid...), o)
}

// allWhole reports whether every value of xss is a whole number.
func allWhole(xss [][]float64) bool {
	for _, xs := range xss {
		if !whole(xs) {
			return false
		}
	}
	return true
}

// groupMean returns the mean over the runs of a group of their running
// means ys[i] at xs[i]: at the x of the group's first run that lie where
// every run has values, interpolating each run linearly between its x.
func groupMean(xs, ys [][]float64, runs []int) (mx, my []float64) {
	first := xs[runs[0]]
	lo, hi := math.Inf(-1), math.Inf(1)
	for _, i := range runs {
		if len(xs[i]) == 0 {
			return nil, nil
		}
		lo, hi = math.Max(lo, xs[i][0]), math.Min(hi, xs[i][len(xs[i])-1])
	}
	for _, x := range first {
		if x < lo || x > hi {
			continue
		}
		s := 0.0
		for k, i := range runs {
			s += interpolate(xs[i], ys[k], x)
		}
		mx, my = append(mx, x), append(my, s/float64(len(runs)))
	}
	return mx, my
}

// interpolate returns the value at x of the polyline xs, ys (xs not
// decreasing, x within them): ys at the first xs[j] == x, or linear
// between the neighbours of x.
func interpolate(xs, ys []float64, x float64) float64 {
	j := sort.SearchFloat64s(xs, x)
	if j == len(xs) {
		return ys[len(ys)-1]
	}
	if xs[j] == x || j == 0 {
		return ys[j]
	}
	t := (x - xs[j-1]) / (xs[j] - xs[j-1])
	return ys[j-1] + t*(ys[j]-ys[j-1])
}
