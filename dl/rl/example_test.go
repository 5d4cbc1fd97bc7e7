package rl_test

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/dlnb/dlnb/dl/rl"
)

// An ε-greedy agent learns, from rewards alone, which of three arms pays
// best; the running average reward rises as it does.
func ExamplePlay() {
	rng := rand.New(rand.NewPCG(1, 2))
	b := rl.NewBandit(rng, []float64{0.2, 1.0, 0.5}) // arm 1 is best
	a := rl.NewEpsilonGreedy(rng, b.Arms(), 0.1)
	res := rl.Play(b, a, 1000)

	avg := rl.RunningMean(res.Rewards)
	for _, step := range []int{10, 100, 1000} {
		best := 0
		for _, ok := range res.Best[:step] {
			if ok {
				best++
			}
		}
		fmt.Printf("after %4d pulls: average reward %.3f, best arm %.0f%% of the time\n",
			step, avg[step-1], 100*float64(best)/float64(step))
	}
	fmt.Printf("estimated values %.2f (true %.2f)\n", a.Values, b.Means)
	fmt.Println("pulls per arm", a.Counts)
	// Output:
	// after   10 pulls: average reward 0.227, best arm 10% of the time
	// after  100 pulls: average reward 0.708, best arm 74% of the time
	// after 1000 pulls: average reward 0.970, best arm 92% of the time
	// estimated values [0.23 1.02 0.44] (true [0.20 1.00 0.50])
	// pulls per arm [29 924 47]
}

// The environment loop: reset, then step until the episode terminates or
// is truncated. Here a hand-written policy moves the paddle under the
// ball; a DQN agent would pass its Act or Greedy instead.
func ExampleCatch() {
	env := rl.NewCatch()
	obs := env.Reset(rand.New(rand.NewPCG(1, 2)))
	ret := 0.0
	for step := 1; ; step++ {
		// The screen is 10 rows of 5 pixels: the ball is the 1 above the bottom row.
		pixels := obs.Data()
		ball := slices.Index(pixels[:45], 1) % 5
		paddle := slices.Index(pixels[45:], 1)
		action := 1 // stay
		if ball < paddle {
			action = 0 // left
		} else if ball > paddle {
			action = 2 // right
		}
		var reward float64
		var terminated, truncated bool
		obs, reward, terminated, truncated = env.Step(action)
		ret += reward
		if terminated || truncated {
			fmt.Printf("episode over after %d steps, return %v\n", step, ret)
			break
		}
	}
	for _, row := range env.Render() {
		for _, v := range row {
			fmt.Print(map[float64]string{0: ".", 1: "#"}[v])
		}
		fmt.Println()
	}
	// Output:
	// episode over after 9 steps, return 1
	// .....
	// .....
	// .....
	// .....
	// .....
	// .....
	// .....
	// .....
	// .....
	// ...#.
}
