package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Register tile and cache blocking parameters; see the package doc.
const (
	mr      = 6    // rows of the micro-kernel's tile of C
	nr      = 8    // columns of the micro-kernel's tile of C
	nr32    = 16   // columns of the float32 micro-kernel's tile (Dgemm32)
	kcBlock = 256  // most of the inner dimension packed at once
	mcBlock = 96   // most rows of op(A) packed at once (a multiple of mr)
	ncBlock = 2048 // most columns of op(B) packed at once (a multiple of nr)
)

const (
	// smallWork is the largest m·n·k done by a plain loop: below it,
	// packing costs more than it saves.
	smallWork = 8 * 8 * 8
	// dotsWork is the largest m·n done as dot products (byDots) when A is
	// not transposed and B is.
	dotsWork = 256
	// outerWork is the largest m·n done by byOuter when A is transposed and
	// B is not.
	outerWork = 256
	// parWork is the least m·n·k per thread for a product to be split over
	// goroutines.
	parWork = 1 << 21
)

// useAsm says whether the assembly micro-kernel is used. It is a variable
// so that tests can run the portable kernel too.
var useAsm = haveAsm

// problem is one call of Dgemm, after the arguments were checked.
type problem struct {
	aTrans, bTrans bool
	single         bool // multiply in float32 (Dgemm32)
	k              int
	alpha          float64
	a              []float64
	lda            int
	b              []float64
	ldb            int
	beta           float64
	c              []float64
	ldc            int

	// For a parallel product: the size of C; the chunks, taken in turn
	// by the threads, are blocks of rs rows and cs columns of C, pc of
	// them across (for byOuter: slices of cs of the inner dimension).
	m, n, rs, cs, pc int
	chunks           int
	next             atomic.Int64   // the next chunk to take
	wg               sync.WaitGroup // the chunks not yet done
	refs             atomic.Int32   // the caller and helpers not done with p

	// For byOuter: chunk i's part of op(A)·op(B), m×n, is at
	// parts[i·m·n:].
	outer bool
	parts []float64
}

// workspace holds one goroutine's pack buffers, for Dgemm and for
// Dgemm32, and byOuter's partial sums.
type workspace struct {
	a, b     []float64
	a32, b32 []float32
	parts    []float64
}

// problems keeps the state of products for the next ones.
var problems = sync.Pool{New: func() any { return new(problem) }}

// workspaces keeps the pack buffers of recent products for the next ones.
// Unlike a sync.Pool it is not emptied by the garbage collector: a program
// that allocates a lot between products, as training does, would otherwise
// allocate (and clear) new buffers, up to a few MiB each, again and again.
// It keeps at most 2·GOMAXPROCS of them (as many as there are threads
// packing at once, and room for the calls of a second goroutine).
var workspaces = make(chan *workspace, 2*runtime.GOMAXPROCS(0))

func getWorkspace() *workspace {
	select {
	case ws := <-workspaces:
		return ws
	default:
		return new(workspace)
	}
}

func putWorkspace(ws *workspace) {
	select {
	case workspaces <- ws:
	default: // enough are kept; let this one go
	}
}

func roundUp(x, to int) int { return (x + to - 1) / to * to }

// split returns the size of the blocks that divide n into the fewest blocks
// of at most max, all about the same size and multiples of unit.
func split(n, max, unit int) int {
	blocks := (n + max - 1) / max
	return roundUp((n+blocks-1)/blocks, unit)
}

