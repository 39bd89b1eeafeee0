package segment

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/jobrun"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Match is an organization of a segment, with the figures rules read.
type Match struct {
	OrganizationID string `json:"organization_id"`
	Name           string `json:"name"`
	ExternalID     string `json:"external_id"`
	Type           string `json:"type"`
	Region         string `json:"region"`
	ABC            string `json:"abc"`
	ChurnRisk      string `json:"churn_risk"`
	R              int    `json:"r"`
	F              int    `json:"f"`
	M              int    `json:"m"`
}

// evaluate returns every organization matching the segment's rules, by
// id. Analytics cover the 365 days before now with k = 2. The analytics
// pass and the pass over the organizations are two reads of every
// organization, each about half of an evaluation's time: they run side by
// side, the organizations tested against the other rules meanwhile, and
// the analytics rules (every rule must hold) then tested on those left.
func (s *Service) evaluate(ctx context.Context, p access.Principal, sg Segment) ([]Match, error) {
	plain, analytic := splitRules(sg.Rules)
	statsOf := s.statsAside(ctx, p, analytic)
	var out []Match
	_, err := txn.Get(ctx, s.Store, func(tx Tx) (struct{}, error) {
		tiers, err := tiersOf(ctx, tx, p.TenantID, plain)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, tx.ScanOrganizations(ctx, p.TenantID, func(o party.Organization) error {
			if x := (facts{org: o, tiers: tiers[o.ID]}); o.Status == "active" && match(plain, &x) {
				out = append(out, matchOf(o))
			}
			return nil
		})
	})
	stats, statsErr := statsOf() // waited for even after an error: nothing is left running
	if err := cmp.Or(err, statsErr); err != nil {
		return nil, err
	}
	if len(analytic) > 0 {
		kept := out[:0]
		for _, m := range out {
			if withStats(&m, analytic, stats[m.OrganizationID]) {
				kept = append(kept, m)
			}
		}
		out = kept
	}
	slices.SortFunc(out, func(a, b Match) int { return cmp.Compare(a.OrganizationID, b.OrganizationID) })
	return out, nil
}

// splitRules parts rules into those on the organization and its tiers, and
// those on its analytics.
func splitRules(rules []Condition) (plain, analytic []Condition) {
	for _, r := range rules {
		if slices.Contains(analyticFields, r.Field) {
			analytic = append(analytic, r)
		} else {
			plain = append(plain, r)
		}
	}
	return plain, analytic
}

// statsAside starts the analytics pass, when rules need it, on a goroutine
// of its own, and returns the wait for its figures by organization.
func (s *Service) statsAside(ctx context.Context, p access.Principal, rules []Condition) func() (map[string]*analytics.OrgStats, error) {
	if len(rules) == 0 {
		return func() (map[string]*analytics.OrgStats, error) { return nil, nil }
	}
	var stats map[string]*analytics.OrgStats
	done := make(chan error, 1)
	go func() {
		orgs, err := s.Analytics.Organizations(ctx, p, analytics.Query{}, false)
		stats = make(map[string]*analytics.OrgStats, len(orgs))
		for _, o := range orgs {
			stats[o.OrganizationID] = o
		}
		done <- err
	}()
	return func() (map[string]*analytics.OrgStats, error) {
		err := <-done
		return stats, err
	}
}

// matchOf is an organization as a match, with no purchase history yet.
func matchOf(o party.Organization) Match {
	return Match{OrganizationID: o.ID, Name: o.Name, ExternalID: o.ExternalID, Type: string(o.Type), Region: o.Region,
		ABC: analytics.NoClass, ChurnRisk: analytics.RiskUnknown}
}

// withStats reports whether the analytics rules hold for a match whose
// organization has figures st (nil: no purchase history), and sets them.
func withStats(m *Match, rules []Condition, st *analytics.OrgStats) bool {
	if x := (facts{stats: st}); !match(rules, &x) {
		return false
	}
	if st != nil {
		m.ABC, m.ChurnRisk, m.R, m.F, m.M = st.ABC, st.ChurnRisk, st.R, st.F, st.M
	}
	return true
}

