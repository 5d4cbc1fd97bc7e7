package dl_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// mapPackages are the packages that the dl column of the PyTorch map in
// doc.go may name, with their folders relative to this one.
var mapPackages = map[string]string{
	"dl":    ".",
	"nn":    "nn",
	"optim": "optim",
	"train": "train",
	"data":  "data",
	"mnist": "data/mnist",
}

// api is what a package exports: its top-level names, and for each
// exported type the names of its methods and fields.
type api struct {
	names   map[string]bool
	members map[string]map[string]bool
}

// readAPI parses the non-test Go files of dir.
func readAPI(t *testing.T, dir string) api {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := api{names: map[string]bool{}, members: map[string]map[string]bool{}}
	member := func(typ, name string) {
		if a.members[typ] == nil {
			a.members[typ] = map[string]bool{}
		}
		a.members[typ][name] = true
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					a.names[d.Name.Name] = true
					continue
				}
				typ := d.Recv.List[0].Type
				if star, ok := typ.(*ast.StarExpr); ok {
					typ = star.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					member(id.Name, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						a.names[s.Name.Name] = true
						var fields *ast.FieldList
						switch ty := s.Type.(type) {
						case *ast.StructType:
							fields = ty.Fields
						case *ast.InterfaceType:
							fields = ty.Methods
						}
						if fields == nil {
							continue
						}
						for _, f := range fields.List {
							for _, n := range f.Names {
								member(s.Name.Name, n.Name)
							}
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							a.names[n.Name] = true
						}
					}
				}
			}
		}
	}
	return a
}

// pytorchMap returns the dl column of each row of the table under
// "# Coming from PyTorch" in doc.go.
func pytorchMap(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(src), "// # Coming from PyTorch\n")
	if !ok {
		t.Fatal(`doc.go has no "# Coming from PyTorch" section`)
	}
	twoSpaces := regexp.MustCompile(`  +`)
	var rows []string
	for line := range strings.Lines(section) {
		row, ok := strings.CutPrefix(line, "//\t")
		if !ok {
			continue
		}
		cols := twoSpaces.Split(strings.TrimSpace(row), 2)
		if len(cols) != 2 {
			t.Errorf("row %q has no dl column (columns are two or more spaces apart)", row)
			continue
		}
		rows = append(rows, cols[1])
	}
	if len(rows) < 40 {
		t.Fatalf("the PyTorch map has %d rows; the section was not found whole", len(rows))
	}
	return rows[1:] // the first row is the header
}

// TestPyTorchMap checks that every name in the dl column of the PyTorch
// map in doc.go exists: pkg.Name as a top-level name, pkg.Type.Member as a
// method or field of that type, and x.Member (a method called on a value)
// as a method or field of some type in the packages.
func TestPyTorchMap(t *testing.T) {
	apis := map[string]api{}
	anyMember := map[string]bool{}
	for pkg, dir := range mapPackages {
		apis[pkg] = readAPI(t, dir)
		for _, ms := range apis[pkg].members {
			for m := range ms {
				anyMember[m] = true
			}
		}
	}
	qualified := regexp.MustCompile(`\b([a-z]\w*)\.([A-Z]\w*)(?:\.([A-Z]\w*))?`)
	chained := regexp.MustCompile(`\)\.([A-Z]\w*)`)
	for _, row := range pytorchMap(t) {
		for _, m := range qualified.FindAllStringSubmatch(row, -1) {
			a, isPkg := apis[m[1]]
			switch {
			case !isPkg: // a value: x.Shape(), opt.Momentum
				if !anyMember[m[2]] {
					t.Errorf("row %q: no type in %v has a method or field %s", row, keys(mapPackages), m[2])
				}
			case !a.names[m[2]]:
				t.Errorf("row %q: package %s has no %s", row, m[1], m[2])
			case m[3] != "" && !a.members[m[2]][m[3]]:
				t.Errorf("row %q: %s.%s has no method or field %s", row, m[1], m[2], m[3])
			}
		}
		for _, m := range chained.FindAllStringSubmatch(row, -1) {
			if !anyMember[m[1]] {
				t.Errorf("row %q: no type has a method %s", row, m[1])
			}
		}
	}
}

// TestPyTorchMapCoversNotebooks checks that every name of dl, nn, optim
// and train that a course notebook uses appears in the PyTorch map.
func TestPyTorchMapCoversNotebooks(t *testing.T) {
	inMap := map[string]bool{}
	qualified := regexp.MustCompile(`\b(dl|nn|optim|train)\.([A-Z]\w*)`)
	for _, row := range pytorchMap(t) {
		for _, m := range qualified.FindAllString(row, -1) {
			inMap[m] = true
		}
	}
	paths, err := filepath.Glob("../notebooks/*.ipynb")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks in ../notebooks (%v)", err)
	}
	for _, path := range paths {
		var nb struct {
			Cells []struct {
				CellType string          `json:"cell_type"`
				Source   json.RawMessage `json:"source"`
			} `json:"cells"`
		}
		b, err := os.ReadFile(path)
		if err == nil {
			err = json.Unmarshal(b, &nb)
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, c := range nb.Cells {
			if c.CellType != "code" {
				continue
			}
			src := sourceText(c.Source)
			for _, name := range qualified.FindAllString(src, -1) {
				if !inMap[name] {
					t.Errorf("%s uses %s, which the PyTorch map in doc.go does not list", filepath.Base(path), name)
					inMap[name] = true // once
				}
			}
		}
	}
}

// sourceText joins a notebook cell's source, which is a string or a list
// of lines.
func sourceText(raw json.RawMessage) string {
	var lines []string
	if json.Unmarshal(raw, &lines) == nil {
		return strings.Join(lines, "")
	}
	var s string
	json.Unmarshal(raw, &s)
	return s
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
