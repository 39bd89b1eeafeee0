package tenant

import (
	"crypto/sha256"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
)

// KeyCacheTTL is how long a verified API key is trusted without reading
// it again. It bounds how late a change made on another replica — a key
// revoked, a staff user disabled or lowered, a tenant suspended — takes
// effect here; on the replica that made the change it is immediate.
const KeyCacheTTL = time.Second

// keyCacheMax bounds the cache's memory: past it the cache starts over
// (a second of re-verification, not an outage).
const keyCacheMax = 10_000

// keyCache remembers tokens verified in the last KeyCacheTTL, by the
// SHA-256 of the whole token: a hit proves the caller holds the secret
// without reading the key. Only successes are cached, so failed attempts
// still reach the throttle and the database.
type keyCache struct {
	mu      sync.RWMutex
	entries map[[sha256.Size]byte]cachedKey // by the token's digest, kept as an array: no allocation per request
	gen     atomic.Uint64                   // bumped by local changes: every entry is stale
}

type cachedKey struct {
	p      access.Principal
	t      Tenant
	key    APIKey
	at     time.Time
	gen    uint64
	tokenH [sha256.Size]byte
}

func (c *keyCache) get(token string, now time.Time) (cachedKey, bool) {
	h := sha256.Sum256([]byte(token))
	c.mu.RLock()
	e, ok := c.entries[h]
	c.mu.RUnlock()
	if !ok || e.gen != c.gen.Load() || now.Sub(e.at) >= KeyCacheTTL || now.Before(e.at) {
		return cachedKey{tokenH: h}, false
	}
	return e, true
}

func (c *keyCache) put(e cachedKey) {
	e.gen = c.gen.Load()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= keyCacheMax {
		c.entries = make(map[[sha256.Size]byte]cachedKey)
	}
	c.entries[e.tokenH] = e
}

// invalidate forgets every verified key: called after a change in this
// process that may withdraw access (a key revoked, a staff user disabled
// or their role changed, a tenant suspended).
func (c *keyCache) invalidate() { c.gen.Add(1) }
