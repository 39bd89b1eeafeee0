package reward

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// Price bases: which price applied.
const (
	BasisBase = "base"
	BasisTier = "tier:" // + the tier code
	BasisRole = "role:" // + the role
)

// Offer is an item as one organization (or one of its members) may redeem
// it: the price that applies and why.
type Offer struct {
	Item       Item   `json:"item"`
	Price      int64  `json:"price"`
	PriceBasis string `json:"price_basis"`
}

// buyer is who redeems: an organization, its tier in the item's program,
// and the member for an employee redemption.
type buyer struct {
	org    party.Organization
	member *party.Member
	tier   string
}

// priceFor returns the lowest applicable price and its basis: the base
// price, the tier's, or one of the member's roles'. Ties keep the first.
func (it Item) priceFor(b buyer) (int64, string) {
	price, basis := it.Price, BasisBase
	if n, ok := it.TierPrices[b.tier]; ok && b.tier != "" && n < price {
		price, basis = n, BasisTier+b.tier
	}
	if b.member != nil {
		for _, r := range b.member.Roles {
			if n, ok := it.RolePrices[string(r)]; ok && n < price {
				price, basis = n, BasisRole+string(r)
			}
		}
	}
	return price, basis
}

// available refuses an archived item or one outside its window.
func (it Item) available(now time.Time) error {
	switch {
	case it.Status != ItemActive:
		return errs.E(errs.Conflict, "not_available", "reward %s is %s and cannot be redeemed", it.ID, it.Status)
	case it.AvailableFrom != nil && now.Before(*it.AvailableFrom):
		return errs.E(errs.Conflict, "not_available", "reward %s is available from %s", it.ID, it.AvailableFrom.Format(time.RFC3339))
	case it.AvailableUntil != nil && !now.Before(*it.AvailableUntil):
		return errs.E(errs.Conflict, "not_available", "reward %s was available until %s", it.ID, it.AvailableUntil.Format(time.RFC3339))
	}
	return nil
}

// admits says why the buyer is outside the item's audience ("" if inside).
func (it Item) admits(b buyer) string {
	a := it.Audience
	switch {
	case len(a.Organizations) > 0 && !slices.Contains(a.Organizations, b.org.ID):
		return "the reward is offered to named organizations only"
	case len(a.OrgTypes) > 0 && !slices.Contains(a.OrgTypes, string(b.org.Type)):
		return fmt.Sprintf("the reward is for organizations of type %v; this one is a %s", a.OrgTypes, b.org.Type)
	case len(a.Tiers) > 0 && !slices.Contains(a.Tiers, b.tier):
		return fmt.Sprintf("the reward is for tiers %v; the organization's tier is %q", a.Tiers, b.tier)
	case len(a.Roles) > 0 && b.member == nil:
		return fmt.Sprintf("the reward is for members with roles %v; redeem it for a member", a.Roles)
	case len(a.Roles) > 0 && !slices.ContainsFunc(b.member.Roles, func(r party.Role) bool { return slices.Contains(a.Roles, string(r)) }):
		return fmt.Sprintf("the reward is for members with roles %v", a.Roles)
	}
	return ""
}

// Offers lists the active items an organization (or, with memberRef, one
// of its members) may redeem now, each with the price that applies.
func (s *Service) Offers(ctx context.Context, p access.Principal, orgRef, memberRef string) ([]Offer, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	var items []Item
	var b buyer
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		if b, err = readBuyer(ctx, tx, p.TenantID, orgRef, memberRef, true); err != nil {
			return err
		}
		items, err = allActive(ctx, tx, p.TenantID)
		return err
	})
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	tiers := map[string]string{} // program → tier
	out := []Offer{}
	for _, it := range items {
		if it.available(now) != nil {
			continue
		}
		if b.tier, err = s.tierFor(ctx, p.TenantID, it, b.org.ID, tiers); err != nil {
			return nil, err
		}
		if it.admits(b) != "" {
			continue
		}
		price, basis := it.priceFor(b)
		out = append(out, Offer{Item: it, Price: price, PriceBasis: basis})
	}
	return out, nil
}

// allActive reads every active item (a catalog is hundreds, not millions).
func allActive(ctx context.Context, tx Tx, tenantID string) ([]Item, error) {
	var all []Item
	r := page.Request{Limit: 500}
	for {
		rows, err := tx.ListRewardItems(ctx, tenantID, ItemFilter{Status: ItemActive}, r)
		if err != nil {
			return nil, err
		}
		if len(rows) <= r.Limit {
			return append(all, rows...), nil
		}
		all = append(all, rows[:r.Limit]...)
		r.After = rows[r.Limit-1].ID
	}
}

// tierFor reads the organization's tier in the program of an item's point
// type, remembering it per program in seen.
func (s *Service) tierFor(ctx context.Context, tenantID string, it Item, orgID string, seen map[string]string) (string, error) {
	if len(it.TierPrices) == 0 && len(it.Audience.Tiers) == 0 {
		return "", nil
	}
	pt, err := s.Ledger.GetPointType(ctx, access.System(tenantID), it.PointTypeID)
	if err != nil {
		return "", err
	}
	if t, ok := seen[pt.ProgramID]; ok {
		return t, nil
	}
	t, err := s.tierOf(ctx, tenantID, pt.ProgramID, orgID)
	seen[pt.ProgramID] = t
	return t, err
}

// readBuyer reads the organization and the member. inPath says the
// references come from the URL (unknown: 404) rather than a body (422).
func readBuyer(ctx context.Context, tx Tx, tenantID, orgRef, memberRef string, inPath bool) (buyer, error) {
	var b buyer
	org, err := party.OrgByRef(ctx, tx, tenantID, orgRef)
	if errs.Is(err, errs.NotFound) && !inPath {
		return b, errs.InvalidField("organization", "unknown_organization", "no organization %q in this tenant", orgRef)
	}
	if err != nil {
		return b, err
	}
	b.org = org
	if memberRef == "" {
		return b, nil
	}
	m, err := party.MemberByRef(ctx, tx, tenantID, memberRef)
	switch {
	case errs.Is(err, errs.NotFound):
		return b, errs.InvalidField("member", "unknown_member", "no member %q in this tenant", memberRef)
	case err != nil:
		return b, err
	case m.OrganizationID != org.ID:
		return b, errs.InvalidField("member", "other_organization", "member %q does not work at organization %q", memberRef, orgRef)
	case m.Status != party.MemberActive:
		return b, errs.InvalidField("member", "inactive_member", "member %q is %s; only active members redeem", memberRef, m.Status)
	}
	b.member = &m
	return b, nil
}
