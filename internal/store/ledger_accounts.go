package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

const pointTypeCols = `tenant_id, id, program_id, code, name, unit, currency, value_num, value_den, rounding, negative_limit, expiry,
	pending_days, transfers, approval_above, created_ms, updated_ms`

func scanPointType(row rowScanner) (ledger.PointType, error) {
	var pt ledger.PointType
	var expiry, transfers string
	var c, u int64
	err := row.Scan(&pt.TenantID, &pt.ID, &pt.ProgramID, &pt.Code, &pt.Name, &pt.Unit, &pt.Currency, &pt.ValueNum, &pt.ValueDen,
		&pt.Rounding, &pt.NegativeLimit, &expiry, &pt.PendingDays, &transfers, &pt.ApprovalAbove, &c, &u)
	if err != nil {
		return pt, err
	}
	pt.Expiry, err = ledger.ParseExpiry(expiry)
	pt.Transfers = fromWords[string](transfers)
	pt.CreatedAt, pt.UpdatedAt = clock.FromMillis(c), clock.FromMillis(u)
	return pt, err
}

// InsertPointType stores a point type.
func (t *Tx) InsertPointType(ctx context.Context, pt ledger.PointType) error {
	_, err := t.exec(ctx, `INSERT INTO point_types (`+pointTypeCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		pt.TenantID, pt.ID, pt.ProgramID, pt.Code, pt.Name, pt.Unit, pt.Currency, pt.ValueNum, pt.ValueDen, string(pt.Rounding),
		pt.NegativeLimit, pt.Expiry.String(), pt.PendingDays, words(pt.Transfers), pt.ApprovalAbove, ms(pt.CreatedAt), ms(pt.UpdatedAt))
	if t.d.isUnique(err) {
		return duplicate("code", "the program already has a point type with code "+pt.Code)
	}
	return err
}

