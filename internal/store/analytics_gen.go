package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
)

// GenSpec sizes the synthetic history `loyal bench analytics` writes: Orgs
// organizations with one member each, about PostingsPerOrg ledger
// postings apiece (four earns to one spend; an earn is two postings, and
// each earn is a purchase with its sales fact and lot) over the two years
// before Now, all enrolled in ProgramID. The first Pilot organizations
// form a pilot of PilotProgramID and the next Pilot its control group.
type GenSpec struct {
	TenantID, ProgramID, PointTypeID, PilotProgramID string
	Orgs, PostingsPerOrg, Pilot                      int
	Now                                              time.Time
	Seed                                             uint64
}

// GenCounts says what was written.
type GenCounts struct {
	Orgs, Facts, Txs, Postings int64
}

// genBatch is how many organizations one write transaction holds.
const genBatch = 500

// GenerateAnalytics bulk-inserts the history straight into the tables
// (no engine, no ledger service: this is a load generator), batch by
// batch, calling progress after each, then builds the analytics
// aggregates from what it wrote (the bulk inserts bypass their hooks).
func (db *DB) GenerateAnalytics(ctx context.Context, s GenSpec, progress func(GenCounts)) (GenCounts, error) {
	var c GenCounts
	for from := 0; from < s.Orgs; from += genBatch {
		to := min(s.Orgs, from+genBatch)
		err := db.Write(ctx, func(tx *Tx) error {
			var g genRows
			for i := from; i < to; i++ {
				g.org(s, i)
			}
			return g.insert(ctx, tx)
		})
		if err != nil {
			return c, err
		}
		c.Orgs = int64(to)
		_ = db.Read(ctx, func(tx *Tx) error {
			return tx.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM sales_facts WHERE tenant_id = $1), (SELECT COUNT(*) FROM ledger_txs WHERE tenant_id = $1)`,
				s.TenantID).Scan(&c.Facts, &c.Txs)
		})
		if progress != nil {
			progress(c)
		}
	}
	if _, err := db.RebuildAnalytics(ctx, s.TenantID); err != nil { // the bulk inserts bypass the aggregates' hooks
		return c, err
	}
	err := db.Read(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT COUNT(*) FROM ledger_postings WHERE tenant_id = $1`, s.TenantID).Scan(&c.Postings)
	})
	if err == nil && s.Pilot > 0 {
		err = db.Write(ctx, func(tx *Tx) error {
			pilot, control := make([]string, s.Pilot), make([]string, s.Pilot)
			for i := range s.Pilot {
				pilot[i], control[i] = genOrgID(i), genOrgID(s.Pilot+i)
			}
			_, err := tx.exec(ctx, `UPDATE programs SET status = 'pilot', pilot = $3, control = $4 WHERE tenant_id = $1 AND id = $2`,
				s.TenantID, s.PilotProgramID, jsonText(pilot), jsonText(control))
			return err
		})
	}
	return c, err
}

func genOrgID(i int) string { return fmt.Sprintf("gen-org-%07d", i) }

// genRows collects one batch's rows per table.
type genRows struct {
	orgs, members, accounts, states, facts, txs, postings, lots [][]any
}

var (
	genTypes   = []string{"dealer", "installer", "distributor", "contractor"}
	genRegions = []string{"north", "south", "east", "west"}
)

// org makes organization i's rows: purchases every cycle days (±50%),
// the cycle chosen so that most purchases fit the two years; a fifth of
// the organizations stop early (churn).
func (g *genRows) org(s GenSpec, i int) {
	r := rand.New(rand.NewPCG(s.Seed, uint64(i)))
	id, now := genOrgID(i), s.Now.UnixMilli()
	created := now - 800*dayMs
	g.orgs = append(g.orgs, []any{s.TenantID, id, genTypes[i%4], "Org " + strconv.Itoa(i), "", "GEN-" + strconv.Itoa(i), "building",
		genRegions[(i/4)%4], "DE", "medium", ",gen,", nil, nil, "active", created, created})
	g.members = append(g.members, []any{s.TenantID, "gen-mem-" + strconv.Itoa(i), id, "Member " + strconv.Itoa(i), ",sales,", nil, "", "", "", "",
		"de", "", nil, "active", created, created})
	wallet := ledger.AccountID(s.PointTypeID, ledger.OwnerOrganization, id)
	issuance, redemption := ledger.SystemAccountID(s.PointTypeID, ledger.SysIssuance), ledger.SystemAccountID(s.PointTypeID, ledger.SysRedemption)
	earns := max(1, s.PostingsPerOrg*2/5)
	cycle := 700 * dayMs / int64(earns) * int64(50+r.IntN(101)) / 100 // half to one and a half of what fits two years
	end := now
	if r.IntN(5) == 0 {
		end = now - int64(r.IntN(365))*dayMs // churned
	}
	at := now - 730*dayMs + r.Int64N(cycle)
	var bal, seq int64
	first := at
	for n := 0; n < earns && at < end; n++ {
		amount := int64(5000 + r.IntN(200000))
		pts := amount / 100
		txID := id + "-e" + strconv.Itoa(n)
		g.facts = append(g.facts, []any{s.TenantID, txID, id, at, "purchase", amount, int64(1 + r.IntN(20)), amount * 7 / 10})
		seq++
		bal += pts
		g.txs = append(g.txs, genTx(s.TenantID, txID, "earn", at, genLegs(s.PointTypeID, issuance, wallet, pts, seq, bal, txID)))
		g.postings = append(g.postings, []any{s.TenantID, txID, 0, issuance, s.PointTypeID, "available", -pts, "", nil, nil, nil},
			[]any{s.TenantID, txID, 1, wallet, s.PointTypeID, "available", pts, txID, seq, bal, 0})
		g.lots = append(g.lots, []any{s.TenantID, txID, wallet, txID, pts, pts, "available", at, at, ledger.NeverMs})
		if n%4 == 3 && bal > 10 {
			spend := bal / 2
			sid := id + "-s" + strconv.Itoa(n)
			seq++
			bal -= spend
			g.txs = append(g.txs, genTx(s.TenantID, sid, "spend", at+dayMs, genLegs(s.PointTypeID, wallet, redemption, spend, 0, 0, "")))
			g.postings = append(g.postings, []any{s.TenantID, sid, 0, wallet, s.PointTypeID, "available", -spend, "", seq, bal, 0},
				[]any{s.TenantID, sid, 1, redemption, s.PointTypeID, "available", spend, "", nil, nil, nil})
		}
		at += cycle/2 + r.Int64N(cycle+1)
	}
	g.accounts = append(g.accounts, []any{s.TenantID, wallet, s.PointTypeID, "organization", id, bal, 0, seq, created, now})
	enrolled := time.UnixMilli(first).UTC().Format(time.RFC3339Nano)
	g.states = append(g.states, []any{s.TenantID, s.ProgramID, "organization", id, `{"enrolled_at":"` + enrolled + `"}`, nil, first, now})
}

func genTx(tenantID, id, kind string, at int64, legs string) []any {
	return []any{tenantID, id, kind, id, "", at, at, "system", "gen", "", "", "", "generated", "", "", legs, ""} // as txCols: …, legs, reference
}

// genLegs is a transaction's legs as the ledger stores them (txLegs): pts
// from one account to another; a wallet credited gets its sequence and
// balance after, and the lot.
func genLegs(pointType, from, to string, pts, seq, bal int64, lot string) string {
	legs := txLegs{Postings: []ledger.Posting{
		{Seq: 0, AccountID: from, PointTypeID: pointType, Bucket: "available", Amount: -pts},
		{Seq: 1, AccountID: to, PointTypeID: pointType, Bucket: "available", Amount: pts, LotID: lot},
	}}
	if seq > 0 {
		legs.Postings[1].AccountSeq, legs.Postings[1].AvailableAfter = &seq, &bal
		legs.Lots = []string{lot}
	}
	b, _ := json.Marshal(legs)
	return string(b)
}

// insert writes the batch's rows, table by table.
func (g *genRows) insert(ctx context.Context, tx *Tx) error {
	for _, t := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"organizations", splitCols(orgCols), g.orgs},
		{"members", splitCols(memberCols), g.members},
		{"ledger_accounts", splitCols(accountCols), g.accounts},
		{"program_states", []string{"tenant_id", "program_id", "owner_type", "owner_id", "state", "due_ms", "enrolled_ms", "updated_ms"}, g.states},
		{"sales_facts", []string{"tenant_id", "event_id", "organization_id", "occurred_ms", "type", "amount", "qty", "cost"}, g.facts},
		{"ledger_txs", txCols, g.txs},
		{"ledger_postings", postingCols, g.postings},
		{"ledger_lots", lotColList, g.lots},
	} {
		rows := t.rows
		if err := tx.insertRows(ctx, t.table, t.cols, len(rows), func(i int) []any { return rows[i] }); err != nil {
			return fmt.Errorf("%s: %w", t.table, err)
		}
	}
	return nil
}

func splitCols(cols string) []string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

const dayMs = int64(24 * time.Hour / time.Millisecond)
