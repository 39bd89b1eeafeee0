package store

import (
	"context"
	"database/sql"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// AccountManagerOf returns the account manager assigned to an
// organization, or to a member's organization ("" when none).
func (t *Tx) AccountManagerOf(ctx context.Context, tenantID, ownerType, ownerID string) (string, error) {
	var q string
	switch ownerType {
	case "organization":
		q = `SELECT account_manager_id FROM organizations WHERE tenant_id = $1 AND id = $2`
	case "member":
		q = `SELECT o.account_manager_id FROM members m
			JOIN organizations o ON o.tenant_id = m.tenant_id AND o.id = m.organization_id
			WHERE m.tenant_id = $1 AND m.id = $2`
	default:
		return "", errs.E(errs.Invalid, "owner_type", "an account manager's reach is checked for organizations and members, not %q", ownerType)
	}
	var mgr sql.NullString
	err := t.queryRow(ctx, q, tenantID, ownerID).Scan(&mgr)
	return mgr.String, notFound(err, ownerType, ownerID)
}
