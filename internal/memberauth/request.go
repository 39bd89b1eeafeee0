package memberauth

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// Normalize reads an address as typed: an e-mail (lower case) or a phone
// number (E.164), and the channel it is reached by.
func Normalize(address string) (channel, normalized string, err error) {
	var f errs.Fields
	if strings.Contains(address, "@") {
		normalized = valid.Email(&f, "address", address, true)
		return ByEmail, normalized, f.Err()
	}
	normalized = valid.Phone(&f, "address", address)
	if normalized == "" {
		f.Add("address", "required", "give your e-mail address or your phone number")
	}
	return BySMS, normalized, f.Err()
}

var errThrottled = errs.E(errs.RateLimited, "too_many_codes", "too many codes asked for; wait a few minutes and try again")

// RequestCode sends a sign-in code and link to the member with the
// address, in the workspace of slug. It answers the same — nil — whether
// or not the workspace or a member with the address exists; only a
// malformed address or too many requests are refused.
func (s *Service) RequestCode(ctx context.Context, slug, address, client string) error {
	channel, addr, err := Normalize(address)
	if err != nil {
		return err
	}
	if ok, _ := s.Limiter.Allow("code:client:"+client, PerClient); !ok {
		return errThrottled
	}
	if ok, _ := s.Limiter.Allow("code:to:"+slug+":"+addr, PerRecipient); !ok {
		return errThrottled
	}
	t, err := s.Tenants.TenantBySlug(ctx, strings.ToLower(strings.TrimSpace(slug)))
	if errs.Is(err, errs.NotFound) {
		return nil
	} else if err != nil {
		return err
	}
	var ms []party.Member
	err = s.Store.Read(ctx, func(tx Tx) error {
		ms, err = tx.MembersByContact(ctx, t.ID, channel, addr)
		return err
	})
	if err != nil || len(ms) == 0 {
		return err
	}
	return s.send(ctx, t, ms[0], channel, addr, CodeTTL)
}

// Invite sends a member a sign-in link valid for a week (an invitation by
// the operator or by the organization's management), by e-mail when the
// member has one, else by SMS.
func (s *Service) Invite(ctx context.Context, t tenant.Tenant, m party.Member) error {
	switch {
	case m.Email != "":
		return s.send(ctx, t, m, ByEmail, m.Email, InviteTTL)
	case m.Phone != "":
		return s.send(ctx, t, m, BySMS, m.Phone, InviteTTL)
	}
	return errs.InvalidField("email", "no_contact", "the member has neither an e-mail address nor a phone number to send the invitation to")
}

// send stores a new code and link for the member and delivers them.
func (s *Service) send(ctx context.Context, t tenant.Tenant, m party.Member, channel, addr string, ttl time.Duration) error {
	code, secret := sixDigits(), ids.Token(24)
	now := s.Clock.Now()
	c := Code{TenantID: t.ID, ID: ids.New(), MemberID: m.ID, Channel: channel, Address: addr,
		LinkHash: ids.Hash(secret), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	c.CodeHash = codeHash(c.ID, code)
	if err := s.Store.Write(ctx, func(tx Tx) error { return tx.InsertMemberCode(ctx, c) }); err != nil {
		return err
	}
	link := s.Links.MemberLink(t.Slug, secret)
	tx := textsFor(m.Locale)
	if channel == BySMS {
		if s.Texter == nil {
			return errs.E(errs.Unavailable, "no_sms", "this server sends no text messages; sign in with your e-mail address")
		}
		return s.Texter.Text(ctx, addr, fmt.Sprintf(tx.sms, t.Name, code, link))
	}
	return s.Mailer.Send(ctx, tenant.Mail{To: addr, Subject: fmt.Sprintf(tx.subject, t.Name, code),
		Text: fmt.Sprintf(tx.mail, m.Name, t.Name, code, link, tx.ttl(ttl))})
}

// sixDigits draws a code from a uniform 000000–999999.
func sixDigits() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic("memberauth: random source failed: " + err.Error())
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// codeHash binds a code to its record, so equal codes hash differently.
func codeHash(id, code string) string { return ids.Hash(id + ":" + code) }

// SendTo sends a sign-in code to a member at one of their addresses (after
// an online registration: the code proves the phone or e-mail is theirs).
func (s *Service) SendTo(ctx context.Context, t tenant.Tenant, m party.Member, address string) error {
	channel, addr, err := Normalize(address)
	if err != nil {
		return err
	}
	if addr != m.Email && addr != m.Phone {
		return errs.InvalidField("address", "not_members", "the code goes to an address of the member's")
	}
	return s.send(ctx, t, m, channel, addr, CodeTTL)
}
