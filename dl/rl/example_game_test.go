package rl_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlnb/dlnb/dl/rl"
)

// MCTS with random rollouts finds the square that blocks O's row.
func ExampleMCTS() {
	g := rl.ParseTicTacToe("X../OO./X..") // X to move; O threatens the middle row
	fmt.Print(g)
	search := rl.NewMCTS(rand.New(rand.NewPCG(1, 2)), rl.RandomRollout(rand.New(rand.NewPCG(3, 4))), 200)
	visits := search.Search(g)
	fmt.Println("visits:", visits)
	fmt.Println("move:", search.Move(g))
	// Output:
	// X..
	// OO.
	// X..
	// visits: [0 6 5 0 0 173 0 10 6]
	// move: 5
}

// The perfect player values the empty board as a draw and answers a
// corner with the centre.
func ExampleMinimax() {
	perfect := rl.NewMinimax(rand.New(rand.NewPCG(1, 2)))
	fmt.Println("empty board:", perfect.Value(rl.NewTicTacToe()))
	fmt.Println("after a corner:", perfect.Best(rl.NewTicTacToe().Play(0)))
	// Output:
	// empty board: 0
	// after a corner: [4]
}
