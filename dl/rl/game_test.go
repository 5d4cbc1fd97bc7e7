package rl_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl/rl"
	"github.com/dlnb/dlnb/internal/testutil"
)

func TestTicTacToeRules(t *testing.T) {
	g := rl.Game(rl.NewTicTacToe())
	if g.Player() != 1 || g.Ended() || len(g.Moves()) != 9 || g.NumMoves() != 9 {
		t.Fatalf("empty board: player %d, ended %v, moves %v", g.Player(), g.Ended(), g.Moves())
	}
	// X: 0, 1, 2 along the top row; O: 4, 8.
	for _, mv := range []int{0, 4, 1, 8} {
		g = g.Play(mv)
	}
	if g.Ended() || g.Player() != 1 {
		t.Fatalf("after four moves: ended %v, player %d", g.Ended(), g.Player())
	}
	if want := []int{2, 3, 5, 6, 7}; !slices.Equal(g.Moves(), want) {
		t.Fatalf("moves %v; want %v", g.Moves(), want)
	}
	before := g.String()
	won := g.Play(2)
	if g.String() != before {
		t.Fatalf("Play changed the old position: %q became %q", before, g.String())
	}
	if !won.Ended() || won.Winner() != 1 || won.Moves() != nil || rl.Result(won, -1) != -1 {
		t.Fatalf("top row: ended %v, winner %d, moves %v", won.Ended(), won.Winner(), won.Moves())
	}
	if want := "XXX\n.O.\n..O\n"; won.String() != want {
		t.Fatalf("String %q; want %q", won.String(), want)
	}
	// A full board with no line is a draw.
	d := rl.ParseTicTacToe("XOX/XOO/OXX")
	if !d.Ended() || d.Winner() != 0 {
		t.Fatalf("draw: ended %v, winner %d", d.Ended(), d.Winner())
	}
	// Diagonals and columns win too, for O as well.
	for board, w := range map[string]int{"OXX/.OX/X.O": -1, "XO./XO./X..": 1, "XXO/XO./O..": -1} {
		if g := rl.ParseTicTacToe(board); g.Winner() != w || !g.Ended() {
			t.Errorf("%s: winner %d; want %d", board, g.Winner(), w)
		}
	}
}

func TestTicTacToeEncode(t *testing.T) {
	g := rl.ParseTicTacToe("X../.O./..X") // O to move
	x := g.Encode()
	if !slices.Equal(x.Shape(), []int{2, 3, 3}) {
		t.Fatalf("shape %v", x.Shape())
	}
	want := []float64{0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1} // O's stones first
	if !slices.Equal(x.Data(), want) {
		t.Fatalf("Encode for O: %v; want %v", x.Data(), want)
	}
	if grid := g.Grid(); grid[0][0] != 1 || grid[1][1] != -1 || grid[2][2] != 1 || grid[0][1] != 0 {
		t.Fatalf("Grid %v", grid)
	}
}

