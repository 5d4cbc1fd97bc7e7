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
// # Environments
//
// In a bandit every pull stands alone. In an environment ([Env], in the
// spirit of Gymnasium's) actions have consequences: the agent sees an
// observation, acts, and gets a reward and the next observation, step
// after step until the episode ends. It ends terminated (the task is over:
// nothing more to earn) or truncated (a time limit cut it short: the
// state still had a future); learning bootstraps from the next state only
// in the second case. Reset takes a *rand.Rand, so episodes are seeded:
//
//	obs := env.Reset(rng)
//	for {
//		obs, reward, terminated, truncated = env.Step(policy(obs))
//		...
//		if terminated || truncated {
//			break
//		}
//	}
//
// [Catch] is the pixel game of DeepMind's bsuite (Osband et al., 2020): a
// ball falls down a 10×5 screen and the agent moves a paddle to catch it,
// for +1 or −1 at the bottom; the observation is the screen, 50 pixels.
// [CartPole] is the pole-balancing task of Barto, Sutton & Anderson (1983)
// with the constants of Gymnasium's CartPole-v1: reward 1 a step, up to
// 500. Each renders a frame (Render) as a grid of gray values for
// plotting. Stepping with an action out of range, before Reset or after
// the episode ended panics with the environment, the action and the state.
//
// # Deep Q-networks
//
// Q-learning (Watkins, 1989) learns Q(s, a), the return expected from
// taking action a in state s and acting well afterwards, from the
// one-step target r + γ·max_a' Q(s', a'). Mnih et al. ("Playing Atari with
// Deep Reinforcement Learning", NIPS Deep Learning Workshop 2013) made Q a
// convolutional network that reads the raw screen, and learned seven Atari
// games from pixels and the score alone, with the same network and
// settings for all. Two ideas made the network's Q-learning stable:
//
//   - experience replay ([Replay]; Lin, 1992): transitions go into a ring
//     memory, and each update learns from a minibatch drawn uniformly
//     from it, not from the last few steps, which are strongly
//     correlated and keep changing what the network sees;
//   - a target network (Mnih et al., "Human-level control through deep
//     reinforcement learning", Nature 2015, 49 games): the targets come
//     from a copy of the network refreshed every C updates, so that a
//     target does not move with every step taken towards it.
//
// The 2015 paper also clipped the error, which is the Huber loss
// (nn.Huber with delta 1). Double DQN (van Hasselt, Guez & Silver, "Deep
// Reinforcement Learning with Double Q-learning", AAAI 2016) fixes the
// max's overestimation: the online network picks the next action and the
// target network values it. Exploration is ε-greedy with ε falling
// linearly ([EpsilonGreedy] with a [LinearDecay] Schedule).
//
// [DQN] holds the two networks, the replay and the ε schedule, with
// Act, Observe and Update; [TrainDQN] runs it in an environment and
// [Evaluate] plays episodes greedily and returns their returns:
//
//	net := func() nn.Module { return nn.MLP(rand.New(rand.NewPCG(seed, 1)), 50, 64, 3) }
//	cfg := rl.DQNConfig{Gamma: 0.99, LR: 1e-3, BatchSize: 32, Capacity: 10000, Warmup: 100,
//		TargetEvery: 100, EpsStart: 1, EpsEnd: 0.05, EpsSteps: 1500}
//	agent := rl.NewDQN(rng, net(), net(), env.Actions(), env.ObsShape(), cfg)
//	res := rl.TrainDQN(rng, env, agent, 3000)                   // res.Returns: the learning curve
//	returns := rl.Evaluate(rng, env, agent.Greedy, 100)        // about 1 on Catch
//
// # Determinism
//
// Every random draw comes from the *rand.Rand given to the constructors,
// so a seeded run gives the same rewards and actions every time. As
// everywhere in the module, a constructor takes the rng first.
//
// # Errors
//
// Bad arguments, such as an arm out of range, an action out of range, or
// sampling more transitions than a Replay holds, are programmer errors:
// the functions panic with a message that starts with "rl:".
package rl
