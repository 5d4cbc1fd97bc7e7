package loops

// Pool is the geometry of one plane of a 2-D pooling op: windows of
// Size×Size, Stride apart, over a plane of H×W, giving OH×OW outputs.
type Pool struct {
	H, W, Size, Stride, OH, OW int
}

// Argmax sets idx[o], for each output o of the plane that starts at base
// in x, to the index in x of the first largest element of o's window; NaN
// counts as larger than any number. idx has OH·OW elements.
func (p Pool) Argmax(x []float64, base int, idx []int) {
	o := 0
	if p.Size == 2 && p.Stride == 2 { // the common case, unrolled
		for oy := range p.OH {
			r0, r1 := base+2*oy*p.W, base+(2*oy+1)*p.W
			for ox := range p.OW {
				at, best := r0+2*ox, x[r0+2*ox]
				at, best = pick(at, best, r0+2*ox+1, x[r0+2*ox+1])
				at, best = pick(at, best, r1+2*ox, x[r1+2*ox])
				at, _ = pick(at, best, r1+2*ox+1, x[r1+2*ox+1])
				idx[o] = at
				o++
			}
		}
		return
	}
	for oy := range p.OH {
		for ox := range p.OW {
			first := base + oy*p.Stride*p.W + ox*p.Stride
			at, best := first, x[first]
			for i := range p.Size {
				row := base + (oy*p.Stride+i)*p.W + ox*p.Stride
				for j, v := range x[row : row+p.Size] {
					at, best = pick(at, best, row+j, v)
				}
			}
			idx[o] = at
			o++
		}
	}
}

// pick returns the index and value of the larger of the element best at
// at and the element v at j, which comes after it: > keeps the first
// largest, and NaN wins. The choice is made without a branch, which
// random data would mispredict half the time.
func pick(at int, best float64, j int, v float64) (int, float64) {
	take := -(bit(v > best) | bit(v != v)&bit(best == best)) // all ones or 0
	return int(uint(at)&^take | uint(j)&take), max(best, v)
}

// bit returns 1 for true and 0 for false; the compiler makes it a flag
// move, not a branch.
func bit(c bool) uint {
	var b uint
	if c {
		b = 1
	}
	return b
}
