package cli_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

var (
	tenantLine = regexp.MustCompile(`^tenant acme created \(id [0-9a-f-]{36}\)\n$`)
	keyLine    = regexp.MustCompile(`^API key: (lyl_acme_([a-z2-9]{13})_[a-z2-9]{32})\n$`)
)

// createKey runs `admin key create` and returns the printed key and its id.
func createKey(t *testing.T, d db, args ...string) (secret, id string) {
	t.Helper()
	r := mustRun(t, d.with(append([]string{"admin", "key", "create", "--tenant", "acme"}, args...)...)...)
	m := keyLine.FindStringSubmatch(r.out)
	if m == nil {
		t.Fatalf("stdout = %q, want one line \"API key: lyl_acme_…\"", r.out)
	}
	if !strings.Contains(r.errOut, "API key "+m[2]+" created") || !strings.Contains(r.errOut, "will not be shown again") {
		t.Errorf("stderr should say which key was created and that it is shown once: %q", r.errOut)
	}
	return m[1], m[2]
}

// authenticate checks a key against the database the CLI wrote.
func authenticate(t *testing.T, d db, key string) (access.Principal, error) {
	t.Helper()
	var p access.Principal
	var err error
	d.open(t, func(a *app.App) { p, err = a.Tenants.Authenticate(context.Background(), key) })
	return p, err
}

func TestAdminTenantCreate(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		r := mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme Building Products")...)
		if !tenantLine.MatchString(r.out) {
			t.Errorf("stdout = %q, want \"tenant acme created (id …)\"", r.out)
		}
		d.open(t, func(a *app.App) {
			tn, err := a.Tenants.TenantBySlug(context.Background(), "acme")
			if err != nil {
				t.Fatalf("the tenant is not in the database: %v", err)
			}
			if tn.Name != "Acme Building Products" || tn.Status != "active" || !strings.Contains(r.out, tn.ID) {
				t.Errorf("stored tenant = %+v; printed %q", tn, r.out)
			}
		})

		tests := []struct {
			name  string
			args  []string
			wants []string
		}{
			{"same slug twice", []string{"--slug", "acme", "--name", "Acme again"}, []string{"slug", `"acme" already exists`}},
			{"bad slug", []string{"--slug", "Acme Ltd", "--name", "Acme"}, []string{"slug must be"}},
			{"blank name", []string{"--slug", "bravo", "--name", " "}, []string{"name is required"}},
		}
		for _, tt := range tests {
			r := run(t, d.with(append([]string{"admin", "tenant", "create"}, tt.args...)...)...)
			if r.code != 1 {
				t.Errorf("%s: exit %d, want 1: %v", tt.name, r.code, r)
			}
			for _, w := range tt.wants {
				if !strings.Contains(r.errOut, w) {
					t.Errorf("%s: stderr does not mention %q: %v", tt.name, w, r)
				}
			}
			if r.out != "" {
				t.Errorf("%s: stdout = %q, want nothing", tt.name, r.out)
			}
		}
	})
}