// tiersOf reads the tiers of the programs that tier rules name:
// organization → program → tier.
func tiersOf(ctx context.Context, tx Tx, tenantID string, rules []Condition) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, r := range rules {
		if r.Field != "tier" {
			continue
		}
		rows, err := tx.ProgramStates(ctx, tenantID, r.Program)
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			var st struct {
				Tier string `json:"tier"`
			}
			if json.Unmarshal([]byte(row.State), &st) != nil {
				continue
			}
			if out[row.OwnerID] == nil {
				out[row.OwnerID] = map[string]string{}
			}
			out[row.OwnerID][row.ProgramID] = st.Tier
		}
	}
	return out, nil
}

// Organizations evaluates a segment now and returns a page of its
// organizations by id.
func (s *Service) Organizations(ctx context.Context, p access.Principal, id string, r page.Request) (page.Page[Match], error) {
	sg, err := s.Get(ctx, p, id)
	if err != nil {
		return page.Page[Match]{}, err
	}
	all, err := s.evaluate(ctx, p, sg)
	if err != nil {
		return page.Page[Match]{}, err
	}
	i, _ := slices.BinarySearchFunc(all, r.After, func(m Match, after string) int { return cmp.Compare(m.OrganizationID, after) })
	for i < len(all) && all[i].OrganizationID <= r.After {
		i++
	}
	rows := all[i:min(len(all), i+r.Limit+1)]
	return page.Build(r, rows, func(m Match) string { return m.OrganizationID }), nil
}

// Refresh evaluates a segment and replaces its stored memberships, which
// rules read as org.segments.
func (s *Service) Refresh(ctx context.Context, p access.Principal, id string) (Segment, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Segment{}, err
	}
	sg, err := s.Get(ctx, p, id)
	if err != nil {
		return sg, err
	}
	all, err := s.evaluate(ctx, p, sg)
	if err != nil {
		return sg, err
	}
	orgs := make([]string, len(all))
	for i, m := range all {
		orgs[i] = m.OrganizationID
	}
	now := s.Clock.Now()
	out, err := txn.Do(ctx, s.Store, func(tx Tx) (Segment, error) {
		cur, err := tx.GetSegment(ctx, p.TenantID, id)
		if err != nil {
			return cur, err // deleted meanwhile
		}
		if err := tx.ReplaceSegmentMembers(ctx, p.TenantID, id, orgs); err != nil {
			return cur, err
		}
		if len(orgs) > 0 {
			s.Used.MarkUsed(p.TenantID) // rules see the new members at once
		}
		cur.Members, cur.RefreshedAt = int64(len(orgs)), &now
		return cur, tx.UpdateSegment(ctx, cur)
	})
	return out, err
}

// JobSegments names the segments job.
const JobSegments = "segments"

// RefreshAll refreshes every segment of a tenant (the daily job) and
// returns how many it refreshed; a segment that could not be refreshed is
// skipped and reported in a *jobrun.Error, and the others are refreshed.
func (s *Service) RefreshAll(ctx context.Context, tenantID string) (int, error) {
	p := access.System(tenantID)
	n, report := 0, &jobrun.Error{Job: JobSegments}
	r := page.Request{Limit: page.MaxLimit}
	for {
		pg, err := s.List(ctx, p, r)
		if err != nil {
			return n, err
		}
		for _, sg := range pg.Items {
			_, err := s.Refresh(ctx, p, sg.ID)
			switch {
			case jobrun.RowFailure(ctx, err):
				report.Add(sg.ID, err)
			case err != nil:
				return n, err
			default:
				n++
			}
		}
		if pg.Next == "" {
			return n, report.Err()
		}
		r.After = pg.Items[len(pg.Items)-1].ID
	}
}
