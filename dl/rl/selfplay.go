package rl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dlnb/dlnb/dl"
	"github.com/dlnb/dlnb/dl/nn"
	"github.com/dlnb/dlnb/dl/optim"
)

// PolicyValueNet is the network of AlphaGo Zero (Silver et al., 2017) in
// small: one body and two heads. The policy head gives a logit per move
// (which moves look good), the value head a number in (−1, 1) (who is
// winning), both from the point of view of the player to move, for a
// position encoded by [Game.Encode] and flattened to [batch, in]. It is
// an [Evaluator] for [MCTS], and on its own, playing the move its policy
// likes best, a [Player].
type PolicyValueNet struct {
	Body   *nn.Sequential // [batch, in] → [batch, hidden]: Linear, ReLU, Linear, ReLU
	Policy *nn.Linear     // [batch, hidden] → [batch, moves]: the logits of the moves
	Value  *nn.Linear     // [batch, hidden] → [batch, 1]: tanh of it is the value
}

// NewPolicyValueNet returns a network for positions of in numbers (18 for
// tic-tac-toe's [2, 3, 3]) and moves moves, with two hidden layers of hidden
// units, initialized from rng. It panics if a size is below 1.
func NewPolicyValueNet(rng *rand.Rand, in, hidden, moves int) *PolicyValueNet {
	if in < 1 || hidden < 1 || moves < 1 {
		panic(fmt.Sprintf("rl: NewPolicyValueNet: sizes in %d, hidden %d, moves %d; want each at least 1", in, hidden, moves))
	}
	return &PolicyValueNet{
		Body:   nn.NewSequential(nn.NewLinearHe(rng, in, hidden), nn.ReLU{}, nn.NewLinearHe(rng, hidden, hidden), nn.ReLU{}),
		Policy: nn.NewLinear(rng, hidden, moves),
		Value:  nn.NewLinear(rng, hidden, 1),
	}
}

// Heads returns the policy logits [batch, moves] and the values [batch, 1]
// (after tanh) for positions x [batch, in].
func (n *PolicyValueNet) Heads(x *dl.Tensor) (logits, value *dl.Tensor) {
	h := n.Body.Forward(x)
	return n.Policy.Forward(h), dl.Tanh(n.Value.Forward(h))
}

// Forward returns both heads side by side, [batch, moves+1]: the logits,
// then the value. It makes the network an nn.Module; Heads is clearer.
func (n *PolicyValueNet) Forward(x *dl.Tensor) *dl.Tensor {
	logits, value := n.Heads(x)
	return dl.Concat(1, logits, value)
}

// Params returns the parameters of the body and both heads.
func (n *PolicyValueNet) Params() []*dl.Tensor {
	return slices.Concat(n.Body.Params(), n.Policy.Params(), n.Value.Params())
}

// Parts names the body and the heads, for saving (nn.Named).
func (n *PolicyValueNet) Parts() nn.Parts {
	return nn.Parts{Modules: []nn.NamedModule{{Name: "Body", Module: n.Body}, {Name: "Policy", Module: n.Policy}, {Name: "Value", Module: n.Value}}}
}

// Evaluate returns the network's priors for g, the softmax of its logits
// over the legal moves (0 for the others), and its value. It panics if g
// has ended.
func (n *PolicyValueNet) Evaluate(g Game) ([]float64, float64) {
	moves := g.Moves()
	if len(moves) == 0 {
		panic(fmt.Sprintf("rl: PolicyValueNet: the game has ended, nothing to evaluate, in position %s", compact(g)))
	}
	x := g.Encode()
	logits, value := n.Heads(dl.Reshape(x, 1, x.Len()))
	l := slices.Clone(logits.Data())
	v := value.Item()
	logits.Release()
	value.Release()
	if len(l) != g.NumMoves() {
		panic(fmt.Sprintf("rl: PolicyValueNet: %d policy outputs for a game of %d moves", len(l), g.NumMoves()))
	}
	most := math.Inf(-1)
	for _, mv := range moves {
		most = max(most, l[mv])
	}
	priors := make([]float64, len(l))
	sum := 0.0
	for _, mv := range moves {
		priors[mv] = math.Exp(l[mv] - most)
		sum += priors[mv]
	}
	for _, mv := range moves {
		priors[mv] /= sum
	}
	return priors, v
}

// Move plays the legal move with the highest prior, with no search: the
// raw policy network as a player. It panics if g has ended.
func (n *PolicyValueNet) Move(g Game) int {
	priors, _ := n.Evaluate(g)
	best := -1
	for _, mv := range g.Moves() {
		if best < 0 || priors[mv] > priors[best] {
			best = mv
		}
	}
	return best
}

// SelfPlayConfig sets up [SelfPlay]. Every field means its value; the
// notebook and the tests show working values for tic-tac-toe.
type SelfPlayConfig struct {
	Iterations     int     // rounds of play-then-train
	Games          int     // self-play games per iteration
	Simulations    int     // MCTS simulations per move
	CPUCT          float64 // MCTS's exploration weight
	DirichletAlpha float64 // root noise Dir(α) (0: none)
	NoiseFraction  float64 // the share of noise in the root priors
	SampleMoves    int     // the first SampleMoves moves of a game are sampled from the visit counts (temperature 1), the rest are the most visited
	Window         int     // training examples kept: those of the latest games (with their symmetric images)
	Steps          int     // optimizer steps per iteration
	BatchSize      int     // positions per step
	LR             float64 // Adam's learning rate
}

// SelfPlayHistory records a [SelfPlay] run, one entry per iteration.
type SelfPlayHistory struct {
	PolicyLoss []float64 // the mean cross-entropy of the policy against the visit counts, over the iteration's steps
	ValueLoss  []float64 // the mean squared error of the value against the outcomes
	Positions  int       // the positions played in all (not counting symmetric images)
}

