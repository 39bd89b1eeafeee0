package program

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// When a tenant requires a second person to approve program changes, a
// draft does not start running on one person's word either: its
// activation (to active, or to a pilot) is stored as the program's
// pending move and waits in the approval inbox, as new versions of
// running programs do. Another person, who was not made for the purpose
// (access.Approvers), approves it — the move is made then — or rejects it.

// Move is a lifecycle move waiting for approval.
type Move struct {
	StatusInput
	RequestedBy string    `json:"requested_by"`
	RequestedAt time.Time `json:"requested_at"`
	// Versions is how many versions the program had when asked: the
	// approver approves those rules, not a version added afterwards.
	Versions int `json:"versions"`
}

// needsApproval reports whether a move waits for a second person: a
// draft's first run, in a tenant that requires it.
func (s *Service) needsApproval(ctx context.Context, tx Tx, pr Program, in StatusInput) (bool, error) {
	if pr.Status != Draft || (in.Status != Active && in.Status != Pilot) {
		return false, nil
	}
	return tx.VersionApprovalRequired(ctx, pr.TenantID)
}

// submitActivation stores the move as pending; one waits at a time.
func (s *Service) submitActivation(ctx context.Context, tx Tx, p access.Principal, pr Program, in StatusInput, err error) (Program, error) {
	if err != nil {
		return pr, err
	}
	if pr.Pending != nil {
		return pr, errs.E(errs.Conflict, "activation_pending", "program %s already waits for approval to become %s", pr.ID, pr.Pending.Status)
	}
	before := pr
	pr.UpdatedAt = s.Clock.Now()
	in.UnchangedSince = nil
	pr.Pending = &Move{StatusInput: in, RequestedBy: p.Name(), RequestedAt: pr.UpdatedAt, Versions: pr.Versions}
	if err := setPeriod(&Program{StartsAt: pr.StartsAt, EndsAt: pr.EndsAt}, in); err != nil {
		return before, err
	}
	if err := tx.UpdateProgram(ctx, pr); err != nil {
		return before, err
	}
	return pr, audit.Record(ctx, tx, p, pr.UpdatedAt, "program.activation_submitted", "program", pr.ID, before, pr)
}

// move makes a lifecycle move (checked by the caller) and records it.
func (s *Service) move(ctx context.Context, tx Tx, p access.Principal, before Program, in StatusInput, action string) (Program, error) {
	pr := before
	pr.Status, pr.Pilot, pr.Control, pr.UpdatedAt, pr.Pending = in.Status, in.Pilot, in.Control, s.Clock.Now(), nil
	if err := setPeriod(&pr, in); err != nil {
		return before, err
	}
	if in.Status != Pilot {
		pr.Pilot, pr.Control = nil, nil
	}
	if err := tx.UpdateProgram(ctx, pr); err != nil {
		return before, err
	}
	return pr, audit.Record(ctx, tx, p, pr.UpdatedAt, action, "program", pr.ID, before, pr)
}

// PendingActivations lists the drafts whose activation waits for approval.
func (s *Service) PendingActivations(ctx context.Context, p access.Principal) ([]Program, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	all, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Program, error) { return tx.ListPrograms(ctx, p.TenantID, page.Request{Limit: 1000}) })
	var out []Program
	for _, pr := range all {
		if pr.Pending != nil {
			out = append(out, pr)
		}
	}
	return out, err
}

// DecideActivation approves (the move is made now) or rejects (with a
// reason) a draft's pending activation. The approver must be another
// person than the requester, not one the requester made for it.
func (s *Service) DecideActivation(ctx context.Context, p access.Principal, programID string, approve bool, note string) (Program, error) {
	if err := p.Can(access.ApproveVersion); err != nil {
		return Program{}, err
	}
	var f errs.Fields
	note = valid.Text(&f, "note", note, !approve, 500)
	if err := f.Err(); err != nil {
		return Program{}, err
	}
	checked, err := s.fourEyesFirst(ctx, p, programID)
	if err != nil {
		return Program{}, err
	}
	pr, err := txn.Do(ctx, s.Store, func(tx Tx) (Program, error) {
		if err := tx.LockProgram(ctx, p.TenantID, programID); err != nil {
			return Program{}, err
		}
		pr, err := pendingIn(ctx, tx, p.TenantID, programID)
		if err != nil {
			return pr, err
		}
		if !sameRequest(pr.Pending, checked) {
			return pr, errs.E(errs.Conflict, "changed_meanwhile", "program %s had its activation asked again meanwhile; read it again", programID)
		}
		if approve && pr.Versions != pr.Pending.Versions {
			return pr, errs.E(errs.Conflict, "changed_meanwhile", "program %s has a version added since its activation was asked; reject it and ask again", programID)
		}
		if approve {
			return s.move(ctx, tx, p, pr, pr.Pending.StatusInput, "program.activation_approved")
		}
		before := pr
		pr.Pending, pr.UpdatedAt = nil, s.Clock.Now()
		if err := tx.UpdateProgram(ctx, pr); err != nil {
			return before, err
		}
		return pr, audit.Record(ctx, tx, p, pr.UpdatedAt, "program.activation_rejected", "program", pr.ID, before, map[string]any{"program": pr, "note": note})
	})
	s.changed(p.TenantID, err)
	return pr, err
}

// fourEyesFirst reads program programID's pending activation and applies
// the four-eyes rule to p approving or rejecting it, before the decision's
// write transaction, and answers the move it checked. The check reads on a
// connection of its own: run inside the write, after the program's lock,
// concurrent decisions each held a connection of PostgreSQL's pool while
// waiting for another, and the pool could run dry. The write then makes
// sure the move pending is still the one checked.
func (s *Service) fourEyesFirst(ctx context.Context, p access.Principal, programID string) (*Move, error) {
	pr, err := txn.Get(ctx, s.Store, func(tx Tx) (Program, error) { return pendingIn(ctx, tx, p.TenantID, programID) })
	if err != nil {
		return nil, err
	}
	return pr.Pending, s.checkApprover(ctx, p, pr.Pending)
}

// pendingIn reads program programID, which must be a draft with an
// activation waiting for approval.
func pendingIn(ctx context.Context, tx Tx, tenantID, programID string) (Program, error) {
	pr, err := tx.GetProgram(ctx, tenantID, programID)
	if err == nil && (pr.Pending == nil || pr.Status != Draft) {
		err = errs.E(errs.Conflict, "not_pending", "program %s has no activation waiting for approval", programID)
	}
	return pr, err
}

// sameRequest reports whether two pending moves are the same request: who
// asked and when identify it.
func sameRequest(a, b *Move) bool {
	return a.RequestedBy == b.RequestedBy && a.RequestedAt.Equal(b.RequestedAt)
}

func (s *Service) checkApprover(ctx context.Context, p access.Principal, m *Move) error {
	if s.Approvers != nil {
		return s.Approvers.CheckApprover(ctx, p, m.RequestedBy, m.RequestedAt)
	}
	if p.Name() == m.RequestedBy {
		return errs.E(errs.Forbidden, "four_eyes", "the person who asked cannot approve it; ask a colleague")
	}
	return nil
}
