package rl_test

import (
	"math"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl/rl"
	"github.com/dlnb/dlnb/internal/testutil"
)

// TestMCTSFindsWinsAndBlocks checks MCTS with random rollouts on
// positions with one right move, over several seeds.
func TestMCTSFindsWinsAndBlocks(t *testing.T) {
	cases := []struct {
		name, board string
		sims        int
		want        []int
	}{
		{"X wins in one", "XX./OO./...", 100, []int{2}},
		{"O wins in one", "XX./OO./X..", 100, []int{5}},
		{"X must block", "X../OO./X..", 200, []int{5}}, // O threatens the middle row
		{"O must block", "XX./.O./...", 200, []int{2}},
		{"X forks", "XO./.X./..O", 400, []int{3, 6}}, // a double threat wins in two moves
		{"O must take an edge", "X../.O./..X", 400, []int{1, 3, 5, 7}},
	}
	perfect := rl.NewMinimax(newRNG(1))
	for _, c := range cases {
		g := rl.ParseTicTacToe(c.board)
		if best := perfect.Best(g); !slices.Equal(best, c.want) {
			t.Fatalf("%s %s: the perfect player's moves are %v, not %v: fix the test", c.name, c.board, best, c.want)
		}
		for seed := range uint64(5) {
			m := rl.NewMCTS(newRNG(seed), rl.RandomRollout(newRNG(seed+100)), c.sims)
			if mv := m.Move(g); !slices.Contains(c.want, mv) {
				t.Errorf("%s %s, seed %d: MCTS played %d; want one of %v (visits %v)", c.name, c.board, seed, mv, c.want, m.Search(g))
			}
		}
	}
}

func TestMCTSDeterministic(t *testing.T) {
	g := rl.ParseTicTacToe("X../.O./...")
	search := func(seed uint64) []float64 {
		m := rl.NewMCTS(newRNG(seed), rl.RandomRollout(newRNG(seed+1)), 50)
		m.DirichletAlpha, m.NoiseFraction = 0.5, 0.25
		return m.Search(g)
	}
	a, b, c := search(3), search(3), search(4)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different visits: %v and %v", a, b)
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 3 and 4 gave the same visits %v; the seed does nothing?", a)
	}
	sum := 0.0
	for i, n := range a {
		sum += n
		if (i == 0 || i == 4) && n != 0 {
			t.Errorf("taken square %d has %v visits", i, n)
		}
	}
	if sum != 50 {
		t.Errorf("visits sum to %v; want 50, one per simulation", sum)
	}
}

func TestVisitPolicy(t *testing.T) {
	counts := []float64{0, 2, 6, 2}
	for _, c := range []struct {
		temp float64
		want []float64
	}{
		{1, []float64{0, 0.2, 0.6, 0.2}},
		{0, []float64{0, 0, 1, 0}},
		{0.5, []float64{0, 4.0 / 44, 36.0 / 44, 4.0 / 44}},
	} {
		got := rl.VisitPolicy(counts, c.temp)
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("temperature %v: %v; want %v", c.temp, got, c.want)
				break
			}
		}
	}
	if got := rl.VisitPolicy([]float64{3, 1, 3}, 0); !slices.Equal(got, []float64{0.5, 0, 0.5}) {
		t.Errorf("ties at temperature 0: %v; want them shared", got)
	}
}

// TestMCTSWithPerfectEvaluator: with an evaluator that knows the true
// values, a handful of simulations suffices.
func TestMCTSWithPerfectEvaluator(t *testing.T) {
	perfect := rl.NewMinimax(newRNG(1))
	eval := rl.EvaluatorFunc(func(g rl.Game) ([]float64, float64) {
		return make([]float64, g.NumMoves()), float64(perfect.Value(g)) // all-zero priors become uniform
	})
	m := rl.NewMCTS(newRNG(2), eval, 20)
	r := rl.Match(rl.NewTicTacToe(), m, rl.RandomPlayer(newRNG(3)), 20)
	if r.Losses != 0 || r.Wins < 14 {
		t.Errorf("MCTS with true values vs random: %+v; want no losses and mostly wins", r)
	}
}

func TestMCTSPanics(t *testing.T) {
	ended := rl.ParseTicTacToe("XXX/OO./...")
	m := rl.NewMCTS(newRNG(1), rl.RandomRollout(newRNG(1)), 10)
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"nil rng", "rl: NewMCTS: rng is nil", func() { rl.NewMCTS(nil, rl.RandomRollout(newRNG(1)), 1) }},
		{"nil eval", "rl: NewMCTS: eval is nil", func() { rl.NewMCTS(newRNG(1), nil, 1) }},
		{"no simulations", "rl: NewMCTS: 0 simulations", func() { rl.NewMCTS(newRNG(1), rl.RandomRollout(newRNG(1)), 0) }},
		{"ended", "rl: MCTS: the game has ended, nothing to search, in position XXX/OO./...", func() { m.Search(ended) }},
		{"priors", "rl: MCTS: the evaluator gave 2 priors; want NumMoves() = 9", func() {
			rl.NewMCTS(newRNG(1), rl.EvaluatorFunc(func(rl.Game) ([]float64, float64) { return []float64{1, 2}, 0 }), 5).Search(rl.NewTicTacToe())
		}},
		{"temperature", "rl: VisitPolicy: temperature -1", func() { rl.VisitPolicy([]float64{1}, -1) }},
		{"no counts", "rl: VisitPolicy: counts [0 0] has no positive count", func() { rl.VisitPolicy([]float64{0, 0}, 1) }},
		{"rollout rng", "rl: RandomRollout: rng is nil", func() { rl.RandomRollout(nil) }},
	} {
		t.Run(c.name, func(t *testing.T) { testutil.Panics(t, c.want, c.f) })
	}
}
