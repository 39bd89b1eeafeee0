package referral

import (
	"context"
	"strings"
	"unicode"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// CodeOf returns the referral code of an organization or a member (by id
// or ext:<external id>), making one on the first request (a read: the code exists in
// principle from the start, it is only drawn late).
func (s *Service) CodeOf(ctx context.Context, p access.Principal, ownerType, ref string) (Code, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Code{}, err
	}
	now := s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Code, error) {
		id, org, err := ownerID(ctx, tx, p.TenantID, ownerType, ref)
		if err != nil {
			return Code{}, err
		}
		if err := party.RequireReach(ctx, tx, p, org); err != nil {
			return Code{}, err
		}
		for range 5 { // a collision of 60-bit codes is next to impossible; a few tries are plenty
			c, err := tx.CodeByOwner(ctx, p.TenantID, ownerType, id)
			if !errs.Is(err, errs.NotFound) {
				return c, err
			}
			c = Code{TenantID: p.TenantID, Code: newCode(), OwnerType: ownerType, OwnerID: id, CreatedAt: now}
			if err := tx.InsertCodeIfAbsent(ctx, c); err != nil {
				return c, err
			}
			if got, err := tx.CodeByOwner(ctx, p.TenantID, ownerType, id); err == nil && got.Code == c.Code {
				return c, audit.Record(ctx, tx, p, now, "referral_code.created", ownerType, id, nil, c)
			}
		}
		return Code{}, errs.E(errs.Unavailable, "code_collision", "could not draw a free referral code; retry")
	})
}

// ownerID resolves a code's owner: its id and its organization's.
func ownerID(ctx context.Context, tx Tx, tenantID, ownerType, ref string) (id, org string, err error) {
	if ownerType == OwnerMember {
		m, err := party.MemberByRef(ctx, tx, tenantID, ref)
		return m.ID, m.OrganizationID, err
	}
	o, err := party.OrgByRef(ctx, tx, tenantID, ref)
	return o.ID, o.ID, err
}

// Register records that a new organization registered with a code. It is
// refused for an unknown code, a self-referral, a loop, an organization
// already referred, and one that already bought (not new).
func (s *Service) Register(ctx context.Context, p access.Principal, code, orgRef string) (Referral, error) {
	if err := p.Can(access.EditParties); err != nil {
		return Referral{}, err
	}
	code = normalize(code)
	if code == "" || len(code) > 64 {
		return Referral{}, errs.InvalidField("code", "required", "give the referral code the organization registered with")
	}
	now := s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Referral, error) {
		c, err := tx.GetReferralCode(ctx, p.TenantID, code)
		if errs.Is(err, errs.NotFound) {
			return Referral{}, errs.InvalidField("code", "unknown_code", "referral code %s does not exist", code)
		} else if err != nil {
			return Referral{}, err
		}
		org, err := party.OrgByRef(ctx, tx, p.TenantID, strings.TrimSpace(orgRef))
		if err != nil {
			return Referral{}, err
		}
		if err := p.Reaches(org.AccountManagerID); err != nil {
			return Referral{}, err
		}
		// The referred organization is locked while its referral is
		// decided, and the walk up the referrers locks each organization
		// before reading its referral: of two registrations that would close
		// a loop together, the second reads the first's.
		if err := tx.LockOrganization(ctx, p.TenantID, org.ID); err != nil {
			return Referral{}, err
		}
		r := Referral{ID: ids.New(), TenantID: p.TenantID, Code: c.Code, ReferrerType: c.OwnerType, ReferrerID: c.OwnerID,
			ReferredOrgID: org.ID, Status: Pending, CreatedAt: now}
		if r.ReferrerOrgID, err = referrerOrg(ctx, tx, c); err != nil {
			return r, err
		}
		if err := admissible(ctx, tx, r); err != nil {
			return r, err
		}
		if err := tx.InsertReferral(ctx, r); err != nil {
			return r, err
		}
		s.used.MarkUsed(p.TenantID)
		return r, audit.Record(ctx, tx, p, now, "referral.registered", "referral", r.ID, nil, r)
	})
}

// referrerOrg is the organization behind a code: its owner, or the
// owning member's organization.
func referrerOrg(ctx context.Context, tx Tx, c Code) (string, error) {
	if c.OwnerType != OwnerMember {
		return c.OwnerID, nil
	}
	m, err := tx.GetMember(ctx, c.TenantID, c.OwnerID)
	return m.OrganizationID, err
}

// maxChain bounds the walks up referral and holding chains.
const maxChain = 100

// admissible refuses self-referrals, loops and organizations that are not
// new.
func admissible(ctx context.Context, tx Tx, r Referral) error {
	if r.ReferredOrgID == r.ReferrerOrgID {
		return errs.InvalidField("organization", "self_referral", "an organization cannot be referred by itself or by its own member")
	}
	if up, err := upstream(ctx, tx, r.TenantID, r.ReferrerOrgID, r.ReferredOrgID); err != nil {
		return err
	} else if up {
		return errs.InvalidField("organization", "referral_loop", "the organization is upstream of the referrer (it referred it, directly or through others, or is its holding)")
	}
	if prev, err := tx.ReferralOf(ctx, r.TenantID, r.ReferredOrgID); err == nil {
		return errs.E(errs.Conflict, "already_referred", "the organization was already referred (referral %s)", prev.ID)
	} else if !errs.Is(err, errs.NotFound) {
		return err
	}
	bought, err := tx.HasPurchases(ctx, r.TenantID, r.ReferredOrgID)
	if err == nil && bought {
		err = errs.E(errs.Conflict, "not_new", "the organization already made purchases: only new organizations can be referred")
	}
	return err
}

// upstream reports whether target referred org (directly or through a
// chain of referrals) or is one of its holdings.
func upstream(ctx context.Context, tx Tx, tenantID, org, target string) (bool, error) {
	for cur, n := org, 0; cur != "" && n < maxChain; n++ {
		if err := tx.LockOrganization(ctx, tenantID, cur); err != nil {
			return false, err
		}
		ref, err := tx.ReferralOf(ctx, tenantID, cur)
		if errs.Is(err, errs.NotFound) {
			break
		} else if err != nil {
			return false, err
		}
		if ref.ReferrerOrgID == target {
			return true, nil
		}
		cur = ref.ReferrerOrgID
	}
	for cur, n := org, 0; cur != "" && n < maxChain; n++ {
		o, err := tx.GetOrganization(ctx, tenantID, cur)
		if err != nil {
			return false, err
		}
		if o.ParentID == target {
			return true, nil
		}
		cur = o.ParentID
	}
	return false, nil
}

// normalize is a code as stored: upper case, without spaces and dashes.
func normalize(c string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return unicode.ToUpper(r)
	}, c)
}

// ListBy returns a page of the referrals an organization made, through
// its own code or its members' codes.
func (s *Service) ListBy(ctx context.Context, p access.Principal, orgRef string, r page.Request) (page.Page[Referral], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Referral]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Referral, error) {
		o, err := party.OrgByRef(ctx, tx, p.TenantID, orgRef)
		if err != nil {
			return nil, err
		}
		if err := p.Reaches(o.AccountManagerID); err != nil {
			return nil, err
		}
		return tx.ListReferralsBy(ctx, p.TenantID, o.ID, r)
	})
	return page.Build(r, rows, func(x Referral) string { return x.ID }), err
}
