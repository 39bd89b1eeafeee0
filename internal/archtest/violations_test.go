package archtest

import (
	"strings"
	"testing"
)

const mod = "example.com/loyal"

// The checker itself: a clean graph passes, and each kind of bad import
// is reported with the rule it breaks.
func TestViolations(t *testing.T) {
	clean := []pkg{
		{mod + "/cmd/loyal", []string{mod + "/internal/cli", "os"}},
		{mod + "/internal/platform/page", []string{mod + "/internal/platform/errs", "encoding/base64"}},
		{mod + "/internal/party", []string{mod + "/internal/access", mod + "/internal/audit", mod + "/internal/platform/txn", "golang.org/x/text/language"}},
		{mod + "/internal/httpapi", []string{mod + "/internal/party", mod + "/internal/tenant", "github.com/danielgtaylor/huma/v2"}},
		{mod + "/internal/store", []string{mod + "/internal/party", "database/sql", "modernc.org/sqlite", "github.com/jackc/pgx/v5/pgxpool"}},
		{mod + "/internal/store/storetest", []string{mod + "/internal/store", "github.com/jackc/pgx/v5/stdlib"}},
		{mod + "/internal/app", []string{mod + "/internal/store", mod + "/internal/config", mod + "/internal/httpapi"}},
		{mod + "/internal/demo", []string{mod + "/internal/app", mod + "/internal/store"}},
		{mod + "/internal/cli", []string{mod + "/internal/app", mod + "/internal/demo", mod + "/internal/store"}},
		{mod + "/internal/storefront", []string{mod + "/internal/party"}}, // not internal/store
		{mod + "/internal/web/admin", []string{mod + "/internal/web", mod + "/internal/party", mod + "/internal/tenant"}},
	}
	if got := violations(mod, clean); len(got) != 0 {
		t.Errorf("clean graph reported:\n%s", strings.Join(got, "\n"))
	}

	tests := []struct {
		name  string
		p     pkg
		wants []string // each must appear in one reported line
	}{
		{"platform imports a domain package", pkg{mod + "/internal/platform/valid", []string{mod + "/internal/party"}},
			[]string{"internal/platform/valid imports internal/party: rule (a)"}},
		{"platform imports the store", pkg{mod + "/internal/platform/txn", []string{mod + "/internal/store"}},
			[]string{"internal/platform/txn imports internal/store: rule (a)", "internal/platform/txn imports internal/store: rule (d)"}},
		{"domain imports the store", pkg{mod + "/internal/party", []string{mod + "/internal/store"}},
			[]string{"internal/party imports internal/store: rule (b)", "internal/party imports internal/store: rule (d)"}},
		{"domain imports a store subpackage", pkg{mod + "/internal/tenant", []string{mod + "/internal/store/storetest"}},
			[]string{"internal/tenant imports internal/store/storetest: rule (b)", "rule (d)"}},
		{"domain imports config", pkg{mod + "/internal/program", []string{mod + "/internal/config"}},
			[]string{"internal/program imports internal/config: rule (b)"}},
		{"domain imports httpapi", pkg{mod + "/internal/audit", []string{mod + "/internal/httpapi"}},
			[]string{"internal/audit imports internal/httpapi: rule (b)"}},
		{"domain imports app, cli, demo", pkg{mod + "/internal/idempotency", []string{mod + "/internal/app", mod + "/internal/cli", mod + "/internal/demo"}},
			[]string{"imports internal/app: rule (b)", "imports internal/cli: rule (b)", "imports internal/demo: rule (b)"}},
		{"domain imports the SQLite driver", pkg{mod + "/internal/access", []string{"modernc.org/sqlite/lib"}},
			[]string{"internal/access imports modernc.org/sqlite/lib: rule (b)"}},
		{"domain imports pgx", pkg{mod + "/internal/party", []string{"github.com/jackc/pgx/v5/pgconn"}},
			[]string{"internal/party imports github.com/jackc/pgx/v5/pgconn: rule (b)"}},
		{"domain imports database/sql", pkg{mod + "/internal/party", []string{"database/sql"}},
			[]string{"internal/party imports database/sql: rule (b)"}},
		{"engine imports the ledger", pkg{mod + "/internal/engine", []string{mod + "/internal/ledger", mod + "/internal/rules", mod + "/internal/platform/money"}},
			[]string{"internal/engine imports internal/ledger: rule (e)"}},
		{"engine reads the clock and files", pkg{mod + "/internal/pricing", []string{mod + "/internal/platform/clock", "os"}},
			[]string{"internal/pricing imports internal/platform/clock: rule (e)", "internal/pricing imports os: rule (e)"}},
		{"a new domain package", pkg{mod + "/internal/rewards", []string{mod + "/internal/store"}},
			[]string{"internal/rewards imports internal/store: rule (b)"}},
		{"a domain subpackage", pkg{mod + "/internal/party/partyfake", []string{mod + "/internal/app"}},
			[]string{"internal/party/partyfake imports internal/app: rule (b)"}},
		{"a web page imports the store", pkg{mod + "/internal/web/admin", []string{mod + "/internal/store"}},
			[]string{"internal/web/admin imports internal/store: rule (c)", "rule (d)"}},
		{"the web foundation imports database/sql", pkg{mod + "/internal/web", []string{"database/sql"}},
			[]string{"internal/web imports database/sql: rule (c)"}},
		{"a domain imports the web", pkg{mod + "/internal/party", []string{mod + "/internal/web"}},
			[]string{"internal/party imports internal/web: rule (b)"}},
		{"httpapi imports the store", pkg{mod + "/internal/httpapi", []string{mod + "/internal/store"}},
			[]string{"internal/httpapi imports internal/store: rule (c)", "rule (d)"}},
		{"httpapi imports pgx", pkg{mod + "/internal/httpapi", []string{"github.com/jackc/pgx/v5"}},
			[]string{"internal/httpapi imports github.com/jackc/pgx/v5: rule (c)"}},
		{"httpapi imports lib/pq", pkg{mod + "/internal/httpapi", []string{"github.com/lib/pq"}},
			[]string{"internal/httpapi imports github.com/lib/pq: rule (c)"}},
		{"config imports the store", pkg{mod + "/internal/config", []string{mod + "/internal/store"}},
			[]string{"internal/config imports internal/store: rule (d)"}},
		{"main imports the store", pkg{mod + "/cmd/loyal", []string{mod + "/internal/store"}},
			[]string{"cmd/loyal imports internal/store: rule (d)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := violations(mod, []pkg{tt.p})
			if len(got) == 0 {
				t.Fatalf("no violation reported for %s importing %v", tt.p.path, tt.p.imports)
			}
			all := strings.Join(got, "\n")
			for _, w := range tt.wants {
				if !strings.Contains(all, w) {
					t.Errorf("report does not contain %q:\n%s", w, all)
				}
			}
		})
	}
}
