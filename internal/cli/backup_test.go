package cli_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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
