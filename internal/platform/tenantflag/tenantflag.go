// Package tenantflag remembers for a short time whether a tenant uses a
// feature at all (has paid memberships, has segment members), so that
// every event and quote of a tenant that does not skips the feature's
// query. A change made in this process is seen at once (Set or Forget);
// one made through another replica within the TTL, as for the cache of
// running programs.
package tenantflag

import (
	"sync"
	"time"
)

// TTL is how long a replica trusts what it read.
const TTL = time.Second

// Flags holds one yes/no per tenant. The zero value is ready to use.
type Flags struct {
	mu sync.Mutex
	m  map[string]entry
}

type entry struct {
	has bool
	at  time.Time
}

// Get returns what is known of a tenant, if it is fresh.
func (f *Flags) Get(tenantID string) (has, known bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.m[tenantID]
	if !ok || time.Since(e.at) > TTL {
		return false, false
	}
	return e.has, true
}

// Set records whether a tenant uses the feature.
func (f *Flags) Set(tenantID string, has bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = map[string]entry{}
	}
	f.m[tenantID] = entry{has: has, at: time.Now()}
}

// Forget drops what is known of a tenant; the next Get reads again.
func (f *Flags) Forget(tenantID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.m, tenantID)
}
