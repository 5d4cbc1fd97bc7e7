package plotting_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlnb/dlnb/plotting"
)

// returns plays n episodes of Catch (return +1 for a caught ball, −1 for a
// missed one) with an "agent" that catches the ball with probability
// from start to end, rising linearly, as a learner improves.
func returns(rng *rand.Rand, n int, start, end float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = -1
		if rng.Float64() < start+(end-start)*float64(i)/float64(n) {
			out[i] = 1
		}
	}
	return out
}

// The learning curve of one run: each episode's return, +1 or −1, as a
// faint point, and the mean of the last 50 episodes as a bold line.
func ExampleReturns() {
	rng := rand.New(rand.NewPCG(1, 2))
	r := returns(rng, 500, 0.2, 1)
	plotting.Returns(r, 50, plotting.Options{Title: "DQN on Catch"}).Show()
	fmt.Printf("mean return of the last 50 episodes: %.2f\n", plotting.RunningMean(r, 50)[len(r)-1])
	// Output:
	// mean return of the last 50 episodes: 0.84
}

// An ablation: three seeds of each configuration, with the same Name, so
// that each configuration gets one colour, one bold line (the mean of its
// seeds' running means) and one legend entry, over its seeds' running
// means drawn faint.
func ExampleReturnsSeries() {
	rng := rand.New(rand.NewPCG(1, 2))
	var runs []plotting.Series
	for range 3 {
		runs = append(runs, plotting.Series{Name: "DQN", Y: returns(rng, 400, 0.2, 1)})
		runs = append(runs, plotting.Series{Name: "no replay", Y: returns(rng, 400, 0.2, 0.6)})
	}
	plotting.ReturnsSeries(runs, 50, plotting.Options{Title: "Catch: with and without replay"}).Show()
	// Output:
}

// The running mean over 3 values; the first values average what has come
// so far.
func ExampleRunningMean() {
	fmt.Println(plotting.RunningMean([]float64{-1, 1, 1, 1, -1}, 3))
	// Output:
	// [-1 0 0.3333333333333333 1 0.3333333333333333]
}

// catch returns the 10×5 screen of Catch with the ball at (row, col) and
// the paddle in the bottom row at column paddle: 1 (black) where they
// are, 0 (white) elsewhere.
func catch(row, col, paddle int) [][]float64 {
	f := make([][]float64, 10)
	for r := range f {
		f[r] = make([]float64, 5)
	}
	f[row][col], f[9][paddle] = 1, 1
	return f
}

// One frame of Catch, drawn as crisp square pixels.
func ExampleFrame() {
	plotting.Frame(catch(3, 1, 2), plotting.ImageOptions{Title: "Catch", Captions: []string{"step 3"}}).Show()
	// Output:
}

// The frames of one episode of Catch: the paddle moves under the falling
// ball and catches it.
func ExampleFrames() {
	var frames [][][]float64
	var captions []string
	for step := range 9 {
		frames = append(frames, catch(step, 3, min(step, 3)))
		captions = append(captions, fmt.Sprintf("step %d", step))
	}
	captions[8] = "caught: +1"
	plotting.Frames(frames, captions, plotting.ImageOptions{Title: "an episode of the trained agent"}).Show()
	// Output:
}

// The visits that MCTS gave each move of a tic-tac-toe position, with X
// to move: X wins at once in the bottom left corner, which got most of
// the visits (outlined). The marked squares show their marks; their
// numbers are not drawn. A second board shows a policy on a Connect
// Four position, with each column's probability on the square where its
// stone would land and NaN above it.
func ExampleBoard() {
	visits := [][]float64{
		{0, 12, 3},
		{0, 0, 7},
		{170, 5, 0},
	}
	marks := [][]string{
		{"X", "", ""},
		{"O", "X", ""},
		{"", "", "O"},
	}
	tictactoe := plotting.Board(visits, marks, plotting.Options{Title: "MCTS visits", XLabel: "X to move"})

	nan := math.NaN()
	policy := make([][]float64, 6)
	stones := make([][]string, 6)
	for r := range policy {
		policy[r] = []float64{nan, nan, nan, nan, nan, nan, nan}
		stones[r] = make([]string, 7)
	}
	stones[5][3], stones[5][2], stones[4][3] = "X", "O", "X"
	for col, p := range []float64{0.05, 0.1, 0.12, 0.5, 0.13, 0.06, 0.04} {
		row := 5
		for stones[row][col] != "" {
			row--
		}
		policy[row][col] = p
	}
	connect4 := plotting.Board(policy, stones, plotting.Options{Title: "policy", XLabel: "O to move"})
	plotting.Row(tictactoe, connect4).Show()
	// Output:
}
