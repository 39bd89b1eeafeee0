package demo

import (
	"fmt"

	"github.com/loyal-b2b/loyal/internal/tenant"
)

// The demo's people to sign in to the members' portal as: a sales rep
// and her director at Brick & Beam (R-3001).
const (
	PortalMember   = "hannah@brickandbeam.example"
	PortalDirector = "george@brickandbeam.example"
)

// PortalHelp says how to open the demo's portal: its address, whom to sign
// in as, where the sign-in code appears, and the registration form.
func PortalHelp(base string, t tenant.Tenant, programID string) string {
	return fmt.Sprintf("Portal: %s/p/%s/sign-in  as a member %s or a director %s\n"+
		"  (type the e-mail; the sign-in code appears in this log, or at the mail server given by --smtp-url)\n"+
		"  Registration form: %s/p/%s/join/%s\n", base, t.Slug, PortalMember, PortalDirector, base, t.Slug, programID)
}
