package engine

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/pricing"
	"github.com/loyal-b2b/loyal/internal/rules"
)

// PointValue is the money value of one point: Num/Den minor currency
// units, and how money becomes points.
type PointValue struct {
	Num, Den int64
	Rounding money.Rounding
}

// Program is a program version compiled for evaluation: its definition
// checked, its expressions compiled, its rules in running order.
type Program struct {
	ID      string
	Version int
	From    time.Time // in force from
	Def     Definition
	Value   PointValue
	rules   []rule
	stamps  *rules.Expr
	conds   []*rules.Expr // per discount: its condition (nil: none)
	hasCaps bool          // some rule caps per rule: ProgramState is needed
}

type rule struct {
	Rule
	cond    *rules.Expr
	effects []effect
	notMet  string // the reason when the condition fails
}

type effect struct {
	Effect
	points, lines, value *rules.Expr
	key                  string // rule id#index: where brackets count the year's spend
}

// Limits of a definition, so that one program cannot exhaust the engine.
const (
	MaxRules     = 200
	MaxEffects   = 20
	MaxDiscounts = 50
	MaxLevels    = 20
)

var codeRE = regexp.MustCompile(`^[A-Z]{3}$`)

// Compile checks a definition and compiles its expressions. Every problem
// is reported at once, each under its field path (rules[2].condition).
func Compile(id string, version int, from time.Time, def Definition, v PointValue) (*Program, error) {
	var f errs.Fields
	def = withDefaults(def)
	p := &Program{ID: id, Version: version, From: from.UTC(), Def: def, Value: v}
	checkBasics(&f, def, v)
	checkCoupons(&f, def.Coupons)
	p.rules = compileRules(&f, def.Rules, def.Coupons)
	for _, r := range p.rules {
		for _, c := range r.Caps {
			p.hasCaps = p.hasCaps || c.Per == "rule"
		}
	}
	checkDiscounts(&f, def.Discounts)
	p.conds = compileConditions(&f, def.Discounts)
	if def.Stamps != nil {
		sf := f.Under("stamps.")
		p.stamps = checkStamps(sf, def.Stamps)
		checkGrant(sf, "reward.reward_id", def.Stamps.Reward, def.Coupons)
		f.Merge(sf)
	}
	if def.Tiers != nil {
		tf := f.Under("tiers.")
		checkTiers(tf, def.Tiers)
		f.Merge(tf)
	}
	checkEmployees(&f, def.Employees)
	if pp := def.PointsPayment; pp != nil && (pp.MaxShareBP < 0 || pp.MaxShareBP > 10000) {
		f.Add("points_payment.max_share_bp", "out_of_range", "must be between 0 and 10000 (100%%)")
	}
	if pb := def.PeriodBonus; pb != nil {
		bf := f.Under("period_bonus.")
		checkSteps(bf, "steps", pb.Steps)
		f.Merge(bf)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

func withDefaults(d Definition) Definition {
	d.Beneficiary = orDefault(d.Beneficiary, ToOrganization)
	d.Enrollment = orDefault(d.Enrollment, "auto")
	d.UnknownOrganizations = orDefault(d.UnknownOrganizations, "reject")
	d.Stacking = pricing.Policy(orDefault(string(d.Stacking), "best_of"))
	d.ReturnPolicy = orDefault(d.ReturnPolicy, "other_lots")
	d.History = orDefault(d.History, HistoryProgram)
	return d
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func checkBasics(f *errs.Fields, d Definition, v PointValue) {
	if !codeRE.MatchString(d.Currency) {
		f.Add("currency", "invalid_currency", "give the program's currency as a three-letter ISO code such as EUR")
	}
	oneOf(f, "beneficiary", d.Beneficiary, ToOrganization, ToMember, ToBoth)
	oneOf(f, "enrollment", d.Enrollment, "auto", "explicit")
	oneOf(f, "unknown_organizations", d.UnknownOrganizations, "reject", "create")
	oneOf(f, "stacking", string(d.Stacking), "best_of", "additive", "exclusive_groups")
	oneOf(f, "return_policy", d.ReturnPolicy, "source_only", "other_lots", "allow_negative")
	oneOf(f, "history", d.History, HistoryProgram, HistoryAll)
	if d.Budget < 0 || d.Budget > money.MaxAmount {
		f.Add("budget", "out_of_range", "must be between 0 (no budget cap) and %d", money.MaxAmount)
	}
	if earns(d) && d.PointTypeID == "" {
		f.Add("point_type_id", "required", "the program earns points: name the point type they are earned in")
	}
	if earns(d) && (v.Num <= 0 || v.Den <= 0) {
		f.Add("point_type_id", "no_value", "the point type needs a positive money value to turn amounts into points")
	}
	if len(d.Rules) > MaxRules {
		f.Add("rules", "too_many", "at most %d rules", MaxRules)
	}
}

// earns reports whether a definition can credit points.
func earns(d Definition) bool {
	if d.PeriodBonus != nil || d.PointsPayment != nil || (d.Stamps != nil && d.Stamps.Reward.Type == EffectEarn) {
		return true
	}
	for _, r := range d.Rules {
		for _, e := range r.Effects {
			if e.Type == EffectEarn {
				return true
			}
		}
	}
	return false
}

func oneOf(f *errs.Fields, field, v string, allowed ...string) {
	if !slices.Contains(allowed, v) {
		f.Add(field, "invalid_choice", "%q is not one of %v", v, allowed)
	}
}

// compileRules checks and compiles rules, sorted by priority (stable).
func compileRules(f *errs.Fields, rs []Rule, coupons []Coupon) []rule {
	out := make([]rule, 0, len(rs))
	seen := map[string]bool{}
	for i, r := range rs {
		rf := f.Under(fmt.Sprintf("rules[%d].", i))
		if r.ID == "" {
			r.ID = fmt.Sprintf("rule-%d", i+1)
		}
		if seen[r.ID] {
			rf.Add("id", "duplicate", "rule id %q is used twice", r.ID)
		}
		seen[r.ID] = true
		if len(r.Events) == 0 {
			r.Events = []string{Invoice}
		}
		for j, t := range r.Events {
			if !slices.Contains(EventTypes, t) && !customType(t) {
				rf.Add(fmt.Sprintf("events[%d]", j), "unknown_event_type", "%q is not an event type: use one of %v or custom:<name>", t, EventTypes)
			}
		}
		cr := rule{Rule: r, notMet: "condition not met: " + r.Condition}
		if r.Condition != "" {
			cr.cond = compileExpr(rf, "condition", r.Condition, rules.Condition, false)
		}
		cr.effects = compileEffects(rf, r.Effects)
		for j := range cr.effects {
			cr.effects[j].key = r.ID + "#" + strconv.Itoa(j)
		}
		for j, e := range r.Effects {
			checkGrant(rf, fmt.Sprintf("effects[%d].reward_id", j), e, coupons)
		}
		checkCaps(rf, r.Caps)
		f.Merge(rf)
		out = append(out, cr)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Priority < out[b].Priority })
	return out
}

func customType(t string) bool {
	return len(t) > len("custom:") && t[:len("custom:")] == "custom:" && len(t) <= 64
}

// compileExpr compiles one expression, adding its error under field.
func compileExpr(f *errs.Fields, field, src string, kind rules.Kind, lineScope bool) *rules.Expr {
	x, err := rules.Compile(src, kind, lineScope)
	if err != nil {
		f.Add(field, "rule_invalid", "%s", message(err))
		return nil
	}
	return x
}
