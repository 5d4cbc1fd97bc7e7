package rl_test

import (
	"math"
	"slices"
	"testing"

	"github.com/dlnb/dlnb/internal/testutil"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/rl"
)

// Both environments satisfy Env.
var _ = []rl.Env{rl.NewCatch(), rl.NewCartPole()}

// screen returns the Catch observation as rows of pixels.
func screen(obs *dl.Tensor, rows, cols int) [][]float64 {
	g := make([][]float64, rows)
	for i := range g {
		g[i] = obs.Data()[i*cols : (i+1)*cols]
	}
	return g
}

// find returns the positions of the 1 pixels of a Catch screen, top to bottom.
func find(g [][]float64) [][2]int {
	var at [][2]int
	for i, row := range g {
		for j, v := range row {
			if v == 1 {
				at = append(at, [2]int{i, j})
			} else if v != 0 {
				panic("a Catch pixel is neither 0 nor 1")
			}
		}
	}
	return at
}

func TestCatchEpisode(t *testing.T) {
	c := rl.NewCatch()
	if c.Actions() != 3 || !slices.Equal(c.ObsShape(), []int{50}) {
		t.Fatalf("Catch: %d actions, shape %v; want 3 and [50]", c.Actions(), c.ObsShape())
	}
	cols := map[int]bool{}
	for seed := range uint64(40) {
		obs := c.Reset(newRNG(seed))
		at := find(screen(obs, 10, 5))
		if len(at) != 2 || at[0][0] != 0 || at[1] != [2]int{9, 2} {
			t.Fatalf("seed %d: first screen has 1s at %v; want the ball in row 0 and the paddle at row 9, column 2", seed, at)
		}
		ball := at[0][1]
		cols[ball] = true
		// Chase the ball: move towards its column; the episode lasts 9 steps and pays +1.
		paddle := 2
		for step := 1; step <= 9; step++ {
			a := 1
			if ball < paddle {
				a = 0
			} else if ball > paddle {
				a = 2
			}
			paddle += a - 1
			obs, r, term, trunc := c.Step(a)
			g := screen(obs, 10, 5)
			if !slices.EqualFunc(g, c.Render(), slices.Equal) || g[step][ball] != 1 || g[9][paddle] != 1 {
				t.Fatalf("seed %d step %d: screen %v; want ball at (%d, %d), paddle at column %d", seed, step, g, step, ball, paddle)
			}
			if trunc || term != (step == 9) || (step < 9 && r != 0) || (step == 9 && r != 1) {
				t.Fatalf("seed %d step %d: reward %v, terminated %v, truncated %v", seed, step, r, term, trunc)
			}
		}
	}
	if len(cols) != 5 {
		t.Errorf("40 resets put the ball in columns %v; want all 5", cols)
	}
	// Staying under column 2 misses a ball in column 0: −1. The paddle stops at the wall.
	for seed := range uint64(100) {
		obs := c.Reset(newRNG(seed))
		if find(screen(obs, 10, 5))[0][1] != 0 {
			continue
		}
		var r float64
		for range 9 {
			obs, r, _, _ = c.Step(2) // right, into the wall
		}
		if r != -1 || find(screen(obs, 10, 5))[1] != [2]int{9, 4} {
			t.Errorf("paddle pushed right 9 times under a ball in column 0: reward %v, screen %v; want -1 and the paddle at column 4", r, obs.Data())
		}
		return
	}
	t.Fatal("no seed in 0..99 put the ball in column 0")
}

// TestCartPoleHandSteps checks Step against the equations of motion,
// worked out by hand (see CartPole's doc comment).
func TestCartPoleHandSteps(t *testing.T) {
	c := rl.NewCartPole()
	c.Reset(newRNG(1))
	c.State = [4]float64{0, 0, 0, 0}

	// From rest, upright, pushing right (F = +10): sin θ = 0, cos θ = 1, so
	//   temp = 10/1.1 = 100/11
	//   θ̈   = (9.8·0 − 1·100/11) / (0.5·(4/3 − 0.1/1.1)) = −(100/11) / (41/66) = −600/41
	//   ẍ   = 100/11 − 0.05·(−600/41)·1/1.1 = 100/11 + 300/451 = 400/41
	// and Euler: x = 0 + 0.02·0, ẋ = 0.02·400/41 = 8/41, θ = 0, θ̇ = 0.02·(−600/41) = −12/41.
	want := [4]float64{0, 8.0 / 41, 0, -12.0 / 41}
	obs, r, term, trunc := c.Step(1)
	checkState(t, "step 1", c.State, obs, want)
	if r != 1 || term || trunc {
		t.Errorf("step 1: reward %v, terminated %v, truncated %v; want 1, false, false", r, term, trunc)
	}
	// Again right: θ is still 0, so the accelerations are the same; positions
	// move with the old velocities: x = 0.02·8/41 = 0.16/41, θ = 0.02·(−12/41) = −0.24/41.
	obs, _, _, _ = c.Step(1)
	checkState(t, "step 2", c.State, obs, [4]float64{0.16 / 41, 16.0 / 41, -0.24 / 41, -24.0 / 41})

	// A tilted pole, pushing left (F = −10), from (x, ẋ, θ, θ̇) = (0.1, −0.2, 0.05, 0.3):
	//   sin 0.05 = 0.04997916927067833, cos 0.05 = 0.9987502603949663
	//   temp = (−10 + 0.05·0.3²·0.049979169) / 1.1 = (−10 + 0.000224906) / 1.1 = −9.090704630671166
	//   den  = 0.5·(4/3 − 0.1·0.998750260²/1.1) = 0.5·(1.333333333 − 0.090681963) = 0.6213256629103479
	//   θ̈   = (9.8·0.049979169 + 0.998750260·9.090704631) / den = (0.489799859 + 9.079343421) / 0.621325663 = 15.401165680307574
	//   ẍ   = −9.090704631 − 0.05·15.401165680·0.998750260/1.1 = −9.090704631 − 0.699178102 = −9.78988273219813
	//   x = 0.1 + 0.02·(−0.2) = 0.096, ẋ = −0.2 + 0.02·(−9.789882732) = −0.3957976546439626,
	//   θ = 0.05 + 0.02·0.3 = 0.056,  θ̇ = 0.3 + 0.02·15.401165680 = 0.6080233136061515
	c.State = [4]float64{0.1, -0.2, 0.05, 0.3}
	obs, _, _, _ = c.Step(0)
	checkState(t, "tilted", c.State, obs, [4]float64{0.096, -0.3957976546439626, 0.056, 0.6080233136061515})
}

