package events

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/program"
)

// running is a program that evaluates events (pilot or active), with its
// compiled versions, oldest first.
type running struct {
	prog     program.Program
	versions []*engine.Program
}

// at returns the version in force at t, or nil before the first and
// outside the program's period.
func (r *running) at(t time.Time) *engine.Program {
	if !r.prog.Runs(t) {
		return nil
	}
	var v *engine.Program
	for _, x := range r.versions {
		if !x.From.After(t) {
			v = x
		}
	}
	return v
}

func (r *running) latest() *engine.Program { return r.versions[len(r.versions)-1] }

// pilotOf is the pilot status of an organization ("" outside a pilot).
func (r *running) pilotOf(orgID string) string {
	if r.prog.Status != program.Pilot {
		return ""
	}
	switch {
	case slices.Contains(r.prog.Pilot, orgID):
		return "pilot"
	case slices.Contains(r.prog.Control, orgID):
		return "control"
	}
	return "outside"
}

// running returns the tenant's running programs with their compiled
// versions: from the cache when fresh (see runningTTL), else read and
// compiled. Versions never change, so a compiled version is also cached
// by its number.
func (s *Service) running(ctx context.Context, tx Tx, tenantID string) ([]*running, error) {
	rs, gen, ok := s.cache.get(tenantID)
	if ok {
		return rs, nil
	}
	rs, err := s.readRunning(ctx, tx, tenantID)
	if err == nil {
		s.cache.put(tenantID, gen, rs)
	}
	return rs, err
}

func (s *Service) readRunning(ctx context.Context, tx Tx, tenantID string) ([]*running, error) {
	progs, err := tx.RunningPrograms(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make([]*running, 0, len(progs))
	for _, pr := range progs {
		r, err := s.compileAll(ctx, tx, pr)
		if err != nil {
			return nil, err
		}
		if len(r.versions) > 0 {
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *Service) compileAll(ctx context.Context, tx Tx, pr program.Program) (*running, error) {
	key := pr.TenantID + "/" + pr.ID
	if c, ok := s.runs.Load(key); ok && pr.Versions > 0 && len(c.([]*engine.Program)) == pr.Versions {
		return &running{prog: pr, versions: c.([]*engine.Program)}, nil // versions never change
	}
	vs, err := tx.ListVersions(ctx, pr.TenantID, pr.ID)
	if err != nil {
		return nil, err
	}
	r := &running{prog: pr}
	for _, v := range vs {
		vkey := fmt.Sprintf("%s/%s/%d", v.TenantID, v.ProgramID, v.Version)
		if c, ok := s.compiled.Load(vkey); ok {
			r.versions = append(r.versions, c.(*engine.Program))
			continue
		}
		c, err := program.Compile(ctx, tx, v)
		if err != nil {
			return nil, fmt.Errorf("program %s version %d no longer compiles: %w", v.ProgramID, v.Version, err)
		}
		s.compiled.Store(vkey, c)
		r.versions = append(r.versions, c)
	}
	s.runs.Store(key, r.versions)
	return r, nil
}

// find is the running program with this id, or nil.
func (u *unit) find(programID string) *running {
	for _, r := range u.programs {
		if r.prog.ID == programID {
			return r
		}
	}
	return nil
}

// program finds a program that has a version, running or not (standing is
// shown for drafts too), with the version in force now.
func (u *unit) program(ctx context.Context, id string) (*running, *engine.Program, error) {
	pr, err := u.tx.GetProgram(ctx, u.p.TenantID, id)
	if err != nil {
		return nil, nil, err
	}
	r, err := u.s.compileAll(ctx, u.tx, pr)
	if err != nil {
		return nil, nil, err
	}
	if len(r.versions) == 0 {
		return nil, nil, errs.E(errs.Conflict, "no_version", "program %s has no rules yet", id)
	}
	v := r.at(u.now)
	if v == nil {
		v = r.latest() // outside the program's period: show by its latest rules
	}
	return r, v, nil
}
