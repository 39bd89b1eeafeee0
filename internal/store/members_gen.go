package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/ledger"
)

// MemberGenSpec sizes the participants the card page's benchmark
// measures among: Members members in organizations of PerOrg each, every
// organization and member with a card in ProgramID and a wallet of
// PointTypeID, every organization enrolled.
type MemberGenSpec struct {
	TenantID, ProgramID, PointTypeID string
	Members, PerOrg                  int
	Now                              time.Time
}

// memberGenBatch is how many members one write transaction holds.
const memberGenBatch = 5000

// GenMemberID is the id of generated member i; its e-mail address is
// GenMemberEmail(i).
func GenMemberID(i int) string { return fmt.Sprintf("gen-mbr-%08d", i) }

// GenMemberEmail is generated member i's address.
func GenMemberEmail(i int) string { return fmt.Sprintf("gen-%08d@members.example", i) }

// GenerateMembers bulk-inserts the participants straight into the tables
// (multi-row inserts, no services: a load generator), batch by batch,
// calling progress with the members written after each.
func (db *DB) GenerateMembers(ctx context.Context, s MemberGenSpec, progress func(done int)) error {
	if s.PerOrg < 1 {
		s.PerOrg = 1
	}
	for from := 0; from < s.Members; from += memberGenBatch {
		to := min(s.Members, from+memberGenBatch)
		err := db.Write(ctx, func(tx *Tx) error {
			var g memberRows
			for i := from; i < to; i++ {
				g.member(s, i)
			}
			return g.insert(ctx, tx)
		})
		if err != nil {
			return err
		}
		if progress != nil {
			progress(to)
		}
	}
	return db.analyze(ctx, "organizations", "members", "ledger_accounts", "program_states", "cards")
}

// analyze refreshes PostgreSQL's planner statistics of tables just
// bulk-loaded, as autovacuum would a while later: right after the load
// the planner still sees the tables as they were and may choose its plans
// by that. SQLite keeps no statistics (none are ever gathered here).
func (db *DB) analyze(ctx context.Context, tables ...string) error {
	if db.engine != Postgres {
		return nil
	}
	for _, t := range tables {
		if _, err := db.write.ExecContext(ctx, "ANALYZE "+t); err != nil {
			return fmt.Errorf("analyze %s: %w", t, err)
		}
	}
	return nil
}

// memberRows collects one batch's rows per table.
type memberRows struct {
	orgs, members, accounts, states, cards [][]any
}

// member makes member i's rows, and its organization's when i is the
// organization's first member.
func (g *memberRows) member(s MemberGenSpec, i int) {
	now := s.Now.UnixMilli()
	org := fmt.Sprintf("gen-morg-%07d", i/s.PerOrg)
	if i%s.PerOrg == 0 {
		n := strconv.Itoa(i / s.PerOrg)
		g.orgs = append(g.orgs, []any{s.TenantID, org, "dealer", "Dealer " + n, "", "GENM-" + n, "building", "north", "DE", "small", ",gen,",
			nil, nil, "active", now, now})
		g.states = append(g.states, []any{s.TenantID, s.ProgramID, "organization", org, `{"enrolled_at":"` + s.Now.UTC().Format(time.RFC3339Nano) + `"}`, nil, now, now})
		g.owner(s, ledger.OwnerOrganization, org, org, 2*i, int64(i%5000))
	}
	id := GenMemberID(i)
	roles := ",sales,"
	if i%s.PerOrg == 0 {
		roles = ",owner,"
	}
	g.members = append(g.members, []any{s.TenantID, id, org, "Member " + strconv.Itoa(i), roles, GenMemberEmail(i), "", "", "", "",
		"en", "", nil, "active", now, now})
	g.owner(s, ledger.OwnerMember, id, org, 2*i+1, int64(i%700))
}

// owner adds an owner's wallet and card; seq numbers the card.
func (g *memberRows) owner(s MemberGenSpec, ownerType ledger.OwnerType, ownerID, org string, seq int, balance int64) {
	now := s.Now.UnixMilli()
	acct := ledger.AccountID(s.PointTypeID, ownerType, ownerID)
	g.accounts = append(g.accounts, []any{s.TenantID, acct, s.PointTypeID, string(ownerType), ownerID, balance, 0, 0, now, now})
	digits := fmt.Sprintf("9%014d", seq) // 15 digits, distinct from drawn numbers only by chance: fine for a load
	g.cards = append(g.cards, []any{s.TenantID, fmt.Sprintf("gen-card-%09d", seq), s.ProgramID, string(ownerType), ownerID, org,
		card.WithCheckDigit(digits), fmt.Sprintf("GENSERIAL%015d", seq), card.Active, "", "", now, now, now})
}

// insert writes the batch's rows, table by table (parents first).
func (g *memberRows) insert(ctx context.Context, tx *Tx) error {
	for _, t := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"organizations", splitCols(orgCols), g.orgs},
		{"members", splitCols(memberCols), g.members},
		{"ledger_accounts", splitCols(accountCols), g.accounts},
		{"program_states", []string{"tenant_id", "program_id", "owner_type", "owner_id", "state", "due_ms", "enrolled_ms", "updated_ms"}, g.states},
		{"cards", splitCols(cardCols), g.cards},
	} {
		rows := t.rows
		if err := tx.insertRows(ctx, t.table, t.cols, len(rows), func(i int) []any { return rows[i] }); err != nil {
			return fmt.Errorf("%s: %w", t.table, err)
		}
	}
	return nil
}
