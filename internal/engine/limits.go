package engine

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// periodKey names the period of t a cap counts in.
func periodKey(period string, t time.Time) string {
	y, m, d := t.UTC().Date()
	switch period {
	case "day":
		if y < 0 || y > 9999 {
			return t.UTC().Format("2006-01-02")
		}
		return monthKey(y, m) + "-" + string([]byte{digit(d / 10), digit(d)})
	case "month":
		return monthKey(y, m)
	case "quarter":
		return strconv.Itoa(y) + "-Q" + strconv.Itoa((int(m)-1)/3+1)
	case "year":
		if y < 0 || y > 9999 {
			return t.UTC().Format("2006")
		}
		return string([]byte{digit(y / 1000), digit(y / 100), digit(y / 10), digit(y)})
	}
	return "all"
}

// capped applies a rule's caps to points for one owner, consuming them,
// and says why points were cut.
func (e *evaluation) capped(r *rule, o owner, pts int64) (int64, string) {
	note := ""
	keys := e.capKeys[:0] // each cap's key, built once
	for _, c := range r.Caps {
		m := e.capMap(c.Per, o)
		if m == nil {
			keys = append(keys, "")
			continue
		}
		key := e.capKey(r, c, e.ev.OccurredAt)
		keys = append(keys, key)
		left := max(c.Points-(*m)[key], 0)
		if pts > left {
			note = e.capNote(r, c, left, pts)
			pts = left
		}
	}
	for i, c := range r.Caps {
		if m := e.capMap(c.Per, o); m != nil {
			useCap(*m, keys[i], pts)
		}
	}
	e.capKeys = keys
	return pts, note
}

// capMap is where a cap's usage is kept: the organization's state, the
// member's, or the program's. A member cap does not apply to an
// organization's wallet and vice versa.
func (e *evaluation) capMap(per string, o owner) *map[string]int64 {
	var m *map[string]int64
	switch {
	case per == "organization" && o.typ == OwnerOrganization:
		m = &e.out.OrgState.Caps
	case per == "member" && o.typ == OwnerMember:
		m = &e.out.MemberState.Caps
	case per == "rule":
		m = &e.out.ProgramState.Caps
	default:
		return nil
	}
	if *m == nil {
		*m = map[string]int64{}
	}
	return m
}

// applyTierMultiplier scales the event's points by the tier's earn
// multiplier (DOMAIN §8.10: Silver earns 50% more than the base level).
func (e *evaluation) applyTierMultiplier() error {
	lv, ok := e.level()
	if !ok || lv.EarnMultiplierBP == 0 || lv.EarnMultiplierBP == 10000 {
		return nil
	}
	for i := range e.pending {
		n, err := money.MulDiv(e.pending[i].Points, lv.EarnMultiplierBP, 10000, e.p.Value.Rounding)
		if err != nil {
			return err
		}
		e.pending[i].Points = n
	}
	e.addSuffix(e.multiplierNote(lv.EarnMultiplierBP, " for tier ", lv.Name))
	return nil
}

// applyPlanMultipliers scales the event's points by the earn multiplier
// of each paid membership active at the event.
func (e *evaluation) applyPlanMultipliers() error {
	for _, pl := range e.part.Plans {
		if pl.EarnMultiplierBP == 0 || pl.EarnMultiplierBP == 10000 {
			continue
		}
		for i := range e.pending {
			n, err := money.MulDiv(e.pending[i].Points, pl.EarnMultiplierBP, 10000, e.p.Value.Rounding)
			if err != nil {
				return err
			}
			e.pending[i].Points = n
		}
		e.addSuffix(e.multiplierNote(pl.EarnMultiplierBP, " for ", pl.Name, " membership"))
	}
	return nil
}

// level is the participant's current tier level.
func (e *evaluation) level() (Level, bool) {
	t := e.p.Def.Tiers
	if t == nil {
		return Level{}, false
	}
	return t.Levels[levelIndex(t, e.out.OrgState.Tier)], true
}

// levelIndex finds a tier code among the levels (0, the base, if unknown).
func levelIndex(t *Tiers, code string) int {
	for i, l := range t.Levels {
		if l.Code == code {
			return i
		}
	}
	return 0
}

