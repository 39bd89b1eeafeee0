package partner

import (
	"context"
	"fmt"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// SourcePrefix starts the source of a partner's events: partner:<id>.
const SourcePrefix = "partner:"

// Issue is points issued through one of a partner's events.
type Issue struct {
	TenantID   string
	PartnerID  string
	EventID    string
	MemberID   string
	Points     int64
	OccurredMs int64
}

// VetPartnerEvents checks the events a partner's key sends, before
// ingestion reads or writes anything (events.PartnerGate). Each must name
// a member opted in to the partner. Its source is the partner's: an empty
// source becomes partner:<id>; another source is refused, so that a
// partner can neither pass its events off as the operator's nor as another
// partner's. The opt-in is checked again inside the event's transaction
// (AfterEvent), which settles a race with a withdrawal.
func (s *Service) VetPartnerEvents(ctx context.Context, p access.Principal, ins []events.Input) error {
	src := SourcePrefix + p.PartnerID
	var f errs.Fields
	for i := range ins {
		at := fieldAt(len(ins), i)
		switch strings.TrimSpace(ins[i].Source) {
		case "":
			ins[i].Source = src
		case src:
		default:
			f.Add(at+"source", "partner_source", "a partner's events have source %q (or leave it out); %q is not this partner's", src, ins[i].Source)
		}
		if ins[i].PointsSpent != 0 {
			f.Add(at+"points_spent", "partner_redemption", "a partner takes points through POST /v1/partners/%s/redemptions, not in events", p.PartnerID)
		}
		if strings.TrimSpace(ins[i].Member) == "" {
			f.Add(at+"member", "required", "a partner's event names the member who bought (id or ext:<external id>)")
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.Store.Read(ctx, func(tx Tx) error {
		pt, err := tx.GetPartner(ctx, p.TenantID, p.PartnerID)
		if err != nil {
			return err
		}
		if pt.Status != Active {
			return errs.E(errs.Forbidden, "partner_suspended", "partner %s is %s", pt.ID, pt.Status)
		}
		for i, in := range ins {
			m, err := memberOf(ctx, tx, p.TenantID, in.Member)
			if err == nil {
				err = optedIn(ctx, tx, p.TenantID, pt.ID, m.ID, in.Member)
			}
			if err != nil && len(ins) > 1 {
				return errs.Prefix(err, fieldAt(len(ins), i))
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// fieldAt is the field path of the i-th of n events (none for one event).
func fieldAt(n, i int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf("events[%d].", i)
}

// Hook records, inside every new event's transaction, the points a
// partner's event issued in the partner's program, for the settlement.
// For a partner's key it checks the opt-in again.
type Hook struct{}

// CheckTx implements events.TxChecker: the app checks at startup that
// ingestion's transaction is also this package's Tx.
func (Hook) CheckTx(tx events.Tx) error { return events.Needs[Tx](tx) }

// AfterEvent implements events.Hook.
func (h Hook) AfterEvent(ctx context.Context, hc *events.HookCtx, rec *events.Record) error {
	id, ok := strings.CutPrefix(rec.Event.Source, SourcePrefix)
	if !ok || rec.Event.Type == engine.Return {
		return nil
	}
	tx, err := events.TxAs[Tx](hc.Tx)
	if err != nil {
		return err
	}
	pt, err := tx.GetPartner(ctx, rec.TenantID, id)
	if errs.Is(err, errs.NotFound) && hc.Principal.PartnerID == "" {
		return nil // an operator's own source that merely looks like a partner's
	}
	if err != nil {
		return err
	}
	if hc.Principal.PartnerID != "" {
		if err := optedIn(ctx, tx, rec.TenantID, pt.ID, rec.MemberID, rec.MemberID); err != nil {
			return err
		}
	}
	var points int64
	for _, r := range rec.Results {
		if r.ProgramID != pt.ProgramID || r.Status != engine.Applied {
			continue
		}
		for _, e := range r.Earns {
			points += e.Points
		}
	}
	if points == 0 {
		return nil
	}
	return tx.InsertIssue(ctx, Issue{TenantID: rec.TenantID, PartnerID: pt.ID, EventID: rec.ID, MemberID: rec.MemberID,
		Points: points, OccurredMs: rec.Event.OccurredAt.UnixMilli()})
}
