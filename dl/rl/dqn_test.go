package rl_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/rl"
)

// one returns the one-value observation [v].
func one(v float64) *dl.Tensor { return dl.New([]float64{v}, 1) }

func TestReplayRing(t *testing.T) {
	r := rl.NewReplay(3, []int{1})
	for i := range 5 { // transitions 0..4: the ring keeps 2, 3, 4
		r.Add(one(float64(i)), i%2, float64(10*i), one(float64(i+1)), i == 4)
		if want := min(i+1, 3); r.Len() != want {
			t.Fatalf("after %d adds Len %d; want %d", i+1, r.Len(), want)
		}
	}
	b := r.Last(3)
	if !slices.Equal(b.Obs.Data(), []float64{2, 3, 4}) || !slices.Equal(b.Next.Data(), []float64{3, 4, 5}) ||
		!slices.Equal(b.Actions, []int{0, 1, 0}) || !slices.Equal(b.Rewards.Data(), []float64{20, 30, 40}) ||
		!slices.Equal(b.Done.Data(), []float64{0, 0, 1}) || !slices.Equal(b.Obs.Shape(), []int{3, 1}) {
		t.Fatalf("Last(3) after 5 adds into 3 slots: obs %v next %v actions %v rewards %v done %v; want transitions 2, 3, 4",
			b.Obs.Data(), b.Next.Data(), b.Actions, b.Rewards.Data(), b.Done.Data())
	}
	// Sampling draws only what is held, uniformly, with each field from the same transition.
	rng := newRNG(1)
	count := map[float64]int{}
	for range 3000 {
		b := r.Sample(rng, 2)
		for k, o := range b.Obs.Data() {
			if b.Next.Data()[k] != o+1 || b.Rewards.Data()[k] != 10*o || b.Actions[k] != int(o)%2 {
				t.Fatalf("sampled transition mixes fields: obs %v next %v reward %v action %d", o, b.Next.Data()[k], b.Rewards.Data()[k], b.Actions[k])
			}
			count[o]++
		}
	}
	if len(count) != 3 {
		t.Fatalf("samples hold observations %v; want only 2, 3 and 4", count)
	}
	for o, n := range count { // 6000 draws, 2000 expected each, std ≈ 37
		if n < 1800 || n > 2200 {
			t.Errorf("observation %v drawn %d times of 6000; want about 2000", o, n)
		}
	}
	// The values are copied in: changing the caller's tensor changes nothing.
	x := one(7)
	r.Add(x, 0, 0, x, false)
	x.Data()[0] = -1
	if got := r.Last(1).Obs.Data()[0]; got != 7 {
		t.Errorf("the buffer holds %v after the caller changed its tensor; want a copy, 7", got)
	}
}

