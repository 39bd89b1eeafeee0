package engine

import (
	"fmt"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/pricing"
	"github.com/loyal-b2b/loyal/internal/rules"
)

func compileEffects(f *errs.Fields, es []Effect) []effect {
	if len(es) == 0 {
		f.Add("effects", "required", "a rule needs at least one effect")
	}
	if len(es) > MaxEffects {
		f.Add("effects", "too_many", "at most %d effects per rule", MaxEffects)
	}
	out := make([]effect, 0, len(es))
	for i, e := range es {
		ef := f.Under(fmt.Sprintf("effects[%d].", i))
		out = append(out, compileEffect(ef, e))
		f.Merge(ef)
	}
	return out
}

func compileEffect(f *errs.Fields, e Effect) effect {
	ce := effect{Effect: e}
	if e.To != "" {
		oneOf(f, "to", e.To, ToOrganization, ToMember, ToBoth)
	}
	switch e.Type {
	case EffectEarn:
		if e.Lines != "" {
			ce.lines = compileExpr(f, "lines", e.Lines, rules.Condition, true)
		}
		if e.Points != "" {
			ce.points = compileExpr(f, "points", e.Points, rules.Amount, e.Lines != "")
		}
		if e.PercentBP < 0 || e.PercentBP > 1_000_000 || e.PerUnit < 0 || e.Fixed < 0 || e.PerUnit > money.MaxAmount || e.Fixed > money.MaxAmount {
			f.Add("percent_bp", "out_of_range", "rates and fixed points must not be negative (percent_bp at most 1000000; per_unit and fixed at most %d)", money.MaxAmount)
		}
		if e.PerAmount != nil && (e.PerAmount.Per <= 0 || e.PerAmount.Points <= 0) {
			f.Add("per_amount", "out_of_range", "per_amount needs positive points and per")
		}
		if e.PercentBP == 0 && e.PerAmount == nil && e.PerUnit == 0 && e.Fixed == 0 && e.Points == "" && len(e.Brackets) == 0 {
			f.Add("type", "empty_earn", "an earn effect needs percent_bp, per_amount, per_unit, fixed, points or brackets")
		}
		if len(e.Brackets) > 0 {
			checkSteps(f, "brackets", e.Brackets)
		}
		checkDays(f, "pending_days", e.PendingDays)
		checkDays(f, "expires_days", e.ExpiresDays)
	case EffectMultiply:
		if e.FactorBP <= 0 || e.FactorBP > 1_000_000 {
			f.Add("factor_bp", "out_of_range", "factor_bp must be between 1 and 1000000 (10000 = ×1)")
		}
	case EffectStamps:
		if e.Stamps <= 0 || e.Stamps > 1000 {
			f.Add("stamps", "out_of_range", "stamps must be between 1 and 1000")
		}
	case EffectReward, EffectCoupon:
		if e.RewardID == "" {
			f.Add("reward_id", "required", "name the reward or coupon to grant")
		}
	case EffectCounter:
		if e.Counter == "" || len(e.Counter) > 64 {
			f.Add("counter", "required", "name the counter (1–64 characters)")
		}
		ce.value = compileExpr(f, "value", e.Value, rules.Amount, false)
	case EffectMessage:
		if e.Template == "" {
			f.Add("template", "required", "name the message template")
		}
	default:
		f.Add("type", "unknown_effect", "%q is not an effect: use earn, multiply, stamps, reward, coupon, counter or message", e.Type)
	}
	return ce
}

func checkDays(f *errs.Fields, field string, d *int) {
	if d != nil && (*d < 0 || *d > 36500) {
		f.Add(field, "out_of_range", "must be between 0 and 36500 days")
	}
}

func checkCaps(f *errs.Fields, cs []Cap) {
	for i, c := range cs {
		field := fmt.Sprintf("caps[%d].", i)
		oneOf(f, field+"per", c.Per, "organization", "member", "rule")
		oneOf(f, field+"period", c.Period, "day", "month", "quarter", "year", "lifetime")
		if c.Points <= 0 || c.Points > money.MaxAmount {
			f.Add(field+"points", "out_of_range", "a cap must be a positive number of points, at most %d", money.MaxAmount)
		}
	}
}

func checkDiscounts(f *errs.Fields, ds []Discount) {
	if len(ds) > MaxDiscounts {
		f.Add("discounts", "too_many", "at most %d discounts", MaxDiscounts)
	}
	seen := map[string]bool{}
	for i, d := range ds {
		field := fmt.Sprintf("discounts[%d].", i)
		if d.ID == "" {
			f.Add(field+"id", "required", "give each discount an id")
		} else if seen[d.ID] {
			f.Add(field+"id", "duplicate", "discount id %q is used twice", d.ID)
		}
		seen[d.ID] = true
		pd := d.Discount
		switch d.Kind {
		case KindCard:
			pd.Kind = pricing.KindPercent
			if d.EntryThreshold < 0 {
				f.Add(field+"entry_threshold", "out_of_range", "must not be negative")
			}
		case KindCumulative:
			pd.Kind = pricing.KindPercent
			pd.PercentBP = 0
			oneOf(f, field+"basis", d.Basis, "lifetime", "previous_month", "rolling_12_months")
			sf := f.Under(field)
			checkSteps(sf, "steps", d.Steps)
			f.Merge(sf)
			switch {
			case d.StepDownDays < 0:
				f.Add(field+"step_down_days", "out_of_range", "must not be negative (0: never)")
			case d.StepDownDays > 0 && d.Basis != "lifetime":
				f.Add(field+"step_down_days", "window_basis", "only a lifetime basis steps down on inactivity; a %s basis falls with the spend it counts", d.Basis)
			}
		}
		if err := pricing.Validate(pd); err != nil && d.Kind != KindCumulative {
			// pricing names the field it found wrong (steps[0].from, over)
			if e := errs.As(err); e != nil && len(e.Fields) > 0 {
				for _, fe := range e.Fields {
					f.Add(field+fe.Field, fe.Code, "%s", fe.Message)
				}
			} else {
				f.Add(field+"kind", "invalid_discount", "%s", message(err))
			}
		}
	}
}

