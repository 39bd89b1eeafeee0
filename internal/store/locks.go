package store

import (
	"context"
	"database/sql"
	"errors"
)

// Row locks for service methods that read a row, decide, and then change
// it or what hangs off it: on PostgreSQL the row stays locked until the
// transaction ends, so a concurrent change of it waits and then reads
// this one's result (READ COMMITTED reads anew after the wait). SQLite's
// single writer already runs write transactions one at a time, so there
// they cost nothing. Locking a row that does not exist is not an error:
// the caller's next read says so.

// LockOrganization locks an organization (its holding position, its
// consents, its memberships and its referral are decided under it).
func (t *Tx) LockOrganization(ctx context.Context, tenantID, id string) error {
	return t.lockRow(ctx, "organizations", tenantID, id)
}

// LockMember locks a member (a change of its fields or organization).
func (t *Tx) LockMember(ctx context.Context, tenantID, id string) error {
	return t.lockRow(ctx, "members", tenantID, id)
}

// LockProgram locks a program (its status, versions and terms).
func (t *Tx) LockProgram(ctx context.Context, tenantID, id string) error {
	return t.lockRow(ctx, "programs", tenantID, id)
}

// LockRewardItem locks a catalog item (an edit of it against the
// redemptions that take its stock).
func (t *Tx) LockRewardItem(ctx context.Context, tenantID, id string) error {
	return t.lockRow(ctx, "reward_items", tenantID, id)
}

// lockRow locks one row of a table keyed by (tenant_id, id).
func (t *Tx) lockRow(ctx context.Context, table, tenantID, id string) error {
	if t.forUpdate() == "" {
		return nil
	}
	var one int
	err := t.queryRow(ctx, `SELECT 1 FROM `+table+` WHERE tenant_id = $1 AND id = $2`+t.forUpdate(), tenantID, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}
