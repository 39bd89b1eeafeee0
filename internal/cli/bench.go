package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/segment"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

type benchCmd struct {
	Analytics benchAnalyticsCmd `cmd:"" help:"Generate a synthetic history (bulk inserts) and time every analytics endpoint."`
}

type benchAnalyticsCmd struct {
	Tenant         string `default:"bench-analytics" help:"Slug of the tenant to create (must not exist)."`
	Orgs           int    `default:"10000" help:"Organizations to generate (the target size is 100000)."`
	PostingsPerOrg int    `default:"100" help:"Ledger postings per organization, about (100 × 100,000 = 10,000,000)."`
	Pilot          int    `default:"1000" help:"Organizations in the pilot, and as many in its control group."`
	Runs           int    `default:"3" help:"Timed runs per endpoint (the table shows the slowest and the median)."`
}

func (c *benchAnalyticsCmd) Run(e *env) error {
	return withApp(e, func(ctx context.Context, a *app.App) error {
		now := e.clock.Now()
		tn, err := a.Tenants.CreateTenant(ctx, c.Tenant, "Analytics benchmark")
		if err != nil {
			return fmt.Errorf("create tenant %s (use a fresh database): %w", c.Tenant, err)
		}
		p := cliPrincipal(tn.ID)
		club, pilot, pt, err := benchPrograms(ctx, a, p)
		if err != nil {
			return err
		}
		start := time.Now()
		counts, err := a.DB.GenerateAnalytics(ctx, store.GenSpec{TenantID: tn.ID, ProgramID: club.ID, PointTypeID: pt.ID, PilotProgramID: pilot.ID,
			Orgs: c.Orgs, PostingsPerOrg: c.PostingsPerOrg, Pilot: min(c.Pilot, c.Orgs/2), Now: now, Seed: 1},
			func(g store.GenCounts) {
				if g.Orgs%10000 == 0 || g.Orgs == int64(c.Orgs) {
					fmt.Fprintf(e.errOut, "generated %d organizations, %d facts, %d transactions (%s)\n", g.Orgs, g.Facts, g.Txs, time.Since(start).Round(time.Second))
				}
			})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "generated %d organizations, %d sales facts, %d ledger transactions, %d postings in %s\n",
			counts.Orgs, counts.Facts, counts.Txs, counts.Postings, time.Since(start).Round(time.Second))
		_, key, err := a.Tenants.CreateKey(ctx, access.System(tn.ID), tenant.KeyInput{Name: "bench", Scope: access.ScopeAdmin})
		if err != nil {
			return err
		}
		sg, err := a.Segments.Create(ctx, p, segment.Input{Code: ptr("top"), Name: ptr("Top dealers of the north at risk"), Rules: &[]segment.Condition{
			{Field: "type", Op: "in", Values: []string{"dealer"}}, {Field: "region", Op: "in", Values: []string{"north"}},
			{Field: "abc", Op: "in", Values: []string{"A"}}, {Field: "churn_risk", Op: "in", Values: []string{"high", "medium"}}}})
		if err != nil {
			return err
		}
		return c.time(e, a.Handler(Version), key, club.ID, pilot.ID, sg.ID)
	})
}

func ptr[T any](v T) *T { return &v }

// benchPrograms creates the club with its point type and the piloted
// program.
func benchPrograms(ctx context.Context, a *app.App, p access.Principal) (club, pilot program.Program, pt ledger.PointType, err error) {
	if club, err = a.Programs.Create(ctx, p, program.Input{Name: "Bench club"}); err != nil {
		return
	}
	if pt, err = a.Ledger.CreatePointType(ctx, p, club.ID, ledger.PointTypeInput{Code: "points", Name: "Points", Unit: "points",
		Currency: "EUR", ValueNum: 1, ValueDen: 1, Expiry: "never"}); err != nil {
		return
	}
	pilot, err = a.Programs.Create(ctx, p, program.Input{Name: "Bench pilot"})
	return
}

// time calls each endpoint Runs times and prints the slowest and median.
func (c *benchAnalyticsCmd) time(e *env, h http.Handler, key, clubID, pilotID, segID string) error {
	club := "&program=" + clubID
	paths := []string{
		"GET /v1/analytics/participation?k=2" + club,
		"GET /v1/analytics/sales?k=2",
		"GET /v1/analytics/sales?k=2" + club,
		"GET /v1/analytics/organizations?limit=50",
		"GET /v1/analytics/organizations?at_risk=true&limit=50",
		"GET /v1/analytics/organizations?format=csv",
		"GET /v1/analytics/cohorts?k=2",
		"GET /v1/analytics/economics?k=2" + club,
		"GET /v1/analytics/uplift?k=2&program=" + pilotID,
		"GET /v1/segments/" + segID + "/organizations?limit=50",
		"POST /v1/segments/" + segID + ":refresh",
	}
	fmt.Fprintf(e.out, "%-60s %10s %10s %10s\n", "endpoint", "median", "slowest", "bytes")
	for _, path := range paths {
		method, target, _ := strings.Cut(path, " ")
		var times []time.Duration
		size := 0
		for range max(1, c.Runs) {
			req := httptest.NewRequest(method, target, nil)
			req.Header.Set("Authorization", "Bearer "+key)
			rec := httptest.NewRecorder()
			t0 := time.Now()
			h.ServeHTTP(rec, req)
			times = append(times, time.Since(t0))
			if rec.Code != http.StatusOK {
				return fmt.Errorf("%s: status %d: %s", path, rec.Code, rec.Body.String())
			}
			size = rec.Body.Len()
		}
		slices.Sort(times)
		fmt.Fprintf(e.out, "%-60s %10s %10s %10d\n", strings.ReplaceAll(path, clubID, "{club}"), times[len(times)/2].Round(time.Millisecond),
			times[len(times)-1].Round(time.Millisecond), size)
	}
	return nil
}
