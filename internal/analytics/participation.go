package analytics

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Participation is DOMAIN §6's participation: who could take part, who
// is enrolled, who used the program lately and who never did.
type Participation struct {
	EligibleOrganizations int64    `json:"eligible_organizations" doc:"Active organizations created before to"`
	EnrolledOrganizations int64    `json:"enrolled_organizations" doc:"Eligible organizations enrolled (in the program, or in any) before to"`
	EligibleMembers       int64    `json:"eligible_members" doc:"Active members of eligible organizations"`
	EnrolledMembers       int64    `json:"enrolled_members" doc:"Active members of enrolled organizations"`
	ActiveOrganizations   int64    `json:"active_organizations" doc:"Enrolled organizations that earned or redeemed in the 90 days before to"`
	ActiveShare           float64  `json:"active_share" doc:"active / enrolled organizations, 4 decimals (0 when none enrolled)"`
	NeverUsed             int64    `json:"never_used" doc:"Enrolled organizations that never earned or redeemed before to"`
	NeverUsedIDs          []string `json:"never_used_ids" doc:"Their ids, sorted (at most 1000)"`
}

// ActiveDays is the window of "active" participation.
const ActiveDays = 90

// enrolled returns the organizations enrolled (state with enrolled_at
// before to) in the program, or in any program when programID is "".
func (s *Service) enrolled(ctx context.Context, tx Tx, tenantID, programID string, to time.Time) (map[string]bool, error) {
	read := tx.Enrolments
	if s.FromScratch {
		read = tx.StateEnrolments
	}
	rows, err := read(ctx, tenantID, programID)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range rows {
		if !r.At.IsZero() && r.At.Before(to) {
			out[r.OrganizationID] = true
		}
	}
	return out, nil
}

// participants is what participation reads: four large reads of the
// tenant's organizations, independent of one another.
type participants struct {
	enrolled, eligible map[string]bool
	members            map[string]int64 // active members per organization
	activity           []Activity
}

// Participation reports participation over q. Its four reads run side by
// side where the store allows (Tx.Together).
func (s *Service) Participation(ctx context.Context, p access.Principal, q Query) (Participation, error) {
	if err := s.prepare(ctx, p, &q); err != nil {
		return Participation{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Participation, error) {
		in, err := s.participants(ctx, tx, p.TenantID, q)
		if err != nil {
			return Participation{}, err
		}
		return in.tally(), nil
	})
}

func (s *Service) participants(ctx context.Context, tx Tx, tenantID string, q Query) (participants, error) {
	var in participants
	to := q.To.UnixMilli()
	err := tx.Together(
		func() (err error) {
			in.activity, err = s.programActivity(ctx, tx, tenantID, q.ProgramID, to)
			return err
		},
		func() (err error) { in.enrolled, err = s.enrolled(ctx, tx, tenantID, q.ProgramID, q.To); return err },
		func() (err error) { in.members, err = tx.ActiveMembersPerOrg(ctx, tenantID, to); return err },
		func() (err error) { in.eligible, err = eligible(ctx, tx, tenantID, q.To); return err },
	)
	return in, err
}

// eligible returns the active organizations created before to.
func eligible(ctx context.Context, tx Tx, tenantID string, to time.Time) (map[string]bool, error) {
	out := map[string]bool{}
	return out, tx.ScanOrgStatuses(ctx, tenantID, func(o OrgStatus) error {
		if o.Status == "active" && o.CreatedAt.Before(to) {
			out[o.ID] = true
		}
		return nil
	})
}

// programActivity is activity on the program's point types (every point
// type when programID is ""), with the 90 days before toMs as active.
func (s *Service) programActivity(ctx context.Context, tx Tx, tenantID, programID string, toMs int64) ([]Activity, error) {
	var pts []string
	if programID != "" {
		types, err := tx.PointTypesOf(ctx, tenantID, programID)
		if err != nil {
			return nil, err
		}
		pts = make([]string, 0, len(types))
		for _, pt := range types {
			pts = append(pts, pt.ID)
		}
	}
	return s.activity(ctx, tx, tenantID, pts, toMs-ActiveDays*dayMs, toMs)
}

// tally counts what was read.
func (in participants) tally() Participation {
	var r Participation
	for id := range in.eligible {
		r.EligibleOrganizations++
		r.EligibleMembers += in.members[id]
		if in.enrolled[id] {
			r.EnrolledOrganizations++
			r.EnrolledMembers += in.members[id]
		}
	}
	used := map[string]bool{}
	for _, a := range in.activity {
		if !in.enrolled[a.OrganizationID] || !in.eligible[a.OrganizationID] {
			continue
		}
		used[a.OrganizationID] = true
		if a.Active {
			r.ActiveOrganizations++
		}
	}
	r.ActiveShare = ratio(r.ActiveOrganizations, r.EnrolledOrganizations)
	r.NeverUsedIDs = []string{}
	for id := range in.enrolled {
		if in.eligible[id] && !used[id] {
			r.NeverUsed++
			r.NeverUsedIDs = append(r.NeverUsedIDs, id)
		}
	}
	sortCap(&r.NeverUsedIDs, 1000)
	return r
}
