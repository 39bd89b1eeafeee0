package promo

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// ResolveCodes implements events.CodeResolver: the discounts of the codes
// that apply to a quoted cart, and why each other code does not. Pricing
// then stacks the discounts with the program's (an exclusive code
// competes with them: "not combinable with …"). Bonus-point codes that
// apply give no discount; their points are credited with the order.
func (s *Service) ResolveCodes(ctx context.Context, etx events.Tx, p access.Principal, req events.CodeRequest) ([]pricing.Discount, []pricing.Refused, error) {
	tx, err := events.TxAs[Tx](etx)
	if err != nil {
		return nil, nil, err
	}
	var ds []pricing.Discount
	var refused []pricing.Refused
	for _, raw := range req.Codes {
		code := events.NormalizeCode(raw)
		u, why, err := check(ctx, tx, request{tenantID: p.TenantID, code: code, programIDs: []string{req.ProgramID},
			orgID: req.OrganizationID, partnerID: p.PartnerID, lines: req.Cart.Lines, at: req.At})
		if err != nil {
			return nil, nil, err
		}
		if why == unknownCode {
			if err := s.failed(p); err != nil {
				return nil, nil, err
			}
		}
		switch {
		case why != "":
			refused = append(refused, pricing.Refused{DiscountID: "code:" + code, Name: code, Reason: why})
		case u.discount != nil:
			ds = append(ds, *u.discount)
		}
	}
	return ds, refused, nil
}
