package promo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// Input describes a campaign to create.
type Input struct {
	Name        string
	ProgramID   string
	Kind        string
	Code        string // shared campaigns: the code, as typed
	StartsAt    *time.Time
	EndsAt      *time.Time
	MinOrder    int64
	Scope       pricing.Scope
	Effect      CodeEffect
	TotalLimit  int64
	PerOrgLimit int64
	Exclusive   bool
	Group       string
	Budget      int64
	Issue       *Issue   // personal campaigns
	Partners    []string // coalition partners granted the codes; none by default
}

// Create adds an active campaign (and its code, when shared).
func (s *Service) Create(ctx context.Context, p access.Principal, in Input) (Campaign, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Campaign{}, err
	}
	now := s.Clock.Now()
	c, err := build(p.TenantID, in, now)
	if err != nil {
		return Campaign{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Campaign, error) {
		if err := knownPartners(ctx, tx, p.TenantID, c.Partners); err != nil {
			return c, err
		}
		if c.ProgramID != "" {
			if _, err := tx.GetProgram(ctx, p.TenantID, c.ProgramID); errs.Is(err, errs.NotFound) {
				return c, errs.InvalidField("program_id", "unknown", "unknown program %q", c.ProgramID)
			} else if err != nil {
				return c, err
			}
		}
		if err := tx.InsertCampaign(ctx, c); err != nil {
			return c, err
		}
		if c.Kind == Shared {
			if err := s.addShared(ctx, tx, c, now); err != nil {
				return c, err
			}
			c.Codes = 1
		}
		if c.Issue != nil {
			if err := tx.InsertCodeIssue(ctx, c.TenantID, c.ID, *c.Issue); err != nil {
				return c, err
			}
			s.personal.MarkUsed(c.TenantID)
		}
		return c, audit.Record(ctx, tx, p, now, "promo_campaign.created", "promo_campaign", c.ID, nil, c)
	})
}

// MaxPartners bounds the partners one campaign grants its codes to.
const MaxPartners = 100

// partnerList checks a list of partner ids: distinct, at most MaxPartners.
func partnerList(f *errs.Fields, ids []string) []string {
	out := []string{}
	if len(ids) > MaxPartners {
		f.Add("partners", "too_many", "at most %d partners", MaxPartners)
		return out
	}
	for i, id := range ids {
		switch {
		case id == "" || len(id) > 100:
			f.Add(fmt.Sprintf("partners[%d]", i), "invalid", "a partner id is 1 to 100 characters")
		case slices.Contains(out, id):
			f.Add(fmt.Sprintf("partners[%d]", i), "duplicate", "partner %s is named twice", id)
		default:
			out = append(out, id)
		}
	}
	return out
}

// knownPartners refuses partner ids the tenant does not have.
func knownPartners(ctx context.Context, tx Tx, tenantID string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	have, err := tx.ExistingPartners(ctx, tenantID, ids)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if !slices.Contains(have, id) {
			return errs.InvalidField(fmt.Sprintf("partners[%d]", i), "unknown_partner", "no partner %q in this tenant", id)
		}
	}
	return nil
}

// SetPartners replaces the coalition partners a campaign grants its codes
// to (an empty list grants none).
func (s *Service) SetPartners(ctx context.Context, p access.Principal, id string, partners []string) (Campaign, error) {
	if err := p.Require(access.ScopeWrite); err != nil {
		return Campaign{}, err
	}
	var f errs.Fields
	partners = partnerList(&f, partners)
	if err := f.Err(); err != nil {
		return Campaign{}, err
	}
	return s.change(ctx, p, id, "promo_campaign.partners_changed", func(tx Tx, c *Campaign, now time.Time) (bool, error) {
		if err := knownPartners(ctx, tx, p.TenantID, partners); err != nil {
			return false, err
		}
		c.Partners = partners
		return true, tx.SetCampaignPartners(ctx, p.TenantID, id, partners, now)
	})
}

