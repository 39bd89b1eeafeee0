package httpapi_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// A verified key is trusted for at most tenant.KeyCacheTTL: a key revoked
// through one replica stops working there at once, and on another replica
// sharing the database as soon as that replica's cached verification ages
// out. A wrong secret is never served from the cache.
func TestRevocationReachesEveryReplica(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var k struct{ ID, Key string }
		e.do("POST", "/v1/api-keys", e.keyA, obj{"name": "shop", "scope": "read"}).must(201, &k)
		other := *e
		other.app = app.New(config.Config{}, slog.New(slog.DiscardHandler), e.clock, e.app.DB, nil)
		other.api = other.app.Handler("test")

		// Both replicas verify the key and remember it.
		e.do("GET", "/v1/organizations", k.Key, nil).must(200, nil)
		other.do("GET", "/v1/organizations", k.Key, nil).must(200, nil)
		wrong := k.Key[:len(k.Key)-1] + map[bool]string{true: "y", false: "x"}[strings.HasSuffix(k.Key, "x")]
		other.do("GET", "/v1/organizations", wrong, nil).fails(401, "invalid_api_key", "")

		e.do("POST", "/v1/api-keys/"+k.ID+"/revoke", e.keyA, nil).must(200, nil)
		e.do("GET", "/v1/organizations", k.Key, nil).fails(401, "api_key_revoked", "")

		e.clock.Advance(tenant.KeyCacheTTL)
		other.do("GET", "/v1/organizations", k.Key, nil).fails(401, "api_key_revoked", "")
	})
}

// A cached verification is not trusted when the clock goes backwards.
func TestKeyCacheClockBackwards(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var k struct{ ID, Key string }
		e.do("POST", "/v1/api-keys", e.keyA, obj{"name": "shop", "scope": "read"}).must(201, &k)
		other := *e
		other.app = app.New(config.Config{}, slog.New(slog.DiscardHandler), e.clock, e.app.DB, nil)
		other.api = other.app.Handler("test")
		other.do("GET", "/v1/organizations", k.Key, nil).must(200, nil)
		e.do("POST", "/v1/api-keys/"+k.ID+"/revoke", e.keyA, nil).must(200, nil)
		e.clock.Set(e.clock.Now().Add(-time.Hour))
		other.do("GET", "/v1/organizations", k.Key, nil).fails(401, "api_key_revoked", "")
	})
}