// GetPointType reads a point type.
func (t *Tx) GetPointType(ctx context.Context, tenantID, id string) (ledger.PointType, error) {
	pt, err := scanPointType(t.queryRow(ctx, `SELECT `+pointTypeCols+` FROM point_types WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return pt, notFound(err, "point type", id)
}

// ListPointTypes reads the point types of a program.
func (t *Tx) ListPointTypes(ctx context.Context, tenantID, programID string) ([]ledger.PointType, error) {
	return list(ctx, t, `SELECT `+pointTypeCols+` FROM point_types WHERE tenant_id = $1 AND program_id = $2 ORDER BY code`,
		scanPointType, tenantID, programID)
}

// ProgramExists reports whether a program exists.
func (t *Tx) ProgramExists(ctx context.Context, tenantID, id string) (bool, error) {
	return t.exists(ctx, `SELECT 1 FROM programs WHERE tenant_id = $1 AND id = $2`, tenantID, id)
}

// ownerTables names the table of each kind of wallet owner.
var ownerTables = map[ledger.OwnerType]string{ledger.OwnerOrganization: "organizations", ledger.OwnerMember: "members"}

// OwnerExists reports whether an organization or member exists.
func (t *Tx) OwnerExists(ctx context.Context, tenantID string, o ledger.Owner) (bool, error) {
	table, ok := ownerTables[o.Type]
	if !ok {
		return false, nil
	}
	return t.exists(ctx, `SELECT 1 FROM `+table+` WHERE tenant_id = $1 AND id = $2`, tenantID, o.ID)
}

func (t *Tx) exists(ctx context.Context, query string, args ...any) (bool, error) {
	var one int
	err := t.queryRow(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// Relation tells how owner a relates to owner b, for transfer routes.
func (t *Tx) Relation(ctx context.Context, tenantID string, a, b ledger.Owner) (string, error) {
	switch {
	case a.Type == ledger.OwnerOrganization && b.Type == ledger.OwnerMember:
		ok, err := t.exists(ctx, `SELECT 1 FROM members WHERE tenant_id = $1 AND id = $2 AND organization_id = $3`, tenantID, b.ID, a.ID)
		return pick(ok, ledger.OrgToMember), err
	case a.Type == ledger.OwnerMember && b.Type == ledger.OwnerOrganization:
		ok, err := t.exists(ctx, `SELECT 1 FROM members WHERE tenant_id = $1 AND id = $2 AND organization_id = $3`, tenantID, a.ID, b.ID)
		return pick(ok, ledger.MemberToOrg), err
	case a.Type == ledger.OwnerOrganization && b.Type == ledger.OwnerOrganization:
		up, err := t.exists(ctx, `SELECT 1 FROM organizations WHERE tenant_id = $1 AND id = $2 AND parent_id = $3`, tenantID, a.ID, b.ID)
		if err != nil || up {
			return pick(up, ledger.BranchToHolding), err
		}
		down, err := t.exists(ctx, `SELECT 1 FROM organizations WHERE tenant_id = $1 AND id = $2 AND parent_id = $3`, tenantID, b.ID, a.ID)
		return pick(down, ledger.HoldingToBranch), err
	}
	return "", nil
}

func pick(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

const accountCols = `tenant_id, id, point_type_id, owner_type, owner_id, available, pending, seq, created_ms, updated_ms`

func scanAccount(row rowScanner) (ledger.Account, error) {
	var a ledger.Account
	var c, u int64
	err := row.Scan(&a.TenantID, &a.ID, &a.PointTypeID, &a.OwnerType, &a.OwnerID, &a.Available, &a.Pending, &a.Seq, &c, &u)
	a.CreatedAt, a.UpdatedAt = clock.FromMillis(c), clock.FromMillis(u)
	return a, err
}

// InsertAccounts creates accounts; one that already exists (created by a
// concurrent transaction) is left as it is.
func (t *Tx) InsertAccounts(ctx context.Context, accts []ledger.Account) error {
	for _, a := range accts {
		_, err := t.exec(ctx, `INSERT INTO ledger_accounts (`+accountCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (tenant_id, id) DO NOTHING`,
			a.TenantID, a.ID, a.PointTypeID, a.OwnerType, a.OwnerID, a.Available, a.Pending, a.Seq, ms(a.CreatedAt), ms(a.UpdatedAt))
		if err != nil {
			return err
		}
	}
	return nil
}

// InsertAccountOfOwner creates a wallet if its owner exists and it does
// not: one statement, held on PostgreSQL until the next (the balance
// update that follows it), so a new wallet costs no round trip of its own.
func (t *Tx) InsertAccountOfOwner(ctx context.Context, a ledger.Account) error {
	owner, ok := ownerTables[a.OwnerType]
	if !ok {
		return nil // no wallet for other owners (system accounts are made with their point type)
	}
	return t.later(ctx, nil, `INSERT INTO ledger_accounts (`+accountCols+`)
		SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 WHERE EXISTS (SELECT 1 FROM `+owner+` WHERE tenant_id = $1 AND id = $5)
		ON CONFLICT (tenant_id, id) DO NOTHING`,
		a.TenantID, a.ID, a.PointTypeID, a.OwnerType, a.OwnerID, a.Available, a.Pending, a.Seq, ms(a.CreatedAt), ms(a.UpdatedAt))
}

// GetAccount reads an account.
func (t *Tx) GetAccount(ctx context.Context, tenantID, id string) (ledger.Account, error) {
	a, err := scanAccount(t.queryRow(ctx, `SELECT `+accountCols+` FROM ledger_accounts WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return a, notFound(err, "account", id)
}

// LockAccounts reads the existing accounts among ids for update, in id
// order (PostgreSQL locks the rows; SQLite's single writer needs no lock).
func (t *Tx) LockAccounts(ctx context.Context, tenantID string, ids []string) ([]ledger.Account, error) {
	var out []ledger.Account
	for _, part := range chunks(ids, rowsPerStatement) {
		q := `SELECT ` + accountCols + ` FROM ledger_accounts WHERE tenant_id = $1 AND id IN (` + inList(len(part), 2) + `) ORDER BY id` + t.forUpdate()
		rows, err := t.queryN(ctx, len(part), q, append([]any{tenantID}, anys(part)...)...)
		if err != nil {
			return nil, err
		}
		got, err := scanAll(rows, scanAccount)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// AddToAccount changes a wallet's balances unless the limits forbid it.
func (t *Tx) AddToAccount(ctx context.Context, tenantID, id string, dAvail, dPending, floor int64, at time.Time) (ledger.Account, bool, error) {
	a, err := scanAccount(t.rowAfterHeld(ctx, `UPDATE ledger_accounts SET available = available + $3, pending = pending + $4, seq = seq + 1, updated_ms = $7
		WHERE tenant_id = $1 AND id = $2 AND available + $3 >= $5 AND available + $3 + pending + $4 <= $6
		RETURNING `+accountCols, tenantID, id, dAvail, dPending, floor, ledger.MaxBalance, ms(at)))
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	return a, err == nil, err
}

// SetAccounts writes the balances and sequences of locked accounts, one
// prepared statement per account. (A single UPDATE … FROM a VALUES list
// reads well, but on a large table SQLite plans it as a scan of the table:
// quadratic in practice.)
func (t *Tx) SetAccounts(ctx context.Context, accts []ledger.Account) error {
	for _, a := range accts {
		if _, err := t.exec(ctx, `UPDATE ledger_accounts SET available = $3, pending = $4, seq = $5, updated_ms = $6 WHERE tenant_id = $1 AND id = $2`,
			a.TenantID, a.ID, a.Available, a.Pending, a.Seq, ms(a.UpdatedAt)); err != nil {
			return err
		}
	}
	return nil
}

// ListAccountsOf reads an owner's wallets.
func (t *Tx) ListAccountsOf(ctx context.Context, tenantID string, o ledger.Owner) ([]ledger.Account, error) {
	return list(ctx, t, `SELECT `+accountCols+` FROM ledger_accounts WHERE tenant_id = $1 AND owner_type = $2 AND owner_id = $3 ORDER BY point_type_id`,
		scanAccount, tenantID, o.Type, o.ID)
}

// SystemBalance sums a system account's postings.
func (t *Tx) SystemBalance(ctx context.Context, tenantID, accountID string) (int64, error) {
	var n int64
	err := t.queryRow(ctx, `SELECT COALESCE(SUM(amount), 0) FROM ledger_postings WHERE tenant_id = $1 AND account_id = $2`, tenantID, accountID).Scan(&n)
	return n, err
}

// scanAll scans every row and closes rows.
func scanAll[T any](rows *sql.Rows, scan func(rowScanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