// change reads a campaign, lets apply change it (and write the change),
// and records it in the audit log, all in one transaction; apply
// returning false leaves the campaign as it was.
func (s *Service) change(ctx context.Context, p access.Principal, id, action string, apply func(tx Tx, c *Campaign, now time.Time) (bool, error)) (Campaign, error) {
	now := s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Campaign, error) {
		before, err := tx.GetCampaign(ctx, p.TenantID, id)
		if err != nil {
			return before, err
		}
		after := before
		if changed, err := apply(tx, &after, now); err != nil || !changed {
			return before, err
		}
		after.UpdatedAt = now
		return after, audit.Record(ctx, tx, p, now, action, "promo_campaign", id, before, after)
	})
}

// addShared stores a shared campaign's code, refusing one taken by
// another campaign of the tenant.
func (s *Service) addShared(ctx context.Context, tx Tx, c Campaign, now time.Time) error {
	n, err := tx.InsertCodes(ctx, c.TenantID, c.ID, []string{c.Code}, now)
	if err == nil && n == 0 {
		err = errs.InvalidField("code", "duplicate", "code %s is already used by another campaign", c.Code)
	}
	return err
}

// build checks an input and makes the campaign, naming every wrong field.
func build(tenantID string, in Input, now time.Time) (Campaign, error) {
	var f errs.Fields
	c := Campaign{ID: ids.New(), TenantID: tenantID, Status: Active, CreatedAt: now, UpdatedAt: now,
		Name: valid.Text(&f, "name", in.Name, true, 200), ProgramID: in.ProgramID,
		Kind: valid.OneOf(&f, "kind", in.Kind, true, []string{Shared, Unique, Personal}), MinOrder: in.MinOrder, Scope: in.Scope,
		Effect: in.Effect, TotalLimit: in.TotalLimit, PerOrgLimit: in.PerOrgLimit, Exclusive: in.Exclusive,
		Group: valid.Text(&f, "stacking_group", in.Group, false, 100), Budget: in.Budget, StartsAt: now, EndsAt: in.EndsAt,
		Partners: partnerList(&f, in.Partners)}
	if in.StartsAt != nil {
		c.StartsAt = *in.StartsAt
	}
	if c.EndsAt != nil && !c.EndsAt.After(c.StartsAt) {
		f.Add("ends_at", "before_start", "ends_at must be after starts_at")
	}
	switch {
	case c.Kind == Shared:
		c.Code = checkCode(&f, "code", in.Code)
	case c.Kind == Unique && in.Code != "":
		f.Add("code", "not_allowed", "a unique-code campaign has no shared code: generate or import its codes")
	case c.Kind == Personal:
		if in.Code != "" {
			f.Add("code", "not_allowed", "a personal campaign issues each organization its own codes: it has no shared code")
		}
		checkIssue(&f, in.Issue, in.ProgramID)
		c.Issue = in.Issue
	}
	if c.Kind != Personal && in.Issue != nil {
		f.Add("issue", "not_allowed", "only personal campaigns issue codes by themselves")
	}
	for _, n := range []struct {
		field string
		v     int64
	}{{"min_order", c.MinOrder}, {"total_limit", c.TotalLimit}, {"per_org_limit", c.PerOrgLimit}, {"budget", c.Budget}} {
		if n.v < 0 || n.v > money.MaxAmount {
			f.Add(n.field, "out_of_range", "%s must be between 0 (none) and %d", n.field, money.MaxAmount)
		}
	}
	if c.Exclusive && c.Group != "" {
		f.Add("stacking_group", "not_allowed", "an exclusive campaign combines with nothing: leave stacking_group empty")
	}
	checkEffect(&f, c.Effect, c.ProgramID)
	// The scope is checked as pricing checks it (its field names start
	// with "scope.").
	var e *errs.Error
	if errors.As(pricing.Validate(pricing.Discount{ID: "x", Kind: pricing.KindPercent, Scope: c.Scope}), &e) {
		for _, fe := range e.Fields {
			f.Add(fe.Field, fe.Code, "%s", fe.Message)
		}
	}
	return c, f.Err()
}

