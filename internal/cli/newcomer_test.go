package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/cli"
)

func TestVersionFlag(t *testing.T) {
	clearEnv(t)
	r := mustRun(t, "--version")
	if want := "loyal " + cli.Version + "\n"; r.out != want {
		t.Errorf("stdout = %q, want %q", r.out, want)
	}
}

// A command that reads data refuses a data directory with no database,
// instead of creating an empty one and reporting on it.
func TestCommandsRefuseAMissingDatabase(t *testing.T) {
	clearEnv(t)
	dir := filepath.Join(t.TempDir(), "typo")
	for _, args := range [][]string{
		{"ledger", "check"},
		{"admin", "tenant", "list"},
		{"admin", "key", "list", "--tenant", "acme"},
		{"jobs", "run", "all"},
	} {
		r := run(t, append([]string{"--data-dir", dir}, args...)...)
		if r.code == 0 || !strings.Contains(r.errOut, "no database at "+filepath.Join(dir, "loyal.db")) {
			t.Errorf("loyal %s on a missing database: %v", strings.Join(args, " "), r)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Fatalf("loyal %s created %s", strings.Join(args, " "), dir)
		}
	}
	// The first tenant of a new installation creates the database.
	mustRun(t, "--data-dir", dir, "admin", "tenant", "create", "--slug", "acme", "--name", "Acme")
	mustRun(t, "--data-dir", dir, "ledger", "check")
}

func TestAdminListsAndRevokeByWholeKey(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme Building Products")...)
		list := mustRun(t, d.with("admin", "tenant", "list")...)
		if !strings.Contains(list.out, "acme") || !strings.Contains(list.out, "Acme Building Products") {
			t.Errorf("tenant list = %q", list.out)
		}
		secret, id := createKey(t, d, "--name", "ERP", "--scope", "write")
		keys := mustRun(t, d.with("admin", "key", "list", "--tenant", "acme")...)
		if !strings.Contains(keys.out, id) || strings.Contains(keys.out, secret) {
			t.Errorf("key list should show the id %s and never the secret: %q", id, keys.out)
		}
		r := mustRun(t, d.with("admin", "key", "revoke", "--tenant", "acme", secret)...)
		if r.out != "API key "+id+" revoked\n" {
			t.Errorf("revoke by the whole key: %q", r.out)
		}
		if _, err := authenticate(t, d, secret); err == nil {
			t.Error("the revoked key still authenticates")
		}
		if again := run(t, d.with("admin", "key", "revoke", "--tenant", "acme", id)...); again.code == 0 {
			t.Errorf("revoking twice by id should fail: %v", again)
		}
	})
}

func TestTenantCreateExistOK(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		if r := run(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...); r.code == 0 {
			t.Errorf("a second create without --exist-ok should fail: %v", r)
		}
		r := mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme", "--exist-ok")...)
		if !strings.HasPrefix(r.out, "tenant acme exists already (id ") {
			t.Errorf("stdout = %q", r.out)
		}
	})
}
