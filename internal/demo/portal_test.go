package demo

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/store"
)

// The demo's portal people exist, the director manages their company, and
// both sign in with the code the log shows.
func TestDemoPortalPeopleSignIn(t *testing.T) {
	a := openApp(t, store.SQLite)
	ctx := context.Background()
	res, err := Ensure(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	help := PortalHelp("http://127.0.0.1:8080", res.Tenant, res.ProgramID)
	if !strings.Contains(help, "/p/"+res.Tenant.Slug+"/sign-in") || !strings.Contains(help, PortalDirector) {
		t.Fatalf("help: %s", help)
	}
	code := regexp.MustCompile(`code: (\d{6})`)
	for _, who := range []string{PortalMember, PortalDirector} {
		if err := a.MemberAuth.RequestCode(ctx, res.Tenant.Slug, who, "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
		sent := a.Mailer.(*app.LogMailer).Sent()
		m := code.FindStringSubmatch(sent[len(sent)-1].Subject)
		if m == nil {
			t.Fatalf("no code mailed to %s", who)
		}
		member, _, err := a.MemberAuth.Verify(ctx, res.Tenant.Slug, who, m[1], "127.0.0.1")
		if err != nil {
			t.Fatalf("%s: %v", who, err)
		}
		if who == PortalDirector && !member.HasRole(party.RoleOwner) {
			t.Fatalf("the demo director is %v", member.Roles)
		}
	}
}
