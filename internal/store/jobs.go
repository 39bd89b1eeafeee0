package store

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/jobs"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

// AcquireJob takes a job's lease with one conditional UPDATE: of replicas
// racing for it, the row lock lets exactly one see the job still due and
// free (or its own), and the others update no row.
func (t *Tx) AcquireJob(ctx context.Context, tenantID, job, holder string, now, leaseUntil time.Time) (bool, error) {
	if _, err := t.exec(ctx, `INSERT INTO job_runs (tenant_id, job) VALUES ($1, $2) ON CONFLICT DO NOTHING`, tenantID, job); err != nil {
		return false, err
	}
	res, err := t.exec(ctx, `UPDATE job_runs SET holder = $3, lease_until_ms = $5, started_ms = $4
		WHERE tenant_id = $1 AND job = $2 AND next_run_ms <= $4 AND (holder = '' OR holder = $3 OR lease_until_ms < $4)`,
		tenantID, job, holder, ms(now), ms(leaseUntil))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FinishJob records a run and releases the lease, if holder still has it
// (a run that outlived its lease records nothing: another replica took over).
func (t *Tx) FinishJob(ctx context.Context, tenantID, job, holder string, r jobs.Result) error {
	failed := int64(0)
	if r.Outcome != jobs.OK {
		failed = 1
	}
	_, err := t.exec(ctx, `UPDATE job_runs SET holder = '', lease_until_ms = 0, next_run_ms = $4, started_ms = $5, finished_ms = $6,
		duration_ms = $7, outcome = $8, error = $9, rows_done = $10, ran_by = $3, runs = runs + 1, failures = failures + $11
		WHERE tenant_id = $1 AND job = $2 AND holder = $3`,
		tenantID, job, holder, ms(r.Next), ms(r.Start), ms(r.End), r.End.Sub(r.Start).Milliseconds(), r.Outcome, r.Error, r.Rows, failed)
	return err
}

// ListJobRuns lists a tenant's jobs by name.
func (t *Tx) ListJobRuns(ctx context.Context, tenantID string) ([]jobs.Run, error) {
	return list(ctx, t, `SELECT job, holder, lease_until_ms, started_ms, finished_ms, duration_ms, outcome, error, rows_done, ran_by,
		next_run_ms, runs, failures FROM job_runs WHERE tenant_id = $1 ORDER BY job`, scanJobRun, tenantID)
}

func scanJobRun(row rowScanner) (jobs.Run, error) {
	var r jobs.Run
	var lease, start, end, next int64
	err := row.Scan(&r.Job, &r.Holder, &lease, &start, &end, &r.DurationMS, &r.Outcome, &r.Error, &r.Rows, &r.RanBy, &next, &r.Runs, &r.Failures)
	r.Running = r.Holder != ""
	r.LastStart, r.LastEnd, r.NextRun = msPtr(start), msPtr(end), msPtr(next)
	if r.Running && end < start {
		r.LastEnd = nil // the run in progress has not finished
	}
	return r, err
}

func msPtr(v int64) *time.Time {
	if v == 0 {
		return nil
	}
	t := clock.FromMillis(v)
	return &t
}
