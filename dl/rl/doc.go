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
// # Two-player games and search
//
// A [Game] is a two-player, zero-sum game of perfect information, such as
// tic-tac-toe, Connect Four, chess or Go: both players see the whole
// position, they move in turn, and what one wins the other loses. A
// position lists its legal moves, plays one and returns the new position
// (the old one stays as it was), and says whose turn it is and who won:
//
//	g := rl.NewTicTacToe()
//	g = g.Play(4) // X takes the centre
//	fmt.Println(g.Player(), g.Moves()) // -1 [0 1 2 3 5 6 7 8]: O to move
//
// [TicTacToe] and [ConnectFour] (6×7) are the games. Tic-tac-toe is small
// enough (5,478 positions) to be solved: [Minimax] plays it perfectly, by
// searching the whole game tree and remembering every position it has
// valued (memoization); it picks at random among the best moves, so that
// games against it differ.
//
// Go is not small: about 250 legal moves a turn over about 150 turns, so
// a full search is out of reach. Monte Carlo tree search ([MCTS]) grows a
// tree only where it looks promising. Each simulation walks down the tree,
// choosing at each node the move with the highest
//
//	Q(s, a) + c · P(s, a) · √(1 + N(s)) / (1 + N(s, a))
//
// the PUCT rule (Rosin, 2011, "Multi-armed bandits with episode context";
// in this form Silver et al., 2016, who write √N(s), which gives the
// priors no say before the first visit): Q is the average value of the move so
// far (exploit), P the prior probability of the move (which moves look
// worth trying) and the square-root term an exploration bonus that shrinks
// as the move is tried, as in UCT (Kocsis & Szepesvári, 2006, "Bandit
// based Monte-Carlo planning"). At a new position an [Evaluator] gives the
// priors and a value, which is backed up the path. The evaluator is either
// [RandomRollout], uniform priors and the result of one game played out at
// random (classic MCTS), or a policy/value network ([PolicyValueNet]).
// After the simulations, the visit counts of the root's moves are the
// search's policy: play the most visited move, or sample with a
// temperature; Dirichlet noise on the root's priors makes self-play
// explore.
//
// [Match] plays two [Player]s against each other, each side in turn, and
// counts wins, draws and losses; [RandomPlayer], [Minimax], [MCTS] and
// [PolicyValueNet] (its raw policy, with no search) are players.
//
// AlphaGo (Silver et al., 2016, "Mastering the game of Go with deep neural
// networks and tree search", Nature) learned a policy network from human
// games, improved it by self-play, trained a value network on its games
// and combined both with rollouts in MCTS. AlphaGo Zero (Silver et al.,
// 2017, "Mastering the game of Go without human knowledge", Nature) dropped
// the human games and the rollouts: one network with a policy head and a
// value head, trained only on games it plays against itself ([SelfPlay]):
// the policy learns the visit counts of MCTS, the value learns the
// outcome, and the better network makes the next search stronger.
// AlphaZero (Silver et al., 2018, "A general reinforcement learning
// algorithm that masters chess, shogi, and Go through self-play",
// Science) applied the same algorithm to chess and shogi. This package
// runs it on tic-tac-toe, where the perfect player can check it. A
// [Symmetric] game (both games here) lists the symmetries of its board,
// and SelfPlay trains on every position's rotations and reflections too,
// as AlphaGo Zero did with the 8 symmetries of the Go board.
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
