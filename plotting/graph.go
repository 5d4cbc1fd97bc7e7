package plotting

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"github.com/dlnb/dlnb/dl"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Graph draws the computation graph that produced t: one box per tensor,
// arrows from each op's inputs to its output, laid out in columns from the
// inputs on the left to t on the right. Each box shows
//   - the op that made the tensor, or "param" for a parameter (dl.Param)
//     and "input" for other data;
//   - its value for a one-element tensor ("data 3.000"), else its shape;
//   - after Backward, its gradient: the value for a one-element tensor
//     ("grad 1.000"), else the gradient's norm.
//
// Only a graph that records its ops can be drawn: ops record their inputs
// when one of them requires a gradient, so build t from dl.Param tensors.
// Backward keeps the gradients of the parameters only, unless it is asked
// to keep them all, with the option dl.RetainGrads (or one tensor's, with
// its RetainGrad method); draw the graph before Release, which ends it.
//
//	loss.Backward(dl.RetainGrads)
//	plotting.Graph(loss).Show()
//
// Show displays the drawing as SVG, which keeps the text sharp at any
// zoom; Save writes a PNG or an SVG. It stays readable up to about 30
// tensors. Graph uses Title, Width and Height of Options; the size is
// chosen from the graph unless opts sets it, and a set size scales the
// drawing to fit.
func Graph(t *dl.Tensor, opts ...Options) *Figure {
	return NamedGraph(t, nil, opts...)
}

// NamedGraph is Graph with names on the boxes: a tensor in names shows
// its name, such as "x1", "w1" or "b", as its box's first line instead of
// its op or "param" or "input". Parameters keep their orange box and other
// inputs their gray one, so the colours still tell them apart. A tensor
// under two names shows the first in sorted order.
//
//	plotting.NamedGraph(o, map[string]*dl.Tensor{"x1": x1, "w1": w1, "b": b}).Show()
func NamedGraph(t *dl.Tensor, names map[string]*dl.Tensor, opts ...Options) *Figure {
	o := options("Graph", opts, "XLabel", "YLabel", "LogY")
	g := layoutGraph(t)
	g.names = map[*dl.Tensor]string{}
	for name, n := range names {
		if old, ok := g.names[n]; !ok || name < old {
			g.names[n] = name
		}
	}
	p := plot.New()
	p.BackgroundColor = color.White
	p.HideAxes()
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, g.w, 0, g.h
	p.Add(g)
	f := withOptions(&Figure{Plots: [][]*plot.Plot{{p}}, vector: true}, o)
	w, h := math.Ceil(g.w)+20, math.Ceil(g.h)+20 // the figure's margins are 10 pixels
	switch {
	case f.Width == 0 && f.Height == 0:
		f.Width, f.Height = int(w), int(h)
	case f.Height == 0: // keep the drawing's shape
		f.Height = int(math.Round(float64(f.Width) * h / w))
	case f.Width == 0:
		f.Width = int(math.Round(float64(f.Height) * w / h))
	}
	return f
}

// Sizes of the drawing, in pixels.
const (
	boxW, boxH = 150, 58
	colGap     = 56
	rowGap     = 18
	margin     = 12
)

type gnode struct {
	t      *dl.Tensor
	layer  int
	x, y   float64 // top-left corner
	order  float64 // position within the layer, for sorting
	output bool
}

type gedge struct {
	from, to int // node indices
	port     int // which input of to (0-based)
	ports    int // how many inputs to has
}

type graph struct {
	nodes []*gnode
	edges []gedge
	w, h  float64
	names map[*dl.Tensor]string // the boxes' names, if any (NamedGraph)
}

