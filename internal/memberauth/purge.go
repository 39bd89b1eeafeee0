package memberauth

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// KeepCodes is how long an expired code is kept (to tell a late "wrong
// code" from abuse in the logs): a day.
const KeepCodes = 24 * time.Hour

// Purge deletes a tenant's codes that expired more than KeepCodes ago —
// they hold a member's address — and reports how many; a daily job's
// work.
func (s *Service) Purge(ctx context.Context, tenantID string) (int, error) {
	before := s.Clock.Now().Add(-KeepCodes)
	return txn.Do(ctx, s.Store, func(tx Tx) (int, error) { return tx.DeleteMemberCodes(ctx, tenantID, before) })
}
