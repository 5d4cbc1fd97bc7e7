package unsup

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/dlnb/dlnb/dl"
)

// KMeansResult is what [KMeans] found.
type KMeansResult struct {
	Centers *dl.Tensor // [k, d]: the centre (mean) of each group
	Labels  []int      // [n]: the group of each row, 0..k-1, that of its nearest centre

	// Inertia is the sum of the squared distances of the rows to their
	// nearest centre, after the assignment step of each iteration: the
	// learning signal. It never increases, falls fast, then flattens. The
	// first value is that of the k-means++ starting centres; the last is
	// that of Centers and Labels.
	Inertia []float64

	Iterations int // the number of assignment steps, len(Inertia)
}

// KMeans clusters the rows of x [n, d] into k groups by Lloyd's algorithm
// (Lloyd, 1957, published 1982), from k-means++ starting centres (Arthur &
// Vassilvitskii, 2007). Each iteration
//
//  1. assigns every row to its nearest centre (the lowest index on a tie),
//     and records the inertia, then
//  2. moves every centre to the mean of its rows (a centre without rows
//     stays where it is).
//
// It stops after the assignment step when the labels did not change, so
// Centers are then the means of their groups, or after maxIter assignment
// steps. With maxIter 1 it returns the starting centres.
//
// Each step can only lower the inertia, so Lloyd's algorithm always stops,
// but at a local minimum: another rng can give other groups. rng is used
// only to pick the starting centres, so the same rng state gives the same
// result.
//
// KMeans panics if x is not [n, d], if k < 1 or k > n, if maxIter < 1, or
// if rng is nil.
func KMeans(x *dl.Tensor, k int, maxIter int, rng *rand.Rand) KMeansResult {
	if x.Dim() != 2 {
		panic(fmt.Sprintf("unsup: KMeans: x has shape %v; want [n, d]", x.Shape()))
	}
	n, d := x.Shape()[0], x.Shape()[1]
	if k < 1 || k > n {
		panic(fmt.Sprintf("unsup: KMeans: k = %d for %d rows; want 1 ≤ k ≤ n", k, n))
	}
	if maxIter < 1 {
		panic(fmt.Sprintf("unsup: KMeans: maxIter = %d; want at least 1", maxIter))
	}
	if rng == nil {
		panic("unsup: KMeans: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	rows := x.Data()
	row := func(i int) []float64 { return rows[i*d : (i+1)*d] }
	centers := kMeansPlusPlus(rows, n, d, k, rng)

	var res KMeansResult
	for {
		labels, inertia := assign(rows, centers, n, d, k)
		res.Inertia = append(res.Inertia, inertia)
		res.Iterations++
		converged := slices.Equal(labels, res.Labels)
		res.Labels = labels
		if converged || res.Iterations == maxIter {
			break
		}
		// Update step: each centre moves to the mean of its rows.
		sums := make([]float64, k*d)
		counts := make([]int, k)
		for i, c := range labels {
			counts[c]++
			for j, v := range row(i) {
				sums[c*d+j] += v
			}
		}
		for c := range k {
			if counts[c] == 0 {
				continue // no rows: keep the centre where it was
			}
			for j := range d {
				centers[c*d+j] = sums[c*d+j] / float64(counts[c])
			}
		}
	}
	res.Centers = dl.New(centers, k, d)
	return res
}

// kMeansPlusPlus picks k starting centres among the n rows (of d values
// each): the first uniformly at random, each next one with probability
// proportional to its squared distance to the nearest centre picked so
// far, so that the centres spread out over the data. It returns them as
// [k, d] values.
func kMeansPlusPlus(rows []float64, n, d, k int, rng *rand.Rand) []float64 {
	row := func(i int) []float64 { return rows[i*d : (i+1)*d] }
	first := row(rng.IntN(n))
	centers := slices.Clone(first)
	dist := make([]float64, n) // squared distance to the nearest centre so far
	for i := range n {
		dist[i] = sqDist(row(i), first)
	}
	for len(centers) < k*d {
		var total float64
		for _, v := range dist {
			total += v
		}
		var pick int
		if total == 0 { // every row sits on a centre already
			pick = rng.IntN(n)
		} else { // row i with probability dist[i] / total
			r := rng.Float64() * total
			for i, v := range dist {
				if v > 0 {
					pick = i // the last row with v > 0, if rounding leaves r ≥ 0
					if r < v {
						break
					}
					r -= v
				}
			}
		}
		center := row(pick)
		centers = append(centers, center...)
		for i := range n {
			dist[i] = min(dist[i], sqDist(row(i), center))
		}
	}
	return centers
}

// assign returns the index of the nearest of the k centres ([k, d] values)
// to each of the n rows, the lowest on a tie, and the inertia: the sum of
// the squared distances to those centres.
func assign(rows, centers []float64, n, d, k int) (labels []int, inertia float64) {
	labels = make([]int, n)
	for i := range n {
		r := rows[i*d : (i+1)*d]
		best := sqDist(r, centers[:d])
		for c := 1; c < k; c++ {
			if dc := sqDist(r, centers[c*d:(c+1)*d]); dc < best {
				best, labels[i] = dc, c
			}
		}
		inertia += best
	}
	return labels, inertia
}

// sqDist returns the squared Euclidean distance between a and b.
func sqDist(a, b []float64) float64 {
	var s float64
	for j, v := range a {
		s += (v - b[j]) * (v - b[j])
	}
	return s
}
