package rl

import (
	"fmt"
	"math/rand/v2"
)

// EpsilonGreedy learns the value of each arm by trial and error (Sutton &
// Barto, "Reinforcement Learning: An Introduction", ch. 2). With
// probability Epsilon it explores an arm chosen uniformly at random;
// otherwise it exploits the arm with the highest estimated value. Each
// estimate is the average of the rewards that arm has paid so far.
//
// With Epsilon 0 the agent is greedy: it can settle on the first arm that
// pays well enough and never try the others. A little exploration
// (Epsilon 0.1) finds the best arm in the end.
//
// In DQN the values come from a network rather than from averages: Choose
// picks among given values, and a Schedule lowers Epsilon as learning goes
// on, from exploring almost always to exploring rarely (Mnih et al. 2013
// anneal it linearly from 1 to 0.1; see [LinearDecay]).
type EpsilonGreedy struct {
	Epsilon float64   // the probability of exploring, in [0, 1]
	Values  []float64 // [arms]: the estimated value of each arm; 0 before its first pull
	Counts  []int     // [arms]: how often each arm was pulled

	// Schedule, if not nil, sets Epsilon = Schedule(Steps) before each
	// choice (Act or Choose); nil keeps Epsilon fixed.
	Schedule func(step int) float64
	Steps    int // choices made so far: the schedule's clock

	rng *rand.Rand
}

// NewEpsilonGreedy returns an agent for a bandit with arms arms, with all
// values 0, that explores with probability epsilon, drawing with rng (the
// first argument, as in every constructor of the module). It panics if
// arms < 1, if epsilon is not in [0, 1], or if rng is nil.
func NewEpsilonGreedy(rng *rand.Rand, arms int, epsilon float64) *EpsilonGreedy {
	if arms < 1 {
		panic(fmt.Sprintf("rl: NewEpsilonGreedy: %d arms; want at least 1", arms))
	}
	if !(epsilon >= 0 && epsilon <= 1) {
		panic(fmt.Sprintf("rl: NewEpsilonGreedy: epsilon %v is not in [0, 1]", epsilon))
	}
	if rng == nil {
		panic("rl: NewEpsilonGreedy: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	return &EpsilonGreedy{Epsilon: epsilon, Values: make([]float64, arms), Counts: make([]int, arms), rng: rng}
}

// Act returns the arm to pull next: with probability Epsilon a random
// arm, otherwise the arm with the highest value, the lowest index on a
// tie. So a fresh greedy agent pulls arm 0 first, and keeps pulling it for
// as long as its value stays the highest.
func (a *EpsilonGreedy) Act() int { return a.Choose(a.Values) }

// Choose returns an index into values, such as a network's Q-values for
// each action: with probability Epsilon a random one, otherwise the one
// with the highest value, the lowest index on a tie. With a Schedule it
// first sets Epsilon to Schedule(Steps); it counts the choice in Steps.
// Choose panics if len(values) differs from the number of arms, or if the
// schedule gives an epsilon outside [0, 1].
func (a *EpsilonGreedy) Choose(values []float64) int {
	if len(values) != len(a.Values) {
		panic(fmt.Sprintf("rl: Choose: %d values; want one per arm, %d", len(values), len(a.Values)))
	}
	if a.Schedule != nil {
		a.Epsilon = a.Schedule(a.Steps)
		if !(a.Epsilon >= 0 && a.Epsilon <= 1) {
			panic(fmt.Sprintf("rl: Choose: the schedule gives epsilon %v at step %d; want one in [0, 1]", a.Epsilon, a.Steps))
		}
	}
	a.Steps++
	if a.rng.Float64() < a.Epsilon {
		return a.rng.IntN(len(values)) // explore
	}
	return argmax(values) // exploit
}

// LinearDecay returns a schedule for [EpsilonGreedy.Schedule] that falls
// in a straight line from start at step 0 to end at step steps, and stays
// at end after: the ε schedule of DQN (Mnih et al. 2013: from 1 to 0.1
// over the first million frames). It panics if start or end is not in
// [0, 1] or steps < 1.
func LinearDecay(start, end float64, steps int) func(step int) float64 {
	if !(start >= 0 && start <= 1 && end >= 0 && end <= 1) {
		panic(fmt.Sprintf("rl: LinearDecay: start %v and end %v; want both in [0, 1]", start, end))
	}
	if steps < 1 {
		panic(fmt.Sprintf("rl: LinearDecay: steps %d; want at least 1", steps))
	}
	return func(step int) float64 {
		if step >= steps {
			return end
		}
		return start + (end-start)*float64(step)/float64(steps)
	}
}

// Learn updates the value of arm with a reward it paid. The value stays
// the average of the arm's rewards without storing them, by the
// incremental update
//
//	Counts[arm]++
//	Values[arm] += (reward − Values[arm]) / Counts[arm]
//
// a step towards the new reward whose size 1/n shrinks as evidence grows.
// Learn panics if arm is not in 0..len(Values)-1.
func (a *EpsilonGreedy) Learn(arm int, reward float64) {
	if arm < 0 || arm >= len(a.Values) {
		panic(fmt.Sprintf("rl: Learn: arm %d; want one in 0..%d", arm, len(a.Values)-1))
	}
	a.Counts[arm]++
	a.Values[arm] += (reward - a.Values[arm]) / float64(a.Counts[arm])
}

// PlayResult is what happened in [Play], one entry per pull.
type PlayResult struct {
	Rewards []float64 // [steps]: the reward of each pull
	Best    []bool    // [steps]: whether the pull chose the bandit's best arm
}

// Play lets agent a pull arms of bandit b for steps pulls: each step it
// acts, pulls the arm and learns from the reward. The learning signal is
// RunningMean(Rewards), which rises towards the best mean, and the share
// of Best pulls, which rises towards 1 − Epsilon·(arms−1)/arms.
//
// Play panics if the agent and the bandit have different numbers of arms
// or if steps < 0.
func Play(b *Bandit, a *EpsilonGreedy, steps int) PlayResult {
	if b.Arms() != len(a.Values) {
		panic(fmt.Sprintf("rl: Play: the bandit has %d arms but the agent %d", b.Arms(), len(a.Values)))
	}
	if steps < 0 {
		panic(fmt.Sprintf("rl: Play: steps %d; want at least 0", steps))
	}
	best := b.Best()
	res := PlayResult{Rewards: make([]float64, steps), Best: make([]bool, steps)}
	for i := range steps {
		arm := a.Act()
		reward := b.Pull(arm)
		a.Learn(arm, reward)
		res.Rewards[i], res.Best[i] = reward, arm == best
	}
	return res
}

// RunningMean returns the mean of the first i+1 values at each i: a
// smooth curve of how the average reward grows. It returns an empty
// slice for no values.
func RunningMean(xs []float64) []float64 {
	out := make([]float64, len(xs))
	var sum float64
	for i, x := range xs {
		sum += x
		out[i] = sum / float64(i+1)
	}
	return out
}