func TestReplayPanics(t *testing.T) {
	r := rl.NewReplay(4, []int{2})
	r.Add(dl.Zeros(2), 0, 0, dl.Zeros(2), false)
	r.Add(dl.Zeros(2), 0, 0, dl.Zeros(2), false)
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"sample more than held", "rl: Replay.Sample: 3 transitions but the buffer holds 2 (capacity 4)", func() { r.Sample(newRNG(1), 3) }},
		{"sample 0", "rl: Replay.Sample: 0 transitions", func() { r.Sample(newRNG(1), 0) }},
		{"last more than held", "rl: Replay.Last: 3 transitions but the buffer holds 2", func() { r.Last(3) }},
		{"add shape", "rl: Replay.Add: observations of shapes [3] and [2]; want [2]", func() { r.Add(dl.Zeros(3), 0, 0, dl.Zeros(2), false) }},
		{"capacity", "rl: NewReplay: capacity 0", func() { rl.NewReplay(0, []int{2}) }},
		{"shape", "rl: NewReplay: observation shape [2 0]", func() { rl.NewReplay(4, []int{2, 0}) }},
		{"decay", "rl: LinearDecay: start 1.5 and end 0", func() { rl.LinearDecay(1.5, 0, 10) }},
		{"decay steps", "rl: LinearDecay: steps 0", func() { rl.LinearDecay(1, 0, 0) }},
		{"choose", "rl: Choose: 2 values; want one per arm, 3", func() { rl.NewEpsilonGreedy(newRNG(1), 3, 0).Choose([]float64{1, 2}) }},
		{"evaluate", "rl: Evaluate: episodes -1", func() { rl.Evaluate(newRNG(1), rl.NewCatch(), func(*dl.Tensor) int { return 1 }, -1) }},
		{"dqn batch", "rl: NewDQN: BatchSize 32, Capacity 100, Warmup 10", func() {
			rl.NewDQN(newRNG(1), nn.MLP(newRNG(1), 2, 2), nil, 2, []int{2}, rl.DQNConfig{Gamma: 0.9, LR: 0.1, BatchSize: 32, Capacity: 100, Warmup: 10})
		}},
		{"dqn target", "rl: NewDQN: pass a target network exactly when TargetEvery or Tau is set", func() {
			rl.NewDQN(newRNG(1), nn.MLP(newRNG(1), 2, 2), nil, 2, []int{2}, rl.DQNConfig{Gamma: 0.9, LR: 0.1, BatchSize: 1, Capacity: 1, Warmup: 1, TargetEvery: 5})
		}},
	} {
		t.Run(c.name, func(t *testing.T) { testutil.Panics(t, c.want, c.f) })
	}
}

func TestEpsilonSchedule(t *testing.T) {
	s := rl.LinearDecay(1, 0.1, 10)
	for _, c := range []struct {
		step int
		want float64
	}{{0, 1}, {5, 0.55}, {10, 0.1}, {1000, 0.1}} {
		if got := s(c.step); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("LinearDecay(1, 0.1, 10)(%d) = %v; want %v", c.step, got, c.want)
		}
	}
	// On the agent: Epsilon follows the schedule choice by choice; from 0 on it is greedy.
	a := rl.NewEpsilonGreedy(newRNG(1), 3, 1)
	a.Schedule = rl.LinearDecay(1, 0, 100)
	explored := 0
	for i := range 300 {
		if a.Choose([]float64{0, 5, 1}) != 1 {
			explored++
			if i >= 100 {
				t.Fatalf("choice %d explored after ε reached 0 (ε = %v)", i, a.Epsilon)
			}
		}
	}
	// Before step 100, ε averages 0.5 and a random pick misses arm 1 two times in three: ≈ 33 of 100.
	if a.Steps != 300 || a.Epsilon != 0 || explored < 20 || explored > 47 {
		t.Errorf("Steps %d, Epsilon %v, %d non-greedy choices; want 300, 0 and about 33", a.Steps, a.Epsilon, explored)
	}
}

// catchDQN trains a DQN on Catch for steps steps and returns it with the
// record; the network is an MLP with one hidden layer of 64 units.
func catchDQN(seed uint64, steps int, change func(*rl.DQNConfig)) (*rl.DQN, rl.TrainResult) {
	cfg := rl.DQNConfig{Gamma: 0.99, LR: 1e-3, BatchSize: 32, Capacity: 10000, Warmup: 100, TargetEvery: 100,
		EpsStart: 1, EpsEnd: 0.05, EpsSteps: steps / 2}
	if change != nil {
		change(&cfg)
	}
	net := func() nn.Module { return nn.MLP(rand.New(rand.NewPCG(seed, 1)), 50, 64, 3) }
	var target nn.Module
	if cfg.TargetEvery > 0 || cfg.Tau > 0 {
		target = net()
	}
	env := rl.NewCatch()
	d := rl.NewDQN(rand.New(rand.NewPCG(seed, 2)), net(), target, 3, env.ObsShape(), cfg)
	return d, rl.TrainDQN(rand.New(rand.NewPCG(seed, 3)), env, d, steps)
}

