package events

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// ReviewBatch is how many participants one review transaction handles.
const ReviewBatch = 200

// ReviewDue runs the time-driven changes due at a time for one tenant:
// tier requalification, stored step-downs, period bonuses. Every state
// remembers the periods it has been reviewed for and the ledger entries
// have keys derived from them, so running it twice, or on two replicas at
// once, changes nothing more. It returns how many participants changed.
func (s *Service) ReviewDue(ctx context.Context, tenantID string, at time.Time) (int, error) {
	p := access.System(tenantID)
	total := 0
	for {
		n, err := txn.Do(ctx, s.Store, func(tx Tx) (int, error) {
			due, err := tx.DueStates(ctx, tenantID, at, ReviewBatch)
			if err != nil || len(due) == 0 {
				return 0, err
			}
			b := s.newBatch(tx, p, at, false)
			if b.programs, err = s.running(ctx, tx, tenantID); err != nil {
				return 0, err
			}
			for i := range due {
				if err := b.review(ctx, &due[i], at); err != nil {
					return 0, err
				}
			}
			return len(due), b.flush(ctx)
		})
		total += n
		if err != nil || n < ReviewBatch {
			return total, err
		}
	}
}

// review reviews one organization's state in its program.
func (b *batch) review(ctx context.Context, st *StoredState, at time.Time) error {
	b.states[st.Key] = st
	r := b.find(st.Key.ProgramID)
	var v *engine.Program
	if r != nil {
		v = r.at(at)
	}
	if v == nil {
		st.DueAt = time.Time{} // the program stopped or its period is over: nothing is due until it runs again
		b.markDirty(st.Key)
		return nil
	}
	ps, err := b.programState(ctx, v)
	if err != nil {
		return err
	}
	part := engine.Participant{Org: engine.Org{ID: st.Key.OwnerID}, OrgState: st.State}
	out, err := engine.Review(v, ps.Program, part, at)
	if err != nil {
		return err
	}
	if v.NeedsProgramState() {
		k := StateKey{ProgramID: v.ID, OwnerType: "program"}
		b.states[k].Program = out.ProgramState
		b.markDirty(k)
	}
	if len(out.Earns) > 0 {
		e := ledger.Entry{Kind: ledger.KindEarn, IdemKey: "review:" + v.ID + ":" + st.Key.OwnerID + ":" + engine.MonthKey(at),
			Effective: at, Cause: ledger.Cause{RuleID: "period_bonus", Reason: out.Earns[0].Reason}}
		e.Credits, _ = MergeEarns(out.Earns, v.Def.PointTypeID)
		if _, err := b.s.Ledger.PostWithin(ctx, b.tx, b.p, e); err != nil {
			return err
		}
	}
	b.keep(st.Key, out.OrgState, false, r)
	st.DueAt = engine.NextDue(r.latest(), at) // reviewed: due again next period
	return nil
}
