package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/program"
)

// ProgramJSON is a loyalty program.
type ProgramJSON struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Status      string     `json:"status" enum:"draft,pilot,active,paused,ended"`
	Pilot       []string   `json:"pilot" doc:"Organizations of the pilot (status pilot)"`
	Control     []string   `json:"control" doc:"The pilot's control group: recorded, no benefits"`
	StartsAt    *time.Time `json:"starts_at" doc:"Events before it get nothing (null: open)"`
	EndsAt      *time.Time `json:"ends_at" doc:"Events from it get nothing (null: open)"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	// PendingMove is a draft's activation waiting for a second person.
	PendingMove *PendingMoveJSON `json:"pending_move,omitempty" doc:"A draft's activation waiting for approval (the tenant requires a second person)"`
}

// PendingMoveJSON is a lifecycle move waiting for approval.
type PendingMoveJSON struct {
	Status      string     `json:"status" enum:"pilot,active"`
	Pilot       []string   `json:"pilot"`
	Control     []string   `json:"control"`
	StartsAt    *time.Time `json:"starts_at"`
	EndsAt      *time.Time `json:"ends_at"`
	RequestedBy string     `json:"requested_by"`
	RequestedAt time.Time  `json:"requested_at"`
}

func programJSON(p program.Program) ProgramJSON {
	j := ProgramJSON{Pilot: nonNil(p.Pilot), Control: nonNil(p.Control), StartsAt: p.StartsAt, EndsAt: p.EndsAt, ID: p.ID, Name: p.Name, Description: p.Description, Status: p.Status, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	if m := p.Pending; m != nil {
		j.PendingMove = &PendingMoveJSON{Status: m.Status, Pilot: nonNil(m.Pilot), Control: nonNil(m.Control), StartsAt: m.StartsAt, EndsAt: m.EndsAt,
			RequestedBy: m.RequestedBy, RequestedAt: m.RequestedAt}
	}
	return j
}

// TermsJSON is one version of a program's employee-incentive terms.
type TermsJSON struct {
	ProgramID string    `json:"program_id"`
	Version   int       `json:"version"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

func termsJSON(t program.Terms) TermsJSON {
	return TermsJSON{ProgramID: t.ProgramID, Version: t.Version, Title: t.Title, Body: t.Body, CreatedBy: t.CreatedBy, CreatedAt: t.CreatedAt}
}

type programCreate struct {
	Body struct {
		Name        string `json:"name" minLength:"1" maxLength:"200"`
		Description string `json:"description,omitempty" maxLength:"5000"`
	}
}

type termsCreate struct {
	IDPath
	Body struct {
		Title string `json:"title" minLength:"1" maxLength:"200"`
		Body  string `json:"body" minLength:"1" maxLength:"100000" doc:"The full text organizations' management accept"`
	}
}

type termsBody struct {
	Items []TermsJSON `json:"items" doc:"Newest first"`
}

func (a *API) programRoutes() {
	const tag = "Programs"
	handle(a, op("create-program", http.MethodPost, "/v1/programs", tag, "Create a program", "Needs write scope. A new program is a draft."),
		func(ctx context.Context, p access.Principal, in *programCreate) (*bodyOut[ProgramJSON], error) {
			pr, err := a.svc.Programs.Create(ctx, p, program.Input{Name: in.Body.Name, Description: in.Body.Description})
			return out(programJSON(pr)), err
		})
	handle(a, op("list-programs", http.MethodGet, "/v1/programs", tag, "List programs", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *PageQuery) (*listOut[ProgramJSON], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Programs.List(ctx, p, r)
			return pageOut(pg, programJSON), err
		})
	handle(a, op("get-program", http.MethodGet, "/v1/programs/{id}", tag, "Get a program", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[ProgramJSON], error) {
			pr, err := a.svc.Programs.Get(ctx, p, in.ID)
			return out(programJSON(pr)), err
		})
	handle(a, op("publish-terms", http.MethodPost, "/v1/programs/{id}/terms", tag, "Publish a new version of the employee-incentive terms",
		"Needs write scope. Organizations that accepted an earlier version must accept the new one before their employees earn again."),
		func(ctx context.Context, p access.Principal, in *termsCreate) (*bodyOut[TermsJSON], error) {
			t, err := a.svc.Programs.PublishTerms(ctx, p, in.ID, program.TermsInput{Title: in.Body.Title, Body: in.Body.Body})
			return out(termsJSON(t)), err
		})
	handle(a, op("list-terms", http.MethodGet, "/v1/programs/{id}/terms", tag, "List the versions of the employee-incentive terms", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[termsBody], error) {
			list, err := a.svc.Programs.ListTerms(ctx, p, in.ID)
			items := make([]TermsJSON, len(list))
			for i, t := range list {
				items[i] = termsJSON(t)
			}
			return out(termsBody{Items: items}), err
		})
}
