package events

import (
	"sync"
	"time"
)

// runningTTL is how long a replica trusts its list of a tenant's running
// programs. A change made through this process is seen at once (the
// program service calls ProgramsChanged); one made through another replica
// within this time. Reading the list on every event cost about a tenth of
// a request.
const runningTTL = time.Second

// runningCache holds each tenant's running programs. A generation per
// tenant makes an invalidation win over a read that started before it.
type runningCache struct {
	mu      sync.Mutex
	gen     map[string]uint64
	entries map[string]runningEntry
}

type runningEntry struct {
	at    time.Time
	gen   uint64
	progs []*running
}

// get returns the cached list, if fresh, and the generation to store a
// new one under.
func (c *runningCache) get(tenantID string) ([]*running, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	g := c.gen[tenantID]
	e, ok := c.entries[tenantID]
	if !ok || e.gen != g || time.Since(e.at) > runningTTL {
		return nil, g, false
	}
	return e.progs, g, true
}

// put stores a list read under generation g, unless it was invalidated
// since.
func (c *runningCache) put(tenantID string, g uint64, progs []*running) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen[tenantID] != g {
		return
	}
	if c.entries == nil {
		c.entries = map[string]runningEntry{}
	}
	c.entries[tenantID] = runningEntry{at: time.Now(), gen: g, progs: progs}
}

// invalidate drops a tenant's list.
func (c *runningCache) invalidate(tenantID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == nil {
		c.gen = map[string]uint64{}
	}
	c.gen[tenantID]++
	delete(c.entries, tenantID)
}

// ProgramsChanged tells ingestion that a tenant's programs changed
// (status, pilot groups, versions), so the next event reads them again.
func (s *Service) ProgramsChanged(tenantID string) { s.cache.invalidate(tenantID) }
