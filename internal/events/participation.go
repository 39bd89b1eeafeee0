package events

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/program"
)

// Standing is an organization's status in a program.
type Standing struct {
	ProgramID      string `json:"program_id"`
	OrganizationID string `json:"organization_id"`
	engine.ParticipantStatus
}

// Status returns an organization's standing in a program: enrollment,
// tier and progress to the next level, stamps, cards, current rates.
func (s *Service) Status(ctx context.Context, p access.Principal, programID, orgRef string) (Standing, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Standing{}, err
	}
	var out Standing
	err := s.Store.Read(ctx, func(tx Tx) error {
		u := s.readUnit(tx, p, s.Clock.Now())
		r, v, err := u.program(ctx, programID)
		if err != nil {
			return err
		}
		org, err := party.OrgByRef(ctx, tx, p.TenantID, orgRef) // a path: unknown is 404
		if err != nil {
			return err
		}
		st, err := u.orgState(ctx, r, org.ID, u.now)
		if err != nil {
			return err
		}
		out = Standing{ProgramID: r.prog.ID, OrganizationID: org.ID, ParticipantStatus: engine.Status(v, st.State, u.now)}
		return nil
	})
	return out, err
}

// Enroll enrolls an organization in a program explicitly (programs with
// explicit enrollment evaluate events only for enrolled organizations).
// Enrolling twice changes nothing.
func (s *Service) Enroll(ctx context.Context, p access.Principal, programID, orgRef string) (Standing, error) {
	if err := p.Can(access.EditParties); err != nil {
		return Standing{}, err
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
		if r.prog.Status == program.Ended {
			return errs.E(errs.Conflict, "program_ended", "program %s has ended", programID)
		}
		if why := v.AudienceMiss(engineOrg(org)); why != "" {
			return errs.InvalidField("organization", "outside_audience", "%s", why)
		}
		k := StateKey{r.prog.ID, engine.OwnerOrganization, org.ID}
		st, err := pp.orgState(ctx, r, org.ID, pp.now)
		if err != nil {
			return err
		}
		out = Standing{ProgramID: r.prog.ID, OrganizationID: org.ID}
		if st.State.EnrolledAt != nil {
			out.ParticipantStatus = engine.Status(v, st.State, pp.now)
			return nil
		}
		ns := st.State.Clone()
		at := pp.now
		ns.EnrolledAt = &at
		pp.keep(k, ns, true, r)
		out.ParticipantStatus = engine.Status(v, ns, pp.now)
		if err := pp.flush(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, at, "program.enrolled", "organization", org.ID, nil, out)
	})
	return out, err
}

// Budget returns a program's budget consumption and the usage of its caps
// per rule in their current periods (DOMAIN §7: budgets, with what is left).
func (s *Service) Budget(ctx context.Context, p access.Principal, programID string) (engine.BudgetUsage, error) {
	if err := p.Can(access.ReadData); err != nil {
		return engine.BudgetUsage{}, err
	}
	var out engine.BudgetUsage
	err := s.Store.Read(ctx, func(tx Tx) error {
		u := s.readUnit(tx, p, s.Clock.Now())
		_, v, err := u.program(ctx, programID)
		if err != nil {
			return err
		}
		st, err := u.state(ctx, StateKey{ProgramID: v.ID, OwnerType: "program"})
		out = engine.Budget(v, st.Program, u.now)
		return err
	})
	return out, err
}