func checkState(t *testing.T, name string, got [4]float64, obs *dl.Tensor, want [4]float64) {
	t.Helper()
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 || obs.Data()[i] != got[i] {
			t.Fatalf("%s: state %v, observation %v; want %v", name, got, obs.Data(), want)
		}
	}
}

func TestCartPoleEnds(t *testing.T) {
	c := rl.NewCartPole()
	obs := c.Reset(newRNG(3))
	for i, v := range obs.Data() {
		if v < -0.05 || v > 0.05 {
			t.Fatalf("reset state %v: component %d outside [-0.05, 0.05]", obs.Data(), i)
		}
	}
	// Pushing right all the time topples the pole backwards past 12° in a few dozen steps.
	steps := 0
	for {
		steps++
		_, r, term, trunc := c.Step(1)
		if r != 1 || trunc {
			t.Fatalf("step %d: reward %v, truncated %v", steps, r, trunc)
		}
		if term {
			break
		}
	}
	if th := c.State[2]; th > -12*2*math.Pi/360 || steps < 5 || steps > 60 {
		t.Errorf("always right: terminated after %d steps at θ = %v; want θ < −12° within 5..60 steps", steps, th)
	}
	// Holding the pole up: a controller on θ and θ̇ balances it until truncation at step 500.
	obs = c.Reset(newRNG(4))
	for steps = 1; ; steps++ {
		x := obs.Data()
		a := 0
		if x[2]+0.5*x[3]+0.01*x[0]+0.1*x[1] > 0 {
			a = 1
		}
		var term, trunc bool
		obs, _, term, trunc = c.Step(a)
		if term {
			t.Fatalf("the balancing controller dropped the pole at step %d, state %v", steps, c.State)
		}
		if trunc {
			break
		}
	}
	if steps != 500 {
		t.Errorf("truncated after %d steps; want 500", steps)
	}
	g := c.Render()
	if len(g) == 0 || len(g[0]) == 0 {
		t.Fatalf("Render returned an empty frame")
	}
	lit := 0
	for _, row := range g {
		for _, v := range row {
			if v < 0 || v > 1 {
				t.Fatalf("Render: pixel %v outside [0, 1]", v)
			}
			if v == 1 {
				lit++
			}
		}
	}
	if lit < 10 {
		t.Errorf("Render draws %d pole pixels; want a pole", lit)
	}
}

func TestEnvPanics(t *testing.T) {
	catch, pole := rl.NewCatch(), rl.NewCartPole()
	ended := rl.NewCatch()
	ended.Reset(newRNG(1))
	for range 9 {
		ended.Step(1)
	}
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"catch before reset", "rl: Catch: Step: action 1 after the episode ended (state: not reset); call Reset first", func() { catch.Step(1) }},
		{"catch action 3", "rl: Catch: Step: action 3 out of range [0, 3) in state: ball at row 0", func() { catch.Reset(newRNG(1)); catch.Step(3) }},
		{"catch action -1", "rl: Catch: Step: action -1 out of range [0, 3)", func() { catch.Reset(newRNG(1)); catch.Step(-1) }},
		{"catch after end", "rl: Catch: Step: action 0 after the episode ended (state: ball at row 9", func() { ended.Step(0) }},
		{"catch nil rng", "rl: Catch: Reset: rng is nil", func() { catch.Reset(nil) }},
		{"cartpole action 2", "rl: CartPole: Step: action 2 out of range [0, 2) in state: x ", func() { pole.Reset(newRNG(1)); pole.Step(2) }},
		{"cartpole nil rng", "rl: CartPole: Reset: rng is nil", func() { pole.Reset(nil) }},
		{"cartpole after end", "rl: CartPole: Step: action 1 after the episode ended", func() {
			pole.Reset(newRNG(1))
			for {
				if _, _, term, _ := pole.Step(1); term {
					break
				}
			}
			pole.Step(1)
		}},
	} {
		t.Run(c.name, func(t *testing.T) { testutil.Panics(t, c.want, c.f) })
	}
}
