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
	"github.com/loyal-b2b/loyal/internal/session"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// RunJobs runs the due jobs of every tenant every interval until ctx ends:
// pending points become available, expired points go to breakage, and once
// a day birthdays and anniversaries become events and segments are
// refreshed. Replicas share the schedule: a run takes its job's lease
// (jobs.Service), so exactly one replica runs a given job at a time.
func (a *App) RunJobs(ctx context.Context, every time.Duration) {
	a.jobsEvery = every
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

func (a *App) runJobsOnce(ctx context.Context) {
	tenants, err := a.Tenants.ListTenants(ctx)
	if err != nil {
		a.Log.Error("jobs: list tenants", "err", err)
		return
	}
	for _, tn := range tenants {
		var ran []any
		for _, j := range a.loopJobs() {
			run := func(now time.Time) (int, error) { return a.RunJob(ctx, j.job, tn, now) }
			if j.job == JobOccasions {
				run = func(now time.Time) (int, error) { return a.runOccasions(ctx, tn, now) }
			}
			if n := a.runScheduled(ctx, j.job, tn, j.wait, run); n > 0 {
				ran = append(ran, j.job, n)
			}
		}
		if len(ran) > 0 {
			a.Log.Info("jobs ran", append([]any{"tenant", tn.Slug}, ran...)...)
		}
	}
}

// loopJob is a job of the server's loop and how long until it is due
// again after a run.
type loopJob struct {
	job  string
	wait func(time.Time) time.Duration
}

// loopJobs are the jobs the server runs for every tenant, in order: the
// frequent ones every interval, the daily ones at midnight UTC, and
// retention only when configured.
func (a *App) loopJobs() []loopJob {
	daily := func(time.Time) time.Duration { return 24 * time.Hour }
	jobs := []loopJob{
		{ledger.JobActivate, a.everyInterval}, {ledger.JobExpire, a.everyInterval}, {events.JobReview, a.everyInterval},
		{membership.JobLapse, a.everyInterval}, {JobCodes, a.everyInterval}, {JobCoupons, a.everyInterval},
		{JobOccasions, untilTomorrow}, {session.JobPurge, untilTomorrow}, {segment.JobSegments, daily},
		{JobCampaigns, a.everyInterval}, {JobExpiryNotices, untilTomorrow}, {JobWallet, a.everyInterval},
	}
	if a.EraseInactive > 0 {
		jobs = append(jobs, loopJob{JobRetention, untilTomorrow})
	}
	return jobs
}

// untilTomorrow is the wait of a daily job: to the next UTC midnight.
func untilTomorrow(now time.Time) time.Duration {
	d := now.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	return d.Sub(now)
}

// Daily jobs of the loop.
const (
	JobOccasions = "occasions" // birthdays and anniversaries become events
	JobRetention = "retention" // members inactive past the retention period are erased
)

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

// RunJob runs one job for one tenant as of at (any of loopJobs' but
// JobOccasions, which runOccasions runs) and returns how many rows it
// processed. Every row
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
	case JobWallet:
		n, err = a.Wallet.Sync(ctx, tn.ID)
	case JobRetention:
		n, err = a.Privacy.EraseInactive(ctx, tn.ID, a.EraseInactive)
	case session.JobPurge: // ended sessions, and members' used sign-in codes
		var codes int
		if n, err = a.Sessions.Purge(ctx, tn.ID, at); err == nil {
			codes, err = a.MemberAuth.Purge(ctx, tn.ID)
		}
		n += codes
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

// runOccasions turns a tenant's birthdays and anniversaries of the day
// into events. Run again the same day it ingests nothing new: the events'
// external ids are unique per member or organization and year.
func (a *App) runOccasions(ctx context.Context, tn tenant.Tenant, now time.Time) (int, error) {
	c, err := a.Occasions.RunDay(ctx, tn.ID, now)
	if err != nil {
		a.Log.Error("job failed", "job", JobOccasions, "tenant", tn.Slug, "tenant_id", tn.ID, "err", err)
		a.Metrics.JobErrors.WithLabelValues(JobOccasions).Inc()
		return 0, err
	}
	if c.Birthdays+c.Anniversaries+c.Refused > 0 {
		a.Log.Info("occasions ran", "tenant", tn.Slug, "day", now.UTC().Format(time.DateOnly),
			"birthdays", c.Birthdays, "anniversaries", c.Anniversaries, "refused", c.Refused)
	}
	return c.Birthdays + c.Anniversaries, nil
}
