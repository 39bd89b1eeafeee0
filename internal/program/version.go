package program

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Version is one version of a program's rules and mechanics, in force from
// EffectiveFrom until the next version's. Versions never change: an edit
// is a new version, so history is always evaluated by the rules of its
// time.
type Version struct {
	TenantID      string            `json:"tenant_id"`
	ProgramID     string            `json:"program_id"`
	Version       int               `json:"version"`
	EffectiveFrom time.Time         `json:"effective_from"`
	Definition    engine.Definition `json:"definition"`
	CreatedBy     string            `json:"created_by"`
	CreatedAt     time.Time         `json:"created_at"`
	// Approval is "" for a version in force, "pending" while it waits for
	// a second person (the tenant's setting), or "rejected".
	Approval     string     `json:"approval,omitempty"`
	RequestedBy  string     `json:"requested_by,omitempty"`
	DecidedBy    string     `json:"decided_by,omitempty"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	DecisionNote string     `json:"decision_note,omitempty"`
}

// Version approval states.
const (
	VersionPending  = "pending"
	VersionRejected = "rejected"
)

// VersionInput is a new version.
type VersionInput struct {
	Definition    json.RawMessage
	EffectiveFrom *time.Time // nil: now (or the beginning of time for a draft's first version)
	// DryRun checks and compiles the definition and answers the version
	// that would be added, storing nothing: live validation while editing.
	DryRun bool
	// BasedOn, when set, is how many versions the editor saw: a version
	// added meanwhile by someone else refuses this one (Conflict) rather
	// than silently replacing it.
	BasedOn *int
}

// maxDefinition bounds a definition's JSON.
const maxDefinition = 256 << 10

// AddVersion checks and compiles a definition and stores it as the
// program's next version. A running program's new version starts now or
// later, never in the past.
func (s *Service) AddVersion(ctx context.Context, p access.Principal, programID string, in VersionInput) (Version, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Version{}, err
	}
	def, err := DecodeDefinition(in.Definition)
	if err != nil {
		return Version{}, err
	}
	now := s.Clock.Now()
	run := txn.Do[Tx, Version]
	if in.DryRun {
		run = txn.Get[Tx, Version]
	}
	v, err := run(ctx, s.Store, func(tx Tx) (Version, error) {
		if !in.DryRun {
			if err := tx.LockProgram(ctx, p.TenantID, programID); err != nil {
				return Version{}, err
			}
		}
		pr, err := tx.GetProgram(ctx, p.TenantID, programID)
		if err != nil {
			return Version{}, err
		}
		if pr.Status == Ended {
			return Version{}, errs.E(errs.Conflict, "program_ended", "program %s has ended; it takes no new versions", programID)
		}
		all, err := tx.ListAllVersions(ctx, p.TenantID, programID)
		if err != nil {
			return Version{}, err
		}
		if in.BasedOn != nil && *in.BasedOn != len(all) {
			return Version{}, errs.E(errs.Conflict, "changed_meanwhile", "program %s has %d versions now, not %d: someone saved a version meanwhile; reload and edit the latest", programID, len(all), *in.BasedOn)
		}
		v := Version{TenantID: p.TenantID, ProgramID: programID, Version: len(all) + 1, Definition: def,
			CreatedBy: string(p.ActorType) + ":" + p.ActorID, CreatedAt: now, RequestedBy: p.Name()}
		if v.EffectiveFrom, err = effectiveFrom(pr, inForce(all), in.EffectiveFrom, now); err != nil {
			return Version{}, err
		}
		action := "program.version_added"
		if pr.Status != Draft {
			need, err := tx.VersionApprovalRequired(ctx, p.TenantID)
			if err != nil {
				return Version{}, err
			}
			if need {
				v.Approval, action = VersionPending, "program.version_submitted"
			}
		}
		if _, err := Compile(ctx, tx, v); err != nil {
			return Version{}, errs.Prefix(err, "definition.")
		}
		if in.DryRun {
			return v, nil
		}
		if err := tx.InsertVersion(ctx, v); err != nil {
			return Version{}, err
		}
		return v, audit.Record(ctx, tx, p, now, action, "program", programID, nil, v)
	})
	s.changed(p.TenantID, err)
	return v, err
}

// DecodeDefinition reads a definition strictly: unknown fields are errors,
// so a misspelt setting is not silently ignored.
func DecodeDefinition(raw json.RawMessage) (engine.Definition, error) {
	var def engine.Definition
	if len(raw) == 0 {
		return def, errs.InvalidField("definition", "required", "give the program's definition")
	}
	if len(raw) > maxDefinition {
		return def, errs.E(errs.TooLarge, "definition_too_large", "a definition is at most %d bytes", maxDefinition)
	}
	if err := decodeStrict(raw, &def); err != nil {
		return def, errs.InvalidField("definition", "invalid_json", "%v", err)
	}
	return def, nil
}

func effectiveFrom(pr Program, all []Version, asked *time.Time, now time.Time) (time.Time, error) {
	from := now
	if pr.Status == Draft && len(all) == 0 {
		from = time.Unix(0, 0).UTC() // a draft's first version covers all history (simulations replay it)
	}
	if asked != nil {
		from = asked.UTC().Truncate(time.Millisecond)
		if pr.Status != Draft && from.Before(now.Add(-time.Minute)) {
			return from, errs.InvalidField("effective_from", "in_the_past",
				"program %s is %s: a new version starts now or later (a change never rewrites history)", pr.ID, pr.Status)
		}
	}
	if n := len(all); n > 0 && !from.After(all[n-1].EffectiveFrom) {
		return from, errs.InvalidField("effective_from", "not_after_previous",
			"version %d is in force from %s; a new version must start later", n, all[n-1].EffectiveFrom.Format(time.RFC3339))
	}
	return from, nil
}

// PointTypes reads point types.
type PointTypes interface {
	GetPointType(ctx context.Context, tenantID, id string) (ledger.PointType, error)
}

// Compile compiles a version with the value of its point type.
func Compile(ctx context.Context, tx PointTypes, v Version) (*engine.Program, error) {
	var val engine.PointValue
	if id := v.Definition.PointTypeID; id != "" {
		pt, err := tx.GetPointType(ctx, v.TenantID, id)
		if errs.Is(err, errs.NotFound) {
			return nil, errs.InvalidField("point_type_id", "unknown_point_type", "no point type %q in this tenant", id)
		}
		if err != nil {
			return nil, err
		}
		if pt.ProgramID != v.ProgramID {
			return nil, errs.InvalidField("point_type_id", "other_program", "point type %q belongs to another program", id)
		}
		val = engine.PointValue{Num: pt.ValueNum, Den: pt.ValueDen, Rounding: pt.Rounding}
	}
	return engine.Compile(v.ProgramID, v.Version, v.EffectiveFrom, v.Definition, val)
}

// ListVersions returns a program's versions, oldest first, those waiting
// for approval or rejected included (marked by Approval).
func (s *Service) ListVersions(ctx context.Context, p access.Principal, programID string) ([]Version, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Version, error) {
		if _, err := tx.GetProgram(ctx, p.TenantID, programID); err != nil {
			return nil, err
		}
		return tx.ListAllVersions(ctx, p.TenantID, programID) // with those pending or rejected, marked
	})
}

// transitions are the lifecycle moves a program may make.
var transitions = map[string][]string{
	Draft:  {Pilot, Active},
	Pilot:  {Active, Paused, Ended},
	Active: {Paused, Ended},
	Paused: {Active, Pilot, Ended},
}

// StatusInput moves a program through its lifecycle.
type StatusInput struct {
	Status   string     `json:"status"`
	Pilot    []string   `json:"pilot,omitempty"`     // organizations of a pilot
	Control  []string   `json:"control,omitempty"`   // its control group
	StartsAt *time.Time `json:"starts_at,omitempty"` // nil: keep (open when never set)
	EndsAt   *time.Time `json:"ends_at,omitempty"`
	// UnchangedSince, when set, is when the caller read the program: a
	// program changed since then is not moved (Conflict).
	UnchangedSince *time.Time `json:"-"`
}

// SetStatus moves a program to a new status: draft → pilot (chosen
// organizations and a control group) → active → paused → ended.
func (s *Service) SetStatus(ctx context.Context, p access.Principal, programID string, in StatusInput) (Program, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Program{}, err
	}
	pr, err := txn.Do(ctx, s.Store, func(tx Tx) (Program, error) {
		// Locked before its status is read: two moves at once would both
		// start from it (ended, then paused), or a version be added to a
		// program that has just ended.
		if err := tx.LockProgram(ctx, p.TenantID, programID); err != nil {
			return Program{}, err
		}
		pr, err := tx.GetProgram(ctx, p.TenantID, programID)
		if err != nil {
			return pr, err
		}
		before := pr
		if in.UnchangedSince != nil && !pr.UpdatedAt.Equal(in.UnchangedSince.UTC().Truncate(time.Millisecond)) && !pr.UpdatedAt.Equal(*in.UnchangedSince) {
			return pr, errs.E(errs.Conflict, "changed_meanwhile", "program %s changed since you read it (now %s); reload and decide again", programID, pr.Status)
		}
		if err := checkMove(pr.Status, in); err != nil {
			return pr, err
		}
		if err := s.checkPilot(ctx, tx, p.TenantID, in); err != nil {
			return pr, err
		}
		vs, err := tx.ListVersions(ctx, p.TenantID, programID)
		if err != nil {
			return pr, err
		}
		if len(vs) == 0 && in.Status != Ended {
			return pr, errs.E(errs.Conflict, "no_version", "program %s has no rules yet: add a version before it runs", programID)
		}
		if wait, err := s.needsApproval(ctx, tx, pr, in); err != nil || wait {
			return s.submitActivation(ctx, tx, p, pr, in, err)
		}
		return s.move(ctx, tx, p, before, in, "program.status_changed")
	})
	s.changed(p.TenantID, err)
	return pr, err
}

func checkMove(from string, in StatusInput) error {
	for _, to := range transitions[from] {
		if to == in.Status {
			if to == Pilot && len(in.Pilot) == 0 {
				return errs.InvalidField("pilot", "required", "a pilot needs its organizations")
			}
			return nil
		}
	}
	return errs.E(errs.Conflict, "invalid_transition", "a program in %s cannot move to %q (allowed: %v)", from, in.Status, transitions[from])
}

func (s *Service) checkPilot(ctx context.Context, tx Tx, tenantID string, in StatusInput) error {
	seen := map[string]bool{}
	for _, id := range append(append([]string{}, in.Pilot...), in.Control...) {
		if seen[id] {
			return errs.InvalidField("control", "overlap", "organization %s is listed twice (pilot and control groups must not overlap)", id)
		}
		seen[id] = true
	}
	missing, err := tx.OrganizationsExist(ctx, tenantID, append(append([]string{}, in.Pilot...), in.Control...))
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return errs.InvalidField("pilot", "unknown_organization", "no organization %s in this tenant", fmt.Sprint(missing))
	}
	return nil
}

// setPeriod applies a new start or end of the program's period.
func setPeriod(pr *Program, in StatusInput) error {
	if in.StartsAt != nil {
		t := in.StartsAt.UTC().Truncate(time.Millisecond)
		pr.StartsAt = &t
	}
	if in.EndsAt != nil {
		t := in.EndsAt.UTC().Truncate(time.Millisecond)
		pr.EndsAt = &t
	}
	if pr.StartsAt != nil && pr.EndsAt != nil && !pr.EndsAt.After(*pr.StartsAt) {
		return errs.InvalidField("ends_at", "before_start", "the program must end after it starts (%s)", pr.StartsAt.Format(time.RFC3339))
	}
	return nil
}

// Runs reports whether the program's period includes t.
func (p Program) Runs(t time.Time) bool {
	return (p.StartsAt == nil || !t.Before(*p.StartsAt)) && (p.EndsAt == nil || t.Before(*p.EndsAt))
}
