#!/usr/bin/env python3
"""Insert the self-checking exercise cells (issue 17) into the course notebooks.

Each exercise is a markdown cell "## Exercise" (id ex-NN-md) and one code cell
that calls a checker of package exercises (id ex-NN). They go just before the
"## Try this" heading (a markdown cell that holds text before the heading is
split there, keeping its id for the first part), or at the end of a notebook
without one. A notebook that already holds the cell ids is left alone, so the
script is idempotent.

    python3 insert_01_10.py            # notebooks 01-10
    python3 insert_01_10.py 11 12 13   # the given ones
"""
import glob
import json
import sys

# IMPORTS are the imports of each exercise cell, so that a cell runs on its own.
IMPORTS = {"05": ["github.com/dlnb/dlnb/dl/nn"]}


def header(num):
    """Returns the cell's import block and the %% line."""
    pkgs = ["github.com/dlnb/dlnb/exercises"] + IMPORTS.get(num, [])
    return 'import (\n\t"fmt"\n\n' + "".join(f'\t"{p}"\n' for p in sorted(pkgs)) + ')\n\n%%\n'

EXERCISES = {
    "01": ("""## Exercise

Find weights $w_1, w_2$ and a bias $b$ for which the perceptron $\\mathrm{step}(w_1x_1 + w_2x_2 + b)$ computes NAND, $\\lnot(x_1 \\land x_2)$: 1 unless both inputs are 1. Sketch the four points: on which side of the line must $(1, 1)$ lie? Run the cell: the checker tries all four inputs and prints ✓, or a hint that says what is wrong.""",
           """w1, w2, b := 0.0, 0.0, 0.0 // your weights
fmt.Println(exercises.NAND(w1, w2, b))"""),
    "02": ("""## Exercise

Build XNOR from three perceptrons with step units, without training: two hidden units that each see $(x_1, x_2)$, and an output unit that sees the two hidden outputs. Each unit has weights $(w_1, w_2, b)$. One perceptron can compute AND, OR, NAND or NOR (notebook 01), but not XNOR: which two of them make XNOR easy for the output unit?""",
           """hidden := [2][3]float64{
	{0, 0, 0}, // hidden unit 1: w1, w2, b
	{0, 0, 0}, // hidden unit 2: w1, w2, b
}
out := [3]float64{0, 0, 0} // output unit: a weight for each hidden unit, and b
fmt.Println(exercises.XNOR(hidden, out))"""),
    "03": ("""## Exercise

Find, by trying, the largest learning rate that still converges in the 2-D runs above, to two digits: run `descend2D` from $(-1, 3.5)$ with rates between 0.4 and 0.55 and watch which ones fly off. Then compare your rate with $2/L''$, the limit the checker computes from the 20 points.""",
           """lr := 0.0 // the largest learning rate that still converges
fmt.Println(exercises.LearningRate(lr))"""),
    "04": ("""## Exercise

Write the backward rule of division, $out = a / b$: given $a$, $b$ and the gradient of the loss with respect to $out$ (`grad`), return the gradients with respect to $a$ and $b$. The checker compares them with finite differences at several points. A `Div` method on `Value` would run exactly this rule in its backward closure.""",
           """divBackward := func(a, b, grad float64) (da, db float64) {
	return 0, 0 // your rule
}
fmt.Println(exercises.DivBackward(divBackward))"""),
    "05": ("""## Exercise

Reach 97% on a validation set. `exercises.DigitsSplit()` returns a training part, a validation part (a fifth of this notebook's training images) and this notebook's test set. Train a model on the training part only, and change what you like (the network, the optimizer, the epochs, the inputs) until the checker, which measures the validation part, prints ✓. This notebook's network gets about 96% there. Only then measure the test set, once: choosing by the test set would make its number a flattering one (notebook 07).""",
           """trainPart, _, _ := exercises.DigitsSplit()
fmt.Println(trainPart.Len(), "training images")
var model nn.Module // your network, trained on trainPart
fmt.Println(exercises.Digits(model))"""),
    "06": ("""## Exercise

With ε = 0.1 and 5 answers the agent picks the best answer at most 92% of the time. Write `share(eps, k)`: the share of steps in which an ε-greedy agent with $k$ answers picks the best one, once its estimates rank the best answer first. Then predict the ceilings of ε = 0.01 and ε = 0.3 in "Try this" before you run them.""",
           """share := func(eps float64, k int) float64 {
	return 0 // your formula
}
fmt.Println(exercises.BestShare(share))"""),
    "07": ("""## Exercise

One validation set of 20 points is noisy: it flattered the chosen degree above. **k-fold cross-validation** uses every point: split the $n$ points into $k$ folds, train on $k-1$ of them and validate on the one left out, $k$ times, and average. Write `folds(n, k)`: $k$ lists of the indices $0..n-1$, each index in exactly one fold, the folds as equal in size as they can be.""",
           """folds := func(n, k int) [][]int {
	return nil // your folds
}
fmt.Println(exercises.Folds(folds))"""),
    "08": ("""## Exercise

`exercises.Samples08()` returns three samples of 500 digits. One of them was collected with a bias: it holds only about a tenth of one digit. Which sample is it (0, 1 or 2), and which digit is missing? Count the labels of each sample (`s.Labels()`) before you answer.""",
           """samples := exercises.Samples08()
fmt.Println(len(samples), "samples of", samples[0].Len(), "digits")
sample, digit := -1, -1 // your answer
fmt.Println(exercises.BiasedSample(sample, digit))"""),
    "09": ("""## Exercise

Least confidence by hand. `probs` holds one row of class probabilities per unlabelled example. Write `query(probs, k)`: the $k$ examples whose most likely class has the lowest probability, the ones the model is least sure of. The checker compares your picks with `data.UncertaintyQuery` on three pools.""",
           """query := func(probs [][]float64, k int) []int {
	return nil // your query
}
fmt.Println(exercises.LeastConfident(query))"""),
    "10": ("""## Exercise

Confident learning flags an example when the model is confident of another class than its label, where *confident* means above that class's threshold. Write `thresholds(probs, labels, classes)`: for each class $c$, the mean predicted probability of $c$ over the examples labelled $c$, as `data.Thresholds` computes it.""",
           """thresholds := func(probs [][]float64, labels []int, classes int) []float64 {
	return nil // one threshold per class
}
fmt.Println(exercises.Thresholds(thresholds))"""),
    "11": ("""## Exercise

The fit above gives a slope in powers of ten per year, and the notebook turns it into a doubling time. Write `months(slope)`: the doubling time, in months, of a quantity whose $\\log_{10}$ grows by `slope` a year.""",
           """months := func(slope float64) float64 {
	return 0 // your conversion
}
fmt.Println(exercises.DoublingTime(months))"""),
    "12": ("""## Exercise

Sizes. Write `out(in, kernel, stride, pad)`: the width of the output of a convolution or pooling layer, for an input `in` pixels wide, a window of `kernel` pixels moved `stride` pixels at a time, and `pad` pixels of zeros on each side. The checker's cases include AlexNet's first layer and the overlapping pooling of "Try this".""",
           """out := func(in, kernel, stride, pad int) int {
	return 0 // your formula
}
fmt.Println(exercises.ConvOut(out))"""),
    "13": ("""## Exercise

DQN's target. Write `target(r, gamma, nextQ, done)`: the value that the online network's $Q(s, a)$ is pulled towards after a transition with reward `r`, when the target network values the next state's actions at `nextQ`, and `done` says whether the episode ended with this step.""",
           """target := func(r, gamma float64, nextQ []float64, done bool) float64 {
	return 0 // your target
}
fmt.Println(exercises.TDTarget(target))"""),
    "14": ("""## Exercise

The read-out of attention. Write `attend(scores, values)`: turn the scores of the source positions into weights with a softmax, and return the weighted sum of the values (one row per position). The checker tries scores near 1000 too.""",
           """attend := func(scores []float64, values [][]float64) []float64 {
	return nil // your read-out
}
fmt.Println(exercises.Attend(attend))"""),
    "15": ("""## Exercise

Adam by hand, on one weight. Write `steps(grads, alpha, beta1, beta2, eps)`: the update that Adam subtracts from the weight at each step, given the gradients of successive steps, with the bias correction of section 3.""",
           """steps := func(grads []float64, alpha, beta1, beta2, eps float64) []float64 {
	return nil // one update per gradient
}
fmt.Println(exercises.AdamSteps(steps))"""),
    "16": ("""## Exercise

The best discriminator. For a fixed G, at a point $x$ where the real data has density $p_\\text{data}$ and G's samples $p_g$, D's loss is $-p_\\text{data}\\log D(x) - p_g\\log(1 - D(x))$. Write `d(pData, pG)`: the $D(x)$ that minimises it. What is it where G matches the data?""",
           """d := func(pData, pG float64) float64 {
	return 0 // your D(x)
}
fmt.Println(exercises.OptimalD(d))"""),
    "17": ("""## Exercise

Why the skip connection carries the gradient. In one dimension, give each block's derivative $F'(x)$ at the current point. Write `grad(derivs, residual)`: the derivative of the whole stack, output by input, for plain blocks $y = F(x)$ or for residual blocks $y = x + F(x)$.""",
           """grad := func(derivs []float64, residual bool) float64 {
	return 0 // your chain rule
}
fmt.Println(exercises.ChainGrad(grad))"""),
    "18": ("""## Exercise

PUCT by hand. Write `puct(q, p, n, na, c)`: the score with which MCTS picks a move, for a move with mean value `q`, prior `p` and `na` visits, at a position visited `n` times, with exploration constant `c`, as section 3 writes it.""",
           """puct := func(q, p float64, n, na int, c float64) float64 {
	return 0 // your score
}
fmt.Println(exercises.PUCT(puct))"""),
    "19": ("""## Exercise

One head of self-attention, by hand. Write `attention(q, k, v)` for $t$ tokens, one row each: scaled scores, the causal mask, a softmax over each row and the weighted sum of the values, as in "Self-attention, step by step".""",
           """attention := func(q, k, v [][]float64) [][]float64 {
	return nil // one output row per token
}
fmt.Println(exercises.CausalAttention(attention))"""),
}


