package rl

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
)

// DQNConfig holds the settings of a [DQN] agent: plain numbers, so that
// a config can go into a train.Key.
type DQNConfig struct {
	Gamma      float64 // the discount γ of future rewards, such as 0.99
	LR         float64 // Adam's learning rate, such as 1e-3
	BatchSize  int     // transitions per update, such as 32
	Capacity   int     // the replay memory, in transitions
	NoReplay   bool    // ablation: learn from the last BatchSize transitions, in order, not from a replayed sample
	Warmup     int     // steps of acting before the first update; at least BatchSize
	TrainEvery int     // one update every TrainEvery steps; 0 means 1

	// The target network: with TargetEvery C > 0 its parameters are a copy
	// of the online network's, refreshed every C updates (Mnih et al.,
	// 2015); with Tau > 0 instead they follow the online ones by Polyak
	// averaging after every update, target ← τ·online + (1−τ)·target
	// (Lillicrap et al., 2016). With both 0 there is no target network:
	// the targets come from the online network itself (the ablation).
	TargetEvery int
	Tau         float64
	Double      bool // Double DQN (van Hasselt et al., 2016): the online network picks a', the target network values it

	EpsStart, EpsEnd float64 // ε falls linearly from EpsStart to EpsEnd ...
	EpsSteps         int     // ... over the first EpsSteps steps
}

// DQN is a deep Q-network agent (Mnih et al., 2013 and 2015): a network
// Online maps an observation to one value Q(s, a) per action, the return
// it expects from taking a in s and acting well afterwards. It acts
// ε-greedily on those values, stores every transition in a replay memory,
// and learns by regressing Q(s, a) onto the one-step target
//
//	y = r + γ · max_a' Q_target(s', a')   (just r when s' is terminal)
//
// with the Huber loss, where Q_target is a slowly moving copy of the
// network so that the target does not chase its own updates.
type DQN struct {
	Online, Target nn.Module // Target is nil when the config has no target network
	Config         DQNConfig
	Replay         *Replay
	Explore        *EpsilonGreedy
	Opt            optim.Optimizer // Adam(Config.LR) from NewDQN

	actions, steps, updates int
	rng                     *rand.Rand
}

