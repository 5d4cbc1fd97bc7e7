package rl

import (
	"fmt"

	"github.com/dlnb/dlnb/dl"
)

// ConnectFour is a position of Connect Four: two players drop stones into
// the 7 columns of an upright 6×7 grid, where each stone falls to the
// lowest free row; four in a row (across, down or diagonal) wins. The
// first player (+1, X) moves first. A move is a column, 0..6.
//
// The zero value is not a valid position; start from [NewConnectFour].
// Rows are numbered from the top, as they are drawn: row 5 is the bottom.
type ConnectFour struct {
	cells  [42]int8 // row by row from the top: +1, −1, 0
	height [7]int8  // stones in each column
	player int8
	winner int8
	filled int8
}

const (
	c4Rows = 6
	c4Cols = 7
)

// NewConnectFour returns the empty grid, the first player to move.
func NewConnectFour() ConnectFour { return ConnectFour{player: 1} }

// Moves returns the columns that are not full, in increasing order; none
// if the game has ended.
func (g ConnectFour) Moves() []int {
	if g.Ended() {
		return nil
	}
	moves := make([]int, 0, c4Cols)
	for c := range c4Cols {
		if g.height[c] < c4Rows {
			moves = append(moves, c)
		}
	}
	return moves
}

// Play returns the position after the player to move drops a stone into
// column move. It panics if the game has ended, if move is not in 0..6,
// or if the column is full.
func (g ConnectFour) Play(move int) Game {
	if g.Ended() || move < 0 || move >= c4Cols || g.height[move] == c4Rows {
		panic(fmt.Sprintf("rl: ConnectFour: illegal move %d in position %s (legal moves %v)", move, compact(g), g.Moves()))
	}
	r := c4Rows - 1 - int(g.height[move])
	g.cells[r*c4Cols+move] = g.player
	g.height[move]++
	g.filled++
	if g.fourAt(r, move) {
		g.winner = g.player
	}
	g.player = -g.player
	return g
}

// fourAt reports whether the stone at (r, c) is part of four in a row.
func (g *ConnectFour) fourAt(r, c int) bool {
	s := g.cells[r*c4Cols+c]
	for _, d := range [4][2]int{{0, 1}, {1, 0}, {1, 1}, {1, -1}} {
		n := 1 // the stone itself, then count both ways along d
		for _, sign := range [2]int{1, -1} {
			rr, cc := r+sign*d[0], c+sign*d[1]
			for rr >= 0 && rr < c4Rows && cc >= 0 && cc < c4Cols && g.cells[rr*c4Cols+cc] == s {
				n++
				rr, cc = rr+sign*d[0], cc+sign*d[1]
			}
		}
		if n >= 4 {
			return true
		}
	}
	return false
}

// Ended reports whether a player has four in a row or the grid is full.
func (g ConnectFour) Ended() bool { return g.winner != 0 || g.filled == c4Rows*c4Cols }

// Winner returns +1 if the first player has four in a row, −1 if the
// second has, 0 otherwise.
func (g ConnectFour) Winner() int { return int(g.winner) }

// Player returns the player to move: +1 (first) or −1 (second).
func (g ConnectFour) Player() int { return int(g.player) }

// NumMoves returns 7, the number of columns.
func (g ConnectFour) NumMoves() int { return c4Cols }

// Encode returns the grid as [2, 6, 7] from the point of view of the
// player to move (see [Game]).
func (g ConnectFour) Encode() *dl.Tensor { return encode(g.cells[:], c4Rows, c4Cols, g.player) }

// Grid returns the grid as [6][7] values, top row first: +1 for the first
// player's stones, −1 for the second's, 0 empty.
func (g ConnectFour) Grid() [][]float64 { return boardGrid(g.cells[:], c4Cols) }

// String draws the grid in six lines of X, O and ".", top row first.
func (g ConnectFour) String() string { return drawBoard(g.cells[:], c4Cols) }

// Symmetries returns Connect Four's one symmetry other than the identity:
// the mirror image, left to right, which maps column c to 6 − c.
func (g ConnectFour) Symmetries() []Symmetry {
	cells, moves := make([]int, c4Rows*c4Cols), make([]int, c4Cols)
	for i := range cells {
		cells[i] = i/c4Cols*c4Cols + c4Cols - 1 - i%c4Cols
	}
	for c := range moves {
		moves[c] = c4Cols - 1 - c
	}
	return []Symmetry{{Cells: cells, Moves: moves}}
}
