package archtest

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// moduleRoot returns the directory and path of the module under test.
func moduleRoot(t *testing.T, goCmd string) (dir, module string) {
	t.Helper()
	out, err := exec.Command(goCmd, "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatal("go env GOMOD: not inside a module")
	}
	f, err := os.Open(gomod)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return filepath.Dir(gomod), strings.Trim(strings.TrimSpace(m), `"`)
		}
	}
	t.Fatalf("%s has no module line", gomod)
	return "", ""
}

// trackSources opens every source directory of the module. go test caches
// a passing result and re-runs the test only when a file or directory the
// test itself opened has changed; what the go list subprocess reads is not
// tracked. Opening the directories makes any added, removed or edited file
// in them invalidate the cached result.
func trackSources(t *testing.T, root string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root {
			if n := d.Name(); strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") || n == "testdata" {
				return filepath.SkipDir
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", root, err)
	}
}

// listPackages runs go list over the whole module.
func listPackages(t *testing.T) (string, []pkg) {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the module's imports: %v", err)
	}
	dir, module := moduleRoot(t, goCmd)
	trackSources(t, dir)
	cmd := exec.Command(goCmd, "list", "-f", `{{.ImportPath}}|{{join .Imports ","}}`, "./...")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list ./... in %s: %v\n%s", dir, err, stderr.String())
	}
	var pkgs []pkg
	for line := range strings.Lines(string(out)) {
		path, imports, ok := strings.Cut(strings.TrimSpace(line), "|")
		if !ok {
			t.Fatalf("go list printed %q", line)
		}
		p := pkg{path: path}
		if imports != "" {
			p.imports = strings.Split(imports, ",")
		}
		pkgs = append(pkgs, p)
	}
	return module, pkgs
}

// TestDependencyRules fails when an import of the module breaks one of the
// rules described in the package comment.
func TestDependencyRules(t *testing.T) {
	module, pkgs := listPackages(t)

	// Guard against passing vacuously: the packages the rules are about
	// must have been listed, with their imports.
	listed := map[string]pkg{}
	for _, p := range pkgs {
		listed[strings.TrimPrefix(p.path, module+"/")] = p
	}
	for _, want := range []string{"internal/platform/errs", "internal/party", "internal/tenant", "internal/httpapi", "internal/store", "internal/app"} {
		if len(listed[want].imports) == 0 {
			t.Fatalf("go list did not report %s with its imports; got %d packages", want, len(pkgs))
		}
	}

	for _, v := range violations(module, pkgs) {
		t.Error(v)
	}
}
