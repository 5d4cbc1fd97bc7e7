package loops

// Conv is the geometry of one group of one image in a 2-D convolution:
// Cin input channels of H×W, kernels of KH×KW moved Stride apart over the
// input padded with Pad zeros on each side, and an output of OH×OW.
type Conv struct {
	Cin, H, W, KH, KW, Stride, Pad, OH, OW int
}

// Im2col fills cols [Cin·KH·KW, OH·OW] from img [Cin, H, W]: column j
// holds the patch that output position j sees, with zeros for the
// padding. Then the convolution of img with filters [cout, Cin·KH·KW] is
// the matrix product filters·cols.
func (g Conv) Im2col(img, cols []float64) {
	l := g.OH * g.OW
	r := 0
	for c := range g.Cin {
		ch := img[c*g.H*g.W : (c+1)*g.H*g.W]
		for ki := range g.KH {
			for kj := range g.KW {
				row := cols[r*l : (r+1)*l]
				r++
				for oy := range g.OH {
					iy := oy*g.Stride - g.Pad + ki
					dst := row[oy*g.OW : (oy+1)*g.OW]
					if iy < 0 || iy >= g.H {
						clear(dst)
						continue
					}
					src := ch[iy*g.W : (iy+1)*g.W]
					if g.Stride == 1 { // one run of the input row, zeros around it
						lo, hi := g.inside(kj)
						clear(dst[:lo])
						copy(dst[lo:hi], src[lo-g.Pad+kj:])
						clear(dst[hi:])
						continue
					}
					for ox := range dst {
						if ix := ox*g.Stride - g.Pad + kj; ix >= 0 && ix < g.W {
							dst[ox] = src[ix]
						} else {
							dst[ox] = 0
						}
					}
				}
			}
		}
	}
}

// Col2im is the reverse of Im2col: it adds each entry of cols into the
// element of img [Cin, H, W] that Im2col copied it from. Entries that
// came from the padding are dropped.
func (g Conv) Col2im(cols, img []float64) {
	l := g.OH * g.OW
	r := 0
	for c := range g.Cin {
		ch := img[c*g.H*g.W : (c+1)*g.H*g.W]
		for ki := range g.KH {
			for kj := range g.KW {
				row := cols[r*l : (r+1)*l]
				r++
				for oy := range g.OH {
					iy := oy*g.Stride - g.Pad + ki
					if iy < 0 || iy >= g.H {
						continue
					}
					dst := ch[iy*g.W : (iy+1)*g.W]
					if g.Stride == 1 {
						lo, hi := g.inside(kj)
						d := dst[lo-g.Pad+kj:]
						for i, v := range row[oy*g.OW+lo : oy*g.OW+hi] {
							d[i] += v
						}
						continue
					}
					for ox, v := range row[oy*g.OW : (oy+1)*g.OW] {
						if ix := ox*g.Stride - g.Pad + kj; ix >= 0 && ix < g.W {
							dst[ix] += v
						}
					}
				}
			}
		}
	}
}

// inside returns, for stride 1 and kernel column kj, the range [lo, hi)
// of output columns whose input column ox - Pad + kj is inside the image
// rather than in the padding.
func (g Conv) inside(kj int) (lo, hi int) {
	lo = min(max(g.Pad-kj, 0), g.OW)
	hi = max(min(g.W+g.Pad-kj, g.OW), lo)
	return lo, hi
}
