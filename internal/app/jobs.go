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
		done := map[string]int{}
		for _, job := range []string{ledger.JobActivate, ledger.JobExpire, events.JobReview, membership.JobLapse, JobCodes, JobCoupons} {
			done[job] = a.runScheduled(ctx, job, tn, a.everyInterval, func(now time.Time) (int, error) { return a.RunJob(ctx, job, tn, now) })
		}
		a.runScheduled(ctx, JobOccasions, tn, untilTomorrow, func(now time.Time) (int, error) { return a.runOccasions(ctx, tn, now) })
		a.runScheduled(ctx, session.JobPurge, tn, untilTomorrow, func(now time.Time) (int, error) { return a.RunJob(ctx, session.JobPurge, tn, now) })
		if a.EraseInactive > 0 {
			a.runScheduled(ctx, JobRetention, tn, untilTomorrow, func(time.Time) (int, error) {
				return a.Privacy.EraseInactive(ctx, tn.ID, a.EraseInactive)
			})
		}
		a.runScheduled(ctx, segment.JobSegments, tn, func(time.Time) time.Duration { return 24 * time.Hour },
			func(now time.Time) (int, error) { return a.RunJob(ctx, segment.JobSegments, tn, now) })
		done[JobCampaigns] = a.runScheduled(ctx, JobCampaigns, tn, a.everyInterval, func(now time.Time) (int, error) { return a.RunJob(ctx, JobCampaigns, tn, now) })
		a.runScheduled(ctx, JobExpiryNotices, tn, untilTomorrow, func(now time.Time) (int, error) { return a.RunJob(ctx, JobExpiryNotices, tn, now) })
		if n := a.runScheduled(ctx, JobWallet, tn, a.everyInterval, func(now time.Time) (int, error) { return a.RunJob(ctx, JobWallet, tn, now) }); n > 0 {
			a.Log.Info("wallet passes updated", "tenant", tn.Slug, "cards", n)
		}
		if done[ledger.JobActivate]+done[ledger.JobExpire]+done[events.JobReview]+done[membership.JobLapse]+done[JobCodes]+done[JobCoupons] > 0 {
			a.Log.Info("jobs ran", "tenant", tn.Slug, "activated", done[ledger.JobActivate], "expired", done[ledger.JobExpire],
				"reviewed", done[events.JobReview], "lapsed", done[membership.JobLapse], "codes", done[JobCodes], "coupons", done[JobCoupons])
		}
	}
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

// RunJob runs one job for one tenant as of at: ledger.JobActivate,
// ledger.JobExpire, events.JobReview, membership.JobLapse,
// segment.JobSegments, session.JobPurge, JobCodes, JobCoupons, JobWallet, JobCampaigns or JobExpiryNotices, and returns how many rows it processed. Every row
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
