package simulate

import (
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
)

// active records a wallet's activity at t — an earn (with its new lot) or
// a spend — under an inactivity expiry, as the ledger does
// (ledger/inactivity.go): every live lot of the wallet then expires at the
// later of t + N months and the latest expiry they had. Timers of the old
// dates stay queued and are ignored when they fire.
func (b *book) active(w *wallet, created *lot, t time.Time) {
	if b.pt.Expiry.Kind != ledger.ExpireInactivity {
		return
	}
	if created != nil {
		w.live = append(w.live, created)
	}
	w.live = slices.DeleteFunc(w.live, func(l *lot) bool { return l.expired })
	var latest *time.Time
	for _, l := range w.live {
		if l.expMs != never && (latest == nil || l.expMs > latest.UnixMilli()) {
			at := time.UnixMilli(l.expMs).UTC()
			latest = &at
		}
	}
	until := ledger.ExpiryAfter(b.pt.Expiry, t, latest)
	for _, l := range w.live {
		if l.expMs < until.UnixMilli() {
			l.expMs = until.UnixMilli()
			b.timers.push(timer{at: until, kind: expireTimer, lot: l})
		}
	}
	slices.SortFunc(w.spendable, byKey)
}
