package program

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// A tenant may require that a new version of a running program be
// approved by a second person before it takes effect. Such a version is
// stored pending: the engine, simulations and quotes see only versions in
// force, until an approver other than its requester approves it.

// inForce drops versions that are pending or rejected.
func inForce(all []Version) []Version {
	out := make([]Version, 0, len(all))
	for _, v := range all {
		if v.Approval == "" {
			out = append(out, v)
		}
	}
	return out
}

// PendingVersions lists the versions waiting for approval, oldest first.
func (s *Service) PendingVersions(ctx context.Context, p access.Principal) ([]Version, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Version, error) { return tx.PendingVersions(ctx, p.TenantID) })
}

// DecideVersion approves or rejects a pending version. The approver must
// be someone other than its requester; an approved version takes effect
// now (or at its later start), never before the version in force.
func (s *Service) DecideVersion(ctx context.Context, p access.Principal, programID string, version int, approve bool, note string) (Version, error) {
	if err := p.Can(access.ApproveVersion); err != nil {
		return Version{}, err
	}
	var f errs.Fields
	note = valid.Text(&f, "note", note, !approve, 500)
	if err := f.Err(); err != nil {
		return Version{}, err
	}
	v, err := txn.Do(ctx, s.Store, func(tx Tx) (Version, error) {
		all, err := tx.ListAllVersions(ctx, p.TenantID, programID)
		if err != nil {
			return Version{}, err
		}
		if version < 1 || version > len(all) {
			return Version{}, errs.NotFoundf("program version", programID)
		}
		before := all[version-1]
		switch {
		case before.Approval != VersionPending:
			return before, errs.E(errs.Conflict, "not_pending", "version %d is not waiting for approval", version)
		case before.RequestedBy == p.Name():
			return before, errs.E(errs.Forbidden, "four_eyes", "the person who submitted a version cannot approve or reject it; ask a colleague")
		}
		now := s.Clock.Now()
		v := before
		v.DecidedBy, v.DecidedAt, v.DecisionNote, v.Approval = p.Name(), &now, note, VersionRejected
		action := "program.version_rejected"
		if approve {
			v.Approval, action = "", "program.version_approved"
			v.EffectiveFrom = later(v.EffectiveFrom, now)
			if cur := inForce(all); len(cur) > 0 && !v.EffectiveFrom.After(cur[len(cur)-1].EffectiveFrom) {
				v.EffectiveFrom = cur[len(cur)-1].EffectiveFrom.Add(time.Millisecond)
			}
		}
		ok, err := tx.DecideVersion(ctx, v)
		if err != nil {
			return v, err
		}
		if !ok {
			return before, errs.E(errs.Conflict, "not_pending", "version %d was decided meanwhile", version)
		}
		return v, audit.Record(ctx, tx, p, now, action, "program", programID, before, v)
	})
	s.changed(p.TenantID, err)
	return v, err
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
