// DOC SECTION FOR doc.go (rlgame: the lead moves this section into doc.go)
//
// # Two-player games and search
//
// A [Game] is a two-player, zero-sum game of perfect information, such as
// tic-tac-toe, Connect Four, chess or Go: both players see the whole
// position, they move in turn, and what one wins the other loses. A
// position lists its legal moves, plays one and returns the new position
// (the old one stays as it was), and says whose turn it is and who won:
//
//	g := rl.NewTicTacToe()
//	g = g.Play(4) // X takes the centre
//	fmt.Println(g.Player(), g.Moves()) // -1 [0 1 2 3 5 6 7 8]: O to move
//
// [TicTacToe] and [ConnectFour] (6×7) are the games. Tic-tac-toe is small
// enough (5,478 positions) to be solved: [Minimax] plays it perfectly, by
// searching the whole game tree and remembering every position it has
// valued (memoization); it picks at random among the best moves, so that
// games against it differ.
//
// Go is not small: about 250 legal moves a turn over about 150 turns, so
// a full search is out of reach. Monte Carlo tree search ([MCTS]) grows a
// tree only where it looks promising. Each simulation walks down the tree,
// choosing at each node the move with the highest
//
//	Q(s, a) + c · P(s, a) · √(1 + N(s)) / (1 + N(s, a))
//
// the PUCT rule (Rosin, 2011, "Multi-armed bandits with episode context";
// in this form Silver et al., 2016, who write √N(s), which gives the
// priors no say before the first visit): Q is the average value of the move so
// far (exploit), P the prior probability of the move (which moves look
// worth trying) and the square-root term an exploration bonus that shrinks
// as the move is tried, as in UCT (Kocsis & Szepesvári, 2006, "Bandit
// based Monte-Carlo planning"). At a new position an [Evaluator] gives the
// priors and a value, which is backed up the path. The evaluator is either
// [RandomRollout], uniform priors and the result of one game played out at
// random (classic MCTS), or a policy/value network ([PolicyValueNet]).
// After the simulations, the visit counts of the root's moves are the
// search's policy: play the most visited move, or sample with a
// temperature; Dirichlet noise on the root's priors makes self-play
// explore.
//
// [Match] plays two [Player]s against each other, each side in turn, and
// counts wins, draws and losses; [RandomPlayer], [Minimax], [MCTS] and
// [PolicyValueNet] (its raw policy, with no search) are players.
//
// AlphaGo (Silver et al., 2016, "Mastering the game of Go with deep neural
// networks and tree search", Nature) learned a policy network from human
// games, improved it by self-play, trained a value network on its games
// and combined both with rollouts in MCTS. AlphaGo Zero (Silver et al.,
// 2017, "Mastering the game of Go without human knowledge", Nature) dropped
// the human games and the rollouts: one network with a policy head and a
// value head, trained only on games it plays against itself ([SelfPlay]):
// the policy learns the visit counts of MCTS, the value learns the
// outcome, and the better network makes the next search stronger.
// AlphaZero (Silver et al., 2018, "A general reinforcement learning
// algorithm that masters chess, shogi, and Go through self-play",
// Science) applied the same algorithm to chess and shogi. This package
// runs it on tic-tac-toe, where the perfect player can check it. A
// [Symmetric] game (both games here) lists the symmetries of its board,
// and SelfPlay trains on every position's rotations and reflections too,
// as AlphaGo Zero did with the 8 symmetries of the Go board.
//
// END OF DOC SECTION

package rl

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// Game is a position in a two-player, zero-sum game of perfect
// information. The first player is +1 and the second −1. Positions are
// values: Play returns a new position and leaves the old one as it was,
// so a search can keep every position it visits without undo. A Game's
// dynamic type is comparable (a struct of arrays), so positions can be
// map keys, as in [Minimax].
type Game interface {
	// Moves returns the legal moves in increasing order, each in
	// 0..NumMoves()-1; none when the game has ended.
	Moves() []int
	// Play returns the position after the player to move plays move.
	// It panics if the move is not legal, naming the game, the move and
	// the position.
	Play(move int) Game
	// Ended reports whether the game is over: won or drawn.
	Ended() bool
	// Winner returns +1 if the first player has won, −1 if the second
	// has, and 0 for a draw or a game not yet over.
	Winner() int
	// Player returns the player to move: +1 (first) or −1 (second).
	Player() int
	// Encode returns the position as a tensor for a network, from the
	// point of view of the player to move: [2, rows, cols], plane 0 the
	// stones of the player to move, plane 1 the opponent's, 1 where a
	// stone is and 0 elsewhere. So a network sees "my stones" and "your
	// stones", and the same network plays both sides.
	Encode() *dl.Tensor
	// NumMoves returns the size of the action space: the number of
	// moves there can ever be, legal or not (9 for tic-tac-toe, 7 for
	// Connect Four).
	NumMoves() int
	// String draws the position, one line per row, X for the first
	// player, O for the second and . for empty.
	String() string
}

