package rl

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// Evaluate plays episodes episodes of env with policy, such as a trained
// agent's Greedy, drawing the episodes with rng, and returns the return
// (the sum of rewards) of each. An episode ends when env terminates or
// truncates it, so env must end its episodes (Catch after 9 steps,
// CartPole at 500). Evaluate panics if episodes < 0 or policy is nil.
func Evaluate(rng *rand.Rand, env Env, policy func(obs *dl.Tensor) int, episodes int) []float64 {
	if episodes < 0 {
		panic(fmt.Sprintf("rl: Evaluate: episodes %d; want at least 0", episodes))
	}
	if policy == nil {
		panic("rl: Evaluate: policy is nil; pass one such as agent.Greedy")
	}
	returns := make([]float64, episodes)
	for i := range returns {
		obs := env.Reset(rng)
		for {
			var r float64
			var terminated, truncated bool
			obs, r, terminated, truncated = env.Step(policy(obs))
			returns[i] += r
			if terminated || truncated {
				break
			}
		}
	}
	return returns
}
