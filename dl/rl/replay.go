package rl

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl"
)

// Replay is the experience replay memory of DQN (Lin, 1992; Mnih et al.,
// 2013): a ring of the last Cap transitions (s, a, r, s', done). Learning
// from minibatches drawn uniformly from it, rather than from the latest
// transitions in order, breaks the strong correlation between consecutive
// steps and lets each transition serve many updates. When the ring is
// full, a new transition overwrites the oldest.
type Replay struct {
	Cap int // the capacity, in transitions

	obsShape []int
	obsLen   int
	obs      []float64 // [Cap*obsLen]
	next     []float64 // [Cap*obsLen]
	actions  []int
	rewards  []float64
	dones    []float64 // 1 if the transition terminated the episode
	n, head  int       // transitions held; where the next one goes
}

// Batch is a minibatch of transitions, as tensors ready for a network.
type Batch struct {
	Obs     *dl.Tensor // [n, obs...]: the observations s
	Actions []int      // [n]: the actions a taken in s
	Rewards *dl.Tensor // [n]: the rewards r
	Next    *dl.Tensor // [n, obs...]: the observations s' that followed
	Done    *dl.Tensor // [n]: 1 where s' ended the episode by termination, else 0
}

// NewReplay returns an empty ring for capacity transitions whose
// observations have shape obsShape. It panics if capacity < 1 or a size
// in obsShape is below 1.
func NewReplay(capacity int, obsShape []int) *Replay {
	if capacity < 1 {
		panic(fmt.Sprintf("rl: NewReplay: capacity %d; want at least 1", capacity))
	}
	n := 1
	for _, s := range obsShape {
		if s < 1 {
			panic(fmt.Sprintf("rl: NewReplay: observation shape %v; want sizes of at least 1", obsShape))
		}
		n *= s
	}
	return &Replay{Cap: capacity, obsShape: append([]int(nil), obsShape...), obsLen: n,
		obs: make([]float64, capacity*n), next: make([]float64, capacity*n),
		actions: make([]int, capacity), rewards: make([]float64, capacity), dones: make([]float64, capacity)}
}

// Len returns the number of transitions held, at most Cap.
func (r *Replay) Len() int { return r.n }

// Add stores a transition: observation obs, action, reward, the next
// observation next, and done, true if next ended the episode by
// termination (pass false on truncation: the state still had a future).
// The values of obs and next are copied. Add panics if obs or next does
// not hold one observation.
func (r *Replay) Add(obs *dl.Tensor, action int, reward float64, next *dl.Tensor, done bool) {
	if obs.Len() != r.obsLen || next.Len() != r.obsLen {
		panic(fmt.Sprintf("rl: Replay.Add: observations of shapes %v and %v; want %v", obs.Shape(), next.Shape(), r.obsShape))
	}
	i := r.head
	copy(r.obs[i*r.obsLen:(i+1)*r.obsLen], obs.Data())
	copy(r.next[i*r.obsLen:(i+1)*r.obsLen], next.Data())
	r.actions[i], r.rewards[i], r.dones[i] = action, reward, 0
	if done {
		r.dones[i] = 1
	}
	r.head = (r.head + 1) % r.Cap
	r.n = min(r.n+1, r.Cap)
}

// Sample returns n transitions drawn uniformly, with replacement, from
// those held, with rng. It panics if n < 1 or n > Len(): asking for more
// transitions than the buffer holds is a mistake (start updates only
// after a warm-up of at least n steps), not something to pad silently.
func (r *Replay) Sample(rng *rand.Rand, n int) Batch {
	if n < 1 || n > r.n {
		panic(fmt.Sprintf("rl: Replay.Sample: %d transitions but the buffer holds %d (capacity %d); sample at most Len()", n, r.n, r.Cap))
	}
	idx := make([]int, n)
	for k := range idx {
		idx[k] = rng.IntN(r.n)
	}
	return r.gather(idx)
}

// Last returns the n most recent transitions, oldest first: a batch with
// no replay, for the ablation that learns only from what just happened.
// It panics if n < 1 or n > Len().
func (r *Replay) Last(n int) Batch {
	if n < 1 || n > r.n {
		panic(fmt.Sprintf("rl: Replay.Last: %d transitions but the buffer holds %d (capacity %d); ask for at most Len()", n, r.n, r.Cap))
	}
	idx := make([]int, n)
	for k := range idx {
		idx[k] = (r.head - n + k + r.Cap) % r.Cap
	}
	return r.gather(idx)
}

// gather builds the batch of the transitions at slots idx.
func (r *Replay) gather(idx []int) Batch {
	n, L := len(idx), r.obsLen
	obs, next := make([]float64, n*L), make([]float64, n*L)
	b := Batch{Actions: make([]int, n)}
	rew, done := make([]float64, n), make([]float64, n)
	for k, i := range idx {
		copy(obs[k*L:(k+1)*L], r.obs[i*L:(i+1)*L])
		copy(next[k*L:(k+1)*L], r.next[i*L:(i+1)*L])
		b.Actions[k], rew[k], done[k] = r.actions[i], r.rewards[i], r.dones[i]
	}
	shape := append([]int{n}, r.obsShape...)
	b.Obs, b.Next = dl.New(obs, shape...), dl.New(next, shape...)
	b.Rewards, b.Done = dl.New(rew, n), dl.New(done, n)
	return b
}
