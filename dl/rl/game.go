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
