// Package loadgen sends a fixed number of HTTP requests from concurrent
// keep-alive clients and measures the rate, the latency percentiles and
// the CPU time the process spent per request. It serves `loyal bench
// load` and the Go benchmarks of the HTTP API alike, so that both measure
// the same way.
//
// The run is bounded by count, not by time: every run of a benchmark
// writes the same number of rows, so two runs compare.
package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Stats is what a run measured.
type Stats struct {
	Requests int
	Rate     float64       // requests per second
	P50, P99 time.Duration // latency percentiles
	// CPU is the process's CPU time per request (the server, the clients
	// and anything else the process runs); zero where the system does not
	// tell. Unlike the rate, it hardly changes with the machine's load.
	CPU time.Duration
}

// Run sends total requests, request(0) to request(total-1), from clients
// goroutines sharing keep-alive connections. A request that fails or is
// answered with a status other than 2xx fails the run: the error says
// how many did and what the first one got. Once ctx is done no request is
// sent, those under way are cancelled, and Run returns ctx's error.
func Run(ctx context.Context, total, clients int, request func(i int) (*http.Request, error)) (Stats, error) {
	if total < 1 || clients < 1 {
		return Stats{}, fmt.Errorf("loadgen: %d requests from %d clients: both must be at least 1", total, clients)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	r := &run{ctx: ctx, lat: make([]time.Duration, total), total: int64(total), request: request, client: client}
	start, cpu0 := time.Now(), cpuTime()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(r.work)
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}
	if n := r.failed.Load(); n > 0 {
		return Stats{}, fmt.Errorf("%d of %d requests failed; the first: %s", n, total, r.first.Load())
	}
	slices.Sort(r.lat)
	return Stats{Requests: total, Rate: float64(total) / elapsed.Seconds(), P50: r.lat[total/2], P99: r.lat[total*99/100],
		CPU: cpu / time.Duration(total)}, nil
}

// run is one run's shared state.
type run struct {
	ctx     context.Context
	lat     []time.Duration // each request's latency, by index
	next    atomic.Int64    // the next request to send
	total   int64
	failed  atomic.Int64
	first   atomic.Value // string: what the first failure got
	request func(i int) (*http.Request, error)
	client  *http.Client
}

// work sends requests until none is left.
func (r *run) work() {
	for {
		i := r.next.Add(1) - 1
		if i >= r.total || r.ctx.Err() != nil {
			return
		}
		r.lat[i] = r.send(int(i))
	}
}

// send sends request i, notes a failure, and returns its latency.
func (r *run) send(i int) time.Duration {
	req, err := r.request(i)
	if err != nil {
		r.fail(err.Error())
		return 0
	}
	t0 := time.Now()
	resp, err := r.client.Do(req.WithContext(r.ctx))
	took := time.Since(t0)
	switch {
	case err != nil:
		r.fail(err.Error())
	case resp.StatusCode/100 != 2:
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
		r.fail(fmt.Sprintf("%d %s", resp.StatusCode, bytes.TrimSpace(body)))
	}
	if resp != nil {
		_, _ = io.Copy(io.Discard, resp.Body) // drained, so that the connection is reused
		_ = resp.Body.Close()
	}
	return took
}

func (r *run) fail(what string) {
	if r.failed.Add(1) == 1 {
		r.first.Store(what)
	}
}

// Millis and Micros are a duration in milliseconds and in microseconds,
// the units the figures are reported in.
func Millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func Micros(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }
