package events

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/tracing"
)

// apply evaluates every running program in force at the event's time and
// applies the outcomes.
func (b *batch) apply(ctx context.Context, rec *Record, org party.Organization, m *party.Member) error {
	for _, r := range b.programs {
		v := r.at(rec.Event.OccurredAt)
		if v == nil {
			continue // the program had not started yet
		}
		part, err := b.participant(ctx, r, org, m, rec.Event.OccurredAt)
		if err != nil {
			return err
		}
		ps, err := b.programState(ctx, v)
		if err != nil {
			return err
		}
		_, span := tracing.Start(ctx, "engine.evaluate")
		out, err := engine.Evaluate(v, ps.Program, part, &rec.Event)
		tracing.Fail(span, err)
		span.End()
		if err != nil {
			return err
		}
		res := ProgramResult{Outcome: out}
		if err := b.post(ctx, rec, v, &res); err != nil {
			return err
		}
		b.keepAll(r, v, &res.Outcome, org.ID, m)
		rec.Results = append(rec.Results, res)
	}
	return nil
}

// keepAll records the outcome's new states.
func (b *batch) keepAll(r *running, v *engine.Program, out *engine.Outcome, orgID string, m *party.Member) {
	if out.Status != engine.Applied && out.Status != engine.Control {
		return
	}
	b.keep(StateKey{v.ID, engine.OwnerOrganization, orgID}, out.OrgState, true, r)
	if m != nil {
		b.keep(StateKey{v.ID, engine.OwnerMember, m.ID}, out.MemberState, false, r)
	}
	if v.NeedsProgramState() {
		k := StateKey{ProgramID: v.ID, OwnerType: "program"}
		b.states[k].Program = out.ProgramState
		b.markDirty(k)
	}
}

// post writes an outcome's points to the ledger in one transaction whose
// key derives from the event: a points payment as a spend, and the earns
// as lots — one lot per wallet and dates, however many rules fired, since
// every lot and posting is a row to write. Each earn remembers its lot
// for returns.
func (b *batch) post(ctx context.Context, rec *Record, v *engine.Program, res *ProgramResult) error {
	out := &res.Outcome
	if len(out.Earns) == 0 && rec.Event.PointsSpent == 0 || out.Status != engine.Applied {
		return nil
	}
	e := ledger.Entry{Kind: ledger.KindEarn, IdemKey: "event:" + rec.ID + ":" + v.ID, Effective: rec.Event.OccurredAt,
		Cause: ledger.Cause{EventID: rec.ID, Reason: fmt.Sprintf("%s %s/%s", rec.Event.Type, rec.Event.Source, rec.Event.ExternalID)}}
	credits, lotOf := MergeEarns(out.Earns, v.Def.PointTypeID)
	e.Credits = credits
	if n := rec.Event.PointsSpent; n > 0 {
		if len(e.Credits) == 0 {
			e.Kind = ledger.KindSpend
		}
		e.Debits = append(e.Debits, ledger.Debit{Owner: ledger.Owner{Type: ledger.OwnerOrganization, ID: rec.OrganizationID},
			PointTypeID: v.Def.PointTypeID, Amount: n})
	}
	t, err := b.s.Ledger.PostDeferred(ctx, b.tx, b.p, e, &b.ledger)
	if err != nil {
		return err
	}
	res.LedgerTx = t.ID
	if len(t.Lots) != len(credits) {
		return errs.E(errs.Internal, "ledger_lots", "ledger made %d lots for %d credits", len(t.Lots), len(credits))
	}
	for _, i := range lotOf {
		res.Lots = append(res.Lots, t.Lots[i].ID)
	}
	return nil
}

// MergeEarns sums earns into one credit per wallet and dates, in order of
// first appearance, and gives each earn the index of its credit: one lot
// per wallet and dates, as ingestion posts them (the simulator does the
// same).
func MergeEarns(earns []engine.Earn, pointTypeID string) ([]ledger.Credit, []int) {
	var credits []ledger.Credit
	lotOf := make([]int, len(earns))
	for i, x := range earns {
		j := slices.IndexFunc(credits, func(c ledger.Credit) bool {
			return c.Owner.ID == x.OwnerID && string(c.Owner.Type) == x.Owner && sameTime(c.AvailableAt, x.AvailableAt) && sameTime(c.ExpiresAt, x.ExpiresAt)
		})
		if j < 0 {
			j = len(credits)
			credits = append(credits, ledger.Credit{Owner: ledger.Owner{Type: ledger.OwnerType(x.Owner), ID: x.OwnerID},
				PointTypeID: pointTypeID, AvailableAt: x.AvailableAt, ExpiresAt: x.ExpiresAt})
		}
		credits[j].Amount += x.Points
		lotOf[i] = j
	}
	return credits, lotOf
}

func sameTime(a, b *time.Time) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && a.Equal(*b))
}