// layoutGraph collects the nodes below t in topological order and places
// them in layers.
func layoutGraph(t *dl.Tensor) *graph {
	g := &graph{}
	index := map[*dl.Tensor]int{}
	// Depth-first, inputs before outputs, with an explicit stack.
	type frame struct {
		t    *dl.Tensor
		next int
	}
	stack := []frame{{t: t}}
	onStack := map[*dl.Tensor]bool{t: true}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if in := f.t.Inputs(); f.next < len(in) {
			p := in[f.next]
			f.next++
			if _, done := index[p]; !done && !onStack[p] {
				onStack[p] = true
				stack = append(stack, frame{t: p})
			}
			continue
		}
		index[f.t] = len(g.nodes)
		g.nodes = append(g.nodes, &gnode{t: f.t})
		stack = stack[:len(stack)-1]
	}
	g.nodes[index[t]].output = true
	for to, n := range g.nodes {
		in := n.t.Inputs()
		for k, p := range in {
			g.edges = append(g.edges, gedge{from: index[p], to: to, port: k, ports: len(in)})
		}
	}

	// Layers: an op goes one column right of its deepest input; a leaf goes
	// just left of its first consumer, so that a bias added last does not
	// sit at the far left with a long arrow.
	for _, n := range g.nodes { // topological order
		for _, p := range n.t.Inputs() {
			n.layer = max(n.layer, g.nodes[index[p]].layer+1)
		}
	}
	consumers := make([][]int, len(g.nodes))
	for _, e := range g.edges {
		consumers[e.from] = append(consumers[e.from], e.to)
	}
	for i, n := range g.nodes {
		if len(n.t.Inputs()) == 0 && len(consumers[i]) > 0 {
			first := math.MaxInt
			for _, c := range consumers[i] {
				first = min(first, g.nodes[c].layer)
			}
			n.layer = first - 1
		}
	}
	nLayers := 0
	for _, n := range g.nodes {
		nLayers = max(nLayers, n.layer+1)
	}
	layers := make([][]int, nLayers)
	for i, n := range g.nodes {
		n.order = float64(len(layers[n.layer]))
		layers[n.layer] = append(layers[n.layer], i)
	}

	// Order each layer by the mean position of its neighbours (the
	// barycenter heuristic), sweeping right then left, to cut crossings.
	inputs := make([][]int, len(g.nodes))
	for _, e := range g.edges {
		inputs[e.to] = append(inputs[e.to], e.from)
	}
	reorder := func(l []int, nbrs [][]int) {
		for _, i := range l {
			if nb := nbrs[i]; len(nb) > 0 {
				s := 0.0
				for _, j := range nb {
					s += g.nodes[j].order
				}
				g.nodes[i].order = s / float64(len(nb))
			}
		}
		sort.SliceStable(l, func(a, b int) bool { return g.nodes[l[a]].order < g.nodes[l[b]].order })
		for k, i := range l {
			g.nodes[i].order = float64(k)
		}
	}
	for range 2 {
		for d := 1; d < nLayers; d++ {
			reorder(layers[d], inputs)
		}
		for d := nLayers - 2; d >= 0; d-- {
			reorder(layers[d], consumers)
		}
	}

	tallest := 0
	for _, l := range layers {
		tallest = max(tallest, len(l))
	}
	colH := func(n int) float64 { return float64(n)*boxH + float64(max(n-1, 0))*rowGap }
	g.w = 2*margin + float64(nLayers)*boxW + float64(max(nLayers-1, 0))*colGap
	g.h = 2*margin + colH(tallest)
	for d, l := range layers {
		top := margin + (colH(tallest)-colH(len(l)))/2
		for k, i := range l {
			g.nodes[i].x = margin + float64(d)*(boxW+colGap)
			g.nodes[i].y = top + float64(k)*(boxH+rowGap)
		}
	}
	return g
}

// kind is the first line of a node's box.
func kind(t *dl.Tensor) string {
	switch {
	case t.Op() != "":
		return t.Op()
	case t.RequiresGrad():
		return "param"
	default:
		return "input"
	}
}

// valueLine is the second line of a node's box.
func valueLine(t *dl.Tensor) string {
	if t.Len() == 1 {
		return "data " + formatValue(t.Data()[0])
	}
	return fmt.Sprintf("shape %v", t.Shape())
}

// gradLine is the third line of a node's box, or "" without a gradient.
func gradLine(t *dl.Tensor) string {
	g := t.Grad()
	switch {
	case g == nil:
		return ""
	case len(g) == 1:
		return "grad " + formatValue(g[0])
	default:
		s := 0.0
		for _, v := range g {
			s += v * v
		}
		return "grad norm " + formatValue(math.Sqrt(s))
	}
}