func TestAdminStaff(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		r := mustRun(t, d.with("admin", "staff", "create", "--tenant", "acme", "--email", " Ann@Acme.Example ", "--name", "Ann Lee", "--role", "admin")...)
		if !regexp.MustCompile(`^staff user ann@acme\.example created \(id [0-9a-f-]{36}, role admin\)\n$`).MatchString(r.out) {
			t.Errorf("stdout = %q", r.out)
		}
		mustRun(t, d.with("admin", "staff", "create", "--tenant", "acme", "--email", "joe@acme.example", "--name", "Joe Bloggs", "--role", "support")...)

		list := mustRun(t, d.with("admin", "staff", "list", "--tenant", "acme")...)
		lines := strings.Split(strings.TrimSuffix(list.out, "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("staff list = %q, want a header and two users", list.out)
		}
		wantRows := [][]string{
			{"ID", "EMAIL", "NAME", "ROLE", "STATUS"},
			{"ann@acme.example", "Ann", "Lee", "admin", "active"},
			{"joe@acme.example", "Joe", "Bloggs", "support", "active"},
		}
		for i, want := range wantRows {
			got := strings.Fields(lines[i])
			if i > 0 {
				got = got[1:] // the id
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("line %d = %q, want the columns %q", i, lines[i], want)
			}
		}

		tests := []struct {
			name  string
			args  []string
			wants []string
		}{
			{"unknown tenant", []string{"--tenant", "nope", "--email", "a@b.example", "--name", "A", "--role", "admin"}, []string{`no tenant "nope"`, "loyal admin tenant create --slug nope"}},
			{"bad e-mail", []string{"--tenant", "acme", "--email", "Ann <ann@acme.example>", "--name", "Ann", "--role", "admin"}, []string{"email"}},
			{"same e-mail twice", []string{"--tenant", "acme", "--email", "ann@acme.example", "--name", "Ann", "--role", "finance"}, []string{"ann@acme.example"}},
		}
		for _, tt := range tests {
			r := run(t, d.with(append([]string{"admin", "staff", "create"}, tt.args...)...)...)
			if r.code != 1 {
				t.Errorf("%s: exit %d, want 1: %v", tt.name, r.code, r)
			}
			for _, w := range tt.wants {
				if !strings.Contains(r.errOut, w) {
					t.Errorf("%s: stderr does not mention %q: %v", tt.name, w, r)
				}
			}
		}
		if r := run(t, d.with("admin", "staff", "list", "--tenant", "nope")...); r.code != 1 || !strings.Contains(r.errOut, `no tenant "nope"`) {
			t.Errorf("staff list of an unknown tenant: %v", r)
		}
	})
}

func TestAdminKeyCreate(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		mustRun(t, d.with("admin", "staff", "create", "--tenant", "acme", "--email", "ann@acme.example", "--name", "Ann Lee", "--role", "admin")...)
		mustRun(t, d.with("admin", "staff", "create", "--tenant", "acme", "--email", "joe@acme.example", "--name", "Joe Bloggs", "--role", "support")...)

		tests := []struct {
			name      string
			args      []string
			wantScope access.Scope
			staff     bool
		}{
			{"read integration key", []string{"--name", "k", "--scope", "read"}, access.ScopeRead, false},
			{"write is the default", []string{"--name", "ERP integration"}, access.ScopeWrite, false},
			{"admin key for an admin", []string{"--name", "Ann's key", "--scope", "admin", "--staff", "ANN@acme.example"}, access.ScopeAdmin, true},
			{"write key for support", []string{"--name", "Joe's key", "--scope", "write", "--staff", "joe@acme.example"}, access.ScopeWrite, true},
		}
		for _, tt := range tests {
			secret, id := createKey(t, d, tt.args...)
			p, err := authenticate(t, d, secret)
			if err != nil {
				t.Errorf("%s: the printed key does not authenticate: %v", tt.name, err)
				continue
			}
			if p.Scope != tt.wantScope || p.ActorID != id || (p.StaffID != "") != tt.staff {
				t.Errorf("%s: principal = %+v, want scope %s, actor %s, staff %v", tt.name, p, tt.wantScope, id, tt.staff)
			}
		}

		fails := []struct {
			name  string
			args  []string
			wants []string
		}{
			{"unknown tenant", []string{"--tenant", "nope", "--name", "k", "--scope", "read"}, []string{`no tenant "nope"`}},
			{"unknown staff", []string{"--tenant", "acme", "--name", "k", "--staff", "ghost@acme.example"}, []string{"ghost@acme.example", "not found"}},
			{"scope above the role", []string{"--tenant", "acme", "--name", "k", "--scope", "admin", "--staff", "joe@acme.example"}, []string{"scope", "support"}},
			{"blank name", []string{"--tenant", "acme", "--name", "  "}, []string{"name is required"}},
		}
		for _, tt := range fails {
			r := run(t, d.with(append([]string{"admin", "key", "create"}, tt.args...)...)...)
			if r.code != 1 {
				t.Errorf("%s: exit %d, want 1: %v", tt.name, r.code, r)
			}
			if strings.Contains(r.out, "API key:") {
				t.Errorf("%s: printed a key although it failed: %v", tt.name, r)
			}
			for _, w := range tt.wants {
				if !strings.Contains(r.errOut, w) {
					t.Errorf("%s: stderr does not mention %q: %v", tt.name, w, r)
				}
			}
		}
	})
}

