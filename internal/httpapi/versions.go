package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/program"
)

type versionCreate struct {
	IDPath
	DryRunQuery
	Body struct {
		Definition    json.RawMessage `json:"definition" doc:"Rules and mechanics (see docs/PROGRAMS.md); checked and compiled when saved"`
		EffectiveFrom *time.Time      `json:"effective_from,omitempty" doc:"When the version takes force; default now (for a draft's first version: all history)"`
	}
}

type versionsBody struct {
	Items []program.Version `json:"items" doc:"Oldest first"`
}

type statusChange struct {
	IDPath
	Body struct {
		Status   string     `json:"status" enum:"pilot,active,paused,ended"`
		Pilot    []string   `json:"pilot,omitempty" maxItems:"10000" doc:"Organization ids of a pilot"`
		Control  []string   `json:"control,omitempty" maxItems:"10000" doc:"Organization ids of the pilot's control group"`
		StartsAt *time.Time `json:"starts_at,omitempty" doc:"Events before this time get nothing (default: unchanged, open)"`
		EndsAt   *time.Time `json:"ends_at,omitempty" doc:"Events from this time get nothing: programs usually run for a limited period"`
	}
}

type versionDecision struct {
	IDPath
	Version int `path:"version" minimum:"1" maximum:"1000000" doc:"The version's number"`
	Body    struct {
		Note string `json:"note,omitempty" maxLength:"500" doc:"Why (required to reject)"`
	}
}

type activationDecision struct {
	IDPath
	Body struct {
		Note string `json:"note,omitempty" maxLength:"500" doc:"Why (required to reject)"`
	}
}

func (a *API) versionRoutes() {
	const tag = "Programs"
	handle(a, op("add-program-version", http.MethodPost, "/v1/programs/{id}/versions", tag, "Add a version of a program's rules and mechanics",
		"Needs write scope. The definition is checked and its expressions compiled; every problem is reported at once with its path (dry_run=true checks without saving: live validation while editing). A running program's version starts now or later: history keeps the rules of its time."),
		func(ctx context.Context, p access.Principal, in *versionCreate) (*bodyOut[program.Version], error) {
			v, err := a.svc.Programs.AddVersion(ctx, p, in.ID, program.VersionInput{Definition: in.Body.Definition, EffectiveFrom: in.Body.EffectiveFrom,
				DryRun: in.DryRun})
			return out(v), err
		})
	handle(a, op("list-program-versions", http.MethodGet, "/v1/programs/{id}/versions", tag, "List a program's versions", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[versionsBody], error) {
			vs, err := a.svc.Programs.ListVersions(ctx, p, in.ID)
			return out(versionsBody{Items: nonNil(vs)}), err
		})
	for _, d := range []struct {
		verb    string
		approve bool
	}{{"approve", true}, {"reject", false}} {
		handle(a, action(op(d.verb+"-program-version", http.MethodPost, "/v1/programs/{id}/versions/{version}/"+d.verb, tag, "Decide on a version waiting for approval",
			"When the tenant requires a second person's approval of new versions of running programs, a new version waits (approval: pending) until someone other than its submitter approves it (it then takes effect now) or rejects it (with a note). Needs a program manager or administrator.")),
			func(ctx context.Context, p access.Principal, in *versionDecision) (*bodyOut[program.Version], error) {
				v, err := a.svc.Programs.DecideVersion(ctx, p, in.ID, in.Version, d.approve, in.Body.Note)
				return out(v), err
			})
	}
	for _, d := range []struct {
		verb    string
		approve bool
	}{{"approve", true}, {"reject", false}} {
		handle(a, action(op(d.verb+"-program-activation", http.MethodPost, "/v1/programs/{id}/activation/"+d.verb, tag, "Decide on a draft's activation waiting for approval",
			"When the tenant requires a second person's approval, a draft's move to pilot or active waits (pending_move) until someone other than its requester, and not made by them for it, approves it (the move is made then) or rejects it (with a note). Needs a program manager or administrator.")),
			func(ctx context.Context, p access.Principal, in *activationDecision) (*bodyOut[ProgramJSON], error) {
				pr, err := a.svc.Programs.DecideActivation(ctx, p, in.ID, d.approve, in.Body.Note)
				return out(programJSON(pr)), err
			})
	}
	handle(a, action(op("set-program-status", http.MethodPost, "/v1/programs/{id}/status", tag, "Move a program through its lifecycle",
		"Needs write scope. draft → pilot (with its organizations and a control group) or active; pilot → active, paused, ended; active → paused, ended; paused → active, pilot, ended. When the tenant requires a second person's approval, a draft's activation waits instead (pending_move).")),
		func(ctx context.Context, p access.Principal, in *statusChange) (*bodyOut[ProgramJSON], error) {
			pr, err := a.svc.Programs.SetStatus(ctx, p, in.ID, program.StatusInput{Status: in.Body.Status, Pilot: in.Body.Pilot, Control: in.Body.Control,
				StartsAt: in.Body.StartsAt, EndsAt: in.Body.EndsAt})
			return out(programJSON(pr)), err
		})
}

