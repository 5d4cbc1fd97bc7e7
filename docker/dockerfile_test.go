// Package docker holds the course image's start hook and the tests that
// check the image's promises. There is no Docker engine in CI, so the image
// is never built there; these tests read the Dockerfile instead, and every
// build step is a command (dlnb install, dlnb run) that CI runs anyway.
package docker

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	line int    // where it starts, 1-based
	cmd  string // upper case: FROM, RUN, USER, ...
	args string
}

// parse splits a Dockerfile into instructions, dropping comments and
// joining lines that end in a backslash.
func parse(t *testing.T, path string) []instruction {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the course image needs %s: %v", path, err)
	}
	var out []instruction
	var cur *instruction
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if strings.HasPrefix(line, "#") || line == "" && cur == nil {
			continue
		}
		more := strings.HasSuffix(line, "\\")
		line = strings.TrimSuffix(line, "\\")
		if cur == nil {
			cmd, args, _ := strings.Cut(line, " ")
			cur = &instruction{line: i + 1, cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		} else {
			cur.args += " " + strings.TrimSpace(line)
		}
		if !more {
			out = append(out, *cur)
			cur = nil
		}
	}
	if cur != nil {
		t.Fatalf("%s: the instruction on line %d ends with a backslash and nothing after it", path, cur.line)
	}
	return out
}

// stage is the part of a multi-stage Dockerfile from one FROM to the next.
type stage struct {
	image, tag, name string
	body             []instruction
}

