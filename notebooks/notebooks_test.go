// Package notebooks_test executes every notebook of the course, through
// `dlnb run` and through Jupyter's own nbconvert, and checks the numbers
// and pictures each one promises.
package notebooks_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dlnb/dlnb/internal/dlnbtest"
	"github.com/dlnb/dlnb/kernel"
	"github.com/dlnb/dlnb/kernel/ipynb"
)

func TestMain(m *testing.M) {
	code := m.Run()
	dlnbtest.Cleanup()
	os.Exit(code)
}

// A promise is something a notebook's outputs must show: a MIME type that
// must appear (a picture), a piece of text, or a number, found by a
// pattern's first group, that must lie within Tol of Want.
type promise struct {
	MIME     string
	Contains string
	Pattern  string
	Want     float64
	Tol      float64
}

// promises lists, for every notebook of the course, what its outputs must
// show. A notebook without an entry fails the test: each one states its
// key numbers here.
var promises = map[string][]promise{
	"00_welcome.ipynb": {
		{Pattern: `sigmoid\(\+0\) = ([0-9.]+)`, Want: 0.5, Tol: 1e-3},
		{Pattern: `sigmoid\(\+4\) = ([0-9.]+)`, Want: 0.982, Tol: 1e-3},
		{Pattern: `\| \+2 \| ([0-9.]+) \|`, Want: 0.881, Tol: 1e-3},
		{MIME: "text/markdown"},
		{Contains: `<polyline fill="none" stroke="#00ADD8"`}, // the sigmoid, as inline SVG
		{Pattern: `epoch 5/5, loss ([0-9.]+)`, Want: 0.03125, Tol: 1e-4},
		{Pattern: `final loss ([0-9.]+)`, Want: 0.03125, Tol: 1e-4},
	},
}

// course lists the notebooks in this folder.
func course(t *testing.T) []string {
	paths, err := kernel.Notebooks([]string{"."})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// outputs gathers a notebook's output texts and MIME types, and fails on
// an error output or a crash on stderr.
func outputs(t *testing.T, nb *ipynb.Notebook) (text string, mimes []string) {
	var b strings.Builder
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		if c.ExecutionCount == nil {
			t.Errorf("cell %d was not executed", i+1)
		}
		for _, o := range c.Outputs {
			switch o.OutputType {
			case "error":
				t.Errorf("cell %d: error output %s: %s", i+1, o.EName, o.EValue)
			case "stream":
				if line := kernel.CrashLine(o.Text); o.Name == "stderr" && line != "" {
					t.Errorf("cell %d: crashed: %s", i+1, line)
				}
				b.WriteString(o.Text)
			}
			for mime, v := range o.Data {
				mimes = append(mimes, mime)
				if s, ok := v.(string); ok && strings.HasPrefix(mime, "text/") {
					b.WriteString(s + "\n")
				}
			}
		}
	}
	return b.String(), mimes
}

// checkPromises checks an executed notebook against its promises.
func checkPromises(t *testing.T, name string, nb *ipynb.Notebook) {
	t.Helper()
	want, ok := promises[name]
	if !ok {
		t.Fatalf("%s has no entry in promises: list the numbers and pictures it shows", name)
	}
	text, mimes := outputs(t, nb)
	for _, p := range want {
		if p.MIME != "" {
			if !slices.Contains(mimes, p.MIME) {
				t.Errorf("%s shows no %s output", name, p.MIME)
			}
			continue
		}
		if p.Contains != "" {
			if !strings.Contains(text, p.Contains) {
				t.Errorf("%s: no output contains %q", name, p.Contains)
			}
			continue
		}
		m := regexp.MustCompile(p.Pattern).FindStringSubmatch(text)
		if m == nil {
			t.Errorf("%s: no output matches %q", name, p.Pattern)
			continue
		}
		got, err := strconv.ParseFloat(m[1], 64)
		if err != nil || got < p.Want-p.Tol || got > p.Want+p.Tol {
			t.Errorf("%s: %q gave %s, want %g ± %g", name, p.Pattern, m[1], p.Want, p.Tol)
		}
	}
}

func TestCourseWithDlnbRun(t *testing.T) {
	e := dlnbtest.Setup(t)
	out := t.TempDir()
	r := e.Run(t, ".", nil, "run", "--html", "--out", out, ".")
	if r.Code != 0 {
		t.Fatalf("dlnb run exited %d", r.Code)
	}
	for _, path := range course(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			nb, err := ipynb.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			checkPromises(t, name, nb)
			html := filepath.Join(out, strings.TrimSuffix(name, ".ipynb")+".html")
			if st, err := os.Stat(html); err != nil || st.Size() == 0 {
				t.Errorf("no HTML page: %v", err)
			}
		})
	}
}

func TestCourseWithNbconvert(t *testing.T) {
	e := dlnbtest.Setup(t)
	if !dlnbtest.HasJupyter() {
		t.Skip("jupyter nbconvert is not installed (Debian: apt-get install jupyter-nbconvert python3-nbclient); CI installs it")
	}
	out := t.TempDir()
	for _, path := range course(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			e.Nbconvert(t, path, filepath.Join(out, name))
			nb, err := ipynb.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			checkPromises(t, name, nb)
		})
	}
}
