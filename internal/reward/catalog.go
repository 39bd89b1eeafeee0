package reward

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// MaxPrice bounds a price in points, MaxStock a stock, MaxMoney a money
// value: a quantity times a price stays far from overflowing.
const (
	MaxPrice int64 = 1_000_000_000_000
	MaxStock int64 = 1_000_000_000
	MaxMoney int64 = 1_000_000_000_000
)

// ItemInput describes a catalog item to create.
type ItemInput struct {
	Kind, Subkind, Name, Description, PointTypeID string
	Price                                         int64
	TierPrices, RolePrices                        map[string]int64
	Stock                                         *int64
	AvailableFrom, AvailableUntil                 *time.Time
	MemberLimit, OrgLimit                         *ItemLimit
	Audience                                      ItemAudience
	MoneyValue                                    int64
	NeedsManagement                               bool
}

// Create adds an active catalog item.
func (s *Service) Create(ctx context.Context, p access.Principal, in ItemInput) (Item, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Item{}, err
	}
	now := s.Clock.Now()
	it, err := in.build(p.TenantID, now)
	if err != nil {
		return it, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Item, error) {
		if err := checkRefs(ctx, tx, it); err != nil {
			return it, err
		}
		if err := tx.InsertRewardItem(ctx, it); err != nil {
			return it, err
		}
		return it, audit.Record(ctx, tx, p, now, "reward.created", "reward", it.ID, nil, it)
	})
}

// build validates the input and makes the item.
func (in ItemInput) build(tenantID string, now time.Time) (Item, error) {
	var f errs.Fields
	it := Item{ID: ids.New(), TenantID: tenantID, Status: ItemActive, CreatedAt: now, UpdatedAt: now,
		Kind:        valid.OneOf(&f, "kind", in.Kind, true, Kinds),
		Name:        valid.Text(&f, "name", in.Name, true, 200),
		Description: valid.LongText(&f, "description", in.Description, false, 5000),
		PointTypeID: strings.TrimSpace(in.PointTypeID),
		Price:       in.Price, TierPrices: in.TierPrices, RolePrices: in.RolePrices, Stock: in.Stock,
		AvailableFrom: in.AvailableFrom, AvailableUntil: in.AvailableUntil, MemberLimit: in.MemberLimit, OrgLimit: in.OrgLimit,
		Audience: in.Audience, MoneyValue: in.MoneyValue, NeedsManagement: in.NeedsManagement}
	if it.Kind == ServiceKind {
		it.Subkind = valid.OneOf(&f, "subkind", in.Subkind, true, Subkinds)
	} else if in.Subkind != "" {
		f.Add("subkind", "not_allowed", "subkind applies to service items only")
	}
	if it.PointTypeID == "" {
		f.Add("point_type_id", "required", "point_type_id (the points the item is priced in) is required")
	}
	checkPrice(&f, "price", it.Price)
	checkOverrides(&f, &it)
	checkStock(&f, it.Stock)
	checkWindow(&f, it.AvailableFrom, it.AvailableUntil)
	checkLimit(&f, "member_limit", it.MemberLimit)
	checkLimit(&f, "organization_limit", it.OrgLimit)
	checkAudience(&f, &it.Audience)
	if it.MoneyValue < 0 || it.MoneyValue > MaxMoney {
		f.Add("money_value", "out_of_range", "money_value is 0 to %d minor units", MaxMoney)
	}
	return it, f.Err()
}

func checkPrice(f *errs.Fields, field string, n int64) {
	if n < 1 || n > MaxPrice {
		f.Add(field, "out_of_range", "%s is 1 to %d points", field, MaxPrice)
	}
}

func checkOverrides(f *errs.Fields, it *Item) {
	it.TierPrices, it.RolePrices = nonNilMap(it.TierPrices), nonNilMap(it.RolePrices)
	for tier, n := range it.TierPrices {
		if strings.TrimSpace(tier) == "" || len(tier) > 100 {
			f.Add("tier_prices", "invalid_tier", "a tier price is keyed by a tier code of 1–100 characters")
		}
		checkPrice(f, "tier_prices."+tier, n)
	}
	for role, n := range it.RolePrices {
		if !slices.Contains(party.Roles, party.Role(role)) {
			f.Add("role_prices."+role, "unknown_role", "%q is not a member role; roles are %v", role, party.Roles)
		}
		checkPrice(f, "role_prices."+role, n)
	}
}

func checkStock(f *errs.Fields, stock *int64) {
	if stock != nil && (*stock < 0 || *stock > MaxStock) {
		f.Add("stock", "out_of_range", "stock is 0 to %d units (null: unlimited)", MaxStock)
	}
}

func checkWindow(f *errs.Fields, from, until *time.Time) {
	if from != nil && until != nil && !until.After(*from) {
		f.Add("available_until", "before_start", "available_until must be after available_from")
	}
}

func checkLimit(f *errs.Fields, field string, l *ItemLimit) {
	if l == nil {
		return
	}
	if l.Count < 1 || l.Count > MaxStock {
		f.Add(field+".count", "out_of_range", "%s.count is 1 to %d units", field, MaxStock)
	}
	valid.OneOf(f, field+".period", l.Period, true, Periods)
}

func checkAudience(f *errs.Fields, a *ItemAudience) {
	for _, t := range a.OrgTypes {
		valid.OneOf(f, "audience.organization_types", party.OrgType(t), true, party.OrgTypes)
	}
	for _, r := range a.Roles {
		valid.OneOf(f, "audience.roles", party.Role(r), true, party.Roles)
	}
	a.OrgTypes, a.Tiers, a.Roles, a.Organizations = nonNilList(a.OrgTypes), nonNilList(a.Tiers), nonNilList(a.Roles), nonNilList(a.Organizations)
}

// checkRefs checks that the point type and the audience's organizations
// exist in the tenant.
func checkRefs(ctx context.Context, tx Tx, it Item) error {
	if _, err := tx.GetPointType(ctx, it.TenantID, it.PointTypeID); errs.Is(err, errs.NotFound) {
		return errs.InvalidField("point_type_id", "unknown_point_type", "no point type %q in this tenant", it.PointTypeID)
	} else if err != nil {
		return err
	}
	if len(it.Audience.Organizations) == 0 {
		return nil
	}
	missing, err := tx.OrganizationsExist(ctx, it.TenantID, it.Audience.Organizations) // the ids that are not
	if err != nil || len(missing) == 0 {
		return err
	}
	return errs.InvalidField("audience.organizations", "unknown_organization", "no organization %q in this tenant", missing[0])
}

// Get returns one catalog item.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Item, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Item{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Item, error) { return tx.GetRewardItem(ctx, p.TenantID, id) })
}

// List returns a page of catalog items in creation order.
func (s *Service) List(ctx context.Context, p access.Principal, f ItemFilter, r page.Request) (page.Page[Item], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Item]{}, err
	}
	var fs errs.Fields
	valid.OneOf(&fs, "status", f.Status, false, []string{ItemActive, ItemArchived})
	valid.OneOf(&fs, "kind", f.Kind, false, Kinds)
	if err := fs.Err(); err != nil {
		return page.Page[Item]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Item, error) { return tx.ListRewardItems(ctx, p.TenantID, f, r) })
	return page.Build(r, rows, func(it Item) string { return it.ID }), err
}

func nonNilMap(m map[string]int64) map[string]int64 {
	if m == nil {
		return map[string]int64{}
	}
	return m
}

func nonNilList(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