func TestConnectFourRules(t *testing.T) {
	g := rl.Game(rl.NewConnectFour())
	if len(g.Moves()) != 7 || g.NumMoves() != 7 || g.Player() != 1 {
		t.Fatalf("empty grid: moves %v", g.Moves())
	}
	cases := []struct {
		name  string
		moves []int
		want  int
	}{
		{"horizontal", []int{0, 0, 1, 1, 2, 2, 3}, 1},
		{"vertical", []int{6, 0, 6, 0, 6, 0, 5, 0}, -1},
		{"diagonal up", []int{0, 1, 1, 2, 2, 3, 2, 3, 3, 6, 3}, 1},
		{"diagonal down", []int{6, 5, 5, 4, 4, 3, 4, 3, 3, 0, 3}, 1},
		{"three only", []int{0, 6, 1, 6, 2}, 0},
	}
	for _, c := range cases {
		g := rl.Game(rl.NewConnectFour())
		for _, mv := range c.moves {
			g = g.Play(mv)
		}
		if g.Winner() != c.want || g.Ended() != (c.want != 0) {
			t.Errorf("%s: winner %d, ended %v; want %d\n%s", c.name, g.Winner(), g.Ended(), c.want, g)
		}
	}
	// A full column is no longer a move, and stones stack from the bottom.
	g = rl.NewConnectFour()
	for _, mv := range []int{3, 3, 3, 3, 3, 3} {
		g = g.Play(mv)
	}
	if want := []int{0, 1, 2, 4, 5, 6}; !slices.Equal(g.Moves(), want) {
		t.Fatalf("moves %v; want %v", g.Moves(), want)
	}
	if want := "...O...\n...X...\n...O...\n...X...\n...O...\n...X...\n"; g.String() != want {
		t.Fatalf("String\n%s; want\n%s", g, want)
	}
	if x := g.Encode(); !slices.Equal(x.Shape(), []int{2, 6, 7}) || x.Data()[5*7+3] != 1 {
		t.Fatalf("Encode %v: X to move sees its bottom stone in plane 0", x.Shape())
	}
}

// TestConnectFourDraw fills the grid with a pattern that has no four in a row.
func TestConnectFourDraw(t *testing.T) {
	g := rl.Game(rl.NewConnectFour())
	// Columns in pairs of plays keep colours alternating in blocks of two rows.
	order := []int{0, 1, 0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 0, 6, 0, 1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 5, 6, 0, 1, 0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 6}
	for i, mv := range order {
		if g.Ended() {
			t.Fatalf("ended after %d moves:\n%s", i, g)
		}
		g = g.Play(mv)
	}
	if !g.Ended() || g.Winner() != 0 || g.Moves() != nil {
		t.Fatalf("full grid: ended %v, winner %d\n%s", g.Ended(), g.Winner(), g)
	}
}

func TestMinimax(t *testing.T) {
	m := rl.NewMinimax(newRNG(1))
	if v := m.Value(rl.NewTicTacToe()); v != 0 {
		t.Fatalf("empty board: value %d; want 0 (a draw)", v)
	}
	cases := []struct {
		name, board string
		value       int
		best        []int
	}{
		{"win in one", "XX./OO./...", 1, []int{2}},         // X completes the top row
		{"must block", "XX./.O./...", 0, []int{2}},         // O must take 2, and then draws
		{"block, still lost", "XX./O../...", -1, []int{2}}, // blocking loses later than not blocking
		{"fork", "X../.O./..X", 0, []int{1, 3, 5, 7}},      // O must play an edge, a corner loses
		{"lost", "XX./.O./X.O", -1, []int{2, 3, 5, 7}},     // X threatens 2 and 3: every move loses at once
		{"centre reply", "X../.../...", 0, []int{4}},       // only the centre draws after a corner
		{"O wins in one", "XX./OO./X..", 1, []int{5}},      // O to move completes the middle row
	}
	for _, c := range cases {
		g := rl.ParseTicTacToe(c.board)
		if v := m.Value(g); v != c.value {
			t.Errorf("%s %s: value %d; want %d", c.name, c.board, v, c.value)
		}
		if best := m.Best(g); !slices.Equal(best, c.best) {
			t.Errorf("%s %s: best %v; want %v", c.name, c.board, best, c.best)
		}
	}
}

