package rl_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl/rl"
)

// newRNG returns the seeded generator of the tests.
func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 7)) }

func TestBanditPullStatistics(t *testing.T) {
	means := []float64{-1, 0, 2.5}
	b := rl.NewBandit(newRNG(1), means)
	const pulls = 20000
	for arm, m := range means {
		var sum, sq float64
		for range pulls {
			r := b.Pull(arm)
			sum += r
			sq += (r - m) * (r - m)
		}
		// The sample mean has standard error 1/√20000 ≈ 0.007.
		if mean := sum / pulls; math.Abs(mean-m) > 0.03 {
			t.Errorf("arm %d: mean reward %.4f; want %v", arm, mean, m)
		}
		if std := math.Sqrt(sq / pulls); math.Abs(std-1) > 0.03 {
			t.Errorf("arm %d: reward std %.4f; want 1", arm, std)
		}
	}
}

func TestBanditBest(t *testing.T) {
	for _, c := range []struct {
		means []float64
		arms  int
		best  int
	}{
		{[]float64{0.1}, 1, 0},
		{[]float64{0.1, 0.9, 0.5}, 3, 1},
		{[]float64{-3, -1, -2}, 3, 1},
		{[]float64{1, 2, 2}, 3, 1}, // a tie: the lowest index
	} {
		b := rl.NewBandit(newRNG(1), c.means)
		if b.Arms() != c.arms || b.Best() != c.best {
			t.Errorf("means %v: Arms %d, Best %d; want %d and %d", c.means, b.Arms(), b.Best(), c.arms, c.best)
		}
	}
	means := []float64{1, 2}
	b := rl.NewBandit(newRNG(1), means)
	means[0] = 5
	if b.Means[0] != 1 {
		t.Errorf("NewBandit keeps the caller's slice; want a copy")
	}
}

func TestLearnSampleAverage(t *testing.T) {
	a := rl.NewEpsilonGreedy(newRNG(1), 2, 0.1)
	for i, step := range []struct {
		arm    int
		reward float64
		values []float64
		counts []int
	}{
		{1, 4, []float64{0, 4}, []int{0, 1}},
		{1, 2, []float64{0, 3}, []int{0, 2}},       // (4+2)/2
		{0, -1, []float64{-1, 3}, []int{1, 2}},     // the first reward of arm 0 replaces its 0
		{1, 9, []float64{-1, 5}, []int{1, 3}},      // (4+2+9)/3
		{1, 1, []float64{-1, 4}, []int{1, 4}},      // (4+2+9+1)/4
		{0, 0.5, []float64{-0.25, 4}, []int{2, 4}}, // (-1+0.5)/2
	} {
		a.Learn(step.arm, step.reward)
		if !slices.Equal(a.Values, step.values) || !slices.Equal(a.Counts, step.counts) {
			t.Errorf("after step %d: Values %v, Counts %v; want %v and %v", i+1, a.Values, a.Counts, step.values, step.counts)
		}
	}
}

func TestGreedyExploitsFirstArmThatPays(t *testing.T) {
	a := rl.NewEpsilonGreedy(newRNG(1), 3, 0)
	// All values are 0: the tie goes to arm 0.
	if arm := a.Act(); arm != 0 {
		t.Fatalf("first Act %d; want 0 (the lowest index on a tie)", arm)
	}
	a.Learn(0, -0.5) // arm 0 loses: arms 1 and 2 now tie at 0, above it
	if arm := a.Act(); arm != 1 {
		t.Fatalf("after a loss on arm 0, Act %d; want 1", arm)
	}
	a.Learn(1, 0.3) // arm 1 pays
	for i := range 100 {
		if arm := a.Act(); arm != 1 {
			t.Fatalf("Act %d at step %d; want 1 forever, since arm 1 paid and nothing explores", arm, i)
		}
	}

	// On a bandit: the greedy agent sticks to arm 0 when it pays first,
	// even though arm 2 is far better.
	b := rl.NewBandit(newRNG(2), []float64{5, 5.5, 9})
	g := rl.NewEpsilonGreedy(newRNG(3), 3, 0)
	res := rl.Play(b, g, 200)
	if g.Counts[0] != 200 || slices.Contains(res.Best, true) {
		t.Errorf("greedy agent: Counts %v; want all 200 pulls on arm 0", g.Counts)
	}
}

// testbed plays runs agents with the given epsilon for steps pulls, each
// on its own 10-armed bandit with means drawn from N(0, 1) (Sutton &
// Barto's testbed), and returns the mean over runs of the reward and of
// the best-arm indicator at each step.
func testbed(epsilon float64, runs, steps int, seed uint64) (reward, best []float64) {
	rng := newRNG(seed)
	reward, best = make([]float64, steps), make([]float64, steps)
	for range runs {
		means := make([]float64, 10)
		for i := range means {
			means[i] = rng.NormFloat64()
		}
		res := rl.Play(rl.NewBandit(rng, means), rl.NewEpsilonGreedy(rng, 10, epsilon), steps)
		for i := range steps {
			reward[i] += res.Rewards[i] / float64(runs)
			if res.Best[i] {
				best[i] += 1 / float64(runs)
			}
		}
	}
	return reward, best
}