def lines(text):
    """Splits text into the notebook's list of lines, each but the last ending in a newline."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + [parts[-1]]


def cells(num):
    md, code = EXERCISES[num]
    return [
        {"cell_type": "markdown", "id": f"ex-{num}-md", "metadata": {}, "source": lines(md)},
        {"cell_type": "code", "execution_count": None, "id": f"ex-{num}", "metadata": {}, "outputs": [],
         "source": lines(header(num) + code)},
    ]


def insert(path, num):
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    ids = {c.get("id") for c in nb["cells"]}
    if f"ex-{num}" in ids or f"ex-{num}-md" in ids:
        print(f"{path}: has the exercise already, skipped")
        return
    at = len(nb["cells"])
    for i, c in enumerate(nb["cells"]):
        src = "".join(c["source"])
        if c["cell_type"] != "markdown":
            continue
        if src.startswith("## Try this"):
            at = i
            break
        k = src.find("\n## Try this")
        if k >= 0:
            before, after = src[: k + 1].rstrip("\n"), src[k + 1 :]
            c["source"] = lines(before)
            tid = c["id"] + "-try"
            assert tid not in ids, tid
            nb["cells"].insert(i + 1, {"cell_type": "markdown", "id": tid, "metadata": c.get("metadata", {}),
                                       "source": lines(after)})
            at = i + 1
            break
    nb["cells"][at:at] = cells(num)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{path}: exercise inserted at cell {at}")


def main():
    nums = sys.argv[1:] or [f"{n:02d}" for n in range(1, 11)]
    for num in nums:
        num = f"{int(num):02d}"
        paths = glob.glob(f"notebooks/{num}_*.ipynb")
        if len(paths) != 1 or num not in EXERCISES:
            sys.exit(f"no single notebook {num}_*.ipynb with an exercise")
        insert(paths[0], num)


if __name__ == "__main__":
    main()
