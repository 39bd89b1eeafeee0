package cli

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/platform/loadgen"
)

// benchLoadCmd measures the HTTP API under load on the configured
// database: the same scenarios and figures as the Go benchmarks of
// docs/PERFORMANCE.md, for an operator to size a machine with the binary
// alone.
type benchLoadCmd struct {
	Tenant   string   `default:"bench-load" help:"Slug of the tenant to create (must not exist)."`
	Dealers  int      `default:"1000" help:"Dealers to create; invoices and quotes go to each in turn, earns to the first 200."`
	Requests int      `default:"20000" help:"Requests per scenario and run."`
	Clients  int      `help:"Clients sending at once (default: 32 for events and quotes, 64 for earns)."`
	Runs     int      `default:"1" help:"Runs of each scenario, one after the other."`
	Only     []string `default:"events,quote,earn" enum:"events,quote,earn" help:"Scenarios to run, of ${enum}."`
	Target   []string `placeholder:"URL" help:"Send to these running servers (replicas of the database named here) instead of one started here; dealer d's requests go to server d mod N, so each serves organizations of its own."`
	Shared   bool     `help:"Write into a database that holds other tenants than the benchmarks' (refused otherwise: what a run writes stays)."`
}

// Help is the command's longer description.
func (c *benchLoadCmd) Help() string {
	return `It creates a tenant with a dealer program and the dealers in the configured database
(SQLite in --data-dir, or PostgreSQL with --database), serves the API on a loopback port (or
uses the servers of --target) and sends each scenario's requests from concurrent keep-alive clients in this process: invoices
(POST /v1/events, one invoice of three lines each), quotes (POST /v1/quote) and earns
(POST /v1/ledger/earn, 10 points each). Commits are durable, as in production; what the run
writes stays in the database, so use a database of its own: one that holds other tenants is
refused without --shared. The request log is off while it runs (--log-level debug keeps it).

The table gives each run's requests/s, latency percentiles and the process's CPU time per
request (server and clients together; the clients alone with --target). docs/PERFORMANCE.md has the figures of the machines
the project is measured on, taken with the Go benchmarks that send the same requests.`
}

// Validate refuses sizes that measure nothing, before the database is touched.
func (c *benchLoadCmd) Validate() error {
	switch {
	case c.Dealers < 1 || c.Dealers > 100_000:
		return fmt.Errorf("--dealers must be between 1 and 100000, not %d", c.Dealers)
	case c.Requests < 1:
		return fmt.Errorf("--requests must be at least 1, not %d", c.Requests)
	case c.Clients < 0 || c.Clients > 10_000:
		return fmt.Errorf("--clients must be between 1 and 10000 (or 0 for each scenario's own), not %d", c.Clients)
	case c.Runs < 1:
		return fmt.Errorf("--runs must be at least 1, not %d", c.Runs)
	}
	for _, t := range c.Target {
		if u, err := url.Parse(t); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.TrimSuffix(u.Path, "/") != "" {
			return fmt.Errorf("--target %q: give a server's base address, such as http://10.0.0.5:8080", t)
		}
	}
	return nil
}

func (c *benchLoadCmd) Run(e *env) error {
	return withNewApp(e.quietRequests(), func(ctx context.Context, a *app.App) error {
		if err := ownDatabase(ctx, a, c.Shared, fmt.Sprintf("a tenant with %d dealers and everything its requests create", c.Dealers)); err != nil {
			return err
		}
		fmt.Fprintf(e.errOut, "creating tenant %s with %d dealers…\n", c.Tenant, c.Dealers)
		l, err := a.SetUpLoadBench(ctx, c.Tenant, c.Dealers)
		if err != nil {
			return fmt.Errorf("set up tenant %s (use a fresh slug or database): %w", c.Tenant, err)
		}
		bases, stop, err := c.servers(a)
		if err != nil {
			return err
		}
		defer stop()
		fmt.Fprintf(e.out, "Load benchmark on %s: tenant %s, %d dealers, a dealer program of 10 rules with tiers and a stamp card.\n%s\n\n",
			c.database(e), c.Tenant, c.Dealers, c.where())
		fmt.Fprintf(e.out, "%-22s %4s %8s %8s %9s %9s %10s %11s\n", "scenario", "run", "clients", "requests", "req/s", "p50 ms", "p99 ms", "CPU µs/req")
		for _, sc := range l.Scenarios() {
			if slices.Contains(c.Only, sc.Name) {
				if err := c.scenario(ctx, e, bases, sc); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// servers are the base addresses to send to: the targets, or a server
// started here on a loopback port; stop shuts the latter down.
func (c *benchLoadCmd) servers(a *app.App) (bases []string, stop func(), err error) {
	if len(c.Target) > 0 {
		for _, t := range c.Target {
			bases = append(bases, strings.TrimSuffix(t, "/"))
		}
		return bases, func() {}, nil
	}
	base, stop, err := serveLoopback(a.Handler(Version))
	return []string{base}, stop, err
}

// where says which servers answer and what shares the machine.
func (c *benchLoadCmd) where() string {
	if len(c.Target) > 0 {
		return fmt.Sprintf("Sent to %d running server(s), each the requests of its own dealers; the CPU column is this process's, the clients' alone.", len(c.Target))
	}
	return "The clients run in this process and share its cores with the server."
}

// scenario runs one scenario Runs times and prints a line per run.
func (c *benchLoadCmd) scenario(ctx context.Context, e *env, bases []string, sc app.LoadScenario) error {
	clients := min(cmp.Or(c.Clients, sc.Clients), c.Requests)
	for run := 1; run <= c.Runs; run++ {
		fmt.Fprintf(e.errOut, "%s, run %d: %d requests from %d clients…\n", sc.Name, run, c.Requests, clients)
		st, err := loadgen.Run(ctx, c.Requests, clients, func(i int) (*http.Request, error) {
			return sc.Request(bases[sc.Dealer(i)%len(bases)], run, i)
		})
		if err != nil {
			hint := ""
			if len(c.Target) > 0 {
				hint = " (the servers named by --target must serve the database named here)"
			}
			return fmt.Errorf("%s, run %d: %w%s", sc.Route, run, err, hint)
		}
		fmt.Fprintf(e.out, "%-22s %4d %8d %8d %9.0f %9.2f %10.2f %11s\n", sc.Route, run, clients, st.Requests, st.Rate,
			loadgen.Millis(st.P50), loadgen.Millis(st.P99), cpuPer(st.CPU))
	}
	return nil
}

// database names the database measured, without credentials.
func (c *benchLoadCmd) database(e *env) string {
	if path, ok := e.cfg.SQLiteFile(); ok {
		return "SQLite " + path
	}
	return "PostgreSQL"
}

// serveLoopback serves h on a free loopback port and returns its base URL
// and a function that shuts it down.
func serveLoopback(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen on loopback: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	// Should serving fail, every request fails, and the run says so.
	go func() { _ = srv.Serve(ln) }()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// cpuPer is the CPU time per request in microseconds, "n/a" where the
// system does not tell.
func cpuPer(d time.Duration) string {
	if d == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f", loadgen.Micros(d))
}