// blocked computes the product with the blocked algorithm (or, when it is
// tiny or skinny, a plain loop or one of the shortcuts), in float32 when
// single is true and the blocked algorithm runs. The arguments have been
// checked; alpha and k are not zero.
func blocked(single, aTrans, bTrans bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if useAsm && !aTrans && bTrans && m*n <= dotsWork && k >= 16 {
		note("dots")
		byDots(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if useAsm && aTrans && !bTrans && m*n <= outerWork && m >= mr && n >= nr && k >= 64 {
		note("outer")
		byOuter(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if m*n*k <= smallWork {
		note("naive")
		naive(aTrans, bTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	cols := nr // the columns of the register tile
	if single {
		note("blocked32")
		cols = nr32
	} else {
		note("blocked")
	}
	p := problems.Get().(*problem)
	*p = problem{aTrans: aTrans, bTrans: bTrans, single: single, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, m: m, n: n}
	pr, pc := grid(m, n, k, cols)
	if pr*pc == 1 {
		p.run(0, m, 0, n)
		p.release()
		return
	}
	p.rs = roundUp((m+pr-1)/pr, mr)
	p.cs = roundUp((n+pc-1)/pc, cols)
	p.pc = (n + p.cs - 1) / p.cs
	chunks := (m + p.rs - 1) / p.rs * p.pc
	note("blocked split")
	if chunks > p.pc && p.pc > 1 {
		note("blocked 2-D")
	}
	p.parallel(chunks, min(runtime.GOMAXPROCS(0), chunks)-1)
	p.release()
}

// chunksPerThread is how many chunks a parallel product is cut into for
// each thread: more than one, so that a thread that starts late, or runs
// slowly because other programs take its core, leaves its share to the
// others.
const chunksPerThread = 2

// grid returns the number of row and column chunks of C to split the
// product into, for a register tile of mr rows and cols columns.
func grid(m, n, k, cols int) (pr, pc int) {
	nt := runtime.GOMAXPROCS(0)
	if w := m * n * k / parWork; w < nt {
		nt = w
	}
	if nt < 2 {
		return 1, 1
	}
	mu, nu := (m+mr-1)/mr, (n+cols-1)/cols // blocks of the register tile
	for parts := nt * chunksPerThread; parts > 1; parts-- {
		best := -1
		for r := 1; r <= parts; r++ {
			if parts%r != 0 || r > mu || parts/r > nu {
				continue
			}
			// Row chunks each pack all of B, column chunks all of A.
			cost := parts/r*m*k + r*k*n
			if best < 0 || cost < best {
				best, pr, pc = cost, r, parts/r
			}
		}
		if best >= 0 {
			return pr, pc
		}
	}
	return 1, 1
}

// parallel runs the chunks of the product on the calling goroutine and on
// up to helpers worker goroutines. Every one of them takes the next chunk
// not yet taken until none is left.
//
// A helper may take p from the queue only after the product is done; so
// p goes back to the pool only when the last of the caller and the
// helpers is done with it (see release).
func (p *problem) parallel(chunks, helpers int) {
	p.chunks = chunks
	p.wg.Add(chunks)
	startWorkers(helpers)
	p.refs.Store(int32(1 + helpers))
	for range helpers {
		select {
		case queue <- p:
		default: // the workers are busy enough
			p.refs.Add(-1)
		}
	}
	p.help()
	p.wg.Wait()
}

// release says that the caller or a helper is done with p, and puts p back
// in the pool if it was the last one.
func (p *problem) release() {
	if p.refs.Load() == 0 || p.refs.Add(-1) == 0 {
		*p = problem{}
		problems.Put(p)
	}
}

// help does chunks of p until none is left.
func (p *problem) help() {
	for {
		i := int(p.next.Add(1)) - 1
		if i >= p.chunks {
			return
		}
		if p.outer {
			mn := p.m * p.n
			p.runOuter(i*p.cs, min((i+1)*p.cs, p.k), p.parts[i*mn:(i+1)*mn])
		} else {
			r, c := i/p.pc, i%p.pc
			p.run(r*p.rs, min((r+1)*p.rs, p.m), c*p.cs, min((c+1)*p.cs, p.n))
		}
		p.wg.Done()
	}
}

var (
	queue      = make(chan *problem, 256)
	workersMu  sync.Mutex
	numWorkers int
)

// startWorkers makes sure that at least n long-lived worker goroutines
// help with the problems sent to the queue.
func startWorkers(n int) {
	workersMu.Lock()
	for ; numWorkers < n; numWorkers++ {
		go func() {
			for p := range queue {
				p.help()
				p.release()
			}
		}()
	}
	workersMu.Unlock()
}

// run computes the block C[r0:r1, c0:c1] of the product with the blocked
// algorithm described in the package doc, in float64 or, for Dgemm32, in
// float32.
func (p *problem) run(r0, r1, c0, c1 int) {
	scale(p.beta, p.c, p.ldc, r0, r1, c0, c1)
	ws := getWorkspace()
	if p.single {
		runBlocked(p, prec32, &ws.a32, &ws.b32, r0, r1, c0, c1)
	} else {
		runBlocked(p, prec64, &ws.a, &ws.b, r0, r1, c0, c1)
	}
	putWorkspace(ws)
}

// elem is a type that the blocked algorithm multiplies in. The operands
// are float64 in memory either way; packing converts them.
type elem interface{ float32 | float64 }

// A precision holds what the blocked algorithm needs to multiply in
// element type T: the width of the register tile, the micro-kernel and the
// packing routines, assembly or portable.
type precision[T elem] struct {
	nr int // columns of the register tile

	// kernel adds the product of an mr×kc micro-panel of A and a kc×nr
	// micro-panel of B, both packed, to the tile of C at c[0], rows ldc
	// apart: all of it, or only its first mm rows and nn columns at the
	// edges of C.
	kernel func(kc int, a, b []T, c []float64, ldc, mm, nn int)
	// deal stores alpha times src[r·i:r·i+r] at dst[i·stride:], for
	// i < len(src)/r.
	deal func(r int, src []float64, dst []T, stride int, alpha float64)
	// gather sets dst[r·q+i] = alpha·src[i·ld+q] for i < r and q below
	// the number it returns (at most kb); the caller does the rest.
	gather func(r, kb int, src []float64, ld int, dst []T, alpha float64) int
}

var (
	// prec64 is Dgemm's precision: float64, a 6×8 tile.
	prec64 = &precision[float64]{nr: nr, kernel: kernel64, deal: dealPanels, gather: gatherRows}
	// prec32 is Dgemm32's precision: float32, a 6×16 tile.
	prec32 = &precision[float32]{nr: nr32, kernel: kernel32, deal: dealPanels32, gather: gatherRows32}
)

// runBlocked is run in precision pr, with the pack buffers bufA and bufB.
func runBlocked[T elem](p *problem, pr *precision[T], bufA, bufB *[]T, r0, r1, c0, c1 int) {
	kc := split(p.k, kcBlock, 1)
	mc := split(r1-r0, mcBlock, mr)
	nc := split(c1-c0, ncBlock, pr.nr)
	if need := mc * kc; len(*bufA) < need {
		*bufA = make([]T, need)
	}
	if need := nc * kc; len(*bufB) < need {
		*bufB = make([]T, need)
	}
	for jc := c0; jc < c1; jc += nc {
		nb := min(nc, c1-jc)
		for pc := 0; pc < p.k; pc += kc {
			kb := min(kc, p.k-pc)
			bp := (*bufB)[:roundUp(nb, pr.nr)*kb]
			// op(B)[pc:pc+kb, jc:jc+nb] as micro-panels of nr columns:
			// the rows of op(B)ᵀ packed as those of op(A).
			pr.pack(pr.nr, p.b, p.ldb, !p.bTrans, jc, pc, nb, kb, 1, bp)
			for ic := r0; ic < r1; ic += mc {
				mb := min(mc, r1-ic)
				ap := (*bufA)[:roundUp(mb, mr)*kb]
				pr.pack(mr, p.a, p.lda, p.aTrans, ic, pc, mb, kb, p.alpha, ap)
				pr.macro(kb, mb, nb, ap, bp, p.c[ic*p.ldc+jc:], p.ldc)
			}
		}
	}
}

// macro adds the product of the packed mb×kb block ap of A and the packed
// kb×nb block bp of B to C, whose top left element is c[0].
func (pr *precision[T]) macro(kb, mb, nb int, ap, bp []T, c []float64, ldc int) {
	for jr := 0; jr < nb; jr += pr.nr {
		nn := min(pr.nr, nb-jr)
		bpan := bp[jr*kb : (jr+pr.nr)*kb]
		for ir := 0; ir < mb; ir += mr {
			mm := min(mr, mb-ir)
			pr.kernel(kb, ap[ir*kb:(ir+mr)*kb], bpan, c[ir*ldc+jr:], ldc, mm, nn)
		}
	}
}

// kernel64 is prec64's kernel: the assembly one, or the portable one.
func kernel64(kc int, a, b, c []float64, ldc, mm, nn int) {
	if useAsm {
		kernelAsm(kc, a, b, c, ldc, mm, nn)
		return
	}
	kernelPortable(nr, kc, a, b, c, ldc, mm, nn)
}

// kernel32 is prec32's kernel: the assembly one, or the portable one.
func kernel32(kc int, a, b []float32, c []float64, ldc, mm, nn int) {
	if useAsm {
		kernelAsm32(kc, a, b, c, ldc, mm, nn)
		return
	}
	kernelPortable(nr32, kc, a, b, c, ldc, mm, nn)
}

// kernelPortable runs the portable micro-kernel for a tile of nr columns
// (8 or 16). An edge tile is computed whole into a zeroed buffer, and what
// lies inside C is added to it: the same arithmetic as for a full tile.
func kernelPortable[T elem](nr, kc int, a, b []T, c []float64, ldc, mm, nn int) {
	if mm == mr && nn == nr {
		kernelGo(nr, kc, a, b, c, ldc)
		return
	}
	var tile [mr * nr32]float64
	kernelGo(nr, kc, a, b, tile[:], nr)
	for i := range mm {
		row := c[i*ldc:][:nn]
		for j := range row {
			row[j] += tile[i*nr+j]
		}
	}
}

// pack packs alpha times X[i0:i0+nb, p0:p0+kb], converted to T, into dst
// as micro-panels of r rows, r being mr or pr.nr. A micro-panel holds its
// kb columns one after the other, each as r consecutive values; the rows
// of the last one past nb are zeros. X[i, q] is x[i*ld+q], or x[q*ld+i]
// when trans is true.
func (pr *precision[T]) pack(r int, x []float64, ld int, trans bool, i0, p0, nb, kb int, alpha float64, dst []T) {
	full := nb / r * r // rows in full micro-panels
	if trans {
		// A column of X is contiguous: read X's columns one by one,
		// each once, and deal them out to the micro-panels.
		for q := range kb {
			src := x[(p0+q)*ld+i0:][:nb]
			d := dst[q*r:]
			pr.deal(r, src[:full], d, kb*r, alpha)
			if full < nb {
				dd := d[full*kb:][:r]
				clear(dd)
				for i, v := range src[full:] {
					dd[i] = T(alpha * v)
				}
			}
		}
		return
	}
	// A row of X is contiguous: gather r rows into each micro-panel.
	for ir := 0; ir < nb; ir += r {
		d := dst[ir*kb : (ir+r)*kb]
		done := 0
		if ir < full {
			done = pr.gather(r, kb, x[(i0+ir)*ld+p0:], ld, d, alpha)
		} else {
			clear(d)
		}
		for i := range min(r, nb-ir) {
			row := x[(i0+ir+i)*ld+p0:][:kb]
			for q := done; q < kb; q++ {
				d[q*r+i] = T(alpha * row[q])
			}
		}
	}
}

// dealPanelsGo stores alpha times src[r·i:r·i+r], converted to T, at
// dst[i*stride:] for i < len(src)/r.
func dealPanelsGo[T elem](r int, src []float64, dst []T, stride int, alpha float64) {
	for i := 0; i+r <= len(src); i += r {
		dd := dst[i/r*stride:][:r]
		for j, v := range src[i : i+r] {
			dd[j] = T(alpha * v)
		}
	}
}

// naive computes a small product directly.
func naive(aTrans, bTrans bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		for j := range row {
			var s float64
			for l := range k {
				var x, y float64
				if aTrans {
					x = a[l*lda+i]
				} else {
					x = a[i*lda+l]
				}
				if bTrans {
					y = b[j*ldb+l]
				} else {
					y = b[l*ldb+j]
				}
				s += x * y
			}
			if beta == 0 {
				row[j] = alpha * s
			} else {
				row[j] = alpha*s + beta*row[j]
			}
		}
	}
}
