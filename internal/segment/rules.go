package segment

import (
	"fmt"
	"slices"
	"strings"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Condition is one condition of a segment; an organization is a member when
// every rule holds. Values apply to in / not_in / has_any / has_all, Min
// and Max (inclusive) to between.
type Condition struct {
	Field   string   `json:"field" doc:"type, region, industry, size, country, tags, abc, churn_risk, r, f, m, tier"`
	Op      string   `json:"op" doc:"in, not_in (attributes, abc, churn_risk, tier); has_any, has_all (tags); between (r, f, m)"`
	Values  []string `json:"values,omitempty"`
	Min     int      `json:"min,omitempty"`
	Max     int      `json:"max,omitempty"`
	Program string   `json:"program,omitempty" doc:"tier only: the program whose tier is tested"`
}

// Fields of rules and the operators each takes.
var fieldOps = map[string][]string{
	"type": {"in", "not_in"}, "region": {"in", "not_in"}, "industry": {"in", "not_in"}, "size": {"in", "not_in"},
	"country": {"in", "not_in"}, "tags": {"has_any", "has_all"}, "abc": {"in", "not_in"}, "churn_risk": {"in", "not_in"},
	"tier": {"in", "not_in"}, "r": {"between"}, "f": {"between"}, "m": {"between"},
}

// analyticFields need the analytics pass.
var analyticFields = []string{"abc", "churn_risk", "r", "f", "m"}

var choices = map[string][]string{
	"abc":        {"A", "B", "C", analytics.NoClass},
	"churn_risk": {analytics.RiskHigh, analytics.RiskMedium, analytics.RiskLow, analytics.RiskUnknown},
}

// MaxRules bounds a segment's rules.
const MaxRules = 20

// checkRules validates rules, naming each fault as rules[i].<field>.
func checkRules(f *errs.Fields, rules []Condition) {
	if len(rules) > MaxRules {
		f.Add("rules", "too_many", "at most %d rules", MaxRules)
		return
	}
	for i, r := range rules {
		p := fmt.Sprintf("rules[%d].", i)
		ops, ok := fieldOps[r.Field]
		if !ok {
			f.Add(p+"field", "unknown_field", "%q is not a segment field: use one of type, region, industry, size, country, tags, abc, churn_risk, r, f, m, tier", r.Field)
			continue
		}
		if !slices.Contains(ops, r.Op) {
			f.Add(p+"op", "unknown_operator", "field %s takes the operators %s, not %q", r.Field, strings.Join(ops, ", "), r.Op)
			continue
		}
		if r.Op == "between" {
			if r.Min < 1 || r.Max > 5 || r.Min > r.Max {
				f.Add(p+"min", "out_of_range", "RFM scores run from 1 to 5: give 1 ≤ min ≤ max ≤ 5")
			}
			continue
		}
		if len(r.Values) == 0 || len(r.Values) > 100 {
			f.Add(p+"values", "required", "give 1–100 values")
		}
		for _, v := range r.Values {
			if c := choices[r.Field]; c != nil && !slices.Contains(c, v) {
				f.Add(p+"values", "invalid_choice", "%q is not one of %s", v, strings.Join(c, ", "))
			}
		}
		if (r.Field == "tier") != (r.Program != "") {
			f.Add(p+"program", "program_with_tier", "tier rules, and only they, name a program")
		}
	}
}

// facts is what rules test of one organization.
type facts struct {
	org   party.Organization
	stats *analytics.OrgStats // nil: no purchase history
	tiers map[string]string   // program id → tier
}

// match reports whether every rule holds.
func match(rules []Condition, x *facts) bool {
	for _, r := range rules {
		if !holds(r, x) {
			return false
		}
	}
	return true
}

func holds(r Condition, x *facts) bool {
	switch r.Op {
	case "between":
		s := 0
		if x.stats != nil {
			s = map[string]int{"r": x.stats.R, "f": x.stats.F, "m": x.stats.M}[r.Field]
		}
		return s >= r.Min && s <= r.Max
	case "has_any":
		return slices.ContainsFunc(r.Values, func(v string) bool { return slices.Contains(x.org.Tags, v) })
	case "has_all":
		return !slices.ContainsFunc(r.Values, func(v string) bool { return !slices.Contains(x.org.Tags, v) })
	}
	in := slices.ContainsFunc(r.Values, func(v string) bool { return strings.EqualFold(v, value(r, x)) })
	return in == (r.Op == "in")
}

// value is an organization's value of a single-valued field.
func value(r Condition, x *facts) string {
	o := x.org
	switch r.Field {
	case "type":
		return string(o.Type)
	case "region":
		return o.Region
	case "industry":
		return o.Industry
	case "size":
		return string(o.Size)
	case "country":
		return o.Country
	case "tier":
		return x.tiers[r.Program]
	case "abc":
		if x.stats == nil {
			return analytics.NoClass
		}
		return x.stats.ABC
	case "churn_risk":
		if x.stats == nil {
			return analytics.RiskUnknown
		}
		return x.stats.ChurnRisk
	}
	return ""
}
