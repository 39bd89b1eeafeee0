package promo

import (
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/throttle"
)

// DefaultFailLimit is how many unknown codes one API key may try per
// minute: enough for typing mistakes, too few to guess codes.
const DefaultFailLimit = 30

// caller names who tries codes: the API key (or user) behind a request.
func caller(p access.Principal) string {
	return p.TenantID + "/" + string(p.ActorType) + "/" + p.ActorID
}

// failed counts an unknown code of p against its limit, FailLimit a
// minute (a token bucket: one more attempt every 60/FailLimit seconds),
// in memory: each replica limits on its own, which bounds guessing all
// the same.
func (s *Service) failed(p access.Principal) error {
	limit := s.FailLimit
	if limit <= 0 {
		limit = DefaultFailLimit
	}
	s.failsOnce.Do(func() { s.fails = throttle.New(s.Clock) })
	if ok, wait := s.fails.Allow(caller(p), throttle.PerMinute(limit)); !ok {
		return errs.E(errs.RateLimited, "too_many_code_attempts",
			"too many unknown promo codes from this API key (%d per minute); try again in %s", limit, max(wait.Round(time.Second), time.Second))
	}
	return nil
}
