package rl

import (
	"fmt"
	"strings"

	"github.com/dlnb/dlnb/dl"
)

// TicTacToe is a position of tic-tac-toe (noughts and crosses) on a 3×3
// board. X (+1) moves first. A move is a square, numbered row by row:
//
//	0 1 2
//	3 4 5
//	6 7 8
//
// The zero value is not a valid position; start from [NewTicTacToe] or
// [ParseTicTacToe].
type TicTacToe struct {
	cells  [9]int8 // +1 X, −1 O, 0 empty
	player int8    // to move: +1 or −1
	winner int8    // +1, −1, or 0
	filled int8    // stones on the board
}

// NewTicTacToe returns the empty board, X to move.
func NewTicTacToe() TicTacToe { return TicTacToe{player: 1} }

// ParseTicTacToe returns the position drawn in board: nine squares of
// X, O or "." (empty), row by row; spaces, newlines and "/" are ignored,
// so "XO./.X./..O" works. The player to move follows from the counts: X if
// both have as many stones, else O. It panics if the board does not have
// nine squares, holds another letter, or if the counts cannot arise in a
// game (O ahead of X, or X two ahead).
func ParseTicTacToe(board string) TicTacToe {
	g := NewTicTacToe()
	n, xs, os := 0, 0, 0
	for _, r := range board {
		switch r {
		case ' ', '\n', '\t', '/':
			continue
		case 'X', 'x', 'O', 'o', '.':
		default:
			panic(fmt.Sprintf("rl: ParseTicTacToe: %q holds %q; want X, O or .", board, r))
		}
		if n == 9 {
			panic(fmt.Sprintf("rl: ParseTicTacToe: %q has more than 9 squares", board))
		}
		switch r {
		case 'X', 'x':
			g.cells[n] = 1
			xs++
		case 'O', 'o':
			g.cells[n] = -1
			os++
		}
		n++
	}
	if n != 9 {
		panic(fmt.Sprintf("rl: ParseTicTacToe: %q has %d squares; want 9", board, n))
	}
	if os > xs || xs > os+1 {
		panic(fmt.Sprintf("rl: ParseTicTacToe: %q has %d X and %d O; X moves first, so want as many or one X more", board, xs, os))
	}
	if xs > os {
		g.player = -1
	}
	g.filled = int8(xs + os)
	g.winner = tttWinner(&g.cells)
	return g
}

// tttLines are the eight lines of three: rows, columns, diagonals.
var tttLines = [8][3]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {0, 3, 6}, {1, 4, 7}, {2, 5, 8}, {0, 4, 8}, {2, 4, 6}}

func tttWinner(c *[9]int8) int8 {
	for _, l := range tttLines {
		if s := c[l[0]]; s != 0 && c[l[1]] == s && c[l[2]] == s {
			return s
		}
	}
	return 0
}

// Moves returns the empty squares, in increasing order; none if the game
// has ended.
func (g TicTacToe) Moves() []int {
	if g.Ended() {
		return nil
	}
	moves := make([]int, 0, 9-int(g.filled))
	for i, c := range g.cells {
		if c == 0 {
			moves = append(moves, i)
		}
	}
	return moves
}

// Play returns the position after the player to move marks square move.
// It panics if the game has ended, if move is not in 0..8, or if the
// square is taken.
func (g TicTacToe) Play(move int) Game {
	if g.Ended() || move < 0 || move > 8 || g.cells[move] != 0 {
		panic(fmt.Sprintf("rl: TicTacToe: illegal move %d in position %s (legal moves %v)", move, compact(g), g.Moves()))
	}
	g.cells[move] = g.player
	g.filled++
	g.player = -g.player
	g.winner = tttWinner(&g.cells)
	return g
}

// Ended reports whether a player has three in a row or the board is full.
func (g TicTacToe) Ended() bool { return g.winner != 0 || g.filled == 9 }

// Winner returns +1 if X has three in a row, −1 if O has, 0 otherwise.
func (g TicTacToe) Winner() int { return int(g.winner) }

// Player returns the player to move: +1 for X, −1 for O.
func (g TicTacToe) Player() int { return int(g.player) }

// NumMoves returns 9, the number of squares.
func (g TicTacToe) NumMoves() int { return 9 }

// Encode returns the board as [2, 3, 3] from the point of view of the
// player to move (see [Game]).
func (g TicTacToe) Encode() *dl.Tensor { return encode(g.cells[:], 3, 3, g.player) }

// Grid returns the board as [3][3] values: +1 for X, −1 for O, 0 empty.
func (g TicTacToe) Grid() [][]float64 { return boardGrid(g.cells[:], 3) }

// String draws the board in three lines of X, O and ".".
func (g TicTacToe) String() string { return drawBoard(g.cells[:], 3) }

// boardGrid returns cells as rows of cols values.
func boardGrid(cells []int8, cols int) [][]float64 {
	rows := make([][]float64, len(cells)/cols)
	for r := range rows {
		rows[r] = make([]float64, cols)
		for c := range rows[r] {
			rows[r][c] = float64(cells[r*cols+c])
		}
	}
	return rows
}

// compact draws a position on one line, rows joined by "/", for messages.
func compact(g Game) string {
	return strings.ReplaceAll(strings.TrimSuffix(g.String(), "\n"), "\n", "/")
}

// Symmetries returns the 7 symmetries of the square board other than the
// identity: the rotations by 90°, 180° and 270°, and the reflections in
// the two diagonals and the two middle lines. A move is a square, so each
// maps moves as it maps squares.
func (g TicTacToe) Symmetries() []Symmetry {
	var syms []Symmetry
	for k := range 8 {
		if k == 0 {
			continue // the identity
		}
		cells := make([]int, 9)
		for i := range cells {
			r, c := i/3, i%3
			for range k % 4 { // rotate by 90°, k%4 times
				r, c = c, 2-r
			}
			if k >= 4 { // then reflect in the middle column
				c = 2 - c
			}
			cells[i] = r*3 + c
		}
		syms = append(syms, Symmetry{Cells: cells, Moves: cells})
	}
	return syms
}
