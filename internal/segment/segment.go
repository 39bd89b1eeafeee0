// Package segment holds saved segments of organizations: rules over their
// attributes and analytics (ABC class, RFM scores, churn risk, tier),
// evaluated on demand and materialized on refresh so that programs' rules
// can read them as org.segments.
package segment

import (
	"context"
	"regexp"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
	"github.com/loyal-b2b/loyal/internal/program"
)

// Segment is a saved set of rules; Members and RefreshedAt describe the
// last materialization.
type Segment struct {
	ID          string      `json:"id"`
	TenantID    string      `json:"-"`
	Code        string      `json:"code" doc:"What rules see in org.segments"`
	Name        string      `json:"name"`
	Rules       []Condition `json:"rules" doc:"All must hold"`
	Members     int64       `json:"members" doc:"Organizations at the last refresh"`
	RefreshedAt *time.Time  `json:"refreshed_at"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
}

// Tx is what segments need from storage.
type Tx interface {
	audit.Writer
	InsertSegment(ctx context.Context, s Segment) error
	GetSegment(ctx context.Context, tenantID, id string) (Segment, error)
	ListSegments(ctx context.Context, tenantID string, r page.Request) ([]Segment, error)
	UpdateSegment(ctx context.Context, s Segment) error
	DeleteSegment(ctx context.Context, tenantID, id string) error
	ReplaceSegmentMembers(ctx context.Context, tenantID, segmentID string, orgIDs []string) error
	SegmentCodesOf(ctx context.Context, tenantID, orgID string) ([]string, error)
	HasSegmentMembers(ctx context.Context, tenantID string) (bool, error)
	ScanOrganizations(ctx context.Context, tenantID string, fn func(party.Organization) error) error
	ProgramStates(ctx context.Context, tenantID, programID string) ([]analytics.StateRow, error)
	GetProgram(ctx context.Context, tenantID, id string) (program.Program, error)
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Service manages segments.
type Service struct {
	Store     Store
	Clock     clock.Clock
	Analytics *analytics.Service
	// Used, shared with Source, is told when a refresh changes members.
	Used *tenantflag.Flags
}

// Input is a segment to create, or the fields of a change (nil: kept).
type Input struct {
	Code  *string
	Name  *string
	Rules *[]Condition
}

var codeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// apply checks in and writes it onto s.
func (s *Service) apply(ctx context.Context, tx Tx, tenantID string, sg *Segment, in Input, create bool) error {
	var f errs.Fields
	if in.Code != nil || create {
		code := ""
		if in.Code != nil {
			code = *in.Code
		}
		if !codeRE.MatchString(code) {
			f.Add("code", "invalid_code", "a code is 1–64 lowercase letters, digits, _ or -, starting with a letter or digit")
		}
		sg.Code = code
	}
	if in.Name != nil || create {
		name := ""
		if in.Name != nil {
			name = *in.Name
		}
		sg.Name = valid.Text(&f, "name", name, true, 200)
	}
	if in.Rules != nil {
		sg.Rules = *in.Rules
	}
	if sg.Rules == nil {
		sg.Rules = []Condition{}
	}
	checkRules(&f, sg.Rules)
	if err := f.Err(); err != nil {
		return err
	}
	for i, r := range sg.Rules {
		if r.Field != "tier" {
			continue
		}
		if _, err := tx.GetProgram(ctx, tenantID, r.Program); errs.Is(err, errs.NotFound) {
			f.Add(ruleField(i, "program"), "unknown_program", "no program %q in this tenant", r.Program)
		} else if err != nil {
			return err
		}
	}
	return f.Err()
}

// Create saves a new segment.
func (s *Service) Create(ctx context.Context, p access.Principal, in Input) (Segment, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Segment{}, err
	}
	now := s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Segment, error) {
		sg := Segment{ID: ids.New(), TenantID: p.TenantID, CreatedAt: now, UpdatedAt: now}
		if err := s.apply(ctx, tx, p.TenantID, &sg, in, true); err != nil {
			return sg, err
		}
		if err := tx.InsertSegment(ctx, sg); err != nil {
			return sg, err
		}
		return sg, audit.Record(ctx, tx, p, now, "segment.created", "segment", sg.ID, nil, sg)
	})
}

// Update changes a segment's code, name or rules.
func (s *Service) Update(ctx context.Context, p access.Principal, id string, in Input) (Segment, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Segment{}, err
	}
	now := s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Segment, error) {
		before, err := tx.GetSegment(ctx, p.TenantID, id)
		if err != nil {
			return before, err
		}
		sg := before
		if err := s.apply(ctx, tx, p.TenantID, &sg, in, false); err != nil {
			return sg, err
		}
		sg.UpdatedAt = now
		if err := tx.UpdateSegment(ctx, sg); err != nil {
			return sg, err
		}
		return sg, audit.Record(ctx, tx, p, now, "segment.updated", "segment", sg.ID, before, sg)
	})
}

// Delete removes a segment and its memberships.
func (s *Service) Delete(ctx context.Context, p access.Principal, id string) error {
	if err := p.Can(access.ManagePrograms); err != nil {
		return err
	}
	now := s.Clock.Now()
	_, err := txn.Do(ctx, s.Store, func(tx Tx) (struct{}, error) {
		before, err := tx.GetSegment(ctx, p.TenantID, id)
		if err != nil {
			return struct{}{}, err
		}
		if err := tx.DeleteSegment(ctx, p.TenantID, id); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, audit.Record(ctx, tx, p, now, "segment.deleted", "segment", id, before, nil)
	})
	return err
}

// Get returns one segment.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Segment, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Segment{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Segment, error) { return tx.GetSegment(ctx, p.TenantID, id) })
}

// List returns a page of segments by id.
func (s *Service) List(ctx context.Context, p access.Principal, r page.Request) (page.Page[Segment], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Segment]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Segment, error) { return tx.ListSegments(ctx, p.TenantID, r) })
	return page.Build(r, rows, func(sg Segment) string { return sg.ID }), err
}

func ruleField(i int, name string) string { return "rules[" + strconv.Itoa(i) + "]." + name }
