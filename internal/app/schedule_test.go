package app

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/jobs"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// replicas opens n apps on one database, each with a connection pool (or
// SQLite writer) of its own, as n servers would.
func replicas(t *testing.T, e store.Engine, n int, log *slog.Logger) []*App {
	dsn := storetest.DSN(t, e)
	var apps []*App
	for range n {
		db, err := store.Open(context.Background(), store.Options{DSN: dsn, ReadConns: 4})
		must(t, err)
		_, err = db.Migrate(context.Background(), time.Now)
		must(t, err)
		t.Cleanup(func() { _ = db.Close() })
		apps = append(apps, New(config.Config{}, log, clock.System{}, db, nil))
	}
	return apps
}

// Two replicas running a job as often as they can: never both at once, and
// every run is recorded once.
func TestOneReplicaRunsAJobAtATime(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			apps := replicas(t, e, 2, slog.New(slog.DiscardHandler))
			tn, err := apps[0].Tenants.CreateTenant(context.Background(), "jobs", "Jobs")
			must(t, err)
			var running, overlaps, ran atomic.Int64
			byReplica := make([]atomic.Int64, len(apps))
			job := func(i int) func(time.Time) (int, error) {
				return func(time.Time) (int, error) {
					if running.Add(1) > 1 {
						overlaps.Add(1)
					}
					time.Sleep(2 * time.Millisecond)
					running.Add(-1)
					ran.Add(1)
					byReplica[i].Add(1)
					return 1, nil
				}
			}
			now := func(time.Time) time.Duration { return 0 } // due again at once
			var wg sync.WaitGroup
			for i, a := range apps {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 40 {
						a.runScheduled(context.Background(), "test", tn, now, job(i))
					}
				}()
			}
			wg.Wait()
			if overlaps.Load() != 0 {
				t.Fatalf("%d runs overlapped another replica's", overlaps.Load())
			}
			runs := jobRuns(t, apps[1], tn)
			if len(runs) != 1 || runs[0].Runs != ran.Load() || runs[0].Outcome != jobs.OK || runs[0].Running {
				t.Fatalf("recorded %+v; %d runs happened", runs, ran.Load())
			}
			t.Logf("runs by replica: %d, %d", byReplica[0].Load(), byReplica[1].Load())
		})
	}
}

// A job that is not due yet is left alone by every replica; a failing run is
// an error in the log, a metric and the job's recorded outcome.
func TestJobScheduleAndFailure(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			var logs bytes.Buffer
			apps := replicas(t, e, 2, slog.New(slog.NewTextHandler(&logs, nil)))
			tn, err := apps[0].Tenants.CreateTenant(context.Background(), "jobs", "Jobs")
			must(t, err)
			hour := func(time.Time) time.Duration { return time.Hour }
			calls := 0
			fail := func(time.Time) (int, error) { calls++; return 0, errors.New("disk on fire at 10.0.0.7") }
			apps[0].runScheduled(context.Background(), "test", tn, hour, fail)
			apps[1].runScheduled(context.Background(), "test", tn, hour, fail)
			if calls != 1 {
				t.Fatalf("ran %d times within the hour, want 1", calls)
			}
			runs := jobRuns(t, apps[1], tn)
			r := runs[0]
			if r.Outcome != jobs.Failed || r.Failures != 1 || strings.Contains(r.Error, "10.0.0.7") || r.NextRun == nil ||
				r.NextRun.Sub(*r.LastEnd) != time.Hour {
				t.Fatalf("recorded %+v; want a failure, its internals hidden, next run an hour after", r)
			}
			var m dto.Metric
			must(t, apps[0].Metrics.JobRuns.WithLabelValues("test", jobs.Failed).Write(&m))
			if m.GetCounter().GetValue() != 1 {
				t.Fatalf("loyal_job_runs_total{outcome=failed} = %v", m.GetCounter().GetValue())
			}
		})
	}
}

func jobRuns(t *testing.T, a *App, tn tenant.Tenant) []jobs.Run {
	t.Helper()
	runs, err := a.Jobs.List(context.Background(), access.Principal{TenantID: tn.ID, ActorType: access.ActorSystem, ActorID: "t", Scope: access.ScopeRead})
	must(t, err)
	return runs
}
