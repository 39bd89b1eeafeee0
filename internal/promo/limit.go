package promo

import (
	"sync"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// DefaultFailLimit is how many unknown codes one API key may try per
// minute: enough for typing mistakes, too few to guess codes.
const DefaultFailLimit = 30

// failWindow is the period failed attempts are counted over.
const failWindow = time.Minute

// failures counts unknown-code attempts per caller in fixed one-minute
// windows, in memory: each replica limits on its own, which bounds
// guessing all the same.
type failures struct {
	mu  sync.Mutex
	now map[string]*window
}

type window struct {
	start time.Time
	n     int
}

// caller names who tries codes: the API key (or user) behind a request.
func caller(p access.Principal) string {
	return p.TenantID + "/" + string(p.ActorType) + "/" + p.ActorID
}

// fail records an unknown code tried by key at now and returns a
// RateLimited error once the key tried more than limit in the window.
func (f *failures) fail(key string, now time.Time, limit int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.now == nil {
		f.now = map[string]*window{}
	}
	w := f.now[key]
	if w == nil || !now.Before(w.start.Add(failWindow)) {
		f.prune(now)
		w = &window{start: now}
		f.now[key] = w
	}
	w.n++
	if w.n > limit {
		wait := w.start.Add(failWindow).Sub(now).Round(time.Second)
		return errs.E(errs.RateLimited, "too_many_code_attempts",
			"too many unknown promo codes from this API key (%d per minute); try again in %s", limit, wait)
	}
	return nil
}

// prune drops windows that ended, so that the map holds recent callers only.
func (f *failures) prune(now time.Time) {
	for k, w := range f.now {
		if !now.Before(w.start.Add(failWindow)) {
			delete(f.now, k)
		}
	}
}

// failed counts an unknown code of p against its limit.
func (s *Service) failed(p access.Principal) error {
	limit := s.FailLimit
	if limit <= 0 {
		limit = DefaultFailLimit
	}
	return s.fails.fail(caller(p), s.Clock.Now(), limit)
}
