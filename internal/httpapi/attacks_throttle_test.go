package httpapi_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/httpapi"
)

// from sends a request from a client address (and optional headers).
func (e *env) from(addr, method, path, key string, headers ...string) *resp {
	e.t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.RemoteAddr = addr
	return e.serve(req, key, headers...)
}

// wrongSecret is key with another secret.
func wrongSecret(key string, i int) string {
	return key[:len(key)-8] + fmt.Sprintf("%08d", i)
}

// metric reads a counter from /metrics.
func (e *env) metric(name string) int {
	e.t.Helper()
	body := string(e.do("GET", "/metrics", "", nil).must(200, nil).Body)
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\d+)`).FindStringSubmatch(body)
	if m == nil {
		e.t.Fatalf("no %s in /metrics", name)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestAttackThrottling: 2,000 wrong secrets for a real key id in 0.1 s
// were all answered 401. Failed authentications are now throttled per key
// id and per client address (429 with Retry-After, refused unchecked),
// each tenant's request rate is limited, and /metrics counts both.
func TestAttackThrottling(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		const attacker, other = "198.51.100.7:4000", "203.0.113.9:5000"
		statuses := map[int]int{}
		var retry string
		for i := range 2000 {
			r := e.from(attacker, "GET", "/v1/tenant", wrongSecret(e.keyA, i))
			statuses[r.Status]++
			if r.Status == 429 {
				retry = r.Header.Get("Retry-After")
			}
		}
		if statuses[401] != httpapi.DefaultAuthFailures || statuses[429] != 2000-httpapi.DefaultAuthFailures {
			t.Fatalf("2000 wrong secrets: %v", statuses)
		}
		if n, err := strconv.Atoi(retry); err != nil || n < 1 || n > 60 {
			t.Fatalf("Retry-After %q", retry)
		}
		// The key id is blocked for everyone, its real secret included, until
		// the failures age out; nothing else is.
		e.from(other, "GET", "/v1/tenant", e.keyA).fails(429, "rate_limited", "")
		e.from(other, "GET", "/v1/tenant", e.keyB).must(200, nil)
		e.clock.Advance(6 * time.Second)
		e.from(other, "GET", "/v1/tenant", e.keyA).must(200, nil)

		// Many key ids from one address: the address is blocked, and
		// X-Forwarded-For from an untrusted peer changes nothing.
		for i := range 10 * httpapi.DefaultAuthFailures {
			e.from(attacker, "GET", "/v1/tenant", fmt.Sprintf("lyl_acme_%013d_%032d", i, i)).fails(401, "invalid_api_key", "")
		}
		e.from(attacker, "GET", "/v1/tenant", e.keyB, "X-Forwarded-For", "192.0.2.55").fails(429, "rate_limited", "")
		e.from(other, "GET", "/v1/tenant", e.keyB).must(200, nil)
		if n := e.metric(`loyal_http_throttled_total{reason="auth_key"}`); n != 2000-httpapi.DefaultAuthFailures+1 {
			t.Errorf("auth_key throttles counted: %d", n)
		}
		if n := e.metric(`loyal_http_throttled_total{reason="auth_address"}`); n != 1 {
			t.Errorf("auth_address throttles counted: %d", n)
		}
		if n := e.metric("loyal_auth_failures_total"); n != 11*httpapi.DefaultAuthFailures {
			t.Errorf("auth failures counted: %d", n)
		}
	})
}

// TestTenantRate: a tenant's own rate, else the server's default, limits
// its requests a second; other tenants are not affected.
func TestTenantRate(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.app.Limits = httpapi.Limits{TenantRate: 3} // burst 6
		e.api = e.app.Handler("test")
		count := func(key string, n int) map[int]int {
			got := map[int]int{}
			for range n {
				got[e.do("GET", "/v1/tenant", key, nil).Status]++
			}
			return got
		}
		if got := count(e.keyA, 10); got[200] != 6 || got[429] != 4 {
			t.Fatalf("server default of 3/s: %v", got)
		}
		r := e.do("GET", "/v1/tenant", e.keyA, nil).fails(429, "rate_limited", "")
		if r.Detail == "" || e.do("GET", "/v1/tenant", e.keyA, nil).Header.Get("Retry-After") != "1" {
			t.Fatalf("429 without a reason or Retry-After: %+v", r)
		}
		if got := count(e.keyB, 6); got[200] != 6 {
			t.Fatalf("another tenant: %v", got)
		}
		if _, err := e.app.Tenants.SetRateLimit(context.Background(), "acme", 50); err != nil {
			t.Fatal(err)
		}
		count(e.keyA, 1) // the new rate applies from the first request that reads it
		e.clock.Advance(time.Second)
		if got := count(e.keyA, 100); got[200] < 50 || got[429] == 0 {
			t.Fatalf("its own 50/s: %v", got)
		}
		if _, err := e.app.Tenants.SetRateLimit(context.Background(), "acme", -1); err == nil {
			t.Fatal("a negative rate was accepted")
		}
		var tn obj
		e.clock.Advance(time.Minute)
		e.do("GET", "/v1/tenant", e.keyA, nil).must(200, &tn)
		if tn["rate_limit"] != float64(50) {
			t.Fatalf("tenant %v", tn)
		}
		if !strings.Contains(string(e.do("GET", "/metrics", "", nil).Body), `loyal_http_throttled_total{reason="tenant_rate"}`) {
			t.Error("/metrics does not count tenant throttles")
		}
	})
}
