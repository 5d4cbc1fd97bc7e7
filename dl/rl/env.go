package rl

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// Env is an environment an agent acts in, in the spirit of Gymnasium's
// Env (Brockman et al., "OpenAI Gym", 2016; Towers et al., 2024): the
// agent sees an observation, picks one of Actions() discrete actions, and
// the environment answers with the next observation and a reward, until
// the episode ends.
//
// An episode ends in one of two ways, kept apart because learning treats
// them differently:
//   - terminated: the task itself ended (the ball reached the bottom, the
//     pole fell). There is no future: the value of the final state is 0.
//   - truncated: a time limit cut the episode short (CartPole at 500
//     steps). The state still had a future; only the run was stopped.
//
// A typical loop:
//
//	obs := env.Reset(rng)
//	for {
//		obs, reward, terminated, truncated = env.Step(policy(obs))
//		ret += reward
//		if terminated || truncated {
//			break
//		}
//	}
type Env interface {
	// Name returns the environment's name, such as "Catch", for messages.
	Name() string
	// Reset starts a new episode and returns its first observation, of
	// shape ObsShape(). The start state is drawn with rng, so a seeded
	// rng gives the same episode; the environment keeps rng for any
	// randomness during the episode. Reset panics if rng is nil.
	Reset(rng *rand.Rand) *dl.Tensor
	// Step applies action, in 0..Actions()-1, and returns the next
	// observation, the reward and whether the episode terminated or was
	// truncated. Step panics, naming the environment, the action and the
	// state, if the action is out of range, if Reset was never called or
	// if the episode has ended (call Reset first).
	Step(action int) (obs *dl.Tensor, reward float64, terminated, truncated bool)
	// Actions returns the number of discrete actions.
	Actions() int
	// ObsShape returns the shape of one observation, such as [50].
	ObsShape() []int
	// Render returns the current frame as a grid of gray values in
	// [0, 1], rows from top to bottom: plain data for plotting.
	Render() [][]float64
}

// grid returns a rows×cols grid of zeros.
func grid(rows, cols int) [][]float64 {
	g := make([][]float64, rows)
	for i := range g {
		g[i] = make([]float64, cols)
	}
	return g
}

// checkStep panics, naming the environment, the action and the state, if
// action is outside [0, actions) or no episode is running (never started,
// or ended): the checks that every Env's Step makes first.
func checkStep(env string, action, actions int, running bool, state func() string) {
	if action < 0 || action >= actions {
		panic(fmt.Sprintf("rl: %s: Step: action %d out of range [0, %d) in %s", env, action, actions, state()))
	}
	if !running {
		panic(fmt.Sprintf("rl: %s: Step: action %d after the episode ended (%s); call Reset first", env, action, state()))
	}
}
