package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// GET /v1/jobs shows each job's last run and next run once the server's
// job loop has run, for the caller's tenant only; /metrics counts the runs.
func TestJobsAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var list struct {
			Items []struct {
				Job     string     `json:"job"`
				Outcome string     `json:"last_outcome"`
				LastEnd *time.Time `json:"last_finished_at"`
				NextRun *time.Time `json:"next_run_at"`
				Runs    int64      `json:"runs"`
				RanBy   string     `json:"last_ran_by"`
			} `json:"items"`
		}
		e.do("GET", "/v1/jobs", e.keyA, nil).must(200, &list)
		if list.Items == nil || len(list.Items) != 0 {
			t.Fatalf("before any run: %+v, want an empty list", list.Items)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { e.app.RunJobs(ctx, time.Hour); close(done) }()
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			e.do("GET", "/v1/jobs", e.keyA, nil).must(200, &list)
			if len(list.Items) >= 12 && list.Items[len(list.Items)-1].Runs > 0 {
				break
			}
		}
		cancel()
		<-done
		e.do("GET", "/v1/jobs", e.keyA, nil).must(200, &list)
		names := map[string]bool{}
		for _, j := range list.Items {
			names[j.Job] = true
		}
		for _, want := range []string{"activate", "expire", "review", "codes", "coupons", "occasions", "segments", "sessions", "campaigns", "expiry-notices"} {
			if !names[want] {
				t.Fatalf("jobs = %+v, want %s among them", list.Items, want)
			}
		}
		for _, j := range list.Items {
			if j.Runs != 1 || j.Outcome != "ok" || j.LastEnd == nil || j.NextRun == nil || !j.NextRun.After(*j.LastEnd) || j.RanBy == "" {
				t.Errorf("job %+v: want one ok run with its end, the next run after it, and the replica", j)
			}
		}
		rec := httptest.NewRecorder()
		e.api.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		for _, want := range []string{`loyal_job_runs_total{job="expire",outcome="ok"}`, `loyal_job_duration_seconds_count{job="expire"}`,
			`loyal_job_next_run_timestamp_seconds{job="expire"}`} {
			if !strings.Contains(rec.Body.String(), want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
	})
}
