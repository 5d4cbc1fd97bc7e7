package rl

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Bandit is a k-armed bandit (Robbins, 1952): pulling arm i pays a reward
// drawn from a normal distribution with mean Means[i] and standard
// deviation 1. The name comes from slot machines, "one-armed bandits".
type Bandit struct {
	Means []float64 // [arms]: the mean reward of each arm, hidden from the agent

	rng *rand.Rand
}

// NewBandit returns a bandit whose arms pay rewards around means (a copy
// is kept), drawn with rng. Like every constructor in the module, it takes
// the rng first. It panics if means is empty or rng is nil.
func NewBandit(rng *rand.Rand, means []float64) *Bandit {
	if len(means) == 0 {
		panic("rl: NewBandit: no arms; give at least one mean")
	}
	if rng == nil {
		panic("rl: NewBandit: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	return &Bandit{Means: slices.Clone(means), rng: rng}
}

// Arms returns the number of arms.
func (b *Bandit) Arms() int { return len(b.Means) }

// Pull returns the reward of one pull of arm, Means[arm] plus standard
// normal noise. It panics if arm is not in 0..Arms()-1.
func (b *Bandit) Pull(arm int) float64 {
	if arm < 0 || arm >= len(b.Means) {
		panic(fmt.Sprintf("rl: Pull: arm %d; want one in 0..%d", arm, len(b.Means)-1))
	}
	return b.Means[arm] + b.rng.NormFloat64()
}

// Best returns the arm with the highest mean, the lowest index on a tie:
// what the agent should learn to pull.
func (b *Bandit) Best() int { return argmax(b.Means) }

// argmax returns the index of the largest value, the lowest on a tie.
func argmax(xs []float64) int {
	best := 0
	for i, v := range xs {
		if v > xs[best] {
			best = i
		}
	}
	return best
}
