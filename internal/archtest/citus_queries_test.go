package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Citus readiness, query side (docs/SCALING.md): a query that names its
// tenant is routed to the one node holding that tenant; one that does not
// fans out to every node. So every SQL statement in internal/store filters
// by tenant_id, except the global ones below, keyed by the function that
// holds them.
var globalQueries = map[string]string{
	// The tenants table is a reference table; its key id is the tenant.
	"InsertTenant":            "tenants: reference table, by id",
	"ListTenants":             "tenants: every tenant (operator's command line, jobs)",
	"TenantByID":              "tenants: reference table, by id",
	"TenantBySlug":            "tenants: resolving a slug (sign-in, command line) before a tenant is known",
	"PutSettings":             "tenants: reference table, by id",
	"SetTenantRateLimit":      "tenants: reference table, by id",
	"VersionApprovalRequired": "tenants: reference table, by id",
	// Bookkeeping on the coordinator.
	"Migrate":       "schema_migrations",
	"SchemaVersion": "schema_migrations",
	"migrationLock": "an advisory lock, no table",
	"OutboxStats":   "operator metrics over every tenant's outbox: a fan-out query by design, seconds apart",
	// Statements put together from parts the test checks separately.
	"rowStatements": "generic multi-row insert or upsert (insertRows, upsertRows, heldRows): every caller's rows start with tenant_id (the tables' keys lead with it)",
	"analyzeYoung":  "PostgreSQL's statistics catalog of the schema's own tables (maintenance: which to ANALYZE), no tenant data",
	"insertSet":     "generic set-based insert from one JSON parameter: every caller's rows start with tenant_id",
	"jsonSet":       "the rows of a JSON parameter, joined by the caller's statement, which filters by tenant_id",
	"Settlement":    "a months table made of parameters; each correlated subquery filters by tenant_id",
}

// TestQueriesFilterByTenant parses internal/store's Go files, puts each SQL
// statement's text together (string literals joined by +, package string
// constants resolved; other values stand as "?"), and wants tenant_id in
// every statement of a function not listed in globalQueries.
func TestQueriesFilterByTenant(t *testing.T) {
	dir := filepath.Join("..", "store") // tests run in their package's directory
	fset := token.NewFileSet()
	files := parseDir(t, fset, dir)
	consts := stringConsts(files)
	found := map[string]bool{}
	seen := 0
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			built := buildsTenantFilter(fn.Body)
			for _, q := range statements(fn.Body, consts) {
				seen++
				if strings.Contains(strings.ToLower(q), "tenant_id") || (built && strings.Contains(q, " ? ")) {
					continue
				}
				name := fn.Name.Name
				found[name] = true
				if _, ok := globalQueries[name]; !ok {
					t.Errorf("%s (%s): no tenant_id in %q", name, filepath.Base(fset.Position(fn.Pos()).Filename), squeeze(q))
				}
			}
		}
	}
	t.Logf("%d statements", seen)
	if seen < 200 { // the store holds several hundred: fewer means the parsing broke
		t.Fatalf("found only %d SQL statements in internal/store", seen)
	}
	var stale []string
	for name := range globalQueries {
		if !found[name] {
			stale = append(stale, name)
		}
	}
	sort.Strings(stale)
	for _, name := range stale {
		t.Errorf("globalQueries lists %s, which has no statement without tenant_id now: remove it", name)
	}
}

// buildsTenantFilter tells whether a function adds a tenant_id condition
// to a where builder (w.add("tenant_id = ?", …)), which the statements
// then include as a value the test cannot see.
func buildsTenantFilter(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "add" {
			if s, ok := text(call.Args[0], nil, false); ok && strings.Contains(s, "tenant_id") {
				found = true
			}
		}
		return !found
	})
	return found
}

func parseDir(t *testing.T, fset *token.FileSet, dir string) []*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

// stringConsts are the package's constants and variables initialized with
// string literals (or sums of them), by name.
func stringConsts(files []*ast.File) map[string]string {
	out := map[string]string{}
	for pass := 0; pass < 3; pass++ { // constants made of constants
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				vs, ok := n.(*ast.ValueSpec)
				if !ok {
					return true
				}
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if s, ok := text(vs.Values[i], out, false); ok {
							out[name.Name] = s
						}
					}
				}
				return true
			})
		}
	}
	return out
}

// text puts an expression's string together: literals, known constants
// and, when loose, "?" for anything else; ok false when it holds no
// literal at all.
func text(e ast.Expr, consts map[string]string, loose bool) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			s, err := strconv.Unquote(x.Value)
			return s, err == nil
		}
	case *ast.Ident:
		if s, ok := consts[x.Name]; ok {
			return s, true
		}
	case *ast.ParenExpr:
		return text(x.X, consts, loose)
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			a, okA := text(x.X, consts, loose)
			b, okB := text(x.Y, consts, loose)
			return a + b, okA || okB
		}
	}
	if loose {
		return " ? ", false
	}
	return "", false
}

// statements are the SQL statements written in a function body.
func statements(body *ast.BlockStmt, consts map[string]string) []string {
	var out []string
	ast.Inspect(body, func(n ast.Node) bool {
		e, ok := n.(ast.Expr)
		if !ok {
			return true
		}
		switch e.(type) {
		case *ast.BasicLit, *ast.BinaryExpr:
		default:
			return true
		}
		s, ok := text(e, consts, true)
		if !ok {
			return true
		}
		if isStatement(s) {
			out = append(out, s)
		}
		return false // its parts are part of it
	})
	return out
}

func isStatement(s string) bool {
	f := strings.Fields(s)
	if len(f) < 2 {
		return false
	}
	switch strings.ToUpper(f[0]) {
	case "SELECT", "UPDATE", "WITH":
		return true
	case "INSERT":
		return strings.ToUpper(f[1]) == "INTO"
	case "DELETE":
		return strings.ToUpper(f[1]) == "FROM"
	}
	return false
}

func squeeze(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 140 {
		s = s[:140] + "…"
	}
	return s
}
