package rl

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// Catch is the pixel game of DeepMind's bsuite (Osband et al., "Behaviour
// Suite for Reinforcement Learning", 2020), a tiny stand-in for the Atari
// screens of DQN (Mnih et al., 2013): a ball starts in a random column of
// the top row and falls one row per step; the agent moves a paddle along
// the bottom row left, not at all, or right (actions 0, 1, 2). When the
// ball reaches the bottom row the episode terminates with reward +1 if
// the paddle is under it and −1 if not; every other step pays 0. An
// episode lasts Rows−1 steps.
//
// The observation is the screen: Rows×Cols pixels, 1 at the ball and at
// the paddle and 0 elsewhere, flattened row by row to [Rows*Cols] so that
// an MLP can read it. Render returns the same pixels as a grid.
type Catch struct {
	Rows, Cols int // the screen: 10×5 from NewCatch

	ballRow, ballCol, paddle int
	started, done            bool
}

// NewCatch returns bsuite's Catch on a 10×5 screen (10 rows, 5 columns).
// Call Reset to start an episode.
func NewCatch() *Catch { return &Catch{Rows: 10, Cols: 5} }

// Name returns "Catch".
func (c *Catch) Name() string { return "Catch" }

// Actions returns 3: left, stay, right.
func (c *Catch) Actions() int { return 3 }

// ObsShape returns [Rows*Cols].
func (c *Catch) ObsShape() []int { return []int{c.Rows * c.Cols} }

// Reset puts the ball in a column drawn uniformly with rng in the top row
// and the paddle in the middle of the bottom row, and returns the screen.
// It panics if rng is nil or the screen is smaller than 2×1.
func (c *Catch) Reset(rng *rand.Rand) *dl.Tensor {
	if rng == nil {
		panic("rl: Catch: Reset: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	if c.Rows < 2 || c.Cols < 1 {
		panic(fmt.Sprintf("rl: Catch: Reset: screen %d×%d; want at least 2 rows and 1 column", c.Rows, c.Cols))
	}
	c.ballRow, c.ballCol, c.paddle = 0, rng.IntN(c.Cols), c.Cols/2
	c.started, c.done = true, false
	return c.obs()
}

// Step moves the paddle by action−1 columns (staying on the screen), then
// the ball down one row. It returns the screen, the reward (+1 or −1 when
// the ball reaches the bottom, else 0) and terminated when it does; Catch
// never truncates. Step panics if action is not 0, 1 or 2, or if the
// episode has ended or not started.
func (c *Catch) Step(action int) (obs *dl.Tensor, reward float64, terminated, truncated bool) {
	checkStep("Catch", action, 3, c.started && !c.done, c.state)
	c.paddle = min(max(c.paddle+action-1, 0), c.Cols-1)
	c.ballRow++
	if c.ballRow == c.Rows-1 {
		c.done = true
		reward = -1
		if c.paddle == c.ballCol {
			reward = 1
		}
	}
	return c.obs(), reward, c.done, false
}

// Render returns the screen as a Rows×Cols grid: 1 at the ball and the
// paddle, 0 elsewhere.
func (c *Catch) Render() [][]float64 {
	g := grid(c.Rows, c.Cols)
	if c.started {
		g[c.ballRow][c.ballCol] = 1
		g[c.Rows-1][c.paddle] = 1
	}
	return g
}

// obs returns the screen flattened to [Rows*Cols].
func (c *Catch) obs() *dl.Tensor {
	x := make([]float64, c.Rows*c.Cols)
	x[c.ballRow*c.Cols+c.ballCol] = 1
	x[(c.Rows-1)*c.Cols+c.paddle] = 1
	return dl.New(x, c.Rows*c.Cols)
}

// state describes the state for panic messages.
func (c *Catch) state() string {
	if !c.started {
		return "state: not reset"
	}
	return fmt.Sprintf("state: ball at row %d, column %d; paddle at column %d; done %v", c.ballRow, c.ballCol, c.paddle, c.done)
}
