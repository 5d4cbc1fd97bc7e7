package gemm

import (
	"runtime"
	"sync"
)

// Register tile and cache blocking parameters; see the package doc.
const (
	mr      = 6    // rows of the micro-kernel's tile of C
	nr      = 8    // columns of the micro-kernel's tile of C
	kcBlock = 256  // most of the inner dimension packed at once
	mcBlock = 96   // most rows of op(A) packed at once (a multiple of mr)
	ncBlock = 2048 // most columns of op(B) packed at once (a multiple of nr)
)

const (
	// smallWork is the largest m·n·k done by a plain loop: below it,
	// packing costs more than it saves.
	smallWork = 8 * 8 * 8
	// parWork is the least m·n·k per task for a product to be split over
	// goroutines.
	parWork = 1 << 19
)

// useAsm says whether the assembly micro-kernel is used. It is a variable
// so that tests can run the portable kernel too.
var useAsm = haveAsm

// problem is one call of Dgemm, after the arguments were checked.
type problem struct {
	aTrans, bTrans bool
	k              int
	alpha          float64
	a              []float64
	lda            int
	b              []float64
	ldb            int
	beta           float64
	c              []float64
	ldc            int
	wg             sync.WaitGroup
}

// workspace holds one goroutine's pack buffers.
type workspace struct {
	a, b []float64
	tile [mr * nr]float64
}

var (
	workspaces = sync.Pool{New: func() any { return new(workspace) }}
	problems   = sync.Pool{New: func() any { return new(problem) }}
)

func roundUp(x, to int) int { return (x + to - 1) / to * to }

// split returns the size of the blocks that divide n into the fewest blocks
// of at most max, all about the same size and multiples of unit.
func split(n, max, unit int) int {
	blocks := (n + max - 1) / max
	return roundUp((n+blocks-1)/blocks, unit)
}

