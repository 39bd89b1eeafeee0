package events

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/jobrun"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// ReviewBatch is how many participants one review transaction handles.
const ReviewBatch = 200

// JobReview names the review job.
const JobReview = "review"

// ReviewDue runs the time-driven changes due at a time for one tenant:
// tier requalification, stored step-downs, period bonuses. Every state
// remembers the periods it has been reviewed for and the ledger entries
// have keys derived from them, so running it twice, or on two replicas at
// once, changes nothing more. It returns how many participants it
// reviewed; one it could not review is skipped and reported in a
// *jobrun.Error, and the others are reviewed.
func (s *Service) ReviewDue(ctx context.Context, tenantID string, at time.Time) (int, error) {
	p := access.System(tenantID)
	return jobrun.Run(ctx, jobrun.Batch[StoredState]{Job: JobReview, Size: ReviewBatch,
		ID: func(st StoredState) string { return st.Key.ProgramID + "/" + st.Key.OwnerID },
		// A write, short as it is: the states another run is reviewing are
		// locked, and the query skips them (a read-only transaction could
		// not ask for locks).
		Due: func(ctx context.Context, limit int) ([]StoredState, error) {
			return txn.Do(ctx, s.Store, func(tx Tx) ([]StoredState, error) { return tx.DueStates(ctx, tenantID, at, limit) })
		},
		Do: func(ctx context.Context, due []StoredState) (int, error) { return s.reviewBatch(ctx, p, due, at) },
	})
}

// reviewBatch reviews due states in one transaction, locking them first
// and leaving those another run reviewed meanwhile.
func (s *Service) reviewBatch(ctx context.Context, p access.Principal, due []StoredState, at time.Time) (int, error) {
	return txn.Do(ctx, s.Store, func(tx Tx) (int, error) {
		keys := make([]StateKey, len(due))
		for i, st := range due {
			keys[i] = st.Key
		}
		locked, err := tx.GetStates(ctx, p.TenantID, keys, true)
		if err != nil {
			return 0, err
		}
		rv := reviewing{s.newUnit(tx, p, at)}
		if rv.programs, err = s.running(ctx, tx, p.TenantID); err != nil {
			return 0, err
		}
		n := 0
		for i := range locked {
			if st := &locked[i]; !st.DueAt.IsZero() && !st.DueAt.After(at) {
				if err := rv.review(ctx, st, at); err != nil {
					return 0, err
				}
				n++
			}
		}
		return n, rv.flush(ctx)
	})
}

// reviewing is the review's pipeline over a unit of work: each due state
// is reviewed by its program, its bonus posted and its tier move announced.
type reviewing struct{ *unit }

// review reviews one organization's state in its program.
func (rv reviewing) review(ctx context.Context, st *StoredState, at time.Time) error {
	rv.states[st.Key] = st
	r := rv.find(st.Key.ProgramID)
	var v *engine.Program
	if r != nil {
		v = r.at(at)
	}
	if v == nil {
		st.DueAt = time.Time{} // the program stopped or its period is over: nothing is due until it runs again
		rv.markDirty(st.Key)
		return nil
	}
	ps, err := rv.programState(ctx, v)
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
		rv.states[k].Program = out.ProgramState
		rv.markDirty(k)
	}
	if len(out.Earns) > 0 {
		e := ledger.Entry{Kind: ledger.KindEarn, IdemKey: "review:" + v.ID + ":" + st.Key.OwnerID + ":" + engine.MonthKey(at),
			Effective: at, Cause: ledger.Cause{RuleID: "period_bonus", Reason: out.Earns[0].Reason}}
		e.Credits, _ = MergeEarns(out.Earns, v.Def.PointTypeID)
		if _, err := rv.s.Ledger.PostWithin(ctx, rv.tx, rv.p, e); err != nil {
			return err
		}
	}
	if err := rv.announceTier(ctx, v, st.Key.OwnerID, out.Tier); err != nil {
		return err
	}
	rv.keep(st.Key, out.OrgState, false, r)
	st.DueAt = engine.NextDue(r.latest(), at) // reviewed: due again next period
	return nil
}
