package cli_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/store"
)

func TestBackupAndRestore(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		if _, err := exec.LookPath("pg_dump"); err != nil && d.engine == store.Postgres {
			t.Skip("pg_dump is not installed")
		}
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		out := filepath.Join(t.TempDir(), "acme.bak")
		r := mustRun(t, d.with("backup", "--out", out)...)
		if !strings.HasPrefix(r.out, "backup written: "+out) {
			t.Errorf("backup: %q", r.out)
		}
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "later", "--name", "After the backup")...)
		r = mustRun(t, d.with("restore", out)...)
		if !strings.Contains(r.out, "ledger check: OK") {
			t.Errorf("restore: %q", r.out)
		}
		list := mustRun(t, d.with("admin", "tenant", "list")...)
		if !strings.Contains(list.out, "acme") || strings.Contains(list.out, "later") {
			t.Errorf("after restoring the backup, tenants = %q; want acme and not the later one", list.out)
		}
	})
}

func TestPeopleExportAndErase(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		var memberID string
		d.open(t, func(a *app.App) {
			p := access.System(tenantID(t, a, "acme"))
			o, err := a.Party.CreateOrganization(context.Background(), p, party.OrgInput{Type: party.Dealer, Name: "D"})
			if err != nil {
				t.Fatal(err)
			}
			m, err := a.Party.CreateMember(context.Background(), p, party.MemberInput{OrganizationID: o.ID, Name: "Olga Petrova",
				Roles: []party.Role{"owner"}, Email: "olga@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			memberID = m.ID
		})
		ex := mustRun(t, d.with("people", "export", "--tenant", "acme", memberID)...)
		if !strings.Contains(ex.out, "olga@example.com") || !strings.Contains(ex.out, `"profile"`) {
			t.Errorf("export: %s", ex.out)
		}
		er := mustRun(t, d.with("people", "erase", "--tenant", "acme", memberID)...)
		if !strings.Contains(er.out, "erased: now erased-") {
			t.Errorf("erase: %s", er.out)
		}
		ex = mustRun(t, d.with("people", "export", "--tenant", "acme", memberID)...)
		if strings.Contains(ex.out, "olga@example.com") || strings.Contains(ex.out, "Olga Petrova") {
			t.Errorf("after the erasure the export still holds personal data: %s", ex.out)
		}
	})
}

func tenantID(t *testing.T, a *app.App, slug string) string {
	t.Helper()
	tn, err := a.Tenants.TenantBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return tn.ID
}
