package partner

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Opt-in statuses.
const (
	OptedIn = "opted_in"
	Revoked = "revoked"
)

// OptIn is a member's consent to a partner: points for purchases at the
// partner, and paying with points there.
type OptIn struct {
	TenantID  string     `json:"-"`
	PartnerID string     `json:"partner_id"`
	MemberID  string     `json:"member_id"`
	Status    string     `json:"status"`
	OptedInAt time.Time  `json:"opted_in_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

// OptIn records that a member opted in to a partner. Opting in again after
// a withdrawal opts in anew; opting in while opted in changes nothing and
// returns the standing opt-in.
func (s *Service) OptIn(ctx context.Context, p access.Principal, partnerID, memberRef string) (OptIn, error) {
	if err := operator(p, access.ScopeWrite); err != nil {
		return OptIn{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (OptIn, error) {
		m, before, err := s.optInOf(ctx, tx, p.TenantID, partnerID, memberRef)
		if err != nil || before.Status == OptedIn {
			return before, err
		}
		now := s.Clock.Now()
		after := OptIn{TenantID: p.TenantID, PartnerID: partnerID, MemberID: m.ID, Status: OptedIn, OptedInAt: now}
		ok, err := tx.PutOptIn(ctx, after, before.Status)
		if err != nil {
			return after, err
		}
		if !ok { // opted in meanwhile by a concurrent request: that is the standing opt-in
			return tx.GetOptIn(ctx, p.TenantID, partnerID, m.ID)
		}
		return after, audit.Record(ctx, tx, p, now, "partner.opted_in", "partner", partnerID, nilIfEmpty(before), after)
	})
}

// Revoke withdraws a member's opt-in: the partner's later events for the
// member are refused. Revoking what is not opted in is a conflict.
func (s *Service) Revoke(ctx context.Context, p access.Principal, partnerID, memberRef string) (OptIn, error) {
	if err := operator(p, access.ScopeWrite); err != nil {
		return OptIn{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (OptIn, error) {
		m, before, err := s.optInOf(ctx, tx, p.TenantID, partnerID, memberRef)
		if err != nil {
			return before, err
		}
		if before.Status != OptedIn {
			return before, errs.E(errs.Conflict, "not_opted_in", "member %s is not opted in to partner %s", m.ID, partnerID)
		}
		now := s.Clock.Now()
		after := before
		after.Status, after.RevokedAt = Revoked, &now
		ok, err := tx.PutOptIn(ctx, after, OptedIn)
		if err != nil {
			return after, err
		}
		if !ok {
			return before, errs.E(errs.Conflict, "not_opted_in", "member %s is not opted in to partner %s", m.ID, partnerID)
		}
		return after, audit.Record(ctx, tx, p, now, "partner.opt_in_revoked", "partner", partnerID, before, after)
	})
}

// optInOf reads a partner's member and the member's opt-in (zero when none).
func (s *Service) optInOf(ctx context.Context, tx Tx, tenantID, partnerID, memberRef string) (party.Member, OptIn, error) {
	if _, err := tx.GetPartner(ctx, tenantID, partnerID); err != nil {
		return party.Member{}, OptIn{}, err
	}
	m, err := memberOf(ctx, tx, tenantID, memberRef)
	if err != nil {
		return m, OptIn{}, err
	}
	o, err := tx.GetOptIn(ctx, tenantID, partnerID, m.ID)
	if errs.Is(err, errs.NotFound) {
		return m, OptIn{}, nil
	}
	return m, o, err
}

// memberOf reads a member by id or ext:<external id>, as a field problem
// when there is none.
func memberOf(ctx context.Context, tx party.MemberReader, tenantID, ref string) (party.Member, error) {
	if ref == "" {
		return party.Member{}, errs.InvalidField("member", "required", "name the member (id or ext:<external id>)")
	}
	m, err := party.MemberByRef(ctx, tx, tenantID, ref)
	if errs.Is(err, errs.NotFound) {
		return m, errs.InvalidField("member", "unknown_member", "no member %q in this tenant", ref)
	}
	return m, err
}

// optedIn refuses a member who is not opted in to the partner.
func optedIn(ctx context.Context, tx Tx, tenantID, partnerID, memberID, ref string) error {
	o, err := tx.GetOptIn(ctx, tenantID, partnerID, memberID)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return err
	}
	if o.Status != OptedIn {
		return errs.E(errs.Forbidden, "member_not_opted_in", "member %s has not opted in to partner %s", ref, partnerID)
	}
	return nil
}

func nilIfEmpty(o OptIn) any {
	if o.MemberID == "" {
		return nil
	}
	return o
}
