package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/loyal-b2b/loyal/internal/jobs"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/jobrun"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// replicaName names this process in job leases: host, process id and a
// token (two processes of one container image may share host and pid).
func replicaName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), ids.Token(6))
}

// everyInterval is the wait of the regular jobs: a little less than the
// loop's interval, so that the next tick, on whichever replica, finds the
// job due again (0 outside the loop: always due).
func (a *App) everyInterval(time.Time) time.Duration { return a.jobsEvery * 9 / 10 }

// runScheduled runs a job for a tenant if it is due and this replica takes
// its lease, records the run (outcome, duration, rows, the next run) for
// the API and /metrics, and returns the rows it processed. RunJob has
// logged and counted its errors.
func (a *App) runScheduled(ctx context.Context, job string, tn tenant.Tenant, wait func(time.Time) time.Duration,
	run func(now time.Time) (int, error)) int {
	ok, err := a.Jobs.Acquire(ctx, tn.ID, job)
	if err != nil {
		if ctx.Err() == nil {
			a.Log.Error("job lease failed", "job", job, "tenant", tn.Slug, "err", err)
			a.Metrics.JobErrors.WithLabelValues(job).Inc()
		}
		return 0
	}
	if !ok {
		return 0 // another replica runs it, or it is not due
	}
	r := jobs.Result{Start: a.Clock.Now()}
	n, err := run(r.Start)
	r.End, r.Rows = a.Clock.Now(), int64(n)
	r.Next = r.End.Add(wait(r.End))
	r.Outcome, r.Error = outcome(err)
	a.Metrics.JobRuns.WithLabelValues(job, r.Outcome).Inc()
	a.Metrics.JobDuration.WithLabelValues(job).Observe(r.End.Sub(r.Start).Seconds())
	a.Metrics.JobLastRun.WithLabelValues(job).Set(float64(r.End.UnixMilli()) / 1000)
	a.Metrics.JobNextRun.WithLabelValues(job).Set(float64(r.Next.UnixMilli()) / 1000)
	if err := a.Jobs.Finish(context.WithoutCancel(ctx), tn.ID, job, r); err != nil {
		a.Log.Error("job run not recorded", "job", job, "tenant", tn.Slug, "err", err)
	}
	return n
}

// outcome names a run's result and what the API may say about it: the
// message of an error of the product's kinds, never an internal one.
func outcome(err error) (string, string) {
	if report, ok := jobrun.Skips(err); ok {
		return jobs.Skipped, fmt.Sprintf("%d rows could not be processed and were left; the server log names each", len(report.Skipped))
	}
	if err == nil {
		return jobs.OK, ""
	}
	if e := errs.As(err); e != nil {
		return jobs.Failed, e.Message
	}
	return jobs.Failed, "the run failed; the server log has the error"
}