// NewDQN returns an agent for actions actions and observations of shape
// obsShape, with online and target built the same way (same layers and
// shapes; target gets a copy of online's parameters), drawing with rng.
// Pass target nil when cfg has no target network. NewDQN panics if a
// setting is out of range or the networks do not fit the config.
func NewDQN(rng *rand.Rand, online, target nn.Module, actions int, obsShape []int, cfg DQNConfig) *DQN {
	switch {
	case rng == nil:
		panic("rl: NewDQN: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	case online == nil:
		panic("rl: NewDQN: online network is nil")
	case cfg.BatchSize < 1 || cfg.Capacity < cfg.BatchSize || cfg.Warmup < cfg.BatchSize:
		panic(fmt.Sprintf("rl: NewDQN: BatchSize %d, Capacity %d, Warmup %d; want 1 ≤ BatchSize ≤ Capacity and Warmup ≥ BatchSize",
			cfg.BatchSize, cfg.Capacity, cfg.Warmup))
	case !(cfg.Gamma >= 0 && cfg.Gamma <= 1) || !(cfg.LR > 0) || !(cfg.Tau >= 0 && cfg.Tau <= 1) || cfg.TargetEvery < 0:
		panic(fmt.Sprintf("rl: NewDQN: Gamma %v, LR %v, Tau %v, TargetEvery %d; want Gamma in [0, 1], LR > 0, Tau in [0, 1], TargetEvery ≥ 0",
			cfg.Gamma, cfg.LR, cfg.Tau, cfg.TargetEvery))
	case (target == nil) != (cfg.TargetEvery == 0 && cfg.Tau == 0):
		panic("rl: NewDQN: pass a target network exactly when TargetEvery or Tau is set")
	}
	d := &DQN{Online: online, Target: target, Config: cfg, Replay: NewReplay(cfg.Capacity, obsShape),
		Explore: NewEpsilonGreedy(rng, actions, cfg.EpsStart), Opt: optim.NewAdam(cfg.LR), actions: actions, rng: rng}
	d.Explore.Schedule = LinearDecay(cfg.EpsStart, cfg.EpsEnd, max(cfg.EpsSteps, 1))
	if target != nil {
		d.sync(1) // the target starts as a copy
	}
	return d
}

// Q returns the online network's values of each action in observation obs.
func (d *DQN) Q(obs *dl.Tensor) []float64 {
	q := d.Online.Forward(dl.Reshape(obs, append([]int{1}, obs.Shape()...)...))
	v := slices.Clone(q.Data())
	q.Release()
	return v
}

// Act returns an ε-greedy action for obs, on the ε schedule.
func (d *DQN) Act(obs *dl.Tensor) int { return d.Explore.Choose(d.Q(obs)) }

// Greedy returns the action of highest value in obs: the trained policy.
func (d *DQN) Greedy(obs *dl.Tensor) int { return argmax(d.Q(obs)) }

// Observe stores a transition and, after the warm-up, every TrainEvery
// steps, makes one update. It returns the update's loss, or 0
// and false when it made none.
func (d *DQN) Observe(obs *dl.Tensor, action int, reward float64, next *dl.Tensor, terminated bool) (loss float64, updated bool) {
	d.Replay.Add(obs, action, reward, next, terminated)
	d.steps++
	if d.steps < d.Config.Warmup || d.steps%max(d.Config.TrainEvery, 1) != 0 {
		return 0, false
	}
	if d.Config.NoReplay {
		return d.Update(d.Replay.Last(d.Config.BatchSize)), true
	}
	return d.Update(d.Replay.Sample(d.rng, d.Config.BatchSize)), true
}

// Update makes one gradient step on the Huber loss of Q(s, a) against
// the targets y of batch b, then updates the target network, and
// returns the loss.
func (d *DQN) Update(b Batch) float64 {
	n, A := len(b.Actions), d.actions
	y := d.targets(b)
	q := d.Online.Forward(b.Obs) // [n, A]
	pick := make([]int, n)       // Q(s, a) is element i·A + a of the flat values
	for i, a := range b.Actions {
		pick[i] = i*A + a
	}
	loss := nn.Huber(dl.Index(dl.Reshape(q, n*A), 0, pick), dl.New(y, n), 1)
	params := d.Online.Params()
	dl.ZeroGrad(params...)
	loss.Backward()
	d.Opt.Step(params)
	l := loss.Item()
	loss.Release()

	d.updates++
	switch {
	case d.Config.Tau > 0:
		d.sync(d.Config.Tau)
	case d.Config.TargetEvery > 0 && d.updates%d.Config.TargetEvery == 0:
		d.sync(1)
	}
	return l
}

// targets returns y = r + γ·(1 − done)·Q_target(s', a') for the batch,
// with a' the target's best action, or the online network's with Double.
func (d *DQN) targets(b Batch) []float64 {
	A := d.actions
	net := d.Target
	if net == nil {
		net = d.Online // no target network: the online one values s'
	}
	qNext := values(net, b.Next)
	choose := qNext
	if d.Config.Double {
		choose = values(d.Online, b.Next)
	}
	r, done := b.Rewards.Data(), b.Done.Data()
	y := make([]float64, len(r))
	for i := range y {
		a := argmax(choose[i*A : (i+1)*A])
		y[i] = r[i] + d.Config.Gamma*(1-done[i])*qNext[i*A+a]
	}
	return y
}

// values returns net's outputs for x as plain numbers, outside any graph.
func values(net nn.Module, x *dl.Tensor) []float64 {
	out := net.Forward(x)
	v := slices.Clone(out.Data())
	out.Release()
	return v
}

// sync moves the target's parameters towards the online ones:
// target ← tau·online + (1−tau)·target; tau 1 copies them.
func (d *DQN) sync(tau float64) {
	src, dst := d.Online.Params(), d.Target.Params()
	if len(src) != len(dst) {
		panic(fmt.Sprintf("rl: DQN: the online network has %d parameters and the target %d; build both the same way", len(src), len(dst)))
	}
	for i, p := range src {
		s, t := p.Data(), dst[i].Data()
		if len(s) != len(t) {
			panic(fmt.Sprintf("rl: DQN: parameter %d is %v online and %v in the target; build both the same way", i, p.Shape(), dst[i].Shape()))
		}
		for j := range t {
			t[j] = tau*s[j] + (1-tau)*t[j]
		}
	}
}

// TrainResult is the record of [TrainDQN]: one entry per finished episode.
type TrainResult struct {
	Returns []float64 // the sum of the episode's rewards
	Ends    []int     // the step (1-based, counted over the run) on which it ended
	Losses  []float64 // the loss of every update, in order
}

// TrainDQN lets agent d act in env for steps steps, episode after episode
// (the env drawing its episodes with rng), feeding each transition to
// d.Observe, and returns the record of the episodes it finished and of
// the updates. It panics if steps < 0 or the env does not fit the agent.
func TrainDQN(rng *rand.Rand, env Env, d *DQN, steps int) TrainResult {
	if steps < 0 {
		panic(fmt.Sprintf("rl: TrainDQN: steps %d; want at least 0", steps))
	}
	if env.Actions() != d.actions {
		panic(fmt.Sprintf("rl: TrainDQN: %s has %d actions but the agent %d", env.Name(), env.Actions(), d.actions))
	}
	var res TrainResult
	obs, ret := env.Reset(rng), 0.0
	for t := 1; t <= steps; t++ {
		a := d.Act(obs)
		next, r, terminated, truncated := env.Step(a)
		if l, ok := d.Observe(obs, a, r, next, terminated); ok {
			res.Losses = append(res.Losses, l)
		}
		obs, ret = next, ret+r
		if terminated || truncated {
			res.Returns, res.Ends = append(res.Returns, ret), append(res.Ends, t)
			obs, ret = env.Reset(rng), 0
		}
	}
	return res
}