func TestDQNLearnsCatch(t *testing.T) {
	for _, v := range []struct {
		name   string
		change func(*rl.DQNConfig)
	}{
		{"target every 100", nil},
		{"Double DQN, Polyak", func(c *rl.DQNConfig) { c.Double, c.TargetEvery, c.Tau = true, 0, 0.01 }},
	} {
		t.Run(v.name, func(t *testing.T) {
			d, res := catchDQN(1, 3000, v.change)
			if len(res.Returns) != 333 || len(res.Losses) != 3000-100+1 {
				t.Fatalf("%d episodes, %d updates; want 333 (9 steps each) and 2901", len(res.Returns), len(res.Losses))
			}
			early := mean(res.Returns[:30])
			returns := rl.Evaluate(newRNG(9), rl.NewCatch(), d.Greedy, 100)
			t.Logf("return of the first 30 episodes %.2f; greedy over 100 %.2f", early, mean(returns))
			if mean(returns) < 0.9 || early > 0 {
				t.Errorf("mean greedy return %.2f over 100 episodes (first 30 while exploring: %.2f); want ≥ 0.9 after 3000 steps", mean(returns), early)
			}
		})
	}
	// Seeded: the same seed gives the same run.
	_, a := catchDQN(2, 500, nil)
	_, b := catchDQN(2, 500, nil)
	if !slices.Equal(a.Losses, b.Losses) || !slices.Equal(a.Returns, b.Returns) {
		t.Errorf("two runs with seed 2 differ")
	}
}

// TestDQNTargets checks one update's target by hand on a tiny network:
// with learning rate ~0 the loss is the Huber loss of Q(s, a) against
// r + γ·max Q_target(s'), computed here from the network's own outputs.
func TestDQNTargets(t *testing.T) {
	for _, double := range []bool{false, true} {
		online := nn.MLP(newRNG(1), 1, 2)
		target := nn.MLP(newRNG(5), 1, 2) // NewDQN copies online into it
		cfg := rl.DQNConfig{Gamma: 0.5, LR: 1e-12, BatchSize: 2, Capacity: 2, Warmup: 2, TargetEvery: 1000, Double: double}
		d := rl.NewDQN(newRNG(1), online, target, 2, []int{1}, cfg)
		if !slices.Equal(target.Params()[0].Data(), online.Params()[0].Data()) {
			t.Fatalf("NewDQN did not copy the online parameters into the target")
		}
		d.Observe(one(1), 0, 1, one(2), false)
		loss, ok := d.Observe(one(-1), 1, -1, one(3), true)
		if !ok {
			t.Fatal("no update after the warm-up")
		}
		q1, q2, q3 := d.Q(one(1)), d.Q(one(2)), d.Q(one(-1))
		// s' = 2 is not terminal: y = 1 + 0.5·max Q(2, ·); s' = 3 is: y = −1.
		// Online and target are equal, so Double DQN gives the same targets.
		d1, d2 := q1[0]-(1+0.5*max(q2[0], q2[1])), q3[1]-(-1)
		huber := func(x float64) float64 {
			if math.Abs(x) <= 1 {
				return x * x / 2
			}
			return math.Abs(x) - 0.5
		}
		if want := (huber(d1) + huber(d2)) / 2; math.Abs(loss-want) > 1e-9 {
			t.Errorf("double %v: loss %v; want %v from the targets by hand", double, loss, want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	// The chasing policy catches every ball: return 1 each episode.
	chase := func(obs *dl.Tensor) int {
		at := find(screen(obs, 10, 5)) // ball, then paddle
		return 1 + min(max(at[0][1]-at[1][1], -1), 1)
	}
	if got := rl.Evaluate(newRNG(1), rl.NewCatch(), chase, 20); len(got) != 20 || mean(got) != 1 {
		t.Errorf("chasing policy: returns %v; want 20 ones", got)
	}
	// Staying put catches only the balls of the middle column: about 1 in 5, so the mean is about −0.6.
	stay := rl.Evaluate(newRNG(1), rl.NewCatch(), func(*dl.Tensor) int { return 1 }, 500)
	if m := mean(stay); m < -0.75 || m > -0.45 {
		t.Errorf("staying put: mean return %.3f; want about -0.6", m)
	}
}
