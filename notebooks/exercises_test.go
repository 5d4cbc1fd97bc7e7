package notebooks_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/dlnbtest"
	"github.com/dlnb/dlnb/kernel/ipynb"
)

// solved holds, for each exercise cell of the course (id ex-NN), the body of
// the cell with the teacher's answer from package exercises/answers swapped
// in, to follow the cell's %% line.
var solved = map[string]string{
	"ex-01": "w1, w2, b := answers.NAND()\nfmt.Println(exercises.NAND(w1, w2, b))",
	"ex-02": "fmt.Println(exercises.XNOR(answers.XNOR()))",
	"ex-03": "fmt.Println(exercises.LearningRate(answers.LearningRate()))",
	"ex-04": "fmt.Println(exercises.DivBackward(answers.DivBackward))",
	"ex-05": "fmt.Println(exercises.Digits(answers.Digits()))",
	"ex-06": "fmt.Println(exercises.BestShare(answers.BestShare))",
	"ex-07": "fmt.Println(exercises.Folds(answers.Folds))",
	"ex-08": "fmt.Println(exercises.BiasedSample(answers.BiasedSample()))",
	"ex-09": "fmt.Println(exercises.LeastConfident(answers.LeastConfident))",
	"ex-10": "fmt.Println(exercises.Thresholds(answers.Thresholds))",
	"ex-11": "fmt.Println(exercises.DoublingTime(answers.DoublingTime))",
	"ex-12": "fmt.Println(exercises.ConvOut(answers.ConvOut))",
	"ex-13": "fmt.Println(exercises.TDTarget(answers.TDTarget))",
	"ex-14": "fmt.Println(exercises.Attend(answers.Attend))",
	"ex-15": "fmt.Println(exercises.AdamSteps(answers.AdamSteps))",
	"ex-16": "fmt.Println(exercises.OptimalD(answers.OptimalD))",
	"ex-17": "fmt.Println(exercises.ChainGrad(answers.ChainGrad))",
	"ex-18": "fmt.Println(exercises.PUCT(answers.PUCT))",
	"ex-19": "fmt.Println(exercises.CausalAttention(answers.CausalAttention))",
	"ex-20": "fmt.Println(exercises.BERTMasking(answers.BERTMasking))",
	"ex-21": "fmt.Println(exercises.ParamsForLoss(answers.ParamsForLoss))",
	"ex-22": "fmt.Println(exercises.NTXent(answers.NTXent))",
}

// solvedImports are the imports of every solved cell.
const solvedImports = "import (\n\t\"fmt\"\n\n\t\"github.com/dlnb/dlnb/exercises\"\n\t\"github.com/dlnb/dlnb/exercises/answers\"\n)\n\n%%\n"

// TestExercisesInKernel runs the course's exercise cells in the kernel, in
// one notebook of their own: each cell as it ships, unsolved, which must
// print a "✗" hint and no error, and then the same exercise with the
// teacher's answer swapped in, which must print "✓".
func TestExercisesInKernel(t *testing.T) {
	e := dlnbtest.Setup(t)
	exercise := regexp.MustCompile(`^ex-[0-9]{2}$`)
	nb := ipynb.New()
	for _, path := range course(t) {
		src, err := ipynb.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range src.Cells {
			if c.CellType != "code" || !exercise.MatchString(c.ID) {
				continue
			}
			body, ok := solved[c.ID]
			if !ok {
				t.Errorf("%s: exercise cell %s has no solved version in solved", filepath.Base(path), c.ID)
				continue
			}
			nb.Cells = append(nb.Cells,
				&ipynb.Cell{ID: c.ID, CellType: "code", Source: c.Source},
				&ipynb.Cell{ID: c.ID + "-solved", CellType: "code", Source: solvedImports + body})
		}
	}
	if len(nb.Cells) == 0 {
		t.Fatal("no exercise cells (ids ex-NN) in the course")
	}
	dir, out := t.TempDir(), t.TempDir()
	in := filepath.Join(dir, "exercises.ipynb")
	if err := ipynb.WriteFile(in, nb); err != nil {
		t.Fatal(err)
	}
	if r := e.Run(t, ".", nil, "run", "--out", out, in); r.Code != 0 {
		t.Fatalf("dlnb run exited %d", r.Code)
	}
	ran, err := ipynb.ReadFile(filepath.Join(out, "exercises.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ran.Cells {
		var text strings.Builder
		for _, o := range c.Outputs {
			if o.OutputType == "error" {
				t.Errorf("%s: error output %s: %s", c.ID, o.EName, o.EValue)
			}
			text.WriteString(o.Text)
		}
		t.Logf("%s: %s", c.ID, strings.TrimSpace(text.String()))
		want := "✗ "
		if strings.HasSuffix(c.ID, "-solved") {
			want = "✓ "
		}
		if !strings.Contains(text.String(), "\n"+want) && !strings.HasPrefix(text.String(), want) {
			t.Errorf("%s: output has no line starting with %q:\n%s", c.ID, want, text.String())
		}
	}
}
