package access

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Reach tells whose account an organization or a member is: the staff id
// of the account manager assigned to the organization (of the member).
// Domain Tx interfaces that serve account managers embed it.
type Reach interface {
	// AccountManagerOf returns the account manager of an organization
	// (ownerType "organization") or of a member's organization ("member"),
	// "" when none is assigned, or a NotFound error.
	AccountManagerOf(ctx context.Context, tenantID, ownerType, ownerID string) (string, error)
}

// OwnOrgsOnly reports whether the caller sees and acts on only the
// organizations assigned to them (an account manager).
func (p Principal) OwnOrgsOnly() bool { return p.Role == RoleAccountManager }

// RequireReach returns a Forbidden error when the caller is held to its
// own organizations and the organization (or the member's organization)
// is not one of them; anyone else passes without a query.
func (p Principal) RequireReach(ctx context.Context, r Reach, ownerType, ownerID string) error {
	if !p.OwnOrgsOnly() {
		return nil
	}
	mgr, err := r.AccountManagerOf(ctx, p.TenantID, ownerType, ownerID)
	if err != nil {
		return err
	}
	return p.Reaches(mgr)
}

// Reaches returns a Forbidden error when the caller is held to its own
// organizations and manager (an organization's account manager) is not
// the caller.
func (p Principal) Reaches(manager string) error {
	if !p.OwnOrgsOnly() || (manager != "" && manager == p.StaffID) {
		return nil
	}
	return errs.E(errs.Forbidden, "not_your_account", "this belongs to an account managed by someone else; an account manager sees only their own accounts")
}

// ReachFilter is the account manager whose organizations a list must be
// held to, or "" when the caller sees every organization.
func (p Principal) ReachFilter() string {
	if p.OwnOrgsOnly() {
		if p.StaffID == "" {
			return "-" // matches no one, should a role ever come without its user
		}
		return p.StaffID
	}
	return ""
}
