package app

import (
	"context"
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/membership"
	"github.com/loyal-b2b/loyal/internal/platform/jobrun"
	"github.com/loyal-b2b/loyal/internal/segment"
	"github.com/loyal-b2b/loyal/internal/tenant"
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
// on the server's first job run). A run that skipped some segments counts
// as done: the others are fresh, and the skipped ones are in the log.
func (a *App) refreshSegmentsDaily(ctx context.Context, tn tenant.Tenant, now time.Time) {
	if a.segmentsRun == nil {
		a.segmentsRun = map[string]time.Time{}
	}
	if last, ok := a.segmentsRun[tn.ID]; ok && now.Sub(last) < 24*time.Hour {
		return
	}
	n, err := a.RunJob(ctx, segment.JobSegments, tn, now)
	if _, skipped := jobrun.Skips(err); err != nil && !skipped {
		return
	}
	a.segmentsRun[tn.ID] = now
	if n > 0 {
		a.Log.Info("segments refreshed", "tenant", tn.Slug, "segments", n)
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
		done := map[string]int{}
		for _, job := range []string{ledger.JobActivate, ledger.JobExpire, events.JobReview, membership.JobLapse, JobCodes, JobCoupons} {
			done[job], _ = a.RunJob(ctx, job, tn, now) // errors are logged and counted there
		}
		a.runOccasions(ctx, tn.ID, tn.Slug, now)
		done[JobCampaigns], _ = a.RunJob(ctx, JobCampaigns, tn, now)
		a.runExpiryNotices(ctx, tn, now)
		a.refreshSegmentsDaily(ctx, tn, now)
		if done[ledger.JobActivate]+done[ledger.JobExpire]+done[events.JobReview]+done[membership.JobLapse]+done[JobCodes]+done[JobCoupons] > 0 {
			a.Log.Info("jobs ran", "tenant", tn.Slug, "activated", done[ledger.JobActivate], "expired", done[ledger.JobExpire],
				"reviewed", done[events.JobReview], "lapsed", done[membership.JobLapse], "codes", done[JobCodes], "coupons", done[JobCoupons])
		}
	}
}

// Jobs named here rather than in their packages.
const (
	JobCodes   = "codes"   // personal promo codes issued monthly
	JobCoupons = "coupons" // coupons whose validity ended
	// JobCampaigns sends scheduled campaigns whose time has come.
	JobCampaigns = "campaigns"
	// JobExpiryNotices queues "your points expire soon" messages (the
	// points_expiring template) for points expiring within 14 days.
	JobExpiryNotices = "expiry-notices"
	expiryNoticeDays = 14
)

// RunJob runs one job for one tenant as of at: ledger.JobActivate,
// ledger.JobExpire, events.JobReview, membership.JobLapse,
// segment.JobSegments, JobCodes, JobCoupons, JobCampaigns or JobExpiryNotices, and returns how many rows it processed. Every row
// the job skipped is logged at error level with the tenant and the row,
// and counted in loyal_job_errors_total, as is a run that failed; the
// error then says so (a *jobrun.Error for skipped rows).
func (a *App) RunJob(ctx context.Context, job string, tn tenant.Tenant, at time.Time) (int, error) {
	var n int
	var err error
	switch job {
	case ledger.JobActivate:
		n, err = a.Ledger.ActivateDue(ctx, tn.ID, at, ledger.DefaultBatch)
	case ledger.JobExpire:
		n, err = a.Ledger.ExpireDue(ctx, tn.ID, at, ledger.DefaultBatch)
	case events.JobReview:
		n, err = a.Events.ReviewDue(ctx, tn.ID, at)
	case membership.JobLapse:
		n, err = a.Memberships.Lapse(ctx, tn.ID, at)
	case segment.JobSegments:
		n, err = a.Segments.RefreshAll(ctx, tn.ID)
	case JobCodes:
		n, err = a.Promo.IssueMonthly(ctx, tn.ID, at)
	case JobCampaigns:
		n, err = a.Notify.SendDue(ctx, tn.ID, at)
	case JobExpiryNotices:
		n, err = a.Notify.QueueExpiryNotices(ctx, a.Ledger, tn.ID, expiryNoticeDays, at)
	case JobCoupons:
		var c int64
		c, err = a.Coupons.ExpireDue(ctx, tn.ID, at)
		n = int(c)
	default:
		return 0, fmt.Errorf("no job %q", job)
	}
	if report, ok := jobrun.Skips(err); ok {
		for _, s := range report.Skipped {
			a.Log.Error("job skipped a row it could not process", "job", job, "tenant", tn.Slug, "tenant_id", tn.ID, "row", s.Row, "err", s.Err)
		}
		a.Metrics.JobErrors.WithLabelValues(job).Add(float64(len(report.Skipped)))
	} else if err != nil {
		a.Log.Error("job failed", "job", job, "tenant", tn.Slug, "tenant_id", tn.ID, "err", err)
		a.Metrics.JobErrors.WithLabelValues(job).Inc()
	}
	return n, err
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

// runExpiryNotices queues a tenant's expiry notices once per UTC day in
// this process; another replica or a restart queues nothing twice (the
// messages' ids are per wallet and expiry date).
func (a *App) runExpiryNotices(ctx context.Context, tn tenant.Tenant, now time.Time) {
	day := now.UTC().Format(time.DateOnly)
	if a.noticesDay[tn.ID] == day {
		return
	}
	if _, err := a.RunJob(ctx, JobExpiryNotices, tn, now); err == nil {
		a.noticesDay[tn.ID] = day
	}
}
