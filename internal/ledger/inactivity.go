package ledger

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/lots"
)

// Expiry after inactivity (point types with expiry inactivity_months:N):
// a wallet's points expire N months after its last qualifying activity —
// points earned (from issuance or a partner's settlement) or spent (to
// redemption or settlement); manual adjustments, transfers, clawbacks and
// the ledger's own jobs are not activity. Every lot is created expiring N
// months after it was earned, and each activity pushes every live lot of
// the wallet (pending or available) to N months after the activity's
// effective time, never earlier than they already were (lots.
// AfterInactivity). The expiry job and the spending order then work as for
// any expiry: all of a wallet's lots share one date, spent oldest first.

// touch notes a wallet's activity through a system account kind.
func (w *writer) touch(pt PointType, accountID, kind string) {
	if pt.Expiry.Kind != ExpireInactivity || (kind != SysIssuance && kind != SysRedemption && kind != SysSettlement) {
		return
	}
	if w.active == nil {
		w.active = map[string]int{}
	}
	w.active[accountID] = pt.Expiry.N
}

// extend pushes back the expiry of the live lots of the wallets that had
// activity, once the transaction's own lots are stored.
func (w *writer) extend(ctx context.Context) error {
	for id, months := range w.active {
		latest, err := w.tx.LatestLotExpiry(ctx, w.tenant, id)
		if err != nil {
			return err
		}
		until := lots.AfterInactivity(months, w.t.Effective, latest)
		if err := w.tx.ExtendLots(ctx, w.tenant, id, until); err != nil {
			return err
		}
		for i := range w.t.Lots { // the answer shows the lots as stored
			if l := &w.t.Lots[i]; l.AccountID == id && l.ExpiresAt != nil && l.ExpiresAt.Before(until) {
				l.ExpiresAt = &until
			}
		}
	}
	return nil
}

// ExpiryAfter is when points last active at t expire under an inactivity
// expiry, as the ledger sets it (the simulator uses it too).
func ExpiryAfter(e Expiry, t time.Time, latest *time.Time) time.Time {
	return lots.AfterInactivity(e.N, t, latest)
}
