package httpapi

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the server's Prometheus metrics, in a registry of its own
// (no global state, so tests can build many servers).
type Metrics struct {
	Registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	durations *prometheus.HistogramVec
	inflight  prometheus.Gauge
	// WriteBatch observes the size of each SQLite group commit.
	WriteBatch prometheus.Histogram
	// EventsJoined observes how many single events each transaction
	// applied of those one caller sent at the same time.
	EventsJoined prometheus.Histogram
	// JobErrors counts, by job, the rows background jobs skipped because
	// processing them failed, and the job runs that failed.
	JobErrors *prometheus.CounterVec
	// JobRuns counts job runs by job and outcome (ok, skipped, failed);
	// JobDuration times them; JobLastRun and JobNextRun are the unix times
	// of the last run's end and of the next run, by job.
	JobRuns      *prometheus.CounterVec
	JobDuration  *prometheus.HistogramVec
	JobLastRun   *prometheus.GaugeVec
	JobNextRun   *prometheus.GaugeVec
	throttled    *prometheus.CounterVec
	authFailures prometheus.Counter
}

// NewMetrics creates the metrics and registers them with Go runtime and
// process metrics.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "loyal_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "loyal_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "loyal_http_requests_in_flight", Help: "HTTP requests being served.",
		}),
		WriteBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "loyal_db_write_batch_size", Help: "Writes committed together by one SQLite group commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 10),
		}),
		EventsJoined: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "loyal_events_joined_batch_size", Help: "Single events applied by one transaction, of those one caller sent at the same time (1: alone).",
			Buckets: prometheus.ExponentialBuckets(1, 2, 7),
		}),
		JobErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "loyal_job_errors_total", Help: "Rows background jobs skipped because processing them failed, and job runs that failed, by job.",
		}, []string{"job"}),
		JobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "loyal_job_runs_total", Help: "Background job runs by job and outcome (ok, skipped: rows left, failed), on this replica.",
		}, []string{"job", "outcome"}),
		JobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "loyal_job_duration_seconds", Help: "How long background job runs took, by job.",
			Buckets: []float64{.001, .01, .1, .5, 1, 5, 30, 120, 600},
		}, []string{"job"}),
		JobLastRun: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "loyal_job_last_run_timestamp_seconds", Help: "When the last run of a job on this replica ended (unix time), by job.",
		}, []string{"job"}),
		JobNextRun: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "loyal_job_next_run_timestamp_seconds", Help: "When a job is next due after its last run on this replica (unix time), by job.",
		}, []string{"job"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "loyal_http_throttled_total", Help: "Requests refused with 429: auth_key, auth_address (too many failed authentications), tenant_rate.",
		}, []string{"reason"}),
		authFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "loyal_auth_failures_total", Help: "Failed authentications (wrong, unknown or revoked API keys).",
		}),
	}
	for _, r := range []string{reasonKey, reasonAddress, reasonTenant} {
		m.throttled.WithLabelValues(r) // shown at 0 from the start
	}
	m.Registry.MustRegister(m.requests, m.durations, m.inflight, m.WriteBatch, m.EventsJoined, m.JobErrors, m.JobRuns, m.JobDuration, m.JobLastRun, m.JobNextRun, m.throttled, m.authFailures,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
