package notebooks_test

import (
	"strings"
	"testing"
)

// TestPromiseChecker checks that the checker catches each kind of broken
// promise, and passes the kept ones, on made-up outputs.
func TestPromiseChecker(t *testing.T) {
	text := `test accuracy: 0.985
seed 1: ReLU 120 steps, tanh 480 steps, ratio 4.0
seed 2: ReLU 150 steps, tanh 300 steps, ratio 2.0
seed 3: ReLU 200 steps, tanh 180 steps, ratio 0.9
plain-4 loss 0.10
plain-32 loss 0.30
`
	mimes := []string{"image/png"}
	cases := []struct {
		p    promise
		fail string // a piece of the message, or "" if the promise holds
	}{
		{promise{MIME: "image/png"}, ""},
		{promise{MIME: "image/svg+xml"}, "no image/svg+xml"},
		{promise{Contains: "plain-4"}, ""},
		{promise{Contains: "plain-8"}, `no output contains "plain-8"`},
		{promise{Pattern: `test accuracy: ([0-9.]+)`, Min: 0.98, Max: 1}, ""},
		{promise{Pattern: `test accuracy: ([0-9.]+)`, Min: 0.99, Max: 1}, "gave 0.985"},
		{promise{Pattern: `no such line ([0-9.]+)`, Min: 0, Max: 1}, "no output matches"},
		// The first match alone is in range; every match is not.
		{promise{Pattern: `ratio ([0-9.]+)`, Min: 1, Max: 10}, ""},
		{promise{Pattern: `ratio ([0-9.]+)`, Min: 1, Max: 10, Every: true}, "gave 0.9"},
		{promise{Pattern: `ratio ([0-9.]+)`, Min: 0.5, Max: 10, Every: true}, ""},
		{promise{Pattern: `no such line ([0-9.]+)`, Min: 0, Max: 1, Every: true}, "no output matches"},
		// Comparisons of two numbers.
		{promise{Pattern: `plain-32 loss ([0-9.]+)`, Greater: `plain-4 loss ([0-9.]+)`}, ""},
		{promise{Pattern: `plain-4 loss ([0-9.]+)`, Greater: `plain-32 loss ([0-9.]+)`}, "want the first > 1 times"},
		{promise{Pattern: `plain-4 loss ([0-9.]+)`, Less: `plain-32 loss ([0-9.]+)`, Factor: 0.5}, ""},
		{promise{Pattern: `plain-4 loss ([0-9.]+)`, Less: `plain-32 loss ([0-9.]+)`, Factor: 0.3}, "want the first < 0.3 times"},
		{promise{Pattern: `plain-4 loss ([0-9.]+)`, Less: `plain-99 loss ([0-9.]+)`}, "no output matches"},
		// In pairs, on every seed: ReLU < tanh fails on seed 3 only.
		{promise{Pattern: `ReLU (\d+) steps`, Less: `tanh (\d+) steps`}, ""},
		{promise{Pattern: `ReLU (\d+) steps`, Less: `tanh (\d+) steps`, Every: true}, "gave 200"},
		{promise{Pattern: `ReLU (\d+) steps`, Less: `plain-4 loss ([0-9.]+)`, Every: true}, "matched 3 times"},
	}
	for _, c := range cases {
		problems := broken([]promise{c.p}, text, mimes)
		switch {
		case c.fail == "" && len(problems) > 0:
			t.Errorf("%+v: want it kept, got %q", c.p, problems)
		case c.fail != "" && (len(problems) == 0 || !strings.Contains(strings.Join(problems, "\n"), c.fail)):
			t.Errorf("%+v: want a problem with %q, got %q", c.p, c.fail, problems)
		}
	}
}

// TestCourseFLOPsCheck checks the agreement of notebook 11's table with
// the milestone notebooks' own counts.
func TestCourseFLOPsCheck(t *testing.T) {
	texts := map[string]string{
		"11_milestones.ipynb":    "course model 12_alexnet_2012: 1.00e+12 FLOPs\ncourse model 15_adam_2014: 2e+09 FLOPs\n",
		"12_alexnet_2012.ipynb":  "training FLOPs: 1.05e+12\n",
		"15_adam_2014.ipynb":     "training FLOPs: 2.5e+09\n",
		"16_gan_2015.ipynb":      "training FLOPs: 3e+10\n",
		"05_deep_networks.ipynb": "no counts here\n",
	}
	problems := courseFLOPs(texts)
	want := []string{
		"11_milestones.ipynb lists 15_adam_2014 at 2e+09 FLOPs, but it prints 2.5e+09",
		"16_gan_2015.ipynb prints its training FLOPs, but 11_milestones.ipynb does not list it",
	}
	if len(problems) != len(want) {
		t.Fatalf("got %q, want %d problems", problems, len(want))
	}
	for i, w := range want {
		if !strings.Contains(problems[i], w) {
			t.Errorf("problem %d: got %q, want it to contain %q", i, problems[i], w)
		}
	}
	texts["11_milestones.ipynb"] += "course model 13_dqn_2013: 1e+12 FLOPs\n"
	texts["11_milestones.ipynb"] += "course model 16_gan_2015: 3.2e+10 FLOPs\n"
	texts["15_adam_2014.ipynb"] = "training FLOPs: 2.1e+09\n"
	if problems := courseFLOPs(texts); len(problems) != 1 || !strings.Contains(problems[0], "13_dqn_2013, which is not in the course") {
		t.Errorf("got %q, want only the unknown notebook 13", problems)
	}
}
