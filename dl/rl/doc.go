// Package rl provides reinforcement learning: an agent learns what to do
// from rewards alone, by trial and error, with no labels that say what
// the right action was.
//
// # Overview
//
// A [Bandit] is the simplest setting (Robbins, 1952): a row of slot
// machines (arms), each paying a random reward around its own mean. The
// agent does not know the means; it must try arms to learn them
// (explore) and pull the best one it knows of to earn rewards (exploit).
// [EpsilonGreedy] balances the two with a coin flip (Sutton & Barto,
// "Reinforcement Learning: An Introduction", ch. 2), and [Play] runs it:
//
//	b := rl.NewBandit(rng, []float64{0.2, 1.0, 0.5})
//	a := rl.NewEpsilonGreedy(rng, b.Arms(), 0.1)
//	res := rl.Play(b, a, 1000)
//	curve := rl.RunningMean(res.Rewards) // the learning signal: it rises
//
// The learning signal is the average reward, and the share of pulls that
// go to the best arm, both rising as the agent's estimates improve.
//
// # Determinism
//
// Every random draw comes from the *rand.Rand given to the constructors,
// so a seeded run gives the same rewards and actions every time. As
// everywhere in the module, a constructor takes the rng first.
//
// # Errors
//
// Bad arguments, such as an arm out of range, are programmer errors: the
// functions panic with a message that starts with "rl:".
package rl