// Result returns the outcome of an ended game from the point of view of
// player (+1 or −1): 1 if player won, −1 if player lost, 0 for a draw
// (or a game not over).
func Result(g Game, player int) float64 {
	return float64(g.Winner() * player)
}

// drawBoard draws cells (+1, −1, 0, row by row) as X, O and ".".
func drawBoard(cells []int8, cols int) string {
	b := make([]byte, 0, len(cells)+len(cells)/cols)
	for i, c := range cells {
		switch c {
		case 1:
			b = append(b, 'X')
		case -1:
			b = append(b, 'O')
		default:
			b = append(b, '.')
		}
		if i%cols == cols-1 {
			b = append(b, '\n')
		}
	}
	return string(b)
}

// encode is Encode for a board of cells (+1, −1, 0) seen by player.
func encode(cells []int8, rows, cols int, player int8) *dl.Tensor {
	x := make([]float64, 2*len(cells))
	for i, c := range cells {
		switch c {
		case player:
			x[i] = 1
		case -player:
			x[len(cells)+i] = 1
		}
	}
	return dl.New(x, 2, rows, cols)
}

// Player chooses moves: a search, a network, a person or chance.
type Player interface {
	// Move returns a legal move in g, which has not ended.
	Move(g Game) int
}

// PlayerFunc makes a function a [Player].
type PlayerFunc func(g Game) int

// Move calls f(g).
func (f PlayerFunc) Move(g Game) int { return f(g) }

// RandomPlayer returns a player that picks a legal move uniformly at
// random, drawing with rng. It panics if rng is nil.
func RandomPlayer(rng *rand.Rand) Player {
	if rng == nil {
		panic("rl: RandomPlayer: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	return PlayerFunc(func(g Game) int {
		moves := g.Moves()
		return moves[rng.IntN(len(moves))]
	})
}

// PlayOut plays g to the end, first moving for the first player (+1) and
// second for the second (−1), and returns the final position. It panics
// if a player returns an illegal move (from Play).
func PlayOut(g Game, first, second Player) Game {
	for !g.Ended() {
		if g.Player() == 1 {
			g = g.Play(first.Move(g))
		} else {
			g = g.Play(second.Move(g))
		}
	}
	return g
}

// Record counts the outcomes of games from one player's point of view.
type Record struct{ Wins, Draws, Losses int }

// Games returns the number of games.
func (r Record) Games() int { return r.Wins + r.Draws + r.Losses }

// Match plays games games of start between a and b, a moving first in
// the even-numbered games and second in the odd ones (so each side the
// same number of times when games is even), and returns a's record. It
// panics if games < 0.
func Match(start Game, a, b Player, games int) Record {
	if games < 0 {
		panic(fmt.Sprintf("rl: Match: games %d; want at least 0", games))
	}
	var r Record
	for i := range games {
		side := 1
		end := Game(nil)
		if i%2 == 0 {
			end = PlayOut(start, a, b)
		} else {
			side = -1
			end = PlayOut(start, b, a)
		}
		switch end.Winner() * side {
		case 1:
			r.Wins++
		case -1:
			r.Losses++
		default:
			r.Draws++
		}
	}
	return r
}

// Symmetry maps a board onto itself without changing the game, such as a
// rotation of the tic-tac-toe board: the square i goes to Cells[i], and the
// move a becomes Moves[a]. A position and its image are equally good, and
// a good move in one is the mapped move in the other.
type Symmetry struct {
	Cells []int // [rows·cols]: where each square goes
	Moves []int // [NumMoves()]: where each move goes
}

// Symmetric is a [Game] whose board has symmetries. [SelfPlay] uses them to
// turn each position it plays into several training examples, as AlphaGo
// Zero did with the 8 symmetries of the Go board.
type Symmetric interface {
	Game
	// Symmetries returns the board's symmetries other than the identity.
	Symmetries() []Symmetry
}