// ParticipantPath names an organization in a program.
type ParticipantPath struct {
	IDPath
	Org string `path:"org" maxLength:"110" doc:"The organization's id, or ext:<external id>"`
}

type tierGrantIn struct {
	ParticipantPath
	Body events.TierGrant
}

type enrollIn struct {
	IDPath
	Body struct {
		Organization string `json:"organization" minLength:"1" maxLength:"110" doc:"The organization's id, or ext:<external id>"`
	}
}

func (a *API) participantRoutes() {
	const tag = "Programs"
	handle(a, op("enroll", http.MethodPost, "/v1/programs/{id}/enrollments", tag, "Enroll an organization",
		"Needs write scope. Programs with explicit enrollment evaluate events only for enrolled organizations; auto-enrolling programs enroll on the first event. Enrolling again changes nothing."),
		func(ctx context.Context, p access.Principal, in *enrollIn) (*bodyOut[events.Standing], error) {
			st, err := a.svc.Events.Enroll(ctx, p, in.ID, in.Body.Organization)
			return out(st), err
		})
	handle(a, op("get-participant", http.MethodGet, "/v1/programs/{id}/participants/{org}", tag, "An organization's standing in a program",
		"Needs read scope. Enrollment, tier with progress to the next level (and whether it is at risk), stamps, cards, current discount rates: what the participant sees on one screen."),
		func(ctx context.Context, p access.Principal, in *ParticipantPath) (*bodyOut[events.Standing], error) {
			st, err := a.svc.Events.Status(ctx, p, in.ID, in.Org)
			return out(st), err
		})
	handle(a, action(op("grant-tier", http.MethodPost, "/v1/programs/{id}/participants/{org}/tier", tag, "Grant a tier by hand",
		"Needs write scope and the operator (a staff key or an admin key). Sets the organization's tier — an invitation-only level, or any level for a while — "+
			"until `until` (absent: until ended); reviews do not move it down meanwhile, the metric may move it up. Audited with before and after.")),
		func(ctx context.Context, p access.Principal, in *tierGrantIn) (*bodyOut[events.Standing], error) {
			st, err := a.svc.Events.GrantTier(ctx, p, in.ID, in.Org, in.Body)
			return out(st), err
		})
	handle(a, action(op("end-tier-grant", http.MethodDelete, "/v1/programs/{id}/participants/{org}/tier", tag, "End a tier granted by hand",
		"Needs write scope and the operator. The organization returns to the level it held before the grant, or the level its metric reaches now if higher. Audited.")),
		func(ctx context.Context, p access.Principal, in *ParticipantPath) (*bodyOut[events.Standing], error) {
			st, err := a.svc.Events.EndTierGrant(ctx, p, in.ID, in.Org)
			return out(st), err
		})
	handle(a, op("get-program-budget", http.MethodGet, "/v1/programs/{id}/budget", tag, "A program's budget and caps consumption",
		"Needs read scope. The budget with what is used and left, and each per-rule cap in its current period. When a budget or cap is exhausted the effect stops and the event's outcome says why."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[engine.BudgetUsage], error) {
			u, err := a.svc.Events.Budget(ctx, p, in.ID)
			return out(u), err
		})
}
