package card

import (
	"context"
	"crypto/rand"
	"math/big"
	"slices"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// IssueInput names the program and the card's owner.
type IssueInput struct {
	ProgramID string
	OwnerType string // member or organization
	Owner     string // id or ext:<external id>
}

// drawTries bounds the draws of a fresh number and serial: with 10^15
// numbers a tenant's cards never fill the space, so a second collision in
// a row means something else is wrong.
const drawTries = 5

// Issue returns the owner's card in the program, issuing it the first
// time: asking again (or twice at once) returns the same card.
func (s *Service) Issue(ctx context.Context, p access.Principal, in IssueInput) (Card, bool, error) {
	if err := p.Can(access.EditParties); err != nil {
		return Card{}, false, err
	}
	if !slices.Contains([]string{OwnerMember, OwnerOrganization}, in.OwnerType) {
		return Card{}, false, errs.InvalidField("owner_type", "invalid_choice", "owner_type is member or organization, not %q", in.OwnerType)
	}
	var issued bool
	c, err := txn.Do(ctx, s.Store, func(tx Tx) (Card, error) {
		c, err := s.newCard(ctx, tx, p, in)
		if err != nil {
			return c, err
		}
		if old, err := tx.CardOf(ctx, p.TenantID, c.ProgramID, c.OwnerType, c.OwnerID); !errs.Is(err, errs.NotFound) {
			return old, err
		}
		for range drawTries {
			c.Number, c.Serial = NewNumber(), ids.Token(15)
			if err := tx.InsertCard(ctx, c); err != nil {
				return c, err
			}
			got, err := tx.CardOf(ctx, p.TenantID, c.ProgramID, c.OwnerType, c.OwnerID)
			if errs.Is(err, errs.NotFound) {
				continue // the number or serial was taken: draw again
			}
			if err != nil || got.ID != c.ID {
				return got, err // a parallel call issued it first
			}
			issued = true
			return got, audit.Record(ctx, tx, p, c.CreatedAt, "card.issued", "card", c.ID, nil, got)
		}
		return c, errs.E(errs.Unavailable, "card_number_exhausted", "no free card number was found; try again")
	})
	return c, issued, err
}

// newCard checks the program and the owner and fills a card without its
// number and serial.
func (s *Service) newCard(ctx context.Context, tx Tx, p access.Principal, in IssueInput) (Card, error) {
	pr, err := tx.GetProgram(ctx, p.TenantID, in.ProgramID)
	if errs.Is(err, errs.NotFound) {
		return Card{}, errs.InvalidField("program_id", "unknown_program", "no program %q in this tenant", in.ProgramID)
	}
	if err != nil {
		return Card{}, err
	}
	now := s.Clock.Now()
	c := Card{ID: ids.New(), TenantID: p.TenantID, ProgramID: pr.ID, OwnerType: in.OwnerType, Status: Active, CreatedAt: now, UpdatedAt: now, ShownAt: now}
	if in.OwnerType == OwnerMember {
		m, err := party.MemberByRef(ctx, tx, p.TenantID, in.Owner)
		if errs.Is(err, errs.NotFound) {
			return c, errs.InvalidField("owner", "unknown_member", "no member %q in this tenant", in.Owner)
		}
		c.OwnerID, c.OrganizationID = m.ID, m.OrganizationID
		if err != nil {
			return c, err
		}
	} else {
		o, err := party.OrgByRef(ctx, tx, p.TenantID, in.Owner)
		if errs.Is(err, errs.NotFound) {
			return c, errs.InvalidField("owner", "unknown_organization", "no organization %q in this tenant", in.Owner)
		}
		c.OwnerID, c.OrganizationID = o.ID, o.ID
		if err != nil {
			return c, err
		}
	}
	return c, p.RequireReach(ctx, tx, c.OwnerType, c.OwnerID)
}

// NewNumber draws a card number: 15 random digits and a Luhn check digit,
// so a mistyped number is caught at the till and a guessed one hits a
// card once in 10^9 tries even with a million cards issued.
func NewNumber() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1e15))
	if err != nil {
		panic("card: random source failed: " + err.Error())
	}
	d := []byte(n.String())
	for len(d) < 15 {
		d = append([]byte{'0'}, d...)
	}
	return string(append(d, luhn(d)))
}

// ValidNumber reports whether s has a card number's form and check digit.
func ValidNumber(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return luhn([]byte(s[:15])) == s[15]
}

// WithCheckDigit appends the Luhn check digit to 15 digits (for
// generated cards: load tests).
func WithCheckDigit(digits string) string { return digits + string(luhn([]byte(digits))) }

// luhn returns the check digit of digits.
func luhn(digits []byte) byte {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}