// blocked computes the product with the blocked algorithm (or, when it is
// tiny, a plain loop). The arguments have been checked; alpha and k are not
// zero.
func blocked(aTrans, bTrans bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if m*n*k <= smallWork {
		naive(aTrans, bTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	p := problems.Get().(*problem)
	*p = problem{aTrans: aTrans, bTrans: bTrans, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc}
	pr, pc := grid(m, n, k)
	if pr*pc == 1 {
		p.run(0, m, 0, n)
	} else {
		p.parallel(m, n, pr, pc)
	}
	*p = problem{}
	problems.Put(p)
}

// grid returns the number of row and column blocks of C to split the
// product into: one task each.
func grid(m, n, k int) (pr, pc int) {
	nt := runtime.GOMAXPROCS(0)
	if w := m * n * k / parWork; w < nt {
		nt = w
	}
	mu, nu := (m+mr-1)/mr, (n+nr-1)/nr // blocks of the register tile
	for ; nt > 1; nt-- {
		best := -1
		for r := 1; r <= nt; r++ {
			if nt%r != 0 || r > mu || nt/r > nu {
				continue
			}
			// Row blocks each pack all of B, column blocks all of A.
			cost := nt/r*m*k + r*k*n
			if best < 0 || cost < best {
				best, pr, pc = cost, r, nt/r
			}
		}
		if best >= 0 {
			return pr, pc
		}
	}
	return 1, 1
}

// parallel runs the product as pr×pc tasks, one for each block of C.
func (p *problem) parallel(m, n, pr, pc int) {
	startWorkers(pr*pc - 1)
	rs := roundUp((m+pr-1)/pr, mr)
	cs := roundUp((n+pc-1)/pc, nr)
	var first task
	for i := range pr {
		for j := range pc {
			t := task{p, min(i*rs, m), min((i+1)*rs, m), min(j*cs, n), min((j+1)*cs, n)}
			if i == 0 && j == 0 {
				first = t
				continue
			}
			p.wg.Add(1)
			select {
			case queue <- t:
			default: // all workers busy: do it here
				t.do()
			}
		}
	}
	first.p.run(first.r0, first.r1, first.c0, first.c1)
	p.wg.Wait()
}

// task is the block C[r0:r1, c0:c1] of a problem.
type task struct {
	p              *problem
	r0, r1, c0, c1 int
}

func (t task) do() {
	t.p.run(t.r0, t.r1, t.c0, t.c1)
	t.p.wg.Done()
}

var (
	queue      = make(chan task, 256)
	workersMu  sync.Mutex
	numWorkers int
)

// startWorkers makes sure that at least n long-lived worker goroutines
// take tasks from the queue.
func startWorkers(n int) {
	workersMu.Lock()
	for ; numWorkers < n; numWorkers++ {
		go func() {
			for t := range queue {
				t.do()
			}
		}()
	}
	workersMu.Unlock()
}

// run computes the block C[r0:r1, c0:c1] of the product with the blocked
// algorithm described in the package doc.
func (p *problem) run(r0, r1, c0, c1 int) {
	scale(p.beta, p.c, p.ldc, r0, r1, c0, c1)
	ws := workspaces.Get().(*workspace)
	kc := split(p.k, kcBlock, 1)
	mc := split(r1-r0, mcBlock, mr)
	nc := split(c1-c0, ncBlock, nr)
	if need := mc * kc; len(ws.a) < need {
		ws.a = make([]float64, need)
	}
	if need := nc * kc; len(ws.b) < need {
		ws.b = make([]float64, need)
	}
	for jc := c0; jc < c1; jc += nc {
		nb := min(nc, c1-jc)
		for pc := 0; pc < p.k; pc += kc {
			kb := min(kc, p.k-pc)
			bp := ws.b[:roundUp(nb, nr)*kb]
			p.packB(pc, jc, kb, nb, bp)
			for ic := r0; ic < r1; ic += mc {
				mb := min(mc, r1-ic)
				ap := ws.a[:roundUp(mb, mr)*kb]
				p.packA(ic, pc, mb, kb, ap)
				macro(kb, mb, nb, ap, bp, p.c[ic*p.ldc+jc:], p.ldc, &ws.tile)
			}
		}
	}
	workspaces.Put(ws)
}

// macro adds the product of the packed mb×kb block ap of A and the packed
// kb×nb block bp of B to C, whose top left element is c[0].
func macro(kb, mb, nb int, ap, bp, c []float64, ldc int, tile *[mr * nr]float64) {
	for jr := 0; jr < nb; jr += nr {
		nn := min(nr, nb-jr)
		bpan := bp[jr*kb : (jr+nr)*kb]
		for ir := 0; ir < mb; ir += mr {
			mm := min(mr, mb-ir)
			apan := ap[ir*kb : (ir+mr)*kb]
			if mm == mr && nn == nr {
				kernel(kb, apan, bpan, c[ir*ldc+jr:], ldc)
				continue
			}
			// An edge tile: compute it whole, add what lies inside C.
			*tile = [mr * nr]float64{}
			kernel(kb, apan, bpan, tile[:], nr)
			for i := range mm {
				row := c[(ir+i)*ldc+jr : (ir+i)*ldc+jr+nn]
				for j := range row {
					row[j] += tile[i*nr+j]
				}
			}
		}
	}
}

// kernel adds the product of an mr×kc micro-panel of A and a kc×nr
// micro-panel of B, both packed, to the mr×nr tile of C at c[0].
func kernel(kc int, a, b, c []float64, ldc int) {
	if useAsm {
		kernelAsm(kc, a, b, c, ldc)
		return
	}
	kernelGo(kc, a, b, c, ldc)
}

// packA packs alpha times op(A)[i0:i0+mb, p0:p0+kb] into dst as
// micro-panels of mr rows, each stored row p after row p, padded with zeros.
func (p *problem) packA(i0, p0, mb, kb int, dst []float64) {
	a, lda, alpha := p.a, p.lda, p.alpha
	full := mb / mr * mr // rows in full micro-panels
	if p.aTrans {
		// op(A)[i, q] = a[q*lda+i]: read A row by row, each row once,
		// and deal it out to the micro-panels.
		for q := range kb {
			src := a[(p0+q)*lda+i0:][:mb]
			d := dst[q*mr:]
			dealPanels6(src[:full], d, kb*mr, alpha)
			if full < mb {
				dd := (*[mr]float64)(d[full*kb:])
				*dd = [mr]float64{}
				for i, v := range src[full:] {
					dd[i] = alpha * v
				}
			}
		}
		return
	}
	// op(A)[i, q] = a[i*lda+q]: gather from mr rows.
	for ir := 0; ir < full; ir += mr {
		d := dst[ir*kb : (ir+mr)*kb]
		base := (i0+ir)*lda + p0
		done := gatherRows(mr, kb, a[base:], lda, d, alpha)
		r0 := a[base:][:kb]
		r1 := a[base+lda:][:kb]
		r2 := a[base+2*lda:][:kb]
		r3 := a[base+3*lda:][:kb]
		r4 := a[base+4*lda:][:kb]
		r5 := a[base+5*lda:][:kb]
		for q := done; q < kb; q++ {
			dd := (*[mr]float64)(d[q*mr:])
			dd[0], dd[1], dd[2] = alpha*r0[q], alpha*r1[q], alpha*r2[q]
			dd[3], dd[4], dd[5] = alpha*r3[q], alpha*r4[q], alpha*r5[q]
		}
	}
	if full < mb {
		d := dst[full*kb : (full+mr)*kb]
		clear(d)
		for i := range mb - full {
			row := a[(i0+full+i)*lda+p0:][:kb]
			for q, v := range row {
				d[q*mr+i] = alpha * v
			}
		}
	}
}

// packB packs op(B)[p0:p0+kb, j0:j0+nb] into dst as micro-panels of nr
// columns, each stored row after row, padded with zeros.
func (p *problem) packB(p0, j0, kb, nb int, dst []float64) {
	b, ldb := p.b, p.ldb
	full := nb / nr * nr // columns in full micro-panels
	if !p.bTrans {
		// op(B)[q, j] = b[q*ldb+j]: read B row by row, each row once,
		// and deal it out to the micro-panels.
		for q := range kb {
			src := b[(p0+q)*ldb+j0:][:nb]
			d := dst[q*nr:]
			dealPanels(src[:full], d, kb*nr)
			if full < nb {
				dd := (*[nr]float64)(d[full*kb:])
				*dd = [nr]float64{}
				copy(dd[:], src[full:])
			}
		}
		return
	}
	// op(B)[q, j] = b[j*ldb+q]: gather from nr rows.
	for jr := 0; jr < full; jr += nr {
		d := dst[jr*kb : (jr+nr)*kb]
		base := (j0+jr)*ldb + p0
		done := gatherRows(nr, kb, b[base:], ldb, d, 1)
		r0 := b[base:][:kb]
		r1 := b[base+ldb:][:kb]
		r2 := b[base+2*ldb:][:kb]
		r3 := b[base+3*ldb:][:kb]
		r4 := b[base+4*ldb:][:kb]
		r5 := b[base+5*ldb:][:kb]
		r6 := b[base+6*ldb:][:kb]
		r7 := b[base+7*ldb:][:kb]
		for q := done; q < kb; q++ {
			dd := (*[nr]float64)(d[q*nr:])
			dd[0], dd[1], dd[2], dd[3] = r0[q], r1[q], r2[q], r3[q]
			dd[4], dd[5], dd[6], dd[7] = r4[q], r5[q], r6[q], r7[q]
		}
	}
	if full < nb {
		d := dst[full*kb : (full+nr)*kb]
		clear(d)
		for j := range nb - full {
			row := b[(j0+full+j)*ldb+p0:][:kb]
			for q, v := range row {
				d[q*nr+j] = v
			}
		}
	}
}

// dealPanelsGo copies src[8i:8i+8] to dst[i*stride:] for i < len(src)/8.
func dealPanelsGo(src, dst []float64, stride int) {
	for jr := 0; jr+nr <= len(src); jr += nr {
		s := (*[nr]float64)(src[jr:])
		dd := (*[nr]float64)(dst[jr/nr*stride:])
		dd[0], dd[1], dd[2], dd[3] = s[0], s[1], s[2], s[3]
		dd[4], dd[5], dd[6], dd[7] = s[4], s[5], s[6], s[7]
	}
}

// dealPanels6Go copies alpha times src[6i:6i+6] to dst[i*stride:] for
// i < len(src)/6.
func dealPanels6Go(src, dst []float64, stride int, alpha float64) {
	for ir := 0; ir+mr <= len(src); ir += mr {
		s := (*[mr]float64)(src[ir:])
		dd := (*[mr]float64)(dst[ir/mr*stride:])
		dd[0], dd[1], dd[2] = alpha*s[0], alpha*s[1], alpha*s[2]
		dd[3], dd[4], dd[5] = alpha*s[3], alpha*s[4], alpha*s[5]
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
