package rl_test

import (
	"slices"
	"testing"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/rl"
	"github.com/dlnb/dlnb/internal/testutil"
)

// smallSelfPlay is a self-play run that takes well under a second.
var smallSelfPlay = rl.SelfPlayConfig{Iterations: 16, Games: 10, Simulations: 15, CPUCT: 1.5, DirichletAlpha: 1, NoiseFraction: 0.25,
	SampleMoves: 9, Window: 1000, Steps: 40, BatchSize: 32, LR: 3e-3}

// TestSelfPlayLearns: a short self-play run lowers both losses, and the
// raw policy network, with no search, then beats a random player more often
// than the untrained network does.
func TestSelfPlayLearns(t *testing.T) {
	net := rl.NewPolicyValueNet(newRNG(1), 18, 32, 9)
	before := rl.Match(rl.NewTicTacToe(), net, rl.RandomPlayer(newRNG(3)), 100)
	h := rl.SelfPlay(newRNG(2), net, rl.NewTicTacToe(), smallSelfPlay)
	after := rl.Match(rl.NewTicTacToe(), net, rl.RandomPlayer(newRNG(3)), 100)
	t.Logf("policy loss %.3f → %.3f, value loss %.3f → %.3f, %d positions; vs random before %+v, after %+v",
		h.PolicyLoss[0], h.PolicyLoss[15], h.ValueLoss[0], h.ValueLoss[15], h.Positions, before, after)
	if len(h.PolicyLoss) != 16 || len(h.ValueLoss) != 16 {
		t.Fatalf("history has %d and %d entries; want one per iteration, 16", len(h.PolicyLoss), len(h.ValueLoss))
	}
	if h.Positions < 160*5 || h.Positions > 160*9 {
		t.Errorf("%d positions in 160 games; want 5 to 9 each", h.Positions)
	}
	if !(h.PolicyLoss[15] < 0.85*h.PolicyLoss[0]) {
		t.Errorf("policy loss %.3f → %.3f; want it to fall by 15%%", h.PolicyLoss[0], h.PolicyLoss[15])
	}
	if !(after.Wins > before.Wins+10 && after.Losses < before.Losses) {
		t.Errorf("vs random before %+v, after %+v; want more wins and fewer losses", before, after)
	}
}

func TestSelfPlayDeterministic(t *testing.T) {
	cfg := smallSelfPlay
	cfg.Iterations, cfg.Games, cfg.Steps = 2, 3, 5
	run := func() []float64 {
		net := rl.NewPolicyValueNet(newRNG(1), 18, 16, 9)
		h := rl.SelfPlay(newRNG(2), net, rl.NewTicTacToe(), cfg)
		return append(h.PolicyLoss, h.ValueLoss...)
	}
	if a, b := run(), run(); !slices.Equal(a, b) {
		t.Fatalf("same seeds, different losses: %v and %v", a, b)
	}
}

func TestPolicyValueNet(t *testing.T) {
	net := rl.NewPolicyValueNet(newRNG(1), 18, 16, 9)
	g := rl.ParseTicTacToe("XO./X../...")
	priors, v := net.Evaluate(g)
	sum := 0.0
	for i, p := range priors {
		sum += p
		if (i == 0 || i == 1 || i == 3) && p != 0 {
			t.Errorf("taken square %d has prior %v", i, p)
		}
	}
	if sum < 1-1e-9 || sum > 1+1e-9 || v <= -1 || v >= 1 {
		t.Errorf("priors sum to %v, value %v; want 1 and a value in (-1, 1)", sum, v)
	}
	if mv := net.Move(g); !slices.Contains(g.Moves(), mv) {
		t.Errorf("Move %d is not legal", mv)
	}
	x := rl.NewTicTacToe().Encode()
	if out := net.Forward(dl.Reshape(x, 1, 18)); !slices.Equal(out.Shape(), []int{1, 10}) {
		t.Errorf("Forward shape %v; want [1 10]", out.Shape())
	}
}

func TestSelfPlayPanics(t *testing.T) {
	net := rl.NewPolicyValueNet(newRNG(1), 18, 16, 9)
	bad := smallSelfPlay
	bad.Window = 0
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"sizes", "rl: NewPolicyValueNet: sizes in 18, hidden 0, moves 9", func() { rl.NewPolicyValueNet(newRNG(1), 18, 0, 9) }},
		{"window", "rl: SelfPlay: Window 0; want at least 1", func() { rl.SelfPlay(newRNG(1), net, rl.NewTicTacToe(), bad) }},
		{"rng", "rl: SelfPlay: rng is nil", func() { rl.SelfPlay(nil, net, rl.NewTicTacToe(), smallSelfPlay) }},
		{"ended", "rl: PolicyValueNet: the game has ended", func() { net.Evaluate(rl.ParseTicTacToe("XXX/OO./...")) }},
		{"wrong game", "rl: PolicyValueNet: 9 policy outputs for a game of 7 moves", func() {
			rl.NewPolicyValueNet(newRNG(1), 84, 8, 9).Evaluate(rl.NewConnectFour())
		}},
	} {
		t.Run(c.name, func(t *testing.T) { testutil.Panics(t, c.want, c.f) })
	}
}
