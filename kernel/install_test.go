package kernel

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScopeDataDir(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", "/srv/jd")
	for _, tc := range []struct {
		scope Scope
		want  string
	}{
		{Scope{}, "/srv/jd"},
		{Scope{Prefix: "/opt/py"}, "/opt/py/share/jupyter"},
		{Scope{Dir: "/x/y"}, "/x/y"},
	} {
		got, err := tc.scope.DataDir()
		if err != nil || got != tc.want {
			t.Errorf("%+v.DataDir() = %q, %v; want %q", tc.scope, got, err, tc.want)
		}
	}
	if _, err := (Scope{Prefix: "/p", SysPrefix: true}).DataDir(); err == nil || !strings.Contains(err.Error(), "cannot be used together") {
		t.Errorf("--prefix with --sys-prefix: err = %v", err)
	}
	t.Setenv("VIRTUAL_ENV", "/venv")
	if got, err := (Scope{SysPrefix: true}).DataDir(); err != nil || got != "/venv/share/jupyter" {
		t.Errorf("--sys-prefix in a virtualenv = %q, %v", got, err)
	}
}

func TestUserDataDirDefault(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", "")
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/ada")
	got, err := UserDataDir()
	if err != nil || (got != "/home/ada/.local/share/jupyter" && got != "/home/ada/Library/Jupyter") {
		t.Errorf("UserDataDir() = %q, %v", got, err)
	}
}

func TestFindSpec(t *testing.T) {
	data := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", data)
	t.Setenv("JUPYTER_PATH", "")
	if _, err := FindSpec("nosuch"); err == nil || !strings.Contains(err.Error(), "dlnb install") {
		t.Errorf("FindSpec of a missing kernel: err = %v, want advice to install", err)
	}
	dir := filepath.Join(data, "kernels", "k")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "kernel.json"), []byte(`{"argv":["x"]}`), 0o644)
	if got, err := FindSpec("k"); err != nil || got != dir {
		t.Errorf("FindSpec = %q, %v; want %q", got, err, dir)
	}
}

func TestModuleRoot(t *testing.T) {
	src := fakeCheckout(t, "x")
	got, err := ModuleRoot(filepath.Join(src, "hello"))
	if err != nil || got != src {
		t.Errorf("ModuleRoot from a subfolder = %q, %v; want %q", got, err, src)
	}
	if _, err := ModuleRoot(t.TempDir()); err == nil || !strings.Contains(err.Error(), "--src") {
		t.Errorf("ModuleRoot outside a checkout: err = %v", err)
	}
}

func TestInstallErrors(t *testing.T) {
	src := fakeCheckout(t, "x")
	ctx := context.Background()

	t.Run("no go", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		_, err := Install(ctx, InstallOptions{Src: src, Scope: Scope{Dir: t.TempDir()}})
		if err == nil || !strings.Contains(err.Error(), "go command is not on PATH") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("data dir not writable", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "file")
		os.WriteFile(file, nil, 0o644)
		_, err := Install(ctx, InstallOptions{Src: src, Scope: Scope{Dir: filepath.Join(file, "jupyter")}})
		if err == nil || !strings.Contains(err.Error(), "cannot write the Jupyter kernel folder") || !strings.Contains(err.Error(), "JUPYTER_DATA_DIR") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("GoNB does not build", func(t *testing.T) {
		if testing.Short() {
			t.Skip("runs the go command")
		}
		// The fake checkout does not pin GoNB, and nothing may be fetched.
		t.Setenv("GOPROXY", "off")
		t.Setenv("GOFLAGS", "-mod=mod")
		dir := t.TempDir()
		_, err := Install(ctx, InstallOptions{Src: src, Scope: Scope{Dir: dir}})
		if err == nil || !strings.Contains(err.Error(), "building GoNB failed") {
			t.Fatalf("err = %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, "kernels", Name, "kernel.json")); err == nil {
			t.Error("a failed install wrote kernel.json")
		}
	})
}

func TestNewSpec(t *testing.T) {
	env := map[string]string{"GOMODCACHE": "/gm", "GOPROXY": "https://proxy.example", "GOFLAGS": "-trimpath"}
	s := newSpec("/k/dlnb", "/src", "v0.0.0-x", "/usr/local/go/bin/go", env)
	if s.Argv[0] != "/k/dlnb/bin/gonb" || s.Argv[2] != "{connection_file}" || s.InterruptMode != "message" {
		t.Errorf("argv %v, interrupt_mode %q", s.Argv, s.InterruptMode)
	}
	if want := "file:///k/dlnb/proxy,file:///gm/cache/download,https://proxy.example"; s.Env["GOPROXY"] != want {
		t.Errorf("GOPROXY = %q, want %q", s.Env["GOPROXY"], want)
	}
	if !strings.HasPrefix(s.Env["PATH"], "/k/dlnb/bin:/k/dlnb/bin/lsp:/usr/local/go/bin") || s.Env["GOFLAGS"] != "-trimpath -mod=mod -ldflags=-w" {
		t.Errorf("PATH %q, GOFLAGS %q", s.Env["PATH"], s.Env["GOFLAGS"])
	}
	if got := cellFlags("-ldflags=-s"); got != "-ldflags=-s -mod=mod" {
		t.Errorf("the user's linker flags were overridden: GOFLAGS %q", got)
	}
	t.Setenv("CGO_ENABLED", "")
	if s := newSpec("/k", "/src", "v", "/go/bin/go", env); s.Env["CGO_ENABLED"] != "0" {
		t.Errorf("CGO_ENABLED = %q, want 0 when the user has not set it", s.Env["CGO_ENABLED"])
	}
	t.Setenv("CGO_ENABLED", "1")
	if s := newSpec("/k", "/src", "v", "/go/bin/go", env); s.Env["CGO_ENABLED"] != "1" {
		t.Errorf("CGO_ENABLED = %q, want the user's 1", s.Env["CGO_ENABLED"])
	}
	env["GOPROXY"] = "off"
	if s := newSpec("/k", "/src", "v", "/go/bin/go", env); strings.Contains(s.Env["GOPROXY"], "off") {
		t.Errorf("GOPROXY=off leaked into the kernel: %q", s.Env["GOPROXY"])
	}
}

func TestLogo(t *testing.T) {
	for _, size := range []int{32, 64} {
		img, err := png.Decode(bytes.NewReader(logoPNG(size)))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Fatalf("logo is %v, want %d×%d", b, size, size)
		}
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("%d px: the rounded corner is not transparent", size)
		}
		node := logoNodes[3] // the middle node is white
		if r, g, b, _ := img.At(int(node[0]*float64(size)/64), int(node[1]*float64(size)/64)).RGBA(); r>>8 < 250 || g>>8 < 250 || b>>8 < 250 {
			t.Errorf("%d px: the middle node is not white", size)
		}
		if r, g, b, _ := img.At(size/2, size/10).RGBA(); r>>8 != 0 || g>>8 != 0xAD || b>>8 != 0xD8 {
			t.Errorf("%d px: the background is not Go blue", size)
		}
	}
	if !strings.HasPrefix(logoSVG(), "<svg") || strings.Count(logoSVG(), "<circle") != len(logoNodes) {
		t.Error("the SVG logo does not have one circle a node")
	}
}
