package simulate

import (
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/lots"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// The in-memory ledger keeps, for what the report needs, what
// internal/ledger keeps in the database — lots with their pending and
// expiry dates, spends that consume lots earliest expiry first, clawbacks
// under the return policy, a wallet below zero repaid first by later
// credits — with the same arithmetic: package lots, which the ledger uses
// too.

const never = lots.Never // expiry of a lot that never expires, as the store orders it

// lot is points of one credit in one wallet.
type lot struct {
	seq       int64 // creation order: the tie-break of the store's id order
	w         *wallet
	amount    int64
	remaining int64
	pending   bool
	expired   bool
	earned    time.Time
	avail     time.Time
	expMs     int64 // never when it does not expire
}

// wallet is one owner's balance of a variant's point type.
type wallet struct {
	owner     ledger.Owner
	available int64
	pending   int64
	spendable []*lot // available lots with points left, in spending order
	live      []*lot // lots not expired, under an inactivity expiry (inactivity.go)
}

// book is one variant's ledger.
type book struct {
	pt      ledger.PointType
	wallets map[ledger.Owner]*wallet
	seq     int64
	totals  *Totals
	timers  *timers
	sums    *money.Checked // the runner's
}

func newBook(pt ledger.PointType, t *Totals, tm *timers) *book {
	return &book{pt: pt, wallets: map[ledger.Owner]*wallet{}, totals: t, timers: tm, sums: &money.Checked{}}
}

func (b *book) wallet(o ledger.Owner) *wallet {
	w := b.wallets[o]
	if w == nil {
		w = &wallet{owner: o}
		b.wallets[o] = w
	}
	return w
}

// credit adds a lot as ledger's credit does: dates default to the point
// type's pending days and expiry policy, measured from the event's time.
func (b *book) credit(o ledger.Owner, amount int64, at time.Time, availAt, expAt *time.Time) *lot {
	avail := at.AddDate(0, 0, b.pt.PendingDays)
	if availAt != nil {
		avail = *availAt
	}
	exp := b.pt.Expiry.From(at)
	if expAt != nil {
		exp = expAt
	}
	b.seq++
	l := &lot{seq: b.seq, w: b.wallet(o), amount: amount, remaining: amount, earned: at, avail: avail, expMs: never}
	if exp != nil {
		l.expMs = exp.UnixMilli()
	}
	b.sums.Add(&b.totals.Issued, amount)
	if avail.After(at) {
		l.pending = true
		l.w.pending += amount
		b.timers.push(timer{at: avail, kind: activateTimer, lot: l})
	} else {
		b.makeAvailable(l)
	}
	if exp != nil {
		b.timers.push(timer{at: *exp, kind: expireTimer, lot: l})
	}
	b.active(l.w, l, at)
	return l
}

// makeAvailable puts a lot's points in the available bucket; a wallet in
// debt takes them first.
func (b *book) makeAvailable(l *lot) {
	w := l.w
	w.available += l.remaining
	taken := l.remaining - lots.Netted(l.remaining, w.available)
	l.remaining -= taken
	if l.remaining > 0 {
		w.insert(l)
	}
}

func (w *wallet) insert(l *lot) {
	i, _ := slices.BinarySearchFunc(w.spendable, l, byKey)
	w.spendable = slices.Insert(w.spendable, i, l)
}

// byKey orders lots as spends take them (lots.Compare).
func byKey(a, b *lot) int { return lots.Compare(a.key(), b.key()) }

func (l *lot) key() lots.Key { return lots.Key{ExpiresMs: l.expMs, Earned: l.earned, Seq: l.seq} }

// activate ends a lot's pending period.
func (b *book) activate(l *lot) {
	if !l.pending || l.expired {
		return
	}
	l.pending = false
	l.w.pending -= l.remaining
	b.makeAvailable(l)
}

// expire moves what is left of an available lot to breakage.
func (b *book) expire(l *lot) {
	if l.pending || l.expired {
		return
	}
	l.expired = true
	if l.remaining == 0 {
		return
	}
	l.w.available -= l.remaining
	b.sums.Add(&b.totals.Expired, l.remaining)
	l.remaining = 0
	l.w.drop(l)
}

func (w *wallet) drop(l *lot) {
	if i := slices.Index(w.spendable, l); i >= 0 {
		w.spendable = slices.Delete(w.spendable, i, i+1)
	}
}

// take lowers the available balance by amount, not below floor, and
// consumes lots for the part they held. It returns what it took.
func (b *book) take(w *wallet, amount, floor int64) int64 {
	amount = min(amount, max(w.available-floor, 0))
	if amount <= 0 {
		return 0
	}
	w.available -= amount
	w.consume(lots.Covered(amount, w.available))
	return amount
}

// consume takes points from the spendable lots, earliest expiry first.
func (w *wallet) consume(n int64) {
	i := 0
	for n > 0 && i < len(w.spendable) {
		l := w.spendable[i]
		k := min(n, l.remaining)
		l.remaining -= k
		n -= k
		if l.remaining == 0 {
			i++
		}
	}
	w.spendable = slices.Delete(w.spendable, 0, i)
}

// clawback takes back points of a lot as ledger's clawback does: from the
// lot first, then from the wallet as the policy allows.
func (b *book) clawback(l *lot, amount int64, policy string) int64 {
	w := l.w
	fromLot := int64(0)
	if !l.expired {
		fromLot = min(amount, l.remaining)
	}
	if fromLot > 0 {
		l.remaining -= fromLot
		if l.pending {
			w.pending -= fromLot
		} else {
			w.available -= fromLot
			if l.remaining == 0 {
				w.drop(l)
			}
		}
	}
	rest := lots.ClawRest(policy, amount-fromLot, w.available, b.pt.NegativeLimit)
	took := fromLot
	if rest > 0 {
		took += b.take(w, rest, -b.pt.NegativeLimit)
	}
	b.sums.Add(&b.totals.ClawedBack, took)
	return took
}

// outstanding is the points held in every wallet.
func (b *book) outstanding() int64 {
	var n int64
	for _, w := range b.wallets {
		n += w.available + w.pending
	}
	return n
}