// checkEffect records what is wrong with an effect.
func checkEffect(f *errs.Fields, e CodeEffect, programID string) {
	switch e.Type {
	case EffectPercent:
		if e.PercentBP <= 0 || e.PercentBP > 10000 {
			f.Add("effect.percent_bp", "out_of_range", "percent_bp must be between 1 and 10000 (basis points, 10000 = 100%%)")
		}
	case EffectFixed:
		if e.Amount <= 0 || e.Amount > money.MaxAmount {
			f.Add("effect.amount", "out_of_range", "amount must be between 1 and %d (minor units)", money.MaxAmount)
		}
	case EffectFreeItem:
		valid.Text(f, "effect.sku", e.SKU, true, 100)
	case EffectBonus:
		if e.Points <= 0 || e.Points > money.MaxAmount {
			f.Add("effect.points", "out_of_range", "points must be between 1 and %d", money.MaxAmount)
		}
		if programID == "" {
			f.Add("program_id", "required", "a bonus_points campaign needs the program whose points it credits")
		}
	default:
		f.Add("effect.type", "unknown", "effect type must be percent, fixed_amount, free_item or bonus_points")
	}
}

// checkCode normalizes a code as events do and checks it is one a
// customer can type.
func checkCode(f *errs.Fields, field, code string) string {
	n := events.NormalizeCode(code)
	if n == "" || len(n) > 64 || !codeChars(n) {
		f.Add(field, "invalid_code", "a promo code has 1 to 64 letters, digits and underscores (spaces and dashes are ignored)")
	}
	return n
}

// codeChars reports whether s holds only ASCII letters, digits and
// underscores: codes are typed on any keyboard.
func codeChars(s string) bool {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// Get returns one campaign.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Campaign, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Campaign{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Campaign, error) {
		c, err := tx.GetCampaign(ctx, p.TenantID, id)
		if err != nil || c.Kind != Personal {
			return c, err
		}
		cs := []Campaign{c}
		err = withIssues(ctx, tx, p.TenantID, cs)
		return cs[0], err
	})
}

// withIssues fills the issue settings of personal campaigns.
func withIssues(ctx context.Context, tx Tx, tenantID string, cs []Campaign) error {
	if !slices.ContainsFunc(cs, func(c Campaign) bool { return c.Kind == Personal }) {
		return nil
	}
	is, err := tx.CodeIssues(ctx, tenantID)
	for i := range cs {
		if x, ok := is[cs[i].ID]; ok {
			cs[i].Issue = &x
		}
	}
	return err
}

// List returns a page of campaigns in creation order.
func (s *Service) List(ctx context.Context, p access.Principal, r page.Request) (page.Page[Campaign], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Campaign]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Campaign, error) {
		cs, err := tx.ListCampaigns(ctx, p.TenantID, r)
		if err != nil {
			return nil, err
		}
		return cs, withIssues(ctx, tx, p.TenantID, cs)
	})
	return page.Build(r, rows, func(c Campaign) string { return c.ID }), err
}

// SetStatus pauses or resumes a campaign.
func (s *Service) SetStatus(ctx context.Context, p access.Principal, id, status string) (Campaign, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Campaign{}, err
	}
	var f errs.Fields
	valid.OneOf(&f, "status", status, true, []string{Active, Paused})
	if err := f.Err(); err != nil {
		return Campaign{}, err
	}
	return s.change(ctx, p, id, "promo_campaign.status_changed", func(tx Tx, c *Campaign, now time.Time) (bool, error) {
		if c.Status == status {
			return false, nil
		}
		c.Status = status
		return tx.SetCampaignStatus(ctx, p.TenantID, id, status, now) // false: a concurrent request changed it first
	})
}

// Redemptions returns a page of a campaign's redemptions, oldest first.
func (s *Service) Redemptions(ctx context.Context, p access.Principal, campaignID string, r page.Request) (page.Page[Redemption], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Redemption]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Redemption, error) {
		if _, err := tx.GetCampaign(ctx, p.TenantID, campaignID); err != nil {
			return nil, err
		}
		return tx.ListPromoRedemptions(ctx, p.TenantID, campaignID, r)
	})
	return page.Build(r, rows, func(x Redemption) string { return x.ID }), err
}
