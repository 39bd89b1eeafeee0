package events

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/program"
)

// TryDraft is "try it" while a program is edited: a dry run of one event
// against a definition not yet saved, alone (the tenant's running
// programs are left out, so the outcome is this definition's only). It
// evaluates exactly as a dry run of ingestion (a transaction rolled back); the
// version's point type gives points their value.
func (s *Service) TryDraft(ctx context.Context, p access.Principal, pr program.Program, def engine.Definition, in Input) (Result, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Result{}, err
	}
	now := s.Clock.Now()
	ev, err := check(in, now)
	if err != nil {
		return Result{}, err
	}
	look, err := s.prefetch(ctx, p, []Input{in})
	if err != nil {
		return Result{}, err
	}
	var out Result
	err = s.Store.Rehearse(ctx, func(tx Tx) error {
		v := program.Version{TenantID: p.TenantID, ProgramID: pr.ID, Version: pr.Versions + 1, Definition: def}
		c, err := program.Compile(ctx, tx, v)
		if err != nil {
			return errs.Prefix(err, "definition.")
		}
		draft := pr
		draft.Status, draft.StartsAt, draft.EndsAt = program.Active, nil, nil // the draft runs as if active, for this event
		look.programs = []*running{{prog: draft, versions: []*engine.Program{c}}}
		res, err := s.newBatch(tx, p, now, look, false).all(ctx, []Input{in}, []engine.Event{ev})
		if err == nil {
			out = res[0]
		}
		return err
	})
	if err != nil {
		return Result{}, err
	}
	one := []Result{out}
	rehearsed(one)
	return one[0], nil
}
