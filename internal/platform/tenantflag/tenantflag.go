// Package tenantflag remembers for a short time whether a tenant uses a
// feature at all (has paid memberships, goals, referrals, segment
// members), so that every event and quote of a tenant that does not
// skips the feature's query. A change made in this process is seen at
// once (MarkUsed); one made through another replica within the TTL, as
// for the cache of running programs.
package tenantflag

import (
	"sync"
	"time"
)

// TTL is how long a replica trusts what it read.
const TTL = time.Second

// Flags holds one yes/no per tenant. The zero value is ready to use; a
// nil *Flags remembers nothing and always asks.
type Flags struct {
	mu  sync.Mutex
	m   map[string]entry
	gen map[string]uint64 // bumped by MarkUsed: an answer read before it is stale
}

type entry struct {
	has bool
	at  time.Time
}

// Uses reports whether a tenant uses the feature, asking check (a query)
// only when what is known is not fresh.
func (f *Flags) Uses(tenantID string, check func() (bool, error)) (bool, error) {
	if f == nil {
		return check()
	}
	f.mu.Lock()
	e, ok := f.m[tenantID]
	g := f.gen[tenantID]
	f.mu.Unlock()
	if ok && time.Since(e.at) <= TTL {
		return e.has, nil
	}
	has, err := check()
	if err != nil {
		return false, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen[tenantID] == g { // no MarkUsed since the question: the answer stands
		if f.m == nil {
			f.m = map[string]entry{}
		}
		f.m[tenantID] = entry{has: has, at: time.Now()}
	}
	return has, nil
}

// MarkUsed records that a tenant now uses the feature. Writers call it
// before their transaction commits: if it rolls back, the tenant only
// pays a query per event for a second.
func (f *Flags) MarkUsed(tenantID string) {
	if f == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m, f.gen = map[string]entry{}, map[string]uint64{}
	}
	if f.gen == nil {
		f.gen = map[string]uint64{}
	}
	f.gen[tenantID]++
	f.m[tenantID] = entry{has: true, at: time.Now()}
}
