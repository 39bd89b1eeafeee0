package app

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
)

// RunJobs runs the due jobs of every tenant every interval until ctx ends:
// pending points become available, expired points go to breakage, and once
// a day birthdays and anniversaries become events. The jobs
// are idempotent and lock what they change, so several replicas may run
// them at once.
func (a *App) RunJobs(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		a.runJobsOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// refreshSegmentsDaily refreshes a tenant's segments once a day (first
// on the server's first job run).
func (a *App) refreshSegmentsDaily(ctx context.Context, tenantID, slug string, now time.Time) {
	if a.segmentsRun == nil {
		a.segmentsRun = map[string]time.Time{}
	}
	if last, ok := a.segmentsRun[tenantID]; ok && now.Sub(last) < 24*time.Hour {
		return
	}
	n, err := a.Segments.RefreshAll(ctx, tenantID)
	if err != nil {
		a.Log.Error("jobs: segments", "tenant", slug, "err", err)
		return
	}
	a.segmentsRun[tenantID] = now
	if n > 0 {
		a.Log.Info("segments refreshed", "tenant", slug, "segments", n)
	}
}

func (a *App) runJobsOnce(ctx context.Context) {
	tenants, err := a.Tenants.ListTenants(ctx)
	if err != nil {
		a.Log.Error("jobs: list tenants", "err", err)
		return
	}
	for _, tn := range tenants {
		now := a.Clock.Now()
		activated, err := a.Ledger.ActivateDue(ctx, tn.ID, now, ledger.DefaultBatch)
		if err != nil {
			a.Log.Error("jobs: activate", "tenant", tn.Slug, "err", err)
		}
		expired, err := a.Ledger.ExpireDue(ctx, tn.ID, now, ledger.DefaultBatch)
		if err != nil {
			a.Log.Error("jobs: expire", "tenant", tn.Slug, "err", err)
		}
		reviewed, err := a.Events.ReviewDue(ctx, tn.ID, now)
		if err != nil {
			a.Log.Error("jobs: program reviews", "tenant", tn.Slug, "err", err)
		}
		lapsed, err := a.Memberships.Lapse(ctx, tn.ID, now)
		if err != nil {
			a.Log.Error("jobs: memberships", "tenant", tn.Slug, "err", err)
		}
		if n, err := a.Promo.IssueMonthly(ctx, tn.ID, now); err != nil {
			a.Log.Error("jobs: personal codes", "tenant", tn.Slug, "err", err)
		} else if n > 0 {
			a.Log.Info("personal codes issued", "tenant", tn.Slug, "codes", n)
		}
		if n, err := a.Coupons.ExpireDue(ctx, tn.ID, now); err != nil {
			a.Log.Error("jobs: coupons", "tenant", tn.Slug, "err", err)
		} else if n > 0 {
			a.Log.Info("coupons expired", "tenant", tn.Slug, "coupons", n)
		}
		a.runOccasions(ctx, tn.ID, tn.Slug, now)
		a.refreshSegmentsDaily(ctx, tn.ID, tn.Slug, now)
		if activated+expired+reviewed+lapsed > 0 {
			a.Log.Info("jobs ran", "tenant", tn.Slug, "activated", activated, "expired", expired, "reviewed", reviewed, "lapsed", lapsed)
		}
	}
}

// runOccasions runs the occasions job (birthdays, anniversaries) for a
// tenant once per UTC day in this process. Another replica, or a restart,
// running the same day again ingests nothing new: the events' external
// ids are unique per member or organization and year.
func (a *App) runOccasions(ctx context.Context, tenantID, slug string, now time.Time) {
	day := now.UTC().Format(time.DateOnly)
	if a.occasionsDay[tenantID] == day {
		return
	}
	c, err := a.Occasions.RunDay(ctx, tenantID, now)
	if err != nil {
		a.Log.Error("jobs: occasions", "tenant", slug, "day", day, "err", err)
		return
	}
	a.occasionsDay[tenantID] = day
	if c.Birthdays+c.Anniversaries+c.Refused > 0 {
		a.Log.Info("occasions ran", "tenant", slug, "day", day, "birthdays", c.Birthdays, "anniversaries", c.Anniversaries, "refused", c.Refused)
	}
}