// formatValue prints v with three decimals, or three significant digits
// when it is very small or very large.
func formatValue(v float64) string {
	if a := math.Abs(v); v == 0 || (a >= 1e-3 && a < 1e5) {
		return fmt.Sprintf("%.3f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// The colours of the drawing: boxes by kind, arrows, and the text.
var (
	opFill, opEdge       = rgb(0xe8f1fa), rgb(0x1f77b4)
	paramFill, paramEdge = rgb(0xfff1e0), rgb(0xff7f0e)
	inputFill, inputEdge = rgb(0xf2f2f2), rgb(0x7f7f7f)
	arrowColor           = rgb(0x555555)
	gradColor            = rgb(0xc0392b)
)

// Plot draws the graph on c, scaled to fit and centred: g is the plotter
// of the figure that Graph returns. Layout pixels have y going down.
func (g *graph) Plot(c draw.Canvas, _ *plot.Plot) {
	cw, ch := c.Max.X-c.Min.X, c.Max.Y-c.Min.Y
	s := min(cw/vg.Length(g.w), ch/vg.Length(g.h)) // canvas length per layout pixel
	ox, oy := (cw-s*vg.Length(g.w))/2, (ch-s*vg.Length(g.h))/2
	at := func(x, y float64) vg.Point {
		return vg.Point{X: c.Min.X + ox + s*vg.Length(x), Y: c.Max.Y - oy - s*vg.Length(y)}
	}

	for _, e := range g.edges {
		from, to := g.nodes[e.from], g.nodes[e.to]
		x1, y1 := from.x+boxW, from.y+boxH/2
		x2 := to.x - 1
		y2 := to.y + boxH*float64(e.port+1)/float64(e.ports+1)
		dx := math.Max((x2-x1)/2, 20)
		var curve vg.Path
		curve.Move(at(x1, y1))
		curve.CubeTo(at(x1+dx, y1), at(x2-dx, y2), at(x2-6, y2))
		c.SetLineStyle(draw.LineStyle{Color: arrowColor, Width: s * 1.3})
		c.Stroke(curve)
		var head vg.Path // the curve ends going right: a tip at (x2, y2)
		head.Move(at(x2, y2))
		head.Line(at(x2-7, y2-3.5))
		head.Line(at(x2-7, y2+3.5))
		head.Close()
		c.SetColor(arrowColor)
		c.Fill(head)
	}

	bold := text.Style{Color: textColor, Font: font.From(sansBold, s*13), XAlign: draw.XCenter, YAlign: draw.YCenter,
		Handler: plot.DefaultTextHandler}
	mono := text.Style{Color: rgb(0x333333), Font: font.From(font.Font{Typeface: "Liberation", Variant: "Mono"}, s*12),
		XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	for _, n := range g.nodes {
		fill, edge := opFill, opEdge
		switch kind(n.t) {
		case "param":
			fill, edge = paramFill, paramEdge
		case "input":
			fill, edge = inputFill, inputEdge
		}
		width := 1.2
		if n.output {
			width = 2.4
		}
		box := roundRect(at(n.x, n.y+boxH), at(n.x+boxW, n.y), s*6)
		c.SetColor(fill)
		c.Fill(box)
		c.SetLineStyle(draw.LineStyle{Color: edge, Width: s * vg.Length(width)})
		c.Stroke(box)

		// The lines, 15 pixels apart, centred in the box: the kind in bold,
		// the value, and the gradient in red.
		first := kind(n.t)
		if name, ok := g.names[n.t]; ok {
			first = name
		}
		lines := []string{first, valueLine(n.t)}
		if gl := gradLine(n.t); gl != "" {
			lines = append(lines, gl)
		}
		cx := n.x + boxW/2
		for i, l := range lines {
			y := n.y + boxH/2 + 15*(float64(i)-float64(len(lines)-1)/2)
			sty := mono
			switch i {
			case 0:
				sty = bold
			case 2:
				sty.Color = gradColor
			}
			c.FillText(sty, at(cx, y), l)
		}
	}
}

// roundRect is the outline of the rectangle from lo to hi with corners
// rounded to radius r.
func roundRect(lo, hi vg.Point, r vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: lo.X + r, Y: lo.Y})
	p.Line(vg.Point{X: hi.X - r, Y: lo.Y})
	p.Arc(vg.Point{X: hi.X - r, Y: lo.Y + r}, r, -math.Pi/2, math.Pi/2)
	p.Line(vg.Point{X: hi.X, Y: hi.Y - r})
	p.Arc(vg.Point{X: hi.X - r, Y: hi.Y - r}, r, 0, math.Pi/2)
	p.Line(vg.Point{X: lo.X + r, Y: hi.Y})
	p.Arc(vg.Point{X: lo.X + r, Y: hi.Y - r}, r, math.Pi/2, math.Pi/2)
	p.Line(vg.Point{X: lo.X, Y: lo.Y + r})
	p.Arc(vg.Point{X: lo.X + r, Y: lo.Y + r}, r, math.Pi, math.Pi/2)
	p.Close()
	return p
}
