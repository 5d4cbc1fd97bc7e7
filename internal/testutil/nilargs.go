package testutil

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// NilCase calls Op, a function or a method such as "Linear.Forward", with
// its argument Arg nil (and the others valid). F must panic with Want, or
// if Want is "", with "PKG: Op: Arg is nil", where a method is named by
// its type alone: "nn: Linear: x is nil".
type NilCase struct {
	Op, Arg string
	F       func()
	Want    string
}

// Nil returns the NilCase of op's argument arg: f calls op with arg nil.
// It keeps a table of cases to one short line each.
func Nil(op, arg string, f func()) NilCase { return NilCase{Op: op, Arg: arg, F: f} }

// CheckNilArgs runs cases, each of which must panic with
// "prefix: Op: Arg is nil", and checks that they cover every tensor
// argument of every exported function and method in the package in dir
// (the test's own folder is "."): each argument of type *Tensor or
// *dl.Tensor, by name, has a case or is listed in optional (as
// "Op.arg", for an argument that may be nil, such as a bias). A list
// argument, such as Concat's xs ...*Tensor, is covered by a case with Arg
// "xs[i]". A method is named Type.Method, such as "Linear.Forward".
//
// So an exported function added later, with a tensor argument, fails the
// test until it checks the argument and the test has its case.
func CheckNilArgs(t *testing.T, prefix, dir string, cases []NilCase, optional ...string) {
	t.Helper()
	checkArgs(t, prefix, dir, "is nil", cases, optional)
}

// CheckReleasedArgs is CheckNilArgs for tensors released by
// dl.Tensor.Release: each case calls Op with its argument Arg released
// (and the others valid), and must panic with Want, or if Want is "",
// with "PKG: Op: Arg was released by Release". The cases must cover every
// tensor argument, those that may be nil too: a released bias is no bias
// either.
func CheckReleasedArgs(t *testing.T, prefix, dir string, cases []NilCase) {
	t.Helper()
	checkArgs(t, prefix, dir, "was released by Release", cases, nil)
}

// checkArgs does the work of CheckNilArgs and CheckReleasedArgs: the
// argument of each case "is nil" or "was released by Release", as what
// says.
func checkArgs(t *testing.T, prefix, dir, what string, cases []NilCase, optional []string) {
	t.Helper()
	covered := make(map[string]bool)
	for _, c := range cases {
		want := c.Want
		if want == "" {
			name, _, _ := strings.Cut(c.Op, ".") // a method's type
			want = prefix + ": " + name + ": " + c.Arg + " " + what
		}
		t.Run(c.Op+"/"+c.Arg, func(t *testing.T) { Panics(t, want, c.F) })
		arg, _, _ := strings.Cut(c.Arg, "[")
		covered[c.Op+"."+arg] = true
	}
	for _, o := range optional {
		covered[o] = true
	}
	for op, args := range tensorArgs(t, dir) {
		for _, arg := range args {
			if !covered[op+"."+arg] {
				t.Errorf("%s's argument %s: no test that it panics when it %s, and not listed as optional", op, arg, what)
			}
		}
	}
}

// tensorArgs parses the non-test Go files in dir and returns, for each
// exported function and each exported method of an exported type, the
// names of its parameters of type *Tensor or *dl.Tensor (variadic or not).
func tensorArgs(t *testing.T, dir string) map[string][]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	args := make(map[string][]string)
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || !fn.Name.IsExported() {
				continue
			}
			op := fn.Name.Name
			if fn.Recv != nil {
				recv := fn.Recv.List[0].Type
				if star, ok := recv.(*ast.StarExpr); ok {
					recv = star.X
				}
				id, ok := recv.(*ast.Ident)
				if !ok || !id.IsExported() {
					continue
				}
				op = id.Name + "." + op
			}
			for _, p := range fn.Type.Params.List {
				if !isTensor(p.Type) {
					continue
				}
				for _, n := range p.Names {
					args[op] = append(args[op], n.Name)
				}
			}
		}
	}
	return args
}

// isTensor reports whether typ is *Tensor, *dl.Tensor, or a variadic list
// of either.
func isTensor(typ ast.Expr) bool {
	if e, ok := typ.(*ast.Ellipsis); ok {
		typ = e.Elt
	}
	star, ok := typ.(*ast.StarExpr)
	if !ok {
		return false
	}
	switch x := star.X.(type) {
	case *ast.Ident:
		return x.Name == "Tensor"
	case *ast.SelectorExpr:
		pkg, ok := x.X.(*ast.Ident)
		return ok && pkg.Name == "dl" && x.Sel.Name == "Tensor"
	}
	return false
}
