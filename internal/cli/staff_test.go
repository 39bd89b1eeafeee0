package cli_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/cli"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// withStdin runs fn with the command line reading s as standard input.
func withStdin(t *testing.T, s string, fn func()) {
	t.Helper()
	old := cli.Stdin
	cli.Stdin = strings.NewReader(s)
	defer func() { cli.Stdin = old }()
	fn()
}

func signIn(t *testing.T, d db, email, pw string) error {
	t.Helper()
	var err error
	d.open(t, func(a *app.App) {
		_, _, err = a.Tenants.SignIn(context.Background(), tenant.SignInInput{Workspace: "acme", Email: email, Password: pw, Address: "127.0.0.1"})
	})
	return err
}

// A first password comes from standard input, never from a flag; an
// invitation is mailed instead; a weak password is refused.
func TestAdminStaffPasswords(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		withStdin(t, "a first password\n", func() {
			r := mustRun(t, d.with("admin", "staff", "create", "--tenant", "acme", "--email", "ann@acme.example", "--name", "Ann", "--role", "admin", "--password")...)
			if !strings.Contains(r.out, "staff user ann@acme.example created") || strings.Contains(r.out+r.errOut, "a first password") {
				t.Errorf("create printed %v", r)
			}
		})
		if err := signIn(t, d, "ann@acme.example", "a first password"); err != nil {
			t.Fatalf("sign-in with the password set by the CLI: %v", err)
		}
		withStdin(t, "short\n", func() {
			r := run(t, d.with("admin", "staff", "password", "--tenant", "acme", "--email", "ann@acme.example")...)
			if r.code == 0 || !strings.Contains(r.errOut, "at least 10 characters") {
				t.Errorf("weak password: %v", r)
			}
		})
		withStdin(t, "", func() {
			r := run(t, d.with("admin", "staff", "create", "--tenant", "acme", "--email", "bob@acme.example", "--name", "Bob", "--role", "support", "--password")...)
			if r.code == 0 || !strings.Contains(r.errOut, "no password on standard input") {
				t.Errorf("no password: %v", r)
			}
		})
		r := mustRun(t, d.with("admin", "staff", "create", "--tenant", "acme", "--email", "cy@acme.example", "--name", "Cy", "--role", "read_only", "--invite")...)
		if !strings.Contains(r.out, "invitation sent") || !regexp.MustCompile(`/admin/link/invite/acme/[a-z0-9]+`).MatchString(r.errOut) {
			t.Errorf("invitation: %v", r)
		}
		if err := signIn(t, d, "cy@acme.example", ""); err == nil {
			t.Error("an invited user signed in without choosing a password")
		}
	})
}