// example is one position of a self-play game: the input, the search's
// policy and the outcome for the player to move.
type example struct {
	x, pi []float64
	z     float64
}

// SelfPlay trains net by playing against itself, as AlphaGo Zero and
// AlphaZero do (Silver et al., 2017, 2018). Each iteration plays
// cfg.Games games from start, every move chosen by MCTS with the current
// net as evaluator (with root noise, and sampled for the first
// cfg.SampleMoves moves, so that games differ); each position becomes a
// training example (and, if start is [Symmetric], so does each of its
// symmetric images): the input g.Encode(), the policy target π the root's
// visit counts normalized, and the value target z the game's result for
// the player to move then (+1, 0, −1). Then cfg.Steps Adam steps on
// minibatches drawn from the latest cfg.Window positions minimize
//
//	loss = −Σₐ π(a) log p(a) + (v − z)²
//
// (cross-entropy of the policy against the search, squared error of the
// value against the outcome). The search is thus the policy's teacher, and
// a better policy makes a better search. Every random choice comes from
// rng. SelfPlay panics if a count or size in cfg is below 1 or if net does
// not fit start (from the network).
func SelfPlay(rng *rand.Rand, net *PolicyValueNet, start Game, cfg SelfPlayConfig) SelfPlayHistory {
	for _, f := range []struct {
		name string
		v    int
	}{{"Iterations", cfg.Iterations}, {"Games", cfg.Games}, {"Simulations", cfg.Simulations}, {"Window", cfg.Window}, {"Steps", cfg.Steps}, {"BatchSize", cfg.BatchSize}} {
		if f.v < 1 {
			panic(fmt.Sprintf("rl: SelfPlay: %s %d; want at least 1", f.name, f.v))
		}
	}
	if rng == nil {
		panic("rl: SelfPlay: rng is nil; pass one such as rand.New(rand.NewPCG(1, 2))")
	}
	m := NewMCTS(rng, net, cfg.Simulations)
	m.CPUCT, m.DirichletAlpha, m.NoiseFraction = cfg.CPUCT, cfg.DirichletAlpha, cfg.NoiseFraction
	opt := optim.NewAdam(cfg.LR)
	var h SelfPlayHistory
	var window []example
	for range cfg.Iterations {
		for range cfg.Games {
			game := selfPlayGame(rng, m, start, cfg.SampleMoves)
			h.Positions += len(game)
			window = append(window, game...)
			if s, ok := start.(Symmetric); ok {
				window = append(window, images(game, s.Symmetries())...)
			}
		}
		if len(window) > cfg.Window {
			window = window[len(window)-cfg.Window:]
		}
		pl, vl := trainSteps(rng, net, opt, window, cfg.Steps, cfg.BatchSize)
		h.PolicyLoss = append(h.PolicyLoss, pl)
		h.ValueLoss = append(h.ValueLoss, vl)
	}
	return h
}

// selfPlayGame plays one game of m against itself and returns its positions.
func selfPlayGame(rng *rand.Rand, m *MCTS, g Game, sampleMoves int) []example {
	var game []example
	var players []int
	for ply := 0; !g.Ended(); ply++ {
		pi := VisitPolicy(m.Search(g), 1)
		game = append(game, example{x: slices.Clone(g.Encode().Data()), pi: pi})
		players = append(players, g.Player())
		if ply < sampleMoves {
			g = g.Play(sample(rng, pi))
		} else {
			g = g.Play(sample(rng, VisitPolicy(pi, 0)))
		}
	}
	for i := range game {
		game[i].z = Result(g, players[i])
	}
	return game
}

// images returns the examples mapped by each symmetry: the two planes of
// each input square by square, and the policy move by move. The outcome
// stays.
func images(game []example, syms []Symmetry) []example {
	var out []example
	for _, sym := range syms {
		for _, e := range game {
			n := len(sym.Cells)
			img := example{x: make([]float64, len(e.x)), pi: make([]float64, len(e.pi)), z: e.z}
			for plane := 0; plane < len(e.x); plane += n {
				for i, j := range sym.Cells {
					img.x[plane+j] = e.x[plane+i]
				}
			}
			for a, b := range sym.Moves {
				img.pi[b] = e.pi[a]
			}
			out = append(out, img)
		}
	}
	return out
}

// trainSteps takes steps Adam steps on minibatches of window and returns
// the mean policy and value losses.
func trainSteps(rng *rand.Rand, net *PolicyValueNet, opt optim.Optimizer, window []example, steps, batch int) (policyLoss, valueLoss float64) {
	in, moves := len(window[0].x), len(window[0].pi)
	params := net.Params()
	for range steps {
		x, pi, z := make([]float64, batch*in), make([]float64, batch*moves), make([]float64, batch)
		for b := range batch {
			e := window[rng.IntN(len(window))]
			copy(x[b*in:], e.x)
			copy(pi[b*moves:], e.pi)
			z[b] = e.z
		}
		logits, value := net.Heads(dl.New(x, batch, in))
		pLoss := dl.Neg(dl.Mean(dl.Sum(dl.Mul(dl.New(pi, batch, moves), dl.LogSoftmax(logits, 1)), 1)))
		vLoss := nn.MSE(value, dl.New(z, batch, 1))
		loss := dl.Add(pLoss, vLoss)
		dl.ZeroGrad(params...)
		loss.Backward()
		opt.Step(params)
		policyLoss += pLoss.Item()
		valueLoss += vLoss.Item()
		loss.Release()
	}
	return policyLoss / float64(steps), valueLoss / float64(steps)
}
