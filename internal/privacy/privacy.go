// Package privacy answers a person's requests about their data: an export
// of everything held about a member, and erasure — their personal fields
// pseudonymized wherever they are stored, the audit log included, while
// the ledger and every aggregate stay as they were, so the books still
// balance — and a retention rule that erases people inactive too long.
package privacy

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Record is one stored row, column by column.
type Record = map[string]any

// Export is everything held about a person, by kind: profile, affiliations
// (roles over time), consents, events, wallets, statement (postings),
// lots, redemptions, claims, goals, coupons, partner opt-ins, issues and
// redemptions, referral codes, messages (inbox), message_sends,
// message_optouts, outbox (messages queued or sent to them), cards,
// wallet_registrations, registrations (sign-up form answers),
// sign_in_codes, sessions, audit_log (changes to the person).
type Export struct {
	MemberID   string              `json:"member_id"`
	ExportedAt time.Time           `json:"exported_at"`
	Data       map[string][]Record `json:"data"`
}

// Erasure says what an erasure changed.
type Erasure struct {
	MemberID  string    `json:"member_id"`
	Pseudonym string    `json:"pseudonym" doc:"The name the person's records now carry"`
	ErasedAt  time.Time `json:"erased_at"`
	Rows      int64     `json:"rows" doc:"Rows rewritten or deleted: the profile, consents, audit entries, stored API responses, messages, cards' states, sign-in codes, sessions, registrations"`
}

// Tx is the storage privacy needs.
type Tx interface {
	// MemberID resolves a member id or ext:<external id>.
	MemberID(ctx context.Context, tenantID, ref string) (string, error)
	PersonData(ctx context.Context, tenantID, memberID string) (map[string][]Record, error)
	// ErasePerson pseudonymizes the member's personal fields everywhere and
	// returns how many rows it rewrote.
	ErasePerson(ctx context.Context, tenantID, memberID, pseudonym string, now time.Time) (int64, error)
	// InactiveMembers lists members with no change and no event since before.
	InactiveMembers(ctx context.Context, tenantID string, before time.Time, limit int) ([]string, error)
	audit.Writer
}

// Service runs privacy requests.
type Service struct {
	Store txn.Runner[Tx]
	Clock clock.Clock
}

// Export returns everything held about a member; it needs admin scope
// (the person's data, all of it) and is audited.
func (s *Service) Export(ctx context.Context, p access.Principal, ref string) (Export, error) {
	if err := p.Can(access.Administer); err != nil {
		return Export{}, err
	}
	out := Export{ExportedAt: s.Clock.Now()}
	err := s.Store.Write(ctx, func(tx Tx) error {
		id, err := tx.MemberID(ctx, p.TenantID, ref)
		if err != nil {
			return err
		}
		out.MemberID = id
		if out.Data, err = tx.PersonData(ctx, p.TenantID, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, out.ExportedAt, "member.exported", "member", id, nil, nil)
	})
	return out, err
}

// Erase pseudonymizes a member; it needs admin scope and is audited (the
// entry names the pseudonym, never the erased data). Erasing an erased
// member again changes nothing more.
func (s *Service) Erase(ctx context.Context, p access.Principal, ref string) (Erasure, error) {
	if err := p.Can(access.Administer); err != nil {
		return Erasure{}, err
	}
	var e Erasure
	err := s.Store.Write(ctx, func(tx Tx) error {
		var err error
		e, err = s.erase(ctx, tx, p, ref)
		return err
	})
	return e, err
}

func (s *Service) erase(ctx context.Context, tx Tx, p access.Principal, ref string) (Erasure, error) {
	id, err := tx.MemberID(ctx, p.TenantID, ref)
	if err != nil {
		return Erasure{}, err
	}
	e := Erasure{MemberID: id, Pseudonym: Pseudonym(id), ErasedAt: s.Clock.Now()}
	if e.Rows, err = tx.ErasePerson(ctx, p.TenantID, id, e.Pseudonym, e.ErasedAt); err != nil {
		return Erasure{}, err
	}
	return e, audit.Record(ctx, tx, p, e.ErasedAt, "member.erased", "member", id, nil, e)
}

// Pseudonym is the name an erased member carries: stable per member, so
// that reports still tell people apart, and derived from nothing personal.
func Pseudonym(memberID string) string { return "erased-" + ids.Hash(memberID)[:12] }

// EraseInactive erases the tenant's members with no change and no event
// for the retention period, a batch at a time; it returns how many.
func (s *Service) EraseInactive(ctx context.Context, tenantID string, retention time.Duration) (int, error) {
	if retention <= 0 {
		return 0, nil
	}
	p := access.System(tenantID)
	before := s.Clock.Now().Add(-retention)
	n := 0
	for {
		ids, err := txn.Get(ctx, s.Store, func(tx Tx) ([]string, error) { return tx.InactiveMembers(ctx, tenantID, before, 100) })
		if err != nil || len(ids) == 0 {
			return n, err
		}
		for _, id := range ids {
			if _, err := s.Erase(ctx, p, id); err != nil && !errs.Is(err, errs.NotFound) {
				return n, err
			}
			n++
		}
	}
}
