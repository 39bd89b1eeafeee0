package events

import (
	"context"
	"slices"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// applyReturn takes back, per program, the returned share of what the
// original invoice earned, and records on the original what was returned.
func (b *batch) applyReturn(ctx context.Context, rec *Record, org party.Organization, m *party.Member) error {
	// Locked before what was returned of it is read: two returns of one
	// invoice would otherwise both find its units unreturned, and both
	// take back their points.
	orig, err := b.tx.LockEventByExternal(ctx, b.p.TenantID, rec.Event.Source, rec.Event.Original)
	if errs.Is(err, errs.NotFound) {
		return errs.InvalidField("original", "unknown_original", "no invoice %s/%s was received; a return refers to the original's external id and source",
			rec.Event.Source, rec.Event.Original)
	}
	if err != nil {
		return err
	}
	if !engine.Purchase(orig.Event.Type) || orig.OrganizationID != org.ID {
		return errs.InvalidField("original", "not_returnable", "event %s/%s is not a purchase of organization %s", rec.Event.Source, rec.Event.Original, org.ID)
	}
	if _, err := engine.MatchReturn(&rec.Event, originalOf(&orig, nil)); err != nil {
		return err // checked once even when no program earned on the original
	}
	for i := range orig.Results {
		if err := b.returnIn(ctx, rec, &orig, i, org, m); err != nil {
			return err
		}
	}
	return b.tx.UpdateEventResults(ctx, b.p.TenantID, orig.ID, orig.Results)
}

// originalOf is what the engine needs of the original for one program.
func originalOf(orig *Record, res *ProgramResult) *engine.Original {
	o := &engine.Original{Event: orig.Event, Returned: make([]int64, len(orig.Event.Lines))}
	if res == nil {
		return o
	}
	if len(res.Returned) == len(o.Returned) {
		copy(o.Returned, res.Returned)
	}
	o.Earned, o.Clawed, o.Reclaim = res.Earns, res.Clawed, res.Reclaim
	if res.Stamps != nil {
		o.Stamps = res.Stamps.Added
	}
	return o
}

// returnIn applies a return in the program of the original's i-th result.
func (b *batch) returnIn(ctx context.Context, rec *Record, orig *Record, i int, org party.Organization, m *party.Member) error {
	res := &orig.Results[i]
	r := b.find(res.ProgramID)
	if r == nil || res.Status != engine.Applied {
		return nil // the program stopped running, or gave nothing
	}
	v := r.at(orig.Event.OccurredAt)
	part, err := b.participant(ctx, r, org, m, rec.Event.OccurredAt)
	if err != nil {
		return err
	}
	rr, err := engine.EvaluateReturn(v, part, &rec.Event, originalOf(orig, res))
	if err != nil {
		return err
	}
	out := ProgramResult{Outcome: rr.Outcome}
	if err := b.claw(ctx, rec, v, res, &out); err != nil {
		return err
	}
	res.Returned, res.Clawed, res.Reclaim = rr.Returned, rr.Clawed, rr.Reclaim
	b.keep(StateKey{v.ID, engine.OwnerOrganization, org.ID}, rr.OrgState, false, r)
	rec.Results = append(rec.Results, out)
	return nil
}

// claw takes the points back from the lots the original created, under
// the program's return policy.
func (b *batch) claw(ctx context.Context, rec *Record, v *engine.Program, orig *ProgramResult, out *ProgramResult) error {
	if len(out.Claws) == 0 {
		return nil
	}
	e := ledger.Entry{Kind: ledger.KindClawback, IdemKey: "event:" + rec.ID + ":" + v.ID, Effective: rec.Event.OccurredAt,
		Cause: ledger.Cause{EventID: rec.ID, Reason: out.Reason}}
	for _, c := range out.Claws {
		if c.Index >= len(orig.Lots) {
			return errs.E(errs.Internal, "return_lots", "the original's lots are missing")
		}
		lot := orig.Lots[c.Index]
		if j := slices.IndexFunc(e.Clawbacks, func(x ledger.Clawback) bool { return x.LotID == lot }); j >= 0 {
			e.Clawbacks[j].Amount += c.Points // earns that share a lot are taken back together
			continue
		}
		e.Clawbacks = append(e.Clawbacks, ledger.Clawback{LotID: lot, Amount: c.Points, Policy: v.Def.ReturnPolicy})
	}
	t, err := b.s.Ledger.PostDeferred(ctx, b.tx, b.p, e, &b.ledger)
	out.LedgerTx = t.ID
	return err
}
