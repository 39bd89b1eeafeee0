package archtest

import (
	"fmt"
	"slices"
	"strings"
)

// pkg is one package of the module and what its non-test files import.
type pkg struct {
	path    string
	imports []string
}

// infra lists the top-level directories under internal/ that are not
// domain packages; every other internal/<name> is one.
var infra = []string{"cli", "config", "app", "store", "httpapi", "web", "demo", "archtest", "platform"}

// notForDomain lists what domain packages must not import, under internal/.
var notForDomain = []string{"store", "httpapi", "web", "cli", "config", "app", "demo"}

// drivers are database drivers (and their subpackages).
var drivers = []string{
	"modernc.org/sqlite",
	"github.com/jackc/pgx",
	"github.com/lib/pq",
	"github.com/mattn/go-sqlite3",
}

// pure are the areas of the pure engine; pureHelpers the leaf packages it
// may use; ioPackages standard packages that would give it I/O.
var (
	pure        = []string{"engine", "rules", "pricing", "lots"}
	pureHelpers = []string{"internal/platform/errs", "internal/platform/money"}
	ioPackages  = []string{"os", "net", "net/http", "database/sql", "io/fs", "os/exec", "log", "log/slog"}
)

// storeUsers may import internal/store (besides store's own subpackages).
var storeUsers = []string{"app", "demo", "cli"}

// under reports whether path is prefix or a package below it.
func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// area is the top-level directory under internal/ of a package path
// relative to the module ("party" for internal/party/x), or "" for a
// package outside internal/ (cmd/loyal).
func area(rel string) string {
	rest, ok := strings.CutPrefix(rel, "internal/")
	if !ok {
		return ""
	}
	first, _, _ := strings.Cut(rest, "/")
	return first
}

func isDriver(imp string) bool {
	return slices.ContainsFunc(drivers, func(d string) bool { return under(imp, d) })
}

// violations checks the rules and describes every import that breaks one.
func violations(module string, pkgs []pkg) []string {
	var out []string
	bad := func(from, imp, rule string) {
		out = append(out, fmt.Sprintf("%s imports %s: %s", from, imp, rule))
	}
	rel := func(p string) string {
		if p == module {
			return "."
		}
		return strings.TrimPrefix(p, module+"/")
	}
	for _, p := range pkgs {
		from := rel(p.path)
		a := area(from)
		domain := a != "" && !slices.Contains(infra, a)
		for _, imp := range p.imports {
			ours := under(imp, module)
			r := rel(imp)
			// (a) platform packages are leaves.
			if a == "platform" && ours && !under(r, "internal/platform") {
				bad(from, r, "rule (a): internal/platform packages may import only other internal/platform packages of this module")
			}
			// (b) domain packages own their types and a Tx interface; they never see storage, transport or wiring.
			if domain {
				for _, n := range notForDomain {
					if ours && under(r, "internal/"+n) {
						bad(from, r, "rule (b): domain packages must not import internal/"+n+" (services own their types and a Tx interface; only internal/app wires storage, configuration and HTTP together)")
					}
				}
				if isDriver(imp) {
					bad(from, imp, "rule (b): domain packages must not import a database driver")
				}
				if imp == "database/sql" {
					bad(from, imp, "rule (b): domain packages must not see SQL; put the query in internal/store behind the package's Tx interface")
				}
			}
			// (c) handlers and pages call services, never SQL.
			if a == "httpapi" || a == "web" {
				if ours && under(r, "internal/store") {
					bad(from, r, "rule (c): internal/"+a+" must call services, not internal/store")
				}
				if isDriver(imp) || imp == "database/sql" {
					bad(from, imp, "rule (c): internal/"+a+" must call services, not a database driver")
				}
			}
			// (e) the engine is pure: it sees only its peers and leaf helpers, no I/O.
			if slices.Contains(pure, a) {
				if ours && !slices.Contains(pure, area(r)) && !slices.Contains(pureHelpers, r) {
					bad(from, r, "rule (e): the pure engine (internal/engine, rules, pricing) may import only each other, platform/errs and platform/money")
				}
				if slices.Contains(ioPackages, imp) {
					bad(from, imp, "rule (e): the pure engine does no I/O")
				}
			}
			// (d) only the composition root, the demo and the CLI open the store.
			if ours && under(r, "internal/store") && a != "store" && !slices.Contains(storeUsers, a) {
				bad(from, r, "rule (d): only internal/app, internal/demo and internal/cli may import internal/store")
			}
		}
	}
	return out
}
