package memberauth

import (
	"context"
	"strings"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

var (
	errWrong = errs.E(errs.Unauthenticated, "wrong_code", "this code is not right, or it expired; check the last message we sent, or ask for a new code")
	errLink  = errs.E(errs.NotFound, "invalid_link", "this link is not valid any more (links work once and expire); ask for a new code")
	errSlow  = errs.E(errs.RateLimited, "too_many_tries", "too many wrong codes from here; wait a minute and try again")
)

// Verify checks a code typed for an address and returns the member it
// signs in. A wrong code counts against the code (five tries) and the
// client; an unknown address fails as a wrong code does.
func (s *Service) Verify(ctx context.Context, slug, address, code, client string) (party.Member, tenant.Tenant, error) {
	if blocked, _ := s.Limiter.Blocked("verify:"+client, WrongPerIP); blocked {
		return party.Member{}, tenant.Tenant{}, errSlow
	}
	_, addr, err := Normalize(address)
	if err != nil {
		return party.Member{}, tenant.Tenant{}, err
	}
	t, err := s.Tenants.TenantBySlug(ctx, strings.ToLower(strings.TrimSpace(slug)))
	if errs.Is(err, errs.NotFound) {
		s.Limiter.Fail("verify:"+client, WrongPerIP)
		return party.Member{}, t, errWrong
	} else if err != nil {
		return party.Member{}, t, err
	}
	m, err := s.check(ctx, t.ID, addr, strings.TrimSpace(code))
	if errs.Is(err, errs.Unauthenticated) {
		s.Limiter.Fail("verify:"+client, WrongPerIP)
	}
	return m, t, err
}

// check compares a code with the newest one sent to the address: a wrong
// one is counted (committed, as the refusal is), the right one is spent.
func (s *Service) check(ctx context.Context, tenantID, addr, code string) (party.Member, error) {
	var c Code
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		c, err = tx.LatestMemberCode(ctx, tenantID, addr, s.Clock.Now())
		return err
	})
	if errs.Is(err, errs.NotFound) {
		return party.Member{}, errWrong
	} else if err != nil {
		return party.Member{}, err
	}
	if !ids.Equal(c.CodeHash, codeHash(c.ID, code)) {
		if err := s.Store.Write(ctx, func(tx Tx) error {
			_, err := tx.CountCodeTry(ctx, tenantID, c.ID, MaxTries)
			return err
		}); err != nil {
			return party.Member{}, err
		}
		return party.Member{}, errWrong
	}
	var m party.Member
	err = s.Store.Write(ctx, func(tx Tx) (err error) {
		m, err = s.use(ctx, tx, c)
		return err
	})
	return m, err
}

// UseLink signs in with the link of a code (or an invitation).
func (s *Service) UseLink(ctx context.Context, slug, secret string) (party.Member, tenant.Tenant, error) {
	t, err := s.Tenants.TenantBySlug(ctx, strings.ToLower(strings.TrimSpace(slug)))
	if errs.Is(err, errs.NotFound) {
		return party.Member{}, t, errLink
	} else if err != nil {
		return party.Member{}, t, err
	}
	var m party.Member
	err = s.Store.Write(ctx, func(tx Tx) error {
		c, err := tx.MemberCodeByLink(ctx, t.ID, ids.Hash(secret))
		if errs.Is(err, errs.NotFound) || err == nil && (c.UsedAt != nil || !s.Clock.Now().Before(c.ExpiresAt)) {
			return errLink
		} else if err != nil {
			return err
		}
		m, err = s.use(ctx, tx, c)
		if errs.Is(err, errs.Unauthenticated) {
			return errLink
		}
		return err
	})
	return m, t, err
}

// use spends a code once and returns its member, who must still be active.
func (s *Service) use(ctx context.Context, tx Tx, c Code) (party.Member, error) {
	ok, err := tx.UseMemberCode(ctx, c.TenantID, c.ID, s.Clock.Now(), MaxTries)
	if err != nil {
		return party.Member{}, err
	}
	if !ok {
		return party.Member{}, errWrong
	}
	m, err := tx.GetMember(ctx, c.TenantID, c.MemberID)
	if err != nil {
		return m, err
	}
	if m.Status != party.MemberActive {
		return m, errWrong
	}
	return m, nil
}