func TestGamePanics(t *testing.T) {
	g := rl.ParseTicTacToe("XX./OO./...")
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"taken", "rl: TicTacToe: illegal move 0 in position XX./OO./... (legal moves [2 5 6 7 8])", func() { g.Play(0) }},
		{"out of range", "rl: TicTacToe: illegal move 9 in position", func() { g.Play(9) }},
		{"ended", "rl: TicTacToe: illegal move 5 in position XXX/OO./... (legal moves [])", func() { g.Play(2).Play(5) }},
		{"column full", "rl: ConnectFour: illegal move 0 in position", func() {
			c := rl.Game(rl.NewConnectFour())
			for range 7 {
				c = c.Play(0)
			}
		}},
		{"column -1", "rl: ConnectFour: illegal move -1", func() { rl.NewConnectFour().Play(-1) }},
		{"parse letter", `rl: ParseTicTacToe: "XX./OZ./..." holds 'Z'`, func() { rl.ParseTicTacToe("XX./OZ./...") }},
		{"parse short", "rl: ParseTicTacToe: \"XX.\" has 3 squares; want 9", func() { rl.ParseTicTacToe("XX.") }},
		{"parse counts", "rl: ParseTicTacToe: \"OO./.../...\" has 0 X and 2 O", func() { rl.ParseTicTacToe("OO./.../...") }},
		{"minimax ended", "rl: Minimax: the game has ended", func() { rl.NewMinimax(newRNG(1)).Move(g.Play(2)) }},
		{"minimax rng", "rl: NewMinimax: rng is nil", func() { rl.NewMinimax(nil) }},
		{"random rng", "rl: RandomPlayer: rng is nil", func() { rl.RandomPlayer(nil) }},
		{"match games", "rl: Match: games -1", func() { rl.Match(g, nil, nil, -1) }},
	} {
		t.Run(c.name, func(t *testing.T) { testutil.Panics(t, c.want, c.f) })
	}
}

// TestSymmetries: each symmetry is a permutation that maps lines of three
// onto lines of three, and together with the identity they are the 8
// distinct symmetries of the square.
func TestSymmetries(t *testing.T) {
	syms := rl.NewTicTacToe().Symmetries()
	if len(syms) != 7 {
		t.Fatalf("%d symmetries; want 7 (8 with the identity)", len(syms))
	}
	seen := map[string]bool{"[0 1 2 3 4 5 6 7 8]": true}
	lines := map[[3]int]bool{}
	for _, l := range [][3]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {0, 3, 6}, {1, 4, 7}, {2, 5, 8}, {0, 4, 8}, {2, 4, 6}} {
		lines[l] = true
	}
	for _, s := range syms {
		key := fmt.Sprint(s.Cells)
		if seen[key] {
			t.Errorf("symmetry %v twice, or the identity", s.Cells)
		}
		seen[key] = true
		if sorted := slices.Sorted(slices.Values(s.Cells)); !slices.Equal(sorted, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}) || !slices.Equal(s.Cells, s.Moves) {
			t.Errorf("symmetry %v is not a permutation of the squares, or moves differ: %v", s.Cells, s.Moves)
		}
		for l := range lines {
			img := []int{s.Cells[l[0]], s.Cells[l[1]], s.Cells[l[2]]}
			slices.Sort(img)
			if !lines[[3]int(img)] {
				t.Errorf("symmetry %v maps line %v to %v, not a line", s.Cells, l, img)
			}
		}
	}
	c4 := rl.NewConnectFour().Symmetries()
	if len(c4) != 1 || c4[0].Moves[0] != 6 || c4[0].Moves[3] != 3 || c4[0].Cells[7] != 13 || c4[0].Cells[41] != 35 {
		t.Errorf("Connect Four's mirror: %+v", c4)
	}
}

func TestMinimaxMoveValues(t *testing.T) {
	m := rl.NewMinimax(newRNG(1))
	got := m.MoveValues(rl.ParseTicTacToe("X../.O./..X")) // O to move: an edge draws, a corner loses
	for i, want := range []float64{math.NaN(), 0, -1, 0, math.NaN(), 0, -1, 0, math.NaN()} {
		if math.IsNaN(want) != math.IsNaN(got[i]) || !math.IsNaN(want) && (got[i] != want || math.Signbit(got[i]) != math.Signbit(want)) {
			t.Errorf("MoveValues = %v; want %v (and no −0)", got, want)
			break
		}
	}
}
