package rl

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Minimax is a perfect player for small games such as tic-tac-toe: it
// searches the whole game tree below a position, assuming that each player
// picks the move best for them (von Neumann's minimax), and remembers the
// score of every position it has searched (memoization), so that the 5,478
// positions of tic-tac-toe are each searched once. Among equally good moves
// it picks one at random, so that games against it differ; among winning
// moves it prefers the fastest win, and among losing ones the slowest loss.
//
// Searching the whole tree is out of reach for Connect Four (about 4·10¹²
// positions) and Go; that is what [MCTS] is for.
type Minimax struct {
	rng  *rand.Rand
	memo map[Game]int
}

// NewMinimax returns a perfect player that breaks ties with rng. It panics
// if rng is nil.
func NewMinimax(rng *rand.Rand) *Minimax {
	if rng == nil {
		panic("rl: NewMinimax: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	return &Minimax{rng: rng, memo: map[Game]int{}}
}

// minimaxWin is the score of a position that the player to move has won
// now; a win one ply further away scores one less, so quicker wins score
// higher.
const minimaxWin = 100

// score returns the score of g for the player to move: positive if that
// player wins with best play (the larger, the sooner), negative if they
// lose, 0 for a draw.
func (m *Minimax) score(g Game) int {
	if s, ok := m.memo[g]; ok {
		return s
	}
	var best int
	if g.Ended() {
		// The player to move cannot have just won: the last move was the opponent's.
		best = -minimaxWin * abs(g.Winner())
	} else {
		best = -2 * minimaxWin
		for _, mv := range g.Moves() {
			best = max(best, m.childScore(g.Play(mv)))
		}
	}
	m.memo[g] = best
	return best
}

// childScore is the score of child for the player who moved into it: the
// negated score of the player to move there, one step closer to zero.
func (m *Minimax) childScore(child Game) int {
	s := -m.score(child)
	switch {
	case s > 0:
		s--
	case s < 0:
		s++
	}
	return s
}

// Value returns the value of g with perfect play by both sides, from the
// point of view of the player to move: +1 a win, 0 a draw, −1 a loss. The
// empty tic-tac-toe board is a draw, 0.
func (m *Minimax) Value(g Game) int {
	s := m.score(g)
	switch {
	case s > 0:
		return 1
	case s < 0:
		return -1
	}
	return 0
}

// Best returns the optimal moves in g, in increasing order: those with the
// best score (the fastest win, else a draw, else the slowest loss). It
// panics if g has ended.
func (m *Minimax) Best(g Game) []int {
	if g.Ended() {
		panic(fmt.Sprintf("rl: Minimax: the game has ended, no move to choose, in position %s", compact(g)))
	}
	var best []int
	bestScore := -2 * minimaxWin
	for _, mv := range g.Moves() {
		s := m.childScore(g.Play(mv))
		if s > bestScore {
			best, bestScore = best[:0], s
		}
		if s == bestScore {
			best = append(best, mv)
		}
	}
	return best
}

// MoveValues returns, for each move of g (indexed 0..NumMoves()-1), the
// value of playing it with perfect play afterwards, from the point of view
// of the player to move: +1, 0 or −1; NaN for moves that are not legal.
// It panics if g has ended.
func (m *Minimax) MoveValues(g Game) []float64 {
	if g.Ended() {
		panic(fmt.Sprintf("rl: Minimax: the game has ended, no move to value, in position %s", compact(g)))
	}
	v := make([]float64, g.NumMoves())
	for i := range v {
		v[i] = math.NaN()
	}
	for _, mv := range g.Moves() {
		v[mv] = float64(-m.Value(g.Play(mv))) // negate the int: no −0
	}
	return v
}

// Move returns one of the optimal moves of g, chosen at random. It panics
// if g has ended.
func (m *Minimax) Move(g Game) int {
	best := m.Best(g)
	return best[m.rng.IntN(len(best))]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
