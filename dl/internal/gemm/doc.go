// Package gemm is a fast float64 matrix product (DGEMM) for row-major
// matrices, a drop-in replacement for gonum's pure-Go Dgemm, and [Dgemm32],
// the same product computed in float32.
//
// # Blocking
//
// The product C = alpha·op(A)·op(B) + beta·C is computed the way Goto's
// GotoBLAS and BLIS do it. C is scaled by beta first. Then, for each block of
// at most nc columns of C, and each slice of at most kc of the inner
// dimension, the kc×nc block of op(B) is copied ("packed") into a contiguous
// buffer laid out as micro-panels of nr columns: row p of a micro-panel is
// nr consecutive values. For each block of at most mc rows of C, the mc×kc
// block of op(A), multiplied by alpha, is packed the same way into
// micro-panels of mr rows. Packing makes every later read of A and B
// sequential and hides the transposes: after packing, all four tA/tB
// combinations run the same code. Panels at the edges are padded with zeros
// to full size.
//
// The innermost two loops walk over the micro-panels and call the
// micro-kernel, which adds the product of one mr×kc micro-panel of A and one
// kc×nr micro-panel of B to an mr×nr tile of C, keeping the whole tile in
// registers while it runs over kc. The B micro-panel (kc·nr values, 16 KiB)
// stays in the L1 cache while the kernel sweeps down the packed A block
// (mc·kc values, in the L2 cache); the packed B block is reused by every
// block of rows and lives in L2/L3. Tiles at the edges of C, smaller than
// mr×nr, are computed whole and stored row by row, with AVX masks where
// they lack columns (by the portable kernel: into a small buffer, then
// added into C).
//
// The blocking parameters are mr = 6, nr = 8, kc = 256, mc = 96 and
// nc = 2048; a dimension longer than its block is cut into equal blocks
// (multiples of mr or nr), so that no block is left nearly empty. With the
// assembly kernel, packing uses AVX2 too: rows that are contiguous in
// memory are dealt out to the micro-panels in vector registers, and
// columns are gathered with 4×4 in-register transposes.
//
// # Micro-kernel
//
// On amd64 with AVX2 and FMA (detected at run time with golang.org/x/sys/cpu)
// the micro-kernel is written in assembly: the 6×8 tile of C is held in
// twelve YMM registers (two of four float64 per row); each step of the inner
// loop loads one row of the B micro-panel into two registers, broadcasts
// each of the six values of the A micro-panel and issues twelve
// VFMADD231PD instructions. On other architectures, on CPUs without AVX2 or
// FMA, and when built with the purego tag, a portable Go micro-kernel with
// the same packed layout is used instead. It is slower than gonum's own
// Dgemm, which has SSE2 assembly, so [Faster] reports false there and dl
// calls gonum's Dgemm instead; the portable kernel is kept as the
// readable reference that the tests check the assembly against.
//
// # Float32
//
// [Dgemm32] runs the same blocked algorithm on the same float64 matrices,
// but packs them as float32: the packing converts alpha·op(A) and op(B)
// as it copies them, so nothing else needs a float32 copy, and the
// buffers, at 4 bytes a value, take half the cache. Its micro-kernel's
// tile is 6×16: an AVX2 register holds 8 float32, so a row of 16 takes
// two registers, and the tile the same twelve accumulators, two loads of
// B and two broadcasts of A as the float64 6×8 tile; each VFMADD231PS does
// 8 multiply-adds where VFMADD231PD does 4, so the kernel does twice the
// work per instruction (BenchmarkKernel measured it at 2.0 to 2.5 times
// the float64 kernel's GFLOPS). The B micro-panel, kc·16 float32 values,
// is 16 KiB again, in the L1 cache.
//
// The kernel sums in float32 over one slice of the inner dimension, at
// most kc = 256 products, then converts the 6×16 sums to float64 (VCVTPS2PD)
// and adds them to C in float64. The rounding error of a float32 sum of n
// products grows at worst as n·u (u = 2⁻²⁴, float32's unit roundoff), and
// typically as √n·u; since each slice starts from zero, an element's
// error is that of one slice of at most 256, plus the two roundings of
// its operands to float32: at most (min(k, 256) + 2)·u·Σ|alpha·a·b|,
// whatever k. A larger kc would round less often into float64 but would
// not fit the B micro-panel in L1; a smaller one would read and write C
// more often.
//
// Dgemm32 uses the blocked algorithm only: the plain loop and the skinny
// shortcuts below stay in float64 (they read their float64 operands in
// place, once, and would gain nothing from converting them).
//
// # Skinny products
//
// Two shapes of product with a small C (at most 256 elements) and a long
// inner dimension, as a convolution's weight gradient, skip packing, which
// would copy both operands for little reuse. For A·Bᵀ both operands are
// read along their rows, and C is computed as dot products, eight at a
// time (two rows of A against four rows of B, in AVX2 registers). For
// Aᵀ·B a strided variant of the micro-kernel reads A and B in place, and
// the inner dimension is cut into chunks (see Threads) whose partial sums
// are added at the end, in chunk order. These two shortcuts are only taken
// with the assembly kernel. Products too small to amortize packing at all
// (m·n·k ≤ 512) use a plain loop.
//
// # Threads
//
// Products of at least about four million multiply-adds (2^21 per thread:
// below that, waking a second thread, and waiting for it when other
// programs keep its core busy, costs more than it saves) are cut into
// chunks:
//   - for the blocked algorithm, two per available processor
//     (runtime.GOMAXPROCS): blocks of C arranged in a grid whose shape is
//     chosen to minimize the packing that the cut duplicates (cutting the
//     rows of C makes every chunk pack all of B, cutting the columns makes
//     every chunk pack all of A);
//   - for the Aᵀ·B shortcut, slices of the inner dimension, one per 2^20
//     multiply-adds and at most 32, whatever the number of processors.
//
// The calling goroutine and long-lived worker goroutines take the chunks
// one after the other until none is left, each running the blocked
// algorithm on its chunk with its own pack buffers; so a worker that
// starts late (its core busy with the garbage collector or other programs)
// leaves its share to the others instead of holding up the product. (One
// that loses its core in the middle of a chunk still holds it up until it
// gets the core back.) Smaller products run on the calling goroutine alone.
//
// # Determinism
//
// Dgemm gives the very same bits for the same arguments on every run and
// under any GOMAXPROCS, in a given build on a given CPU architecture. Which
// path a product takes depends only on its shape and the build. Then:
//   - In the blocked algorithm, each element of C gets the same
//     arithmetic whichever block of the grid it falls in: it is scaled by
//     beta, then for each slice of the inner dimension in turn, whose
//     length kc depends on k alone, the micro-kernel sums that slice's
//     products (alpha·a, packed, times b) in order from zero in its own
//     register lane and adds the sum to C. Tiles at the edges of C run the
//     same kernel and store only their part inside C (the portable kernel:
//     into a zeroed buffer, which adds nothing), and the packing multiplies
//     by alpha (and, for Dgemm32, rounds to float32) one value at a time. So the grid, which follows GOMAXPROCS,
//     only decides who computes an element, not how.
//   - In the Aᵀ·B shortcut, the chunks of the inner dimension depend only
//     on m, n and k, each chunk's partial product is kept apart, and the
//     partials are added in chunk order once all are done; one thread
//     computes the same chunks one after the other.
//   - The dot products and the plain loop are not split.
//
// The same holds for Dgemm32: it splits its work as Dgemm does, and each
// element's float32 sums run over the same slices of the inner dimension,
// in the same order, whichever thread computes it.
//
// The assembly kernel, the portable one and OpenBLAS round differently, so
// results differ between builds and architectures.
//
// Pack buffers, and the partial sums of the Aᵀ·B shortcut, are kept for
// the next products (at most 2·GOMAXPROCS sets, in a free list that,
// unlike a sync.Pool, the garbage collector does not empty), and the state
// of a product in a sync.Pool, so that repeated products, as in training,
// do not allocate.
//
// # OpenBLAS
//
// Built with the openblas tag (and cgo), Dgemm calls OpenBLAS's cblas_dgemm
// instead; the default build is pure Go. Dgemm32 then runs its portable
// kernel, slower than OpenBLAS's Dgemm ([Faster32] is false).
//
// # Use
//
// Package dl calls [Dgemm] directly, where [Faster] is true, and [Dgemm32]
// in its place when a program asks for float32 products
// (dl.SetMatMulPrecision) and [Faster32] is true; it leaves gonum's
// global BLAS alone. [Implementation] is gonum's BLAS with this
// Dgemm; dl.UseFastBLAS installs it for all of gonum, for a program that
// asks:
//
//	blas64.Use(gemm.Implementation{})
package gemm
