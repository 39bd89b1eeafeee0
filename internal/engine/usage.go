package engine

import "time"

// CapUsage is how much of a cap or budget is used in its current period,
// so operators and participants see what is left before an effect stops.
type CapUsage struct {
	Rule      string `json:"rule,omitempty"` // the capped rule; "" for the program budget
	Per       string `json:"per"`            // program, organization, member, rule or person
	Period    string `json:"period"`
	PeriodKey string `json:"period_key"` // the period now, e.g. 2026-03
	Limit     int64  `json:"limit"`
	Used      int64  `json:"used"`
	Remaining int64  `json:"remaining"`
}

// CapsUsage lists a program's caps kept per "organization", "member" or
// "rule" with what used holds of them in the period of at.
func CapsUsage(p *Program, per string, used map[string]int64, at time.Time) []CapUsage {
	out := []CapUsage{}
	for _, r := range p.Def.Rules {
		for _, c := range r.Caps {
			if c.Per != per {
				continue
			}
			pk := periodKey(c.Period, at)
			n := used["rule:"+r.ID+":"+c.Per+":"+c.Period+":"+pk]
			out = append(out, CapUsage{Rule: r.ID, Per: per, Period: c.Period, PeriodKey: pk, Limit: c.Points, Used: n, Remaining: max(c.Points-n, 0)})
		}
	}
	if emp := p.Def.Employees; per == "member" && emp != nil && emp.CapPoints > 0 {
		pk := periodKey(emp.CapPeriod, at)
		n := used["person:"+emp.CapPeriod+":"+pk]
		out = append(out, CapUsage{Per: "person", Period: emp.CapPeriod, PeriodKey: pk, Limit: emp.CapPoints, Used: n, Remaining: max(emp.CapPoints-n, 0)})
	}
	return out
}

// BudgetUsage is a program's budget and per-rule caps now.
type BudgetUsage struct {
	Budget *CapUsage  `json:"budget"` // nil: the program has no budget
	Caps   []CapUsage `json:"caps"`   // caps per rule (all participants together)
}

// Budget reports a program's budget consumption and its per-rule caps.
func Budget(p *Program, ps ProgramState, at time.Time) BudgetUsage {
	u := BudgetUsage{Caps: CapsUsage(p, "rule", ps.Caps, at)}
	if b := p.Def.Budget; b > 0 {
		u.Budget = &CapUsage{Per: "program", Period: "lifetime", PeriodKey: "all", Limit: b, Used: ps.Issued, Remaining: max(b-ps.Issued, 0)}
	}
	return u
}
