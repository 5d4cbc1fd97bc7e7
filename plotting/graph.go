package plotting

import (
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"strings"

	"github.com/dlnb/dlnb/dl"
)

// Graph returns an SVG drawing of the computation graph that produced t:
// one box per tensor, arrows from each op's inputs to its output, laid out
// in columns from the inputs on the left to t on the right. Each box shows
//   - the op that made the tensor, or "param" for a parameter (dl.Param)
//     and "input" for other data;
//   - its value for a one-element tensor ("data 3.000"), else its shape;
//   - after Backward, its gradient: the value for a one-element tensor
//     ("grad 1.000"), else the gradient's norm.
//
// Only a graph that records its ops can be drawn: ops record their inputs
// when one of them requires a gradient, so build t from dl.Param tensors.
// The drawing is plain SVG text, with no script and nothing to load, and
// stays readable up to about 30 tensors. ShowGraph displays it.
func Graph(t *dl.Tensor) string {
	g := layoutGraph(t)
	return g.svg()
}

// ShowGraph displays Graph(t) inline in the notebook. Outside a notebook
// it does nothing.
func ShowGraph(t *dl.Tensor) {
	if !isNotebook() {
		return
	}
	displayHTML("<div>" + Graph(t) + "</div>")
	syncDisplay()
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

// tooltip lists the first values of t, shown when the pointer rests on its
// box.
func tooltip(t *dl.Tensor) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %v", kind(t), t.Shape())
	list := func(name string, v []float64) {
		fmt.Fprintf(&b, "\n%s [", name)
		for i, x := range v[:min(len(v), 8)] {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(formatValue(x))
		}
		if len(v) > 8 {
			b.WriteString(" …")
		}
		b.WriteByte(']')
	}
	list("data", t.Data())
	if t.Grad() != nil {
		list("grad", t.Grad())
	}
	return b.String()
}

func (g *graph) svg() string {
	// A marker id unique to this drawing's content, so that several graphs
	// in one notebook page do not share definitions by accident.
	h := fnv.New64a()
	for _, n := range g.nodes {
		fmt.Fprintf(h, "%s|%v|%s|%s;", kind(n.t), n.t.Shape(), valueLine(n.t), gradLine(n.t))
	}
	for _, e := range g.edges {
		fmt.Fprintf(h, "%d>%d;", e.from, e.to)
	}
	arrow := fmt.Sprintf("dlnb-arrow-%x", h.Sum64())

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" style="max-width:100%%;height:auto" font-family="Liberation Sans, Arial, Helvetica, sans-serif">`+"\n",
		g.w, g.h, g.w, g.h)
	fmt.Fprintf(&b, `<defs><marker id="%s" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>`+"\n", arrow)
	fmt.Fprintf(&b, `<rect class="bg" x="0" y="0" width="%g" height="%g" fill="#ffffff"/>`+"\n", g.w, g.h)

	for _, e := range g.edges {
		from, to := g.nodes[e.from], g.nodes[e.to]
		x1, y1 := from.x+boxW, from.y+boxH/2
		x2 := to.x - 1
		y2 := to.y + boxH*float64(e.port+1)/float64(e.ports+1)
		dx := math.Max((x2-x1)/2, 20)
		fmt.Fprintf(&b, `<path class="edge" d="M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="none" stroke="#555" stroke-width="1.3" marker-end="url(#%s)"/>`+"\n",
			x1, y1, x1+dx, y1, x2-dx, y2, x2, y2, arrow)
	}

	for _, n := range g.nodes {
		fill, stroke := "#e8f1fa", "#1f77b4" // op
		switch kind(n.t) {
		case "param":
			fill, stroke = "#fff1e0", "#ff7f0e"
		case "input":
			fill, stroke = "#f2f2f2", "#7f7f7f"
		}
		width := 1.2
		if n.output {
			width = 2.4
		}
		fmt.Fprintf(&b, `<g class="node"><title>%s</title>`, htmlEscape(tooltip(n.t)))
		fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%d" height="%d" rx="6" fill="%s" stroke="%s" stroke-width="%g"/>`,
			n.x, n.y, boxW, boxH, fill, stroke, width)
		cx := n.x + boxW/2
		lines := []string{valueLine(n.t)}
		if gl := gradLine(n.t); gl != "" {
			lines = append(lines, gl)
		}
		// Centre the lines vertically: a 14 px title and 14 px lines.
		y := n.y + boxH/2 - float64(len(lines))*7 + 4
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" font-size="13" font-weight="bold" fill="#222">%s</text>`,
			cx, y, htmlEscape(kind(n.t)))
		for i, l := range lines {
			col := "#333"
			if i == 1 {
				col = "#c0392b"
			}
			fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" font-size="12" font-family="Liberation Mono, Menlo, Consolas, monospace" fill="%s">%s</text>`,
				cx, y+float64(i+1)*15, col, htmlEscape(l))
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>\n")
	return b.String()
}
