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
		b := s.reader(tx, p, s.Clock.Now())
		r, v, err := b.program(ctx, programID)
		if err != nil {
			return err
		}
		org, err := party.OrgByRef(ctx, tx, p.TenantID, orgRef) // a path: unknown is 404
		if err != nil {
			return err
		}
		st, err := b.orgState(ctx, r, org.ID, b.now)
		if err != nil {
			return err
		}
		out = Standing{ProgramID: r.prog.ID, OrganizationID: org.ID, ParticipantStatus: engine.Status(v, st.State, b.now)}
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
		b := s.newBatch(tx, p, s.Clock.Now())
		r, v, err := b.program(ctx, programID)
		if err != nil {
			return err
		}
		org, err := b.organization(ctx, &Input{Organization: orgRef})
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
		st, err := b.orgState(ctx, r, org.ID, b.now)
		if err != nil {
			return err
		}
		out = Standing{ProgramID: r.prog.ID, OrganizationID: org.ID}
		if st.State.EnrolledAt != nil {
			out.ParticipantStatus = engine.Status(v, st.State, b.now)
			return nil
		}
		ns := st.State.Clone()
		at := b.now
		ns.EnrolledAt = &at
		b.keep(k, ns, true, r)
		out.ParticipantStatus = engine.Status(v, ns, b.now)
		if err := b.flush(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, at, "program.enrolled", "organization", org.ID, nil, out)
	})
	return out, err
}

// program finds a program that has a version, running or not (standing is
// shown for drafts too), with the version in force now.
func (b *batch) program(ctx context.Context, id string) (*running, *engine.Program, error) {
	pr, err := b.tx.GetProgram(ctx, b.p.TenantID, id)
	if err != nil {
		return nil, nil, err
	}
	r, err := b.s.compileAll(ctx, b.tx, pr)
	if err != nil {
		return nil, nil, err
	}
	if len(r.versions) == 0 {
		return nil, nil, errs.E(errs.Conflict, "no_version", "program %s has no rules yet", id)
	}
	v := r.at(b.now)
	if v == nil {
		v = r.latest() // outside the program's period: show by its latest rules
	}
	return r, v, nil
}

// Budget returns a program's budget consumption and the usage of its caps
// per rule in their current periods (DOMAIN §7: budgets, with what is left).
func (s *Service) Budget(ctx context.Context, p access.Principal, programID string) (engine.BudgetUsage, error) {
	if err := p.Can(access.ReadData); err != nil {
		return engine.BudgetUsage{}, err
	}
	var out engine.BudgetUsage
	err := s.Store.Read(ctx, func(tx Tx) error {
		b := s.reader(tx, p, s.Clock.Now())
		_, v, err := b.program(ctx, programID)
		if err != nil {
			return err
		}
		st, err := b.state(ctx, StateKey{ProgramID: v.ID, OwnerType: "program"})
		out = engine.Budget(v, st.Program, b.now)
		return err
	})
	return out, err
}
