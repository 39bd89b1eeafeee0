// Package partner holds coalition partners: companies that issue the
// operator's points for purchases at their outlets (paying the operator per
// point issued) and accept points in payment (paid by the operator per point
// redeemed). Members opt in to each partner; a partner's API key may only
// send events for its opted-in members, take points in redemption and read
// its own settlement report.
package partner

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// Partner statuses.
const (
	Active    = "active"
	Suspended = "suspended"
)

// PricePer is the number of points a price is given for: prices are minor
// currency units per 100 points, so that fractions of a cent per point stay
// integer.
const PricePer = 100

// MaxPrice bounds a price, so that a month's points times a price cannot
// overflow.
const MaxPrice = 1_000_000_000

// Partner is a company in the operator's coalition.
type Partner struct {
	ID          string `json:"id"`
	TenantID    string `json:"tenant_id"`
	Name        string `json:"name"`
	ProgramID   string `json:"program_id"`
	PointTypeID string `json:"point_type_id"`
	// IssuePrice is what the partner pays the operator per PricePer points
	// it issues; RedeemPrice what the operator pays the partner per
	// PricePer points redeemed at it. Both in minor units of Currency.
	IssuePrice  int64     `json:"issue_price"`
	RedeemPrice int64     `json:"redeem_price"`
	Currency    string    `json:"currency"`
	Status      string    `json:"status"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Tx is what the partner service needs from storage.
type Tx interface {
	ledger.Tx
	party.MemberReader
	audit.Writer
	GetProgram(ctx context.Context, tenantID, id string) (program.Program, error)

	InsertPartner(ctx context.Context, pt Partner) error
	GetPartner(ctx context.Context, tenantID, id string) (Partner, error)
	ListPartners(ctx context.Context, tenantID string, r page.Request) ([]Partner, error)
	GetOptIn(ctx context.Context, tenantID, partnerID, memberID string) (OptIn, error)
	// PutOptIn writes an opt-in if its stored status is still from ("" for
	// none), and reports whether it did.
	PutOptIn(ctx context.Context, o OptIn, from string) (bool, error)
	InsertIssue(ctx context.Context, i Issue) error
	GetPartnerRedemption(ctx context.Context, tenantID, partnerID, reference string) (Redemption, error)
	InsertPartnerRedemption(ctx context.Context, r Redemption) error
	Settlement(ctx context.Context, tenantID string, pt Partner, months []Month) ([]MonthLine, error)
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// KeyMaker creates API keys (the tenant service).
type KeyMaker interface {
	CreateKey(ctx context.Context, p access.Principal, in tenant.KeyInput) (tenant.APIKey, string, error)
}

// Service manages partners, opt-ins, redemptions and settlement.
type Service struct {
	Store  Store
	Ledger *ledger.Service
	Keys   KeyMaker
	Clock  clock.Clock
}

// operator refuses a partner's key: only the operator manages partners.
func operator(p access.Principal, need access.Scope) error {
	if p.PartnerID != "" {
		return errs.E(errs.Forbidden, "partner_scope", "a partner's API key cannot manage partners")
	}
	return p.Require(need)
}

// own allows the operator (with scope need) and the partner's own key.
func own(p access.Principal, partnerID string, need access.Scope) error {
	if p.PartnerID != "" && p.PartnerID != partnerID {
		return errs.E(errs.Forbidden, "partner_scope", "a partner's API key acts only for its own partner %s", p.PartnerID)
	}
	return p.Require(need)
}

// Get returns one partner.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Partner, error) {
	if err := operator(p, access.ScopeRead); err != nil {
		return Partner{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Partner, error) { return tx.GetPartner(ctx, p.TenantID, id) })
}

// List returns a page of partners in creation order.
func (s *Service) List(ctx context.Context, p access.Principal, r page.Request) (page.Page[Partner], error) {
	if err := operator(p, access.ScopeRead); err != nil {
		return page.Page[Partner]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Partner, error) { return tx.ListPartners(ctx, p.TenantID, r) })
	return page.Build(r, rows, func(pt Partner) string { return pt.ID }), err
}

// CreateKey makes an API key for a partner; its secret is returned once.
// The key has write scope (it sends events and redemptions), and the API
// lets it reach only the partner's own routes.
func (s *Service) CreateKey(ctx context.Context, p access.Principal, partnerID, name string) (tenant.APIKey, string, error) {
	if err := operator(p, access.ScopeAdmin); err != nil {
		return tenant.APIKey{}, "", err
	}
	if _, err := s.Get(ctx, p, partnerID); err != nil {
		return tenant.APIKey{}, "", err
	}
	return s.Keys.CreateKey(ctx, p, tenant.KeyInput{Name: name, Scope: access.ScopeWrite, PartnerID: partnerID})
}
