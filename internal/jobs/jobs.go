// Package jobs is the schedule of background jobs shared by the replicas
// of a server: a job runs for a tenant only under a lease on its row, so
// exactly one replica runs it at a time, and each run's outcome, duration
// and the next run are kept for the API and /metrics.
package jobs

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Outcomes of a run.
const (
	OK      = "ok"      // every due row processed
	Skipped = "skipped" // some rows could not be processed and were left (logged)
	Failed  = "failed"  // the run stopped with an error
)

// Run is the state of one job of one tenant.
type Run struct {
	Job        string     `json:"job"`
	Running    bool       `json:"running" doc:"A replica holds the job's lease now"`
	Holder     string     `json:"holder,omitempty" doc:"The replica running it"`
	LastStart  *time.Time `json:"last_started_at"`
	LastEnd    *time.Time `json:"last_finished_at"`
	DurationMS int64      `json:"last_duration_ms"`
	Outcome    string     `json:"last_outcome" doc:"ok, skipped (rows left, see the log), failed, or empty before the first run"`
	Error      string     `json:"last_error,omitempty"`
	Rows       int64      `json:"last_rows" doc:"Rows the last run processed"`
	RanBy      string     `json:"last_ran_by,omitempty" doc:"The replica that ran it last"`
	NextRun    *time.Time `json:"next_run_at"`
	Runs       int64      `json:"runs"`
	Failures   int64      `json:"failures" doc:"Runs that failed or skipped rows"`
}

// Result is what one run did.
type Result struct {
	Outcome string
	Error   string
	Rows    int64
	Start   time.Time
	End     time.Time
	Next    time.Time
}

// Tx is the storage the schedule needs.
type Tx interface {
	// AcquireJob takes the lease of a due job for holder until leaseUntil,
	// if no other holder's lease runs past now; false when not taken.
	AcquireJob(ctx context.Context, tenantID, job, holder string, now, leaseUntil time.Time) (bool, error)
	// FinishJob records a run and releases holder's lease.
	FinishJob(ctx context.Context, tenantID, job, holder string, r Result) error
	ListJobRuns(ctx context.Context, tenantID string) ([]Run, error)
}

// Service runs the schedule.
type Service struct {
	Store txn.Runner[Tx]
	Clock clock.Clock
	// Replica names this process in leases (host, process id, a token).
	Replica string
}

// Lease is how long a run may hold its job before another replica may
// take it over (a replica that died mid-run).
const Lease = 15 * time.Minute

// Acquire takes the lease of a job that is due, for this replica.
func (s *Service) Acquire(ctx context.Context, tenantID, job string) (bool, error) {
	now := s.Clock.Now()
	var ok bool
	err := s.Store.Write(ctx, func(tx Tx) (err error) {
		ok, err = tx.AcquireJob(ctx, tenantID, job, s.Replica, now, now.Add(Lease))
		return err
	})
	return ok, err
}

// Finish records a run of a job whose lease this replica holds.
func (s *Service) Finish(ctx context.Context, tenantID, job string, r Result) error {
	return s.Store.Write(ctx, func(tx Tx) error { return tx.FinishJob(ctx, tenantID, job, s.Replica, r) })
}

// List returns the tenant's jobs with their last and next runs.
func (s *Service) List(ctx context.Context, p access.Principal) ([]Run, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Run, error) { return tx.ListJobRuns(ctx, p.TenantID) })
}
