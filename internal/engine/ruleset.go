package engine

import (
	"slices"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// runRules runs the rules in order until one that fired says stop.
func (e *evaluation) runRules() error {
	for i := range e.p.rules {
		r := &e.p.rules[i]
		if !slices.Contains(r.Events, e.ev.Type) {
			continue
		}
		ok, err := e.matches(r)
		if err != nil {
			return err
		}
		if e.out.Rules == nil {
			e.out.Rules = make([]Fired, 0, len(e.p.rules))
		}
		if !ok {
			e.out.Rules = append(e.out.Rules, Fired{RuleID: r.ID, Name: r.Name, Reason: r.notMet})
			continue
		}
		before := len(e.pending)
		why, err := e.apply(r)
		if err != nil {
			return err
		}
		pts := int64(0)
		for _, x := range e.pending[before:] {
			pts += x.Points
		}
		e.out.Rules = append(e.out.Rules, Fired{RuleID: r.ID, Name: r.Name, Fired: true, Points: pts, Reason: why})
		if r.Stop {
			break
		}
	}
	return nil
}

func (e *evaluation) matches(r *rule) (bool, error) {
	if r.cond == nil {
		return true, nil
	}
	ok, err := r.cond.BoolIn(&e.vars.session, &e.vars.vars)
	if err != nil {
		return false, ruleErr(r, "condition", err)
	}
	return ok, nil
}

// ruleErr names the rule whose expression failed at evaluation.
func ruleErr(r *rule, field string, err error) error {
	return errs.E(errs.Invalid, "rule_eval_failed", "rule %q (%s) failed on this event: %s", r.ID, field, message(err)).Wrap(err)
}

// apply carries out a rule's effects and returns what they did, in words
// ("; " between effects).
func (e *evaluation) apply(r *rule) (string, error) {
	reasons := ""
	for i := range r.effects {
		ef := &r.effects[i]
		why, err := e.effect(r, ef)
		if err != nil {
			return "", err
		}
		switch {
		case why == "":
		case reasons == "":
			reasons = why
		default:
			reasons += "; " + why
		}
	}
	return reasons, nil
}

func (e *evaluation) effect(r *rule, ef *effect) (string, error) {
	switch ef.Type {
	case EffectEarn:
		return e.earn(r, ef)
	case EffectMultiply:
		return e.multiply(r, ef)
	case EffectStamps:
		e.out.OrgState.Stamps += ef.Stamps
		e.addStamps(ef.Stamps)
		return itoa(ef.Stamps) + " stamps", nil
	case EffectReward, EffectCoupon:
		for _, o := range e.owners(ef.To) {
			e.grant(ef.Type, ef.RewardID, ef.Name, o, "rule "+r.ID)
		}
		return ef.Type + " " + orDefault(ef.Name, ef.RewardID), nil
	case EffectCounter:
		v, err := ef.value.IntIn(&e.vars.session, &e.vars.vars)
		if err != nil {
			return "", ruleErr(r, "value", err)
		}
		if e.out.OrgState.Counters == nil {
			e.out.OrgState.Counters = map[string]int64{}
		}
		e.out.OrgState.Counters[ef.Counter] = v
		e.out.Counters = append(e.out.Counters, Counter{Name: ef.Counter, Value: v})
		return e.counterReason(ef.Counter, v), nil
	case EffectMessage:
		for _, o := range e.owners(ef.To) {
			e.out.Messages = append(e.out.Messages, Message{Template: ef.Template, To: o.typ, ToID: o.id})
		}
		return "message " + ef.Template, nil
	}
	return "", nil
}

type owner struct{ typ, id string }

// owners lists the wallets an effect addressed to level goes to. A member
// level without a member in the event goes nowhere.
func (e *evaluation) owners(level string) []owner {
	if level == "" {
		level = e.p.Def.Beneficiary
	}
	out := e.ownerBuf[:0]
	if level == ToOrganization || level == ToBoth {
		out = append(out, owner{OwnerOrganization, e.part.Org.ID})
	}
	if (level == ToMember || level == ToBoth) && e.part.Member != nil {
		out = append(out, owner{OwnerMember, e.part.Member.ID})
	}
	return out
}

// multiply scales the points earned so far by this event.
func (e *evaluation) multiply(r *rule, ef *effect) (string, error) {
	for i := range e.pending {
		n, err := money.MulDiv(e.pending[i].Points, ef.FactorBP, 10000, e.p.Value.Rounding)
		if err != nil {
			return "", ruleErr(r, "factor_bp", err)
		}
		e.pending[i].Points = n
	}
	e.addSuffix(e.multiplierNote(ef.FactorBP, " by rule ", r.ID))
	e.why = appendFactor(append(e.why[:0], "points so far ×"...), ef.FactorBP)
	return string(e.why), nil
}