func stages(t *testing.T, ins []instruction) []stage {
	t.Helper()
	var out []stage
	for _, in := range ins {
		if in.cmd != "FROM" {
			if len(out) == 0 {
				if in.cmd != "ARG" {
					t.Fatalf("line %d: %s before the first FROM", in.line, in.cmd)
				}
				continue
			}
			out[len(out)-1].body = append(out[len(out)-1].body, in)
			continue
		}
		f := strings.Fields(in.args)
		var s stage
		s.image, s.tag, _ = strings.Cut(f[0], ":")
		if len(f) == 3 && strings.EqualFold(f[1], "AS") {
			s.name = f[2]
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		t.Fatal("the Dockerfile has no FROM")
	}
	return out
}

func TestDockerfilePromises(t *testing.T) {
	ins := parse(t, "../Dockerfile")
	st := stages(t, ins)
	final := st[len(st)-1]

	t.Run("bases are pinned", func(t *testing.T) {
		for _, s := range st {
			if s.tag == "" || s.tag == "latest" || strings.Contains(s.image, "$") {
				t.Errorf("FROM %s:%s is not pinned to a fixed tag", s.image, s.tag)
			}
		}
		if final.image != "quay.io/jupyter/base-notebook" {
			t.Errorf("the final stage builds on %s; want quay.io/jupyter/base-notebook (the Docker Stacks, for JupyterHub)", final.image)
		}
		if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(final.tag) {
			t.Errorf("base-notebook tag %q is not a dated tag like 2025-11-10", final.tag)
		}
	})

	t.Run("Go comes from the golang image of go.mod's version", func(t *testing.T) {
		data, err := os.ReadFile("../go.mod")
		if err != nil {
			t.Fatal(err)
		}
		mf, err := modfile.ParseLax("go.mod", data, nil)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(st, func(s stage) bool { return s.image == "golang" })
		if i < 0 {
			t.Fatal("no stage is FROM golang:...; the toolchain must come from the official image")
		}
		if want := mf.Go.Version; st[i].tag != want && !strings.HasPrefix(st[i].tag, want+"-") {
			t.Errorf("golang:%s does not match go.mod's go %s", st[i].tag, want)
		}
		copied := slices.ContainsFunc(final.body, func(in instruction) bool {
			return in.cmd == "COPY" && strings.Contains(in.args, "--from="+st[i].name) && strings.Contains(in.args, "/usr/local/go ")
		})
		if st[i].name == "" || !copied {
			t.Error("the final stage does not COPY --from the golang stage's /usr/local/go")
		}
		for _, in := range ins {
			if in.cmd == "RUN" && regexp.MustCompile(`(curl|wget)\b.*go\.dev|golang\.org/dl`).MatchString(in.args) {
				t.Errorf("line %d downloads Go in a RUN: %s", in.line, in.args)
			}
		}
	})

	t.Run("runs as the notebook user", func(t *testing.T) {
		users := filterCmd(final.body, "USER")
		if len(users) == 0 {
			t.Fatal("the final stage sets no USER, so it would run as the base image's last user, unchecked")
		}
		last := users[len(users)-1].args
		if last == "root" || last == "0" || strings.HasPrefix(last, "0:") {
			t.Errorf("the final USER is %q; the image must run unprivileged", last)
		}
	})

	t.Run("keeps the Docker Stacks entrypoint and token auth", func(t *testing.T) {
		for _, in := range final.body {
			if in.cmd == "ENTRYPOINT" || in.cmd == "CMD" {
				t.Errorf("line %d: %s replaces the Docker Stacks start scripts that JupyterHub relies on", in.line, in.cmd)
			}
		}
		bad := regexp.MustCompile(`(?i)token\s*=\s*(''|""|["'\]\s,]|$)|password\s*=\s*(''|"")|disable_check_xsrf|--no-auth|JUPYTER_TOKEN\s*=\s*(''|""|$)`)
		for _, in := range ins {
			if bad.MatchString(in.args) {
				t.Errorf("line %d turns off Jupyter's authentication: %s %s", in.line, in.cmd, in.args)
			}
		}
	})

	t.Run("exposes 8888", func(t *testing.T) {
		if !slices.ContainsFunc(filterCmd(final.body, "EXPOSE"), func(in instruction) bool {
			return slices.Contains(strings.Fields(in.args), "8888")
		}) {
			t.Error("no EXPOSE 8888")
		}
	})

	t.Run("installs the kernel and runs the course as the notebook user", func(t *testing.T) {
		install, run, user := -1, -1, ""
		for i, in := range final.body {
			switch {
			case in.cmd == "USER":
				user = in.args
			case in.cmd == "RUN" && strings.Contains(in.args, "dlnb install"):
				install = i
				if user == "" || user == "root" || user == "0" {
					t.Errorf("line %d: dlnb install runs as %q, not as the notebook user", in.line, user)
				}
			case in.cmd == "RUN" && regexp.MustCompile(`dlnb run\b.*\bnotebooks\b`).MatchString(in.args):
				run = i
				if user == "" || user == "root" || user == "0" {
					t.Errorf("line %d: dlnb run runs as %q, not as the notebook user", in.line, user)
				}
			}
		}
		if install < 0 {
			t.Error("no RUN does dlnb install")
		}
		if run < 0 {
			t.Error("no RUN executes the course with dlnb run ... notebooks")
		}
		if install >= 0 && run >= 0 && run < install {
			t.Error("the course runs before the kernel is installed")
		}
	})

	t.Run("copies only files that exist", func(t *testing.T) {
		for _, in := range final.body {
			if in.cmd != "COPY" || strings.Contains(in.args, "--from") {
				continue
			}
			var src []string
			for _, f := range strings.Fields(in.args) {
				if !strings.HasPrefix(f, "--") {
					src = append(src, f)
				}
			}
			for _, s := range src[:len(src)-1] {
				if _, err := os.Stat(filepath.Join("..", s)); err != nil {
					t.Errorf("line %d copies %s, which is not in the repository", in.line, s)
				}
			}
		}
	})
}

func filterCmd(ins []instruction, cmd string) []instruction {
	var out []instruction
	for _, in := range ins {
		if in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

func TestDockerignore(t *testing.T) {
	data, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatalf("a .dockerignore keeps the build context small: %v", err)
	}
	lines := strings.Fields(string(data))
	for _, want := range []string{".git", "out/"} {
		if !slices.Contains(lines, want) {
			t.Errorf(".dockerignore does not exclude %s", want)
		}
	}
	for _, keep := range []string{"notebooks", "go.mod", "docker", "dl"} {
		if slices.Contains(lines, keep) || slices.Contains(lines, keep+"/") {
			t.Errorf(".dockerignore excludes %s, which the image needs", keep)
		}
	}
}

// TestCourseHook runs the start hook the way the Docker Stacks start script
// does (sourced by bash) against a fresh home: the notebooks arrive, and a
// second start keeps a student's edits.
func TestCourseHook(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	start := func() {
		t.Helper()
		cmd := exec.Command(bash, "-c", `set -u; source docker/dlnb-course.sh; echo "still running"`)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "HOME="+home, "DLNB_SRC="+root)
		out, err := cmd.CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "still running" {
			t.Fatalf("the hook failed or wrote output: %v\n%s", err, out)
		}
	}
	start()
	want, err := filepath.Glob(filepath.Join(root, "notebooks", "*.ipynb"))
	if err != nil || len(want) == 0 {
		t.Fatalf("no notebooks in the repository: %v", err)
	}
	dest := filepath.Join(home, "work", "dlnb")
	for _, nb := range want {
		if _, err := os.Stat(filepath.Join(dest, filepath.Base(nb))); err != nil {
			t.Errorf("the hook did not copy %s: %v", filepath.Base(nb), err)
		}
	}
	edited := filepath.Join(dest, filepath.Base(want[0]))
	if err := os.WriteFile(edited, []byte("a student's work"), 0o644); err != nil {
		t.Fatal(err)
	}
	start()
	if got, _ := os.ReadFile(edited); string(got) != "a student's work" {
		t.Errorf("a second start overwrote the student's %s", filepath.Base(edited))
	}
}
