package httpapi

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/throttle"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// Limits are the API's throttles. Each server process counts on its own.
type Limits struct {
	// TenantRate is how many requests a second one tenant may make (with
	// a burst of twice that), unless the tenant has a rate of its own
	// (tenant.Tenant.RateLimit); 0: no limit.
	TenantRate int
	// AuthFailures is how many failed authentications a minute one API key
	// id may have, and ten times as many one client address, before
	// attempts are refused (429) without being checked, until the failures
	// age out; 0: DefaultAuthFailures.
	AuthFailures int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// names the client; without them the client is the connection's peer.
	TrustedProxies []netip.Prefix
	// Clock is what the buckets refill by (nil: the system clock).
	Clock clock.Clock
}

// DefaultAuthFailures is Limits.AuthFailures when none is given.
const DefaultAuthFailures = 10

// guard applies the Limits around authentication. Each kind of key has a
// limiter of its own, so that its keys need no prefix (no allocation on
// the path of every request).
type guard struct {
	addrs      *throttle.Limiter
	keys       *throttle.Limiter
	tenants    *throttle.Limiter
	perKey     throttle.Rate
	perAddr    throttle.Rate
	tenantRate int
	proxies    []netip.Prefix
	metrics    *Metrics
}

func newGuard(l Limits, m *Metrics) *guard {
	if l.Clock == nil {
		l.Clock = clock.System{}
	}
	n := l.AuthFailures
	if n <= 0 {
		n = DefaultAuthFailures
	}
	return &guard{addrs: throttle.New(l.Clock), keys: throttle.New(l.Clock), tenants: throttle.New(l.Clock),
		perKey: throttle.PerMinute(n), perAddr: throttle.PerMinute(10 * n),
		tenantRate: l.TenantRate, proxies: l.TrustedProxies, metrics: m}
}

// Throttle reasons, as /metrics labels them.
const (
	reasonKey     = "auth_key"     // too many failures for one API key id
	reasonAddress = "auth_address" // too many failures from one client address
	reasonTenant  = "tenant_rate"  // the tenant's request rate
)

// blocked refuses an attempt before its secret is checked, when the
// client address or the key id failed too often lately.
func (g *guard) blocked(w http.ResponseWriter, r *http.Request, addr, token string) bool {
	if b, wait := g.addrs.Blocked(addr, g.perAddr); b {
		return g.refuse(w, r, reasonAddress, wait, "too many failed authentications from your address; try again in %s")
	}
	if ref, ok := tenant.KeyRef(token); ok {
		if b, wait := g.keys.Blocked(ref, g.perKey); b {
			return g.refuse(w, r, reasonKey, wait, "too many failed authentications for this API key; try again in %s")
		}
	}
	return false
}

// failed counts a failed authentication against the address and the key.
func (g *guard) failed(addr, token string) {
	g.metrics.authFailures.Inc()
	g.addrs.Fail(addr, g.perAddr)
	if ref, ok := tenant.KeyRef(token); ok {
		g.keys.Fail(ref, g.perKey)
	}
}

// overRate refuses a request over its tenant's rate.
func (g *guard) overRate(w http.ResponseWriter, r *http.Request, tenantID string, own int64) bool {
	n := int(own)
	if n == 0 {
		n = g.tenantRate
	}
	if n <= 0 {
		return false
	}
	if ok, wait := g.tenants.Allow(tenantID, throttle.PerSecond(n)); !ok {
		return g.refuse(w, r, reasonTenant, wait, "too many requests for this operator account; try again in %s")
	}
	return false
}

// refuse answers 429 with Retry-After in whole seconds.
func (g *guard) refuse(w http.ResponseWriter, r *http.Request, reason string, wait time.Duration, format string) bool {
	g.metrics.throttled.WithLabelValues(reason).Inc()
	secs := max(1, int(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeProblem(w, r, newProblem(http.StatusTooManyRequests, "rate_limited", strings.Replace(format, "%s", strconv.Itoa(secs)+"s", 1)))
	return true
}

// client is the address a request comes from: the connection's peer, or
// the nearest address in X-Forwarded-For not of a trusted proxy when the
// peer is one. IPv6 addresses count by their /64, which one client holds.
func (g *guard) client(r *http.Request) string {
	if len(g.proxies) == 0 {
		if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil && !strings.Contains(host, ":") {
			return host // IPv4, as is: no parsing, no allocation
		}
	}
	peer := parseAddr(r.RemoteAddr)
	if g.trusted(peer) {
		hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			if peer = a.Unmap(); !g.trusted(peer) {
				break
			}
		}
	}
	if peer.Is6() {
		p, _ := peer.Prefix(64)
		return p.String()
	}
	return peer.String()
}

func (g *guard) trusted(a netip.Addr) bool {
	for _, p := range g.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseAddr reads the IP of a host:port (the zero address if none).
func parseAddr(hostport string) netip.Addr {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}
