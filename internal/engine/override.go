package engine

import (
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// TierOverride is a tier granted by hand — an invitation-only level, or a
// level given to a key account for a while. While it is in force the
// participant holds at least that level: reviews do not move it down,
// the metric may still move it up. When it ends (Until), the participant
// returns to the higher of the level it held before and the level its
// metric reaches then.
type TierOverride struct {
	Level    string     `json:"level"`
	Until    *time.Time `json:"until,omitempty"` // nil: until ended by hand
	Previous string     `json:"previous"`        // the level before the grant
	Reason   string     `json:"reason"`
	By       string     `json:"by"`
	At       time.Time  `json:"at"`
}

// activeAt reports whether the override is in force at t.
func (o *TierOverride) activeAt(t time.Time) bool {
	return o != nil && (o.Until == nil || t.Before(*o.Until))
}

// GrantTier sets a participant's tier by hand from at until until (nil:
// until ended), with the reason and who granted it. The level may be
// invitation-only. It returns the new state and the move.
func GrantTier(p *Program, st State, level string, until *time.Time, reason, by string, at time.Time) (State, TierMove, error) {
	t := p.Def.Tiers
	if t == nil {
		return st, TierMove{}, errs.E(errs.Conflict, "no_tiers", "program %s has no tiers", p.ID)
	}
	var f errs.Fields
	i := findLevel(t, level)
	if i < 0 {
		f.Add("level", "unknown_level", "%q is not a level of the program: use one of %v", level, levelCodes(t))
	}
	if until != nil && !until.After(at) {
		f.Add("until", "in_past", "until must be later than now")
	}
	if reason == "" {
		f.Add("reason", "required", "say why the tier is granted (it is kept in the audit log)")
	}
	if err := f.Err(); err != nil {
		return st, TierMove{}, err
	}
	st = st.Clone()
	prev := st.Tier
	if o := st.TierOverride; o.activeAt(at) {
		prev = o.Previous // a new grant replaces the one in force
	}
	from := orDefault(st.Tier, t.Levels[0].Code)
	st.Tier, st.TierSince, st.Grace = level, &at, 0
	st.TierOverride = &TierOverride{Level: level, Until: until, Previous: orDefault(prev, t.Levels[0].Code), Reason: reason, By: by, At: at}
	return st, TierMove{From: from, To: level, Reason: "granted by " + by + ": " + reason}, nil
}

// EndTierOverride ends a participant's override now, as if it had run out.
func EndTierOverride(p *Program, st State, at time.Time) (State, *TierMove, error) {
	if p.Def.Tiers == nil || !st.TierOverride.activeAt(at) {
		return st, nil, errs.E(errs.Conflict, "no_override", "the participant holds no granted tier")
	}
	st = st.Clone()
	o := *st.TierOverride
	o.Until = &at
	st.TierOverride = &o
	mv := settleOverride(p.Def.Tiers, &st, at)
	return st, mv, nil
}

// settleOverride ends an override whose time has come at t: the tier
// returns to the higher of the level before it and the level the metric
// reaches at its end. It is applied wherever the tier is read, so the
// tier falls exactly when the override ends, whenever the jobs run.
func settleOverride(t *Tiers, st *State, at time.Time) *TierMove {
	o := st.TierOverride
	if t == nil || o == nil || o.activeAt(at) {
		return nil
	}
	end := *o.Until
	lv := max(levelIndex(t, o.Previous), reachedLevel(t, metric(st.Window(t.Window, end), t.Metric)))
	from := st.Tier
	st.TierOverride = nil
	st.Tier, st.TierSince, st.Grace = t.Levels[lv].Code, &end, 0
	if from == st.Tier {
		return nil
	}
	return &TierMove{From: from, To: st.Tier, Reason: fmt.Sprintf("the tier granted by hand (%s) ended on %s", o.Reason, end.Format(time.RFC3339))}
}

func findLevel(t *Tiers, code string) int {
	for i, l := range t.Levels {
		if l.Code == code {
			return i
		}
	}
	return -1
}

func levelCodes(t *Tiers) []string {
	out := make([]string, len(t.Levels))
	for i, l := range t.Levels {
		out[i] = l.Code
	}
	return out
}

// below is the highest level under cur that the metric can hold (not
// invitation-only); the base level always can.
func below(t *Tiers, cur int) int {
	for i := cur - 1; i > 0; i-- {
		if !t.Levels[i].InvitationOnly {
			return i
		}
	}
	return 0
}
