package kernel

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// The logo is a small neural network (2-3-1 nodes, every layer fully
// connected) in white on Go's blue, drawn in a 64-unit square.
var (
	logoBlue  = color.NRGBA{0x00, 0xAD, 0xD8, 0xFF}
	logoNodes = [][2]float64{{14, 22}, {14, 42}, {32, 14}, {32, 32}, {32, 50}, {50, 32}}
	logoEdges = [][2]int{{0, 2}, {0, 3}, {0, 4}, {1, 2}, {1, 3}, {1, 4}, {2, 5}, {3, 5}, {4, 5}}
)

const (
	logoCorner = 12  // radius of the square's rounded corners
	logoNodeR  = 5.5 // radius of a node
	logoLineW  = 2.2 // width of an edge
)

// logoSVG returns the logo as an SVG document.
func logoSVG() string {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">`+"\n")
	fmt.Fprintf(&b, `<rect width="64" height="64" rx="%d" fill="#00ADD8"/>`+"\n", logoCorner)
	for _, e := range logoEdges {
		p, q := logoNodes[e[0]], logoNodes[e[1]]
		fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#fff" stroke-width="%g"/>`+"\n", p[0], p[1], q[0], q[1], logoLineW)
	}
	for _, p := range logoNodes {
		fmt.Fprintf(&b, `<circle cx="%g" cy="%g" r="%g" fill="#fff"/>`+"\n", p[0], p[1], logoNodeR)
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// logoPNG rasterizes the logo at size×size pixels, averaging 4×4 samples a
// pixel for smooth edges.
func logoPNG(size int) []byte {
	const ss = 4
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	scale := 64 / float64(size)
	for y := range size {
		for x := range size {
			var cover, white float64
			for sy := range ss {
				for sx := range ss {
					u := (float64(x) + (float64(sx)+0.5)/ss) * scale
					v := (float64(y) + (float64(sy)+0.5)/ss) * scale
					if insideRounded(u, v) {
						cover++
						if onNetwork(u, v) {
							white++
						}
					}
				}
			}
			n := float64(ss * ss)
			a, w := cover/n, white/math.Max(cover, 1)
			mix := func(c uint8) uint8 { return uint8(float64(c)*(1-w) + 255*w + 0.5) }
			img.SetNRGBA(x, y, color.NRGBA{mix(logoBlue.R), mix(logoBlue.G), mix(logoBlue.B), uint8(255*a + 0.5)})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img) // cannot fail on an in-memory NRGBA
	return buf.Bytes()
}

// insideRounded reports whether (u, v) is inside the rounded square.
func insideRounded(u, v float64) bool {
	cx := math.Max(logoCorner-u, math.Max(u-(64-logoCorner), 0))
	cy := math.Max(logoCorner-v, math.Max(v-(64-logoCorner), 0))
	return cx*cx+cy*cy <= logoCorner*logoCorner
}

// onNetwork reports whether (u, v) is on a node or an edge.
func onNetwork(u, v float64) bool {
	for _, p := range logoNodes {
		if math.Hypot(u-p[0], v-p[1]) <= logoNodeR {
			return true
		}
	}
	for _, e := range logoEdges {
		p, q := logoNodes[e[0]], logoNodes[e[1]]
		dx, dy := q[0]-p[0], q[1]-p[1]
		t := math.Max(0, math.Min(1, ((u-p[0])*dx+(v-p[1])*dy)/(dx*dx+dy*dy)))
		if math.Hypot(u-p[0]-t*dx, v-p[1]-t*dy) <= logoLineW/2 {
			return true
		}
	}
	return false
}

// writeLogos writes the logo files Jupyter looks for in a kernelspec.
func writeLogos(dir string) error {
	files := map[string][]byte{
		"logo-svg.svg":   []byte(logoSVG()),
		"logo-32x32.png": logoPNG(32),
		"logo-64x64.png": logoPNG(64),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