func TestAdminKeyRevoke(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		revoked, id := createKey(t, d, "--name", "old", "--scope", "read")
		kept, _ := createKey(t, d, "--name", "new", "--scope", "read")

		r := mustRun(t, d.with("admin", "key", "revoke", "--tenant", "acme", id)...)
		if r.out != "API key "+id+" revoked\n" {
			t.Errorf("stdout = %q", r.out)
		}
		if _, err := authenticate(t, d, revoked); errs.KindOf(err) != errs.Unauthenticated || errs.As(err).Code != "api_key_revoked" {
			t.Errorf("a revoked key authenticates: err = %v", err)
		}
		if _, err := authenticate(t, d, kept); err != nil {
			t.Errorf("revoking one key broke another: %v", err)
		}

		tests := []struct {
			name  string
			args  []string
			wants []string
		}{
			{"second revoke", []string{"--tenant", "acme", id}, []string{id, "already revoked"}},
			{"unknown key", []string{"--tenant", "acme", "zzzzzzzzzzzzz"}, []string{"not found"}},
			{"unknown tenant", []string{"--tenant", "nope", id}, []string{`no tenant "nope"`}},
		}
		for _, tt := range tests {
			r := run(t, d.with(append([]string{"admin", "key", "revoke"}, tt.args...)...)...)
			if r.code != 1 {
				t.Errorf("%s: exit %d, want 1: %v", tt.name, r.code, r)
			}
			for _, w := range tt.wants {
				if !strings.Contains(r.errOut, w) {
					t.Errorf("%s: stderr does not mention %q: %v", tt.name, w, r)
				}
			}
		}
	})
}

// A key of one tenant cannot be revoked through another.
func TestAdminKeyRevokeOtherTenant(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "bravo", "--name", "Bravo")...)
		secret, id := createKey(t, d, "--name", "k")
		if r := run(t, d.with("admin", "key", "revoke", "--tenant", "bravo", id)...); r.code != 1 {
			t.Errorf("revoking acme's key as bravo: %v", r)
		}
		if _, err := authenticate(t, d, secret); err != nil {
			t.Errorf("acme's key stopped working: %v", err)
		}
	})
}

// The platform operator sets a tenant's own request rate.
func TestAdminTenantSetRate(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		if r := mustRun(t, d.with("admin", "tenant", "set-rate", "--tenant", "acme", "--rate", "50")...); r.out != "tenant acme: 50 requests a second per server\n" {
			t.Errorf("stdout %q", r.out)
		}
		d.open(t, func(a *app.App) {
			if tn, err := a.Tenants.TenantBySlug(context.Background(), "acme"); err != nil || tn.RateLimit != 50 {
				t.Errorf("stored %+v, %v", tn, err)
			}
		})
		if r := run(t, d.with("admin", "tenant", "set-rate", "--tenant", "acme", "--rate=-5")...); r.code != 1 || !strings.Contains(r.errOut, "rate") {
			t.Errorf("a negative rate: %v", r)
		}
		if r := mustRun(t, d.with("admin", "tenant", "set-rate", "--tenant", "acme", "--rate", "0")...); !strings.Contains(r.out, "default") {
			t.Errorf("back to the default: %q", r.out)
		}
	})
}
