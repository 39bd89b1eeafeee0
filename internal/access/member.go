package access

import (
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// ActorMember is a program's participant acting for themselves in the
// members' portal.
const ActorMember ActorType = "member"

// memberMay lists what a member may ask the services for. The portal
// passes only the member's own ids (and, for management, its own
// organization's), and the services check the rest: consent and
// approvals need an active owner/director of the organization.
var memberMay = map[Action]bool{
	ReadData:      true, // their own wallet, goals, history, catalog
	RecordConsent: true, // management: accept or revoke the employee terms
	SubmitClaims:  true, // their own sales claims
	Redeem:        true, // their own redemptions; management's approvals
	EditParties:   true, // management: invite and deactivate their team
}

// Member returns the principal of a member signed in to the portal.
func Member(tenantID, memberID string) Principal {
	return Principal{TenantID: tenantID, ActorType: ActorMember, ActorID: memberID, Scope: ScopeWrite}
}

// IsMember reports whether the caller is a participant, not the operator.
func (p Principal) IsMember() bool { return p.ActorType == ActorMember }

// memberCan refuses a member what the portal does not offer.
func (p Principal) memberCan(a Action) error {
	if memberMay[a] {
		return nil
	}
	return errs.E(errs.Forbidden, "member_forbidden", "a program member may not do this (%s)", a)
}
