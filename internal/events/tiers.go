package events

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// TierGrant grants a tier by hand: an invitation-only level, or a level
// given for a while.
type TierGrant struct {
	Level  string     `json:"level"`
	Until  *time.Time `json:"until,omitempty" doc:"When the grant ends (absent: until ended by hand)"`
	Reason string     `json:"reason"`
}

// GrantTier sets an organization's tier in a program by hand until a
// time, audited with before and after. Only the operator grants tiers.
func (s *Service) GrantTier(ctx context.Context, p access.Principal, programID, orgRef string, in TierGrant) (Standing, error) {
	var f errs.Fields
	in.Reason = valid.Text(&f, "reason", in.Reason, true, 500)
	if err := f.Err(); err != nil {
		return Standing{}, err
	}
	return s.changeTier(ctx, p, programID, orgRef, "program.tier_granted", func(v *engine.Program, st engine.State, now time.Time) (engine.State, *engine.TierMove, error) {
		ns, m, err := engine.GrantTier(v, st, in.Level, in.Until, in.Reason, p.Name(), now)
		return ns, &m, err
	})
}

// EndTierGrant ends the tier granted by hand to an organization now: it
// returns to the level it held before, or the one its metric reaches.
func (s *Service) EndTierGrant(ctx context.Context, p access.Principal, programID, orgRef string) (Standing, error) {
	return s.changeTier(ctx, p, programID, orgRef, "program.tier_grant_ended", engine.EndTierOverride)
}

// changeTier applies a change to an organization's state in a program,
// records it in the audit log with the state's tier before and after, and
// announces the move (tier.changed) when the level changed.
func (s *Service) changeTier(ctx context.Context, p access.Principal, programID, orgRef, action string,
	change func(*engine.Program, engine.State, time.Time) (engine.State, *engine.TierMove, error)) (Standing, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Standing{}, err
	}
	if !p.Operator() {
		return Standing{}, errs.E(errs.Forbidden, "operator_only", "only the operator's staff grant tiers")
	}
	var out Standing
	err := s.Store.Write(ctx, func(tx Tx) error {
		pp := &people{unit: s.newUnit(tx, p, s.Clock.Now())}
		r, v, err := pp.program(ctx, programID)
		if err != nil {
			return err
		}
		org, err := pp.organization(ctx, &Input{Organization: orgRef})
		if err != nil {
			return err
		}
		st, err := pp.orgState(ctx, r, org.ID, pp.now)
		if err != nil {
			return err
		}
		ns, move, err := change(v, st.State, pp.now)
		if err != nil {
			return err
		}
		type tierRecord struct {
			Tier     string               `json:"tier"`
			Override *engine.TierOverride `json:"override,omitempty"`
		}
		before, after := tierRecord{st.State.Tier, st.State.TierOverride}, tierRecord{ns.Tier, ns.TierOverride}
		pp.keep(StateKey{r.prog.ID, engine.OwnerOrganization, org.ID}, ns, true, r)
		if err := pp.flush(ctx); err != nil {
			return err
		}
		if err := pp.announceTier(ctx, v, org.ID, move); err != nil {
			return err
		}
		out = Standing{ProgramID: r.prog.ID, OrganizationID: org.ID, ParticipantStatus: engine.Status(v, ns, pp.now)}
		return audit.Record(ctx, tx, p, pp.now, action, "organization", org.ID, before, after)
	})
	return out, err
}
