package rl

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// CartPole is the pole-balancing task of Barto, Sutton & Anderson
// ("Neuronlike adaptive elements that can solve difficult learning
// control problems", 1983), with the equations and constants of
// Gymnasium's CartPole-v1: a pole hinged on a cart that moves along a
// track; the agent pushes the cart left (action 0) or right (action 1)
// with a force of 10 N, and earns 1 for every step the pole stays up.
//
// The episode terminates when the pole leans more than 12° from upright
// or the cart leaves the track (|x| > 2.4), and is truncated after 500
// steps, so the best return is 500. The observation is the state
// [x, ẋ, θ, θ̇]: cart position (m) and velocity, pole angle (rad, 0 is
// upright) and angular velocity.
//
// Step integrates the equations of motion (Florian, "Correct equations
// for the dynamics of the cart-pole system", 2007, for a frictionless
// track) with one Euler step of Tau seconds:
//
//	temp = (F + m_p·l·θ̇²·sin θ) / (m_c + m_p)
//	θ̈    = (g·sin θ − cos θ·temp) / (l·(4/3 − m_p·cos²θ/(m_c + m_p)))
//	ẍ    = temp − m_p·l·θ̈·cos θ / (m_c + m_p)
//	x += τ·ẋ;  ẋ += τ·ẍ;  θ += τ·θ̇;  θ̇ += τ·θ̈
//
// with F = ±10, g = 9.8, m_c = 1, m_p = 0.1, l = 0.5 (half the pole's
// length) and τ = 0.02 s.
type CartPole struct {
	State [4]float64 // x, ẋ, θ, θ̇

	steps         int
	started, done bool
}

// The constants of CartPole-v1.
const (
	cartGravity   = 9.8
	cartMassCart  = 1.0
	cartMassPole  = 0.1
	cartTotalMass = cartMassCart + cartMassPole
	cartLength    = 0.5 // half the pole's length
	cartPoleML    = cartMassPole * cartLength
	cartForce     = 10.0
	cartTau       = 0.02 // seconds per step
	cartMaxX      = 2.4
	cartMaxTheta  = 12 * 2 * math.Pi / 360 // 12°
	cartMaxSteps  = 500
)

// NewCartPole returns CartPole-v1. Call Reset to start an episode.
func NewCartPole() *CartPole { return &CartPole{} }

// Name returns "CartPole".
func (c *CartPole) Name() string { return "CartPole" }

// Actions returns 2: push left, push right.
func (c *CartPole) Actions() int { return 2 }

// ObsShape returns [4].
func (c *CartPole) ObsShape() []int { return []int{4} }

// Reset draws each of x, ẋ, θ, θ̇ uniformly in [−0.05, 0.05] with rng,
// as Gymnasium does, and returns the state. It panics if rng is nil.
func (c *CartPole) Reset(rng *rand.Rand) *dl.Tensor {
	if rng == nil {
		panic("rl: CartPole: Reset: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	for i := range c.State {
		c.State[i] = -0.05 + 0.1*rng.Float64()
	}
	c.steps, c.started, c.done = 0, true, false
	return c.obs()
}

// Step pushes the cart left (action 0) or right (action 1) for one time
// step of 0.02 s and returns the new state, reward 1 (also on the step
// that ends the episode, as in CartPole-v1), terminated when the pole
// fell or the cart left the track, and truncated at step 500. Step panics
// if action is not 0 or 1, or if the episode has ended or not started.
func (c *CartPole) Step(action int) (obs *dl.Tensor, reward float64, terminated, truncated bool) {
	checkStep("CartPole", action, 2, c.started && !c.done, c.state)
	x, xDot, theta, thetaDot := c.State[0], c.State[1], c.State[2], c.State[3]
	force := cartForce
	if action == 0 {
		force = -cartForce
	}
	cos, sin := math.Cos(theta), math.Sin(theta)
	temp := (force + cartPoleML*thetaDot*thetaDot*sin) / cartTotalMass
	thetaAcc := (cartGravity*sin - cos*temp) / (cartLength * (4.0/3.0 - cartMassPole*cos*cos/cartTotalMass))
	xAcc := temp - cartPoleML*thetaAcc*cos/cartTotalMass
	c.State = [4]float64{x + cartTau*xDot, xDot + cartTau*xAcc, theta + cartTau*thetaDot, thetaDot + cartTau*thetaAcc}
	c.steps++
	terminated = math.Abs(c.State[0]) > cartMaxX || math.Abs(c.State[2]) > cartMaxTheta
	truncated = !terminated && c.steps >= cartMaxSteps
	c.done = terminated || truncated
	return c.obs(), 1, terminated, truncated
}

// Render returns a 40×60 frame: the track as a line of 0.3, the cart as a
// block of 0.6 and the pole as a line of 1 from the cart's top, at its
// angle. The track spans x in [−2.4, 2.4].
func (c *CartPole) Render() [][]float64 {
	const h, w = 40, 60
	g := grid(h, w)
	track := h - 8
	for j := range w {
		g[track][j] = 0.3
	}
	if !c.started {
		return g
	}
	scale := float64(w) / (2 * cartMaxX) // pixels per metre
	cx := int(math.Round(c.State[0]*scale + w/2))
	for i := track - 3; i < track; i++ {
		for j := cx - 3; j <= cx+3; j++ {
			if j >= 0 && j < w {
				g[i][j] = 0.6
			}
		}
	}
	pole := 2 * 2 * cartLength * scale // the 1 m pole, drawn at twice the track's scale to be seen
	for k := range int(pole) + 1 {
		t := float64(k)
		i := int(math.Round(float64(track-3) - t*math.Cos(c.State[2])))
		j := int(math.Round(float64(cx) + t*math.Sin(c.State[2])))
		if i >= 0 && i < h && j >= 0 && j < w {
			g[i][j] = 1
		}
	}
	return g
}

// obs returns the state as a tensor [4].
func (c *CartPole) obs() *dl.Tensor {
	return dl.New([]float64{c.State[0], c.State[1], c.State[2], c.State[3]}, 4)
}

// state describes the state for panic messages.
func (c *CartPole) state() string {
	if !c.started {
		return "state: not reset"
	}
	return fmt.Sprintf("state: x %.4g, ẋ %.4g, θ %.4g, θ̇ %.4g after %d steps; done %v",
		c.State[0], c.State[1], c.State[2], c.State[3], c.steps, c.done)
}