// mean returns the mean of xs.
func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func TestExplorationPaysOff(t *testing.T) {
	const runs, steps = 50, 1000
	rewardE, bestE := testbed(0.1, runs, steps, 1)
	rewardG, bestG := testbed(0, runs, steps, 1)
	last := steps - 100
	t.Logf("last 100 steps: ε=0.1 best arm %.2f, reward %.3f; ε=0 best arm %.2f, reward %.3f",
		mean(bestE[last:]), mean(rewardE[last:]), mean(bestG[last:]), mean(rewardG[last:]))
	if mean(bestE[last:]) <= mean(bestG[last:])+0.1 {
		t.Errorf("in the last 100 steps ε=0.1 picks the best arm %.2f of the time, ε=0 %.2f; want ε=0.1 clearly ahead",
			mean(bestE[last:]), mean(bestG[last:]))
	}
	if mean(rewardE[last:]) <= mean(rewardG[last:]) {
		t.Errorf("in the last 100 steps ε=0.1 earns %.3f on average, ε=0 %.3f; want ε=0.1 ahead", mean(rewardE[last:]), mean(rewardG[last:]))
	}
	// The learning signal: the average reward rises.
	if first := mean(rewardE[:100]); mean(rewardE[last:]) <= first+0.2 {
		t.Errorf("ε=0.1: average reward %.3f in the first 100 steps and %.3f in the last; want a clear rise", first, mean(rewardE[last:]))
	}
	if first := mean(bestE[:100]); mean(bestE[last:]) <= first+0.2 {
		t.Errorf("ε=0.1: best arm %.2f of the time in the first 100 steps and %.2f in the last; want a clear rise", first, mean(bestE[last:]))
	}
}

func TestPlayDeterminism(t *testing.T) {
	run := func(seed uint64) (rl.PlayResult, *rl.EpsilonGreedy) {
		rng := newRNG(seed)
		a := rl.NewEpsilonGreedy(rng, 4, 0.2)
		return rl.Play(rl.NewBandit(rng, []float64{0, 1, 0.5, -1}), a, 300), a
	}
	r1, a1 := run(5)
	r2, a2 := run(5)
	if !slices.Equal(r1.Rewards, r2.Rewards) || !slices.Equal(r1.Best, r2.Best) ||
		!slices.Equal(a1.Values, a2.Values) || !slices.Equal(a1.Counts, a2.Counts) {
		t.Errorf("two runs with the same seed differ")
	}
	r3, _ := run(6)
	if slices.Equal(r1.Rewards, r3.Rewards) {
		t.Errorf("two runs with different seeds give the same rewards")
	}
	if len(r1.Rewards) != 300 || len(r1.Best) != 300 {
		t.Errorf("Play returned %d rewards and %d best flags; want 300", len(r1.Rewards), len(r1.Best))
	}
}

func TestRunningMean(t *testing.T) {
	for _, c := range []struct{ in, want []float64 }{
		{nil, []float64{}},
		{[]float64{3}, []float64{3}},
		{[]float64{1, 3, 5, -1}, []float64{1, 2, 3, 2}},
	} {
		if got := rl.RunningMean(c.in); !slices.Equal(got, c.want) {
			t.Errorf("RunningMean(%v) = %v; want %v", c.in, got, c.want)
		}
	}
}

func TestPanics(t *testing.T) {
	b := rl.NewBandit(newRNG(1), []float64{0, 1})
	a := rl.NewEpsilonGreedy(newRNG(1), 2, 0.1)
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"no arms", "rl: NewBandit: no arms", func() { rl.NewBandit(newRNG(1), nil) }},
		{"bandit nil rng", "rl: NewBandit: rng is nil", func() { rl.NewBandit(nil, []float64{1}) }},
		{"pull -1", "rl: Pull: arm -1; want one in 0..1", func() { b.Pull(-1) }},
		{"pull 2", "rl: Pull: arm 2; want one in 0..1", func() { b.Pull(2) }},
		{"agent 0 arms", "rl: NewEpsilonGreedy: 0 arms", func() { rl.NewEpsilonGreedy(newRNG(1), 0, 0.1) }},
		{"epsilon < 0", "rl: NewEpsilonGreedy: epsilon -0.1 is not in [0, 1]", func() { rl.NewEpsilonGreedy(newRNG(1), 2, -0.1) }},
		{"epsilon > 1", "rl: NewEpsilonGreedy: epsilon 1.5 is not in [0, 1]", func() { rl.NewEpsilonGreedy(newRNG(1), 2, 1.5) }},
		{"epsilon NaN", "rl: NewEpsilonGreedy: epsilon NaN", func() { rl.NewEpsilonGreedy(newRNG(1), 2, math.NaN()) }},
		{"agent nil rng", "rl: NewEpsilonGreedy: rng is nil", func() { rl.NewEpsilonGreedy(nil, 2, 0.1) }},
		{"learn 5", "rl: Learn: arm 5; want one in 0..1", func() { a.Learn(5, 1) }},
		{"play arms", "rl: Play: the bandit has 2 arms but the agent 3", func() { rl.Play(b, rl.NewEpsilonGreedy(newRNG(1), 3, 0.1), 10) }},
		{"play steps", "rl: Play: steps -1", func() { rl.Play(b, a, -1) }},
	} {
		t.Run(c.name, func(t *testing.T) { testutil.Panics(t, c.want, c.f) })
	}
}
