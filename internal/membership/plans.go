package membership

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/economics"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// PlanInput describes a plan to create.
type PlanInput struct {
	Code             string
	Name             string
	Description      string
	Fee              int64
	Currency         string
	PeriodMonths     int64
	DiscountBP       int64
	EarnMultiplierBP int64
	Perks            []string
}

var codeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

// build checks the input into a plan.
func (in PlanInput) build(f *errs.Fields, pl *Plan) {
	pl.Code = strings.ToLower(strings.TrimSpace(in.Code))
	if !codeRE.MatchString(pl.Code) {
		f.Add("code", "invalid_code", "code is 1–40 lower-case letters, digits, _ and -, e.g. pro; rules test it as \"pro\" in org.plans")
	}
	pl.Name = valid.Text(f, "name", in.Name, true, 200)
	pl.Description = valid.LongText(f, "description", in.Description, false, 5000)
	pl.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	if len(pl.Currency) != 3 || strings.IndexFunc(pl.Currency, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		f.Add("currency", "invalid_currency", "give the currency as a three-letter ISO code such as EUR")
	}
	if in.Fee <= 0 || in.Fee > 1e12 {
		f.Add("fee", "out_of_range", "fee is the price of one period in minor units (22000 is 220.00), more than 0")
	}
	if in.PeriodMonths < 1 || in.PeriodMonths > 60 {
		f.Add("period_months", "out_of_range", "a period is 1 to 60 months")
	}
	if in.DiscountBP < 0 || in.DiscountBP > 10000 {
		f.Add("discount_bp", "out_of_range", "discount_bp is 0–10000 (5000 is 50%% off)")
	}
	if in.EarnMultiplierBP != 0 && (in.EarnMultiplierBP < 10000 || in.EarnMultiplierBP > 100_000) {
		f.Add("earn_multiplier_bp", "out_of_range", "earn_multiplier_bp is 0 (none) or 10000–100000 (20000 earns twice the points)")
	}
	pl.Fee, pl.PeriodMonths, pl.DiscountBP, pl.EarnMultiplierBP = in.Fee, in.PeriodMonths, in.DiscountBP, in.EarnMultiplierBP
	pl.Perks = []string{}
	for _, p := range in.Perks {
		switch {
		case !slices.Contains(Perks, p):
			f.Add("perks", "unknown_perk", "%q is not a perk; use %s", p, strings.Join(Perks, ", "))
		case !slices.Contains(pl.Perks, p):
			pl.Perks = append(pl.Perks, p)
		}
	}
	if pl.DiscountBP == 0 && pl.EarnMultiplierBP == 0 && len(pl.Perks) == 0 {
		f.Add("discount_bp", "no_benefit", "a plan gives at least one benefit: a discount, an earn multiplier or a perk")
	}
}

// CreatePlan adds a plan, on sale at once.
func (s *Service) CreatePlan(ctx context.Context, p access.Principal, in PlanInput) (Plan, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Plan{}, err
	}
	now := s.Clock.Now()
	pl := Plan{ID: ids.New(), TenantID: p.TenantID, Status: PlanActive, CreatedAt: now, UpdatedAt: now}
	var f errs.Fields
	in.build(&f, &pl)
	if err := f.Err(); err != nil {
		return Plan{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Plan, error) {
		if err := tx.InsertPlan(ctx, pl); err != nil {
			return pl, err
		}
		return pl, audit.Record(ctx, tx, p, now, "membership_plan.created", "membership_plan", pl.ID, nil, pl)
	})
}

// SetPlanStatus puts a plan on sale (active) or withdraws it (archived).
// Periods already paid run to their end.
func (s *Service) SetPlanStatus(ctx context.Context, p access.Principal, id, status string) (Plan, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Plan{}, err
	}
	var f errs.Fields
	valid.OneOf(&f, "status", status, true, []string{PlanActive, PlanArchived})
	if err := f.Err(); err != nil {
		return Plan{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Plan, error) {
		pl, err := tx.GetPlan(ctx, p.TenantID, id)
		if err != nil || pl.Status == status {
			return pl, err
		}
		before := pl
		pl.Status, pl.UpdatedAt = status, s.Clock.Now()
		if err := tx.UpdatePlan(ctx, pl); err != nil {
			return pl, err
		}
		return pl, audit.Record(ctx, tx, p, pl.UpdatedAt, "membership_plan.status_changed", "membership_plan", pl.ID, before, pl)
	})
}

// GetPlan returns one plan.
func (s *Service) GetPlan(ctx context.Context, p access.Principal, id string) (Plan, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Plan{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Plan, error) { return tx.GetPlan(ctx, p.TenantID, id) })
}

// ListPlans returns every plan, by code.
func (s *Service) ListPlans(ctx context.Context, p access.Principal) ([]Plan, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Plan, error) { return tx.ListPlans(ctx, p.TenantID) })
}

// BreakEven is the full-price spend in one period at which a plan's
// discount has saved its fee (DOMAIN §8.11: a 220 fee for 50% off pays off
// after 440), rounded up to the minor unit; 0 when the plan gives no
// discount.
func (pl Plan) BreakEven() int64 {
	n, err := economics.MembershipBreakEven(pl.Fee, pl.DiscountBP)
	if err != nil {
		return 0 // no discount (a stored plan's fee is always valid)
	}
	return n
}

// Engine is the plan's benefits as the engine applies them.
func (pl Plan) Engine() engine.Plan {
	return engine.Plan{Code: pl.Code, Name: pl.Name, DiscountBP: pl.DiscountBP, EarnMultiplierBP: pl.EarnMultiplierBP}
}
