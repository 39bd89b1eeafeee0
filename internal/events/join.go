package events

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/join"
)

// joined is a checked single event waiting to be applied with the others
// its caller sends at the same time.
type joined struct {
	in Input
	ev engine.Event
}

// join applies one checked event with the caller's others that wait
// (package join): one read of the lookups and one transaction for them
// all. An event sent twice at once waits for the next batch and is
// answered as a repeat.
func (s *Service) join(ctx context.Context, p access.Principal, in Input, ev engine.Event) (Result, error) {
	s.joinInit.Do(func() {
		s.joins = join.Joiner[access.Principal, joined, Result]{Apply: s.applyJoined,
			Key: func(j joined) string { return j.ev.Source + "\x00" + j.ev.ExternalID }}
	})
	in.requestID = access.RequestID(ctx)
	return s.joins.Do(ctx, p, joined{in: in, ev: ev})
}

// applyJoined applies a caller's joined events as one batch; alone, an
// event's problems name its fields without an index.
func (s *Service) applyJoined(ctx context.Context, p access.Principal, js []joined) ([]Result, error) {
	ins, evs := make([]Input, len(js)), make([]engine.Event, len(js))
	for i, j := range js {
		ins[i], evs[i] = j.in, j.ev
	}
	res, err := s.apply(ctx, p, ins, evs, false, len(js) > 1)
	if err == nil && s.OnJoin != nil {
		s.OnJoin(len(js))
	}
	return res, err
}
