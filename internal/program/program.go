// Package program holds loyalty programs and the versioned texts of their
// employee-incentive terms, which organizations' management accept.
package program

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// Program statuses, in lifecycle order.
const (
	Draft  = "draft"
	Pilot  = "pilot"
	Active = "active"
	Paused = "paused"
	Ended  = "ended"
)

// Program is a loyalty program of an operator.
type Program struct {
	ID          string `json:"id"`
	TenantID    string `json:"tenant_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Status      string `json:"status"`
	// Pilot and Control are the organizations of a pilot and of its
	// control group (recorded, no benefits), while the status is pilot.
	Pilot   []string `json:"pilot"`
	Control []string `json:"control"`
	// StartsAt and EndsAt bound the period the program evaluates events
	// in (nil: open); a program usually runs for a limited period.
	StartsAt *time.Time `json:"starts_at"`
	Versions int        `json:"versions"` // how many versions it has (the latest's number)
	EndsAt   *time.Time `json:"ends_at"`
	// Pending is a draft's activation waiting for a second person (the
	// tenant requires approval of program changes); nil when none waits.
	Pending   *Move     `json:"pending_move,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Terms is one version of a program's employee-incentive terms.
type Terms struct {
	TenantID  string    `json:"tenant_id"`
	ProgramID string    `json:"program_id"`
	Version   int       `json:"version"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Tx is what the program service needs from storage.
type Tx interface {
	audit.Writer
	InsertProgram(ctx context.Context, p Program) error
	GetProgram(ctx context.Context, tenantID, id string) (Program, error)
	// LockProgram locks a program for the transaction: its status, its
	// versions and its terms change only under the lock.
	LockProgram(ctx context.Context, tenantID, id string) error
	ListPrograms(ctx context.Context, tenantID string, r page.Request) ([]Program, error)
	UpdateProgram(ctx context.Context, p Program) error
	InsertVersion(ctx context.Context, v Version) error
	// ListVersions lists the versions in force, oldest first;
	// ListAllVersions also those pending or rejected.
	ListVersions(ctx context.Context, tenantID, programID string) ([]Version, error)
	ListAllVersions(ctx context.Context, tenantID, programID string) ([]Version, error)
	PendingVersions(ctx context.Context, tenantID string) ([]Version, error)
	// DecideVersion writes a pending version's decision if it is still
	// pending, and reports whether it did.
	DecideVersion(ctx context.Context, v Version) (bool, error)
	VersionApprovalRequired(ctx context.Context, tenantID string) (bool, error)
	GetPointType(ctx context.Context, tenantID, id string) (ledger.PointType, error)
	OrganizationsExist(ctx context.Context, tenantID string, ids []string) ([]string, error)
	InsertTerms(ctx context.Context, t Terms) error
	ListTerms(ctx context.Context, tenantID, programID string) ([]Terms, error)
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Service manages programs.
type Service struct {
	Store Store
	Clock clock.Clock
	// OnChange, when set, is told after a tenant's programs changed
	// (status, versions), so that caches of running programs refresh.
	OnChange func(tenantID string)
	// Approvers checks that whoever approves a draft's activation is a
	// second person (nil: anyone but the requester).
	Approvers access.Approvers
}

// changed reports a committed change of a tenant's programs.
func (s *Service) changed(tenantID string, err error) {
	if err == nil && s.OnChange != nil {
		s.OnChange(tenantID)
	}
}

// Input describes a program to create.
type Input struct {
	Name        string
	Description string
}

// Create adds a program in draft.
func (s *Service) Create(ctx context.Context, p access.Principal, in Input) (Program, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Program{}, err
	}
	var f errs.Fields
	now := s.Clock.Now()
	pr := Program{ID: ids.New(), TenantID: p.TenantID, Status: Draft, CreatedAt: now, UpdatedAt: now,
		Name:        valid.Text(&f, "name", in.Name, true, 200),
		Description: valid.LongText(&f, "description", in.Description, false, 5000)}
	if err := f.Err(); err != nil {
		return Program{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Program, error) {
		if err := tx.InsertProgram(ctx, pr); err != nil {
			return pr, err
		}
		return pr, audit.Record(ctx, tx, p, now, "program.created", "program", pr.ID, nil, pr)
	})
}

// Get returns one program.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Program, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Program{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Program, error) { return tx.GetProgram(ctx, p.TenantID, id) })
}

// List returns a page of programs in creation order.
func (s *Service) List(ctx context.Context, p access.Principal, r page.Request) (page.Page[Program], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Program]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Program, error) { return tx.ListPrograms(ctx, p.TenantID, r) })
	return page.Build(r, rows, func(pr Program) string { return pr.ID }), err
}

// TermsInput is the text of a new terms version.
type TermsInput struct {
	Title string
	Body  string
}

// PublishTerms adds a new version of a program's employee-incentive terms.
// Organizations that accepted an earlier version must accept this one
// before their employees earn again.
func (s *Service) PublishTerms(ctx context.Context, p access.Principal, programID string, in TermsInput) (Terms, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Terms{}, err
	}
	var f errs.Fields
	t := Terms{TenantID: p.TenantID, ProgramID: programID, CreatedBy: string(p.ActorType) + ":" + p.ActorID,
		Title: valid.Text(&f, "title", in.Title, true, 200),
		Body:  valid.LongText(&f, "body", in.Body, true, 100_000)}
	if err := f.Err(); err != nil {
		return Terms{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Terms, error) {
		if err := tx.LockProgram(ctx, p.TenantID, programID); err != nil { // versions are numbered from what exists
			return t, err
		}
		if _, err := tx.GetProgram(ctx, p.TenantID, programID); err != nil {
			return t, err
		}
		all, err := tx.ListTerms(ctx, p.TenantID, programID)
		if err != nil {
			return t, err
		}
		t.Version = len(all) + 1
		t.CreatedAt = s.Clock.Now()
		if err := tx.InsertTerms(ctx, t); err != nil {
			return t, err
		}
		return t, audit.Record(ctx, tx, p, t.CreatedAt, "program.terms_published", "program", programID, nil, t)
	})
}

// ListTerms returns every version of a program's terms, newest first.
func (s *Service) ListTerms(ctx context.Context, p access.Principal, programID string) ([]Terms, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Terms, error) {
		if _, err := tx.GetProgram(ctx, p.TenantID, programID); err != nil {
			return nil, err
		}
		return tx.ListTerms(ctx, p.TenantID, programID)
	})
}