// limitEmployees removes member earns the program does not allow: without
// the organization's consent, for an excluded role, or above the
// per-person cap.
func (e *evaluation) limitEmployees() {
	m := e.part.Member
	kept := e.pending[:0]
	for _, x := range e.pending {
		if x.Owner != OwnerMember {
			kept = append(kept, x)
			continue
		}
		if why := e.memberBarred(m); why != "" {
			e.out.Notes = append(e.out.Notes, why)
			continue
		}
		if x.Points = e.personalCap(x.Points); x.Points > 0 {
			kept = append(kept, x)
		}
	}
	e.pending = kept
}

func (e *evaluation) memberBarred(m *Member) string {
	if !m.Consent {
		return "no personal points for the member: the organization's management has not accepted the program's employee terms"
	}
	if roles := e.p.Def.Audience.MemberRoles; len(roles) > 0 && !anyIn(m.roles(), roles) {
		return fmt.Sprintf("no personal points for %s: the program's audience is %v", m.describeRoles(), roles)
	}
	emp := e.p.Def.Employees
	if emp == nil {
		return ""
	}
	if anyIn(m.roles(), emp.Excluded) || (len(emp.Roles) > 0 && !anyIn(m.roles(), emp.Roles)) {
		return fmt.Sprintf("no personal points for %s in this program", m.describeRoles())
	}
	return ""
}

// personalCap cuts a member's points to what is left of the per-person
// cap for the period, and consumes it.
func (e *evaluation) personalCap(pts int64) int64 {
	emp := e.p.Def.Employees
	if emp == nil || emp.CapPoints == 0 {
		return pts
	}
	key := "person:" + emp.CapPeriod + ":" + periodKey(emp.CapPeriod, e.ev.OccurredAt)
	st := &e.out.MemberState
	if st.Caps == nil {
		st.Caps = map[string]int64{}
	}
	left := max(emp.CapPoints-st.Caps[key], 0)
	if pts > left {
		e.out.Notes = append(e.out.Notes, fmt.Sprintf("personal cap of %d points per %s reached: %d of %d points given", emp.CapPoints, emp.CapPeriod, left, pts))
		pts = left
	}
	useCap(st.Caps, key, pts)
	return pts
}

// useCap adds points to a cap's usage in its period. The first use in a
// new period drops the same cap's earlier periods, so a state keeps one
// period per cap instead of growing with every day. (An event that arrives
// after its period's successor started counts against a fresh period.)
func useCap(m map[string]int64, key string, pts int64) {
	if _, ok := m[key]; !ok {
		cut := strings.LastIndexByte(key, ':') + 1
		prefix, period := key[:cut], key[cut:]
		for k := range m {
			if len(k) > cut && k[:cut] == prefix && k[cut:] < period {
				delete(m, k)
			}
		}
	}
	m[key] = money.AddSat(m[key], pts)
}

// limitBudget cuts earns to what is left of the program's budget.
func (e *evaluation) limitBudget() {
	if e.p.Def.Budget == 0 {
		return
	}
	kept := e.pending[:0]
	for _, x := range e.pending {
		if x.Points = e.withinBudget(x.Points); x.Points > 0 {
			kept = append(kept, x)
		}
	}
	e.pending = kept
}

// withinBudget cuts points to what is left of the program's budget, with
// a note, and counts them as issued.
func (e *evaluation) withinBudget(pts int64) int64 {
	b := e.p.Def.Budget
	if b == 0 {
		return pts
	}
	ps := &e.out.ProgramState
	left := max(b-ps.Issued, 0)
	if pts > left {
		e.out.Notes = append(e.out.Notes, fmt.Sprintf("program budget of %d points exhausted: %d of %d points given", b, left, pts))
		pts = left
	}
	ps.Issued = money.AddSat(ps.Issued, pts)
	return pts
}

// NeedsProgramState reports whether evaluating the program reads and
// writes its shared state (a budget or per-rule caps).
func (p *Program) NeedsProgramState() bool { return p.Def.Budget > 0 || p.hasCaps }

// roles are every role of the member (Role alone when Roles is not set).
func (m *Member) roles() []string {
	if len(m.Roles) > 0 {
		return m.Roles
	}
	return []string{m.Role}
}

// anyIn reports whether any of have is in want.
func anyIn(have, want []string) bool {
	return slices.ContainsFunc(have, func(r string) bool { return slices.Contains(want, r) })
}

// describeRoles names the member's roles in a reason.
func (m *Member) describeRoles() string {
	if r := m.roles(); len(r) != 1 {
		return fmt.Sprintf("roles %q", r)
	}
	return fmt.Sprintf("role %q", m.roles()[0])
}
