package main

import (
	"context"
	"flag"
	"io"

	"github.com/dlnb/dlnb/kernel"
)

// installFlags are the flags shared by install and notebook.
type installFlags struct {
	src     string
	scope   kernel.Scope
	user    bool
	rebuild bool
}

func (f *installFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.src, "src", "", "the dlnb checkout that cells import (default: the one containing the current directory)")
	fs.BoolVar(&f.user, "user", true, "install for this user, in $JUPYTER_DATA_DIR or ~/.local/share/jupyter (the default)")
	fs.StringVar(&f.scope.Prefix, "prefix", "", "install into `DIR`/share/jupyter, like jupyter kernelspec install --prefix")
	fs.BoolVar(&f.scope.SysPrefix, "sys-prefix", false, "install into the active Python environment (sys.prefix)")
	fs.BoolVar(&f.rebuild, "rebuild", false, "rebuild GoNB, goimports and gopls even if they are current")
}

func (f *installFlags) options(log io.Writer) (kernel.InstallOptions, error) {
	src := f.src
	if src == "" {
		var err error
		if src, err = kernel.ModuleRoot("."); err != nil {
			return kernel.InstallOptions{}, err
		}
	}
	return kernel.InstallOptions{Src: src, Scope: f.scope, Log: log, Rebuild: f.rebuild}, nil
}

func cmdInstall(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f installFlags
	fs := newFlags("install", "install [--user | --prefix DIR | --sys-prefix] [--src DIR] [--rebuild]", stderr)
	f.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitError(2)
	}
	opt, err := f.options(stdout)
	if err != nil {
		return err
	}
	_, err = kernel.Install(ctx, opt)
	return err
}
