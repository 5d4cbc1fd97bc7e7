package rl

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distmv"
)

// Evaluator judges a position for [MCTS]: prior probabilities for its
// moves ([NumMoves()], only the legal ones count; MCTS renormalizes them
// over the legal moves) and a value in [−1, 1] from the point of view of
// the player to move (+1: they win). It is called only on positions that
// have not ended.
type Evaluator interface {
	Evaluate(g Game) (priors []float64, value float64)
}

// EvaluatorFunc makes a function an [Evaluator].
type EvaluatorFunc func(g Game) (priors []float64, value float64)

// Evaluate calls f(g).
func (f EvaluatorFunc) Evaluate(g Game) ([]float64, float64) { return f(g) }

// RandomRollout returns the evaluator of classic MCTS: uniform priors over
// the legal moves, and as the value the result of one game played from
// the position to the end with random moves (a rollout), drawn with rng:
// +1 if the player to move won it, −1 if they lost, 0 for a draw. One
// rollout is a noisy guess, so many simulations are needed. It panics if
// rng is nil.
func RandomRollout(rng *rand.Rand) Evaluator {
	if rng == nil {
		panic("rl: RandomRollout: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	random := RandomPlayer(rng)
	return EvaluatorFunc(func(g Game) ([]float64, float64) {
		priors := make([]float64, g.NumMoves())
		moves := g.Moves()
		for _, mv := range moves {
			priors[mv] = 1 / float64(len(moves))
		}
		return priors, Result(PlayOut(g, random, random), g.Player())
	})
}

// MCTS is Monte Carlo tree search with the PUCT rule, as in AlphaGo and
// AlphaZero (Silver et al., 2016, 2018). Each of Simulations simulations
// walks from the root down the tree, at each position taking the move a
// with the highest
//
//	Q(a) + CPUCT · P(a) · √(1 + N) / (1 + N(a))
//
// where Q(a) is the mean value of the simulations through a (0 before the
// first), P(a) the Evaluator's prior, N(a) the visits of a and N those of
// the position. At the first position not yet in the tree it asks the
// Evaluator for priors and a value, adds the position, and backs the value
// up the path, negated at each step since the players alternate. A
// position that has ended is valued by its result instead.
//
// Use NewMCTS, then change fields as needed. MCTS is a [Player].
type MCTS struct {
	Evaluator   Evaluator
	Simulations int     // simulations per search, at least 1
	CPUCT       float64 // the weight of the prior and exploration term; NewMCTS sets 1.5
	// Temperature sets how Move picks among the root's moves from their
	// visit counts: 0 plays the most visited move (ties at random), 1
	// samples in proportion to the counts. See VisitPolicy.
	Temperature float64
	// DirichletAlpha, when above 0, mixes noise into the root's priors,
	// P = (1−NoiseFraction)·P + NoiseFraction·η with η ~ Dir(α), so that
	// self-play tries moves the network does not yet rate (AlphaZero: α
	// 0.3 for chess, 0.03 for Go, NoiseFraction 0.25). 0: no noise.
	DirichletAlpha float64
	NoiseFraction  float64

	rng *rand.Rand
}

// NewMCTS returns a search with evaluator eval and simulations simulations
// per move, CPUCT 1.5, temperature 0 and no noise, drawing with rng (for
// ties, noise and sampling). It panics if rng or eval is nil or if
// simulations < 1.
func NewMCTS(rng *rand.Rand, eval Evaluator, simulations int) *MCTS {
	if rng == nil {
		panic("rl: NewMCTS: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	if eval == nil {
		panic("rl: NewMCTS: eval is nil; pass RandomRollout(rng) or a network's evaluator")
	}
	if simulations < 1 {
		panic(fmt.Sprintf("rl: NewMCTS: %d simulations; want at least 1", simulations))
	}
	return &MCTS{Evaluator: eval, Simulations: simulations, CPUCT: 1.5, rng: rng}
}

// node is a position in the search tree. Its statistics are per legal move
// and from the point of view of the player to move at the node.
type node struct {
	g        Game
	moves    []int     // the legal moves
	prior    []float64 // P(a), summing to 1
	visits   []float64 // N(a)
	total    []float64 // W(a): the sum of the values backed up through a; Q(a) = W(a)/N(a)
	children []*node   // nil until a simulation first takes the move
}

// expand asks the evaluator about n's position, fills in the priors and
// returns its value (from the view of the player to move).
func (m *MCTS) expand(n *node) float64 {
	priors, value := m.Evaluator.Evaluate(n.g)
	if len(priors) != n.g.NumMoves() {
		panic(fmt.Sprintf("rl: MCTS: the evaluator gave %d priors; want NumMoves() = %d", len(priors), n.g.NumMoves()))
	}
	n.moves = n.g.Moves()
	k := len(n.moves)
	n.prior, n.visits, n.total, n.children = make([]float64, k), make([]float64, k), make([]float64, k), make([]*node, k)
	sum := 0.0
	for i, mv := range n.moves {
		n.prior[i] = max(priors[mv], 0)
		sum += n.prior[i]
	}
	for i := range n.prior {
		if sum > 0 {
			n.prior[i] /= sum
		} else {
			n.prior[i] = 1 / float64(k) // the evaluator gave the legal moves nothing: uniform
		}
	}
	return value
}

// simulate runs one simulation from n and returns the value it found, from
// the view of the player to move at n.
func (m *MCTS) simulate(n *node) float64 {
	if n.g.Ended() {
		return Result(n.g, n.g.Player())
	}
	if n.moves == nil {
		return m.expand(n) // a new leaf: its evaluation is the simulation's value
	}
	a := m.selectMove(n)
	if n.children[a] == nil {
		n.children[a] = &node{g: n.g.Play(n.moves[a])}
	}
	v := -m.simulate(n.children[a]) // good for the opponent is bad for us
	n.visits[a]++
	n.total[a] += v
	return v
}

// selectMove returns the index of the move with the highest PUCT score
// (the first one on a tie).
func (m *MCTS) selectMove(n *node) int {
	sumN := 0.0
	for _, v := range n.visits {
		sumN += v
	}
	sqrtN := math.Sqrt(1 + sumN)
	best, bestScore := 0, math.Inf(-1)
	for i := range n.moves {
		q := 0.0
		if n.visits[i] > 0 {
			q = n.total[i] / n.visits[i]
		}
		u := m.CPUCT * n.prior[i] * sqrtN / (1 + n.visits[i])
		if q+u > bestScore {
			best, bestScore = i, q+u
		}
	}
	return best
}

// Search runs Simulations simulations from g and returns the visit count
// of each move of the root, [NumMoves()] (0 for illegal moves); they sum to
// Simulations. It panics if g has ended or Simulations < 1.
func (m *MCTS) Search(g Game) []float64 {
	if g.Ended() {
		panic(fmt.Sprintf("rl: MCTS: the game has ended, nothing to search, in position %s", compact(g)))
	}
	if m.Simulations < 1 {
		panic(fmt.Sprintf("rl: MCTS: Simulations %d; want at least 1", m.Simulations))
	}
	root := &node{g: g}
	m.expand(root)
	if m.DirichletAlpha > 0 && len(root.moves) > 1 {
		alpha := make([]float64, len(root.moves))
		for i := range alpha {
			alpha[i] = m.DirichletAlpha
		}
		noise := distmv.NewDirichlet(alpha, m.rng).Rand(nil)
		for i := range root.prior {
			root.prior[i] = (1-m.NoiseFraction)*root.prior[i] + m.NoiseFraction*noise[i]
		}
	}
	for range m.Simulations {
		m.simulate(root)
	}
	counts := make([]float64, g.NumMoves())
	for i, mv := range root.moves {
		counts[mv] = root.visits[i]
	}
	return counts
}

// VisitPolicy turns visit counts into a policy π(a) ∝ N(a)^(1/temperature),
// as AlphaGo Zero does: temperature 1 is proportional to the counts, and
// towards 0 it puts all the weight on the most visited moves; temperature
// 0 spreads it evenly over the moves with the most visits. It panics if
// temperature < 0 or no count is positive.
func VisitPolicy(counts []float64, temperature float64) []float64 {
	if !(temperature >= 0) {
		panic(fmt.Sprintf("rl: VisitPolicy: temperature %v; want at least 0", temperature))
	}
	most := 0.0
	for _, c := range counts {
		most = max(most, c)
	}
	if most <= 0 {
		panic(fmt.Sprintf("rl: VisitPolicy: counts %v has no positive count", counts))
	}
	pi := make([]float64, len(counts))
	sum := 0.0
	for i, c := range counts {
		switch {
		case temperature == 0 && c == most:
			pi[i] = 1
		case temperature > 0 && c > 0:
			pi[i] = math.Pow(c/most, 1/temperature) // divide by most first so that it cannot overflow
		}
		sum += pi[i]
	}
	for i := range pi {
		pi[i] /= sum
	}
	return pi
}

// Move searches g and returns a move drawn from VisitPolicy(counts,
// Temperature): the most visited move at temperature 0 (ties at random).
// It panics if g has ended.
func (m *MCTS) Move(g Game) int {
	return sample(m.rng, VisitPolicy(m.Search(g), m.Temperature))
}

// sample draws an index with probabilities p (which sum to 1).
func sample(rng *rand.Rand, p []float64) int {
	u := rng.Float64()
	last := 0
	for i, pi := range p {
		if pi <= 0 {
			continue
		}
		last = i
		if u < pi {
			return i
		}
		u -= pi
	}
	return last // rounding left a little of u
}