// compileConditions compiles the discounts' conditions, one per discount
// (nil when it has none), reporting each error under its field with its
// line and column.
func compileConditions(f *errs.Fields, ds []Discount) []*rules.Expr {
	var out []*rules.Expr
	for i, d := range ds {
		if d.Condition == "" {
			continue
		}
		if out == nil {
			out = make([]*rules.Expr, len(ds))
		}
		out[i] = compileExpr(f, fmt.Sprintf("discounts[%d].condition", i), d.Condition, rules.Condition, false)
	}
	return out
}

// checkSteps checks the steps (or brackets) listed under field.
func checkSteps(f *errs.Fields, field string, steps []pricing.Step) {
	if len(steps) == 0 {
		f.Add(field, "required", "give at least one step")
	}
	for i, s := range steps {
		if s.PercentBP < 0 || s.PercentBP > 10000 {
			f.Add(fmt.Sprintf("%s[%d].percent_bp", field, i), "out_of_range", "must be between 0 and 10000")
		}
		if s.From < 0 || (i > 0 && s.From <= steps[i-1].From) {
			f.Add(fmt.Sprintf("%s[%d].from", field, i), "not_ascending", "steps must start at 0 or more and ascend strictly")
		}
	}
}

func checkStamps(f *errs.Fields, s *StampCard) *rules.Expr {
	if s.Needed < 1 || s.Needed > 1000 {
		f.Add("needed", "out_of_range", "needed must be between 1 and 1000 stamps")
	}
	if s.Reward.Type != EffectReward && s.Reward.Type != EffectCoupon && s.Reward.Type != EffectEarn {
		f.Add("reward.type", "invalid_choice", "a stamp card's reward is a reward, a coupon or an earn of fixed points")
	}
	if s.Reward.Type == EffectEarn && s.Reward.Fixed <= 0 {
		f.Add("reward.fixed", "required", "give the fixed points the full card earns")
	}
	if s.Lines == "" {
		return nil
	}
	return compileExpr(f, "lines", s.Lines, rules.Condition, true)
}

func checkTiers(f *errs.Fields, t *Tiers) {
	oneOf(f, "metric", t.Metric, "spend", "quantity", "points", "orders")
	oneOf(f, "window", t.Window, "calendar_year", "rolling_12_months", "previous_month", "lifetime")
	oneOf(f, "review", t.Review, "month", "year")
	if t.GracePeriods < 0 || t.GracePeriods > 12 {
		f.Add("grace_periods", "out_of_range", "must be between 0 and 12")
	}
	if len(t.Levels) < 2 || len(t.Levels) > MaxLevels {
		f.Add("levels", "out_of_range", "give between 2 and %d levels, the first being the base level", MaxLevels)
		return
	}
	codes := map[string]bool{}
	for i, l := range t.Levels {
		field := fmt.Sprintf("levels[%d].", i)
		if l.Code == "" || codes[l.Code] {
			f.Add(field+"code", "invalid", "each level needs a unique code")
		}
		codes[l.Code] = true
		if i == 0 && l.Threshold != 0 {
			f.Add(field+"threshold", "base_level", "the first level is the base level: its threshold must be 0")
		}
		if i == 0 && l.InvitationOnly {
			f.Add(field+"invitation_only", "base_level", "the base level is everyone's: it cannot be invitation-only")
		}
		if prev := lastReachable(t.Levels[:i]); i > 0 && !l.InvitationOnly && l.Threshold <= prev {
			f.Add(field+"threshold", "not_ascending", "thresholds of the levels the metric reaches must ascend strictly (invitation-only levels have none)")
		}
		if len(l.Perks) > 20 {
			f.Add(field+"perks", "too_many", "at most 20 perks per level")
		}
		for j, pk := range l.Perks {
			if pk == "" || len(pk) > 200 {
				f.Add(fmt.Sprintf("%sperks[%d]", field, j), "out_of_range", "a perk is 1–200 characters of text shown to participants")
			}
		}
		if l.EarnMultiplierBP < 0 || l.EarnMultiplierBP > 100_000 || l.DiscountBP < 0 || l.DiscountBP > 10000 {
			f.Add(field+"earn_multiplier_bp", "out_of_range", "multiplier 0–100000 bp, discount 0–10000 bp")
		}
	}
}

// lastReachable is the threshold of the last level of ls the metric can
// reach (the base level's 0 when none is).
func lastReachable(ls []Level) int64 {
	for i := len(ls) - 1; i >= 0; i-- {
		if !ls[i].InvitationOnly {
			return ls[i].Threshold
		}
	}
	return 0
}

func checkEmployees(f *errs.Fields, e *Employees) {
	if e == nil {
		return
	}
	if e.CapPoints < 0 || e.CapPoints > money.MaxAmount {
		f.Add("employees.cap_points", "out_of_range", "must be between 0 (no cap) and %d", money.MaxAmount)
	}
	if e.CapPoints > 0 {
		oneOf(f, "employees.cap_period", e.CapPeriod, "month", "quarter", "year")
	}
}

// message is the caller-safe text of an error.
func message(err error) string {
	if e := errs.As(err); e != nil {
		if len(e.Fields) > 0 {
			return e.Fields[0].Field + ": " + e.Fields[0].Message
		}
		return e.Message
	}
	return "invalid"
}
