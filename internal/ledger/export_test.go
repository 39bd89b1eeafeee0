package ledger

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
)

// EarnTogether posts earns as one joined batch, as a caller's concurrent
// earns are posted when they meet, without having to make them meet.
func (s *Service) EarnTogether(ctx context.Context, p access.Principal, ins []EarnInput) ([]Transaction, error) {
	xs := make([]posting, len(ins))
	for i, in := range ins {
		x, err := prepare(p, earnRequest(in))
		if err != nil {
			return nil, err
		}
		xs[i] = x
	}
	return s.postAll(ctx, p, xs)
}
