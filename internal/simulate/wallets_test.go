package simulate

import (
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
)

var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func testBook(pt ledger.PointType) (*book, *Totals, *timers) {
	var tot Totals
	var tm timers
	return newBook(pt, &tot, &tm), &tot, &tm
}

func runAll(b *book, tm *timers, at time.Time) {
	for {
		x, ok := tm.next(at)
		if !ok {
			return
		}
		switch x.kind {
		case activateTimer:
			b.activate(x.lot)
		case expireTimer:
			b.expire(x.lot)
		}
	}
}

// Pending points cannot be spent until their day; spends take the lot
// that expires first, whatever its age.
func TestBookPendingAndSpendOrder(t *testing.T) {
	b, tot, tm := testBook(ledger.PointType{PendingDays: 14, Expiry: ledger.Expiry{Kind: ledger.ExpireMonths, N: 12}})
	org := ledger.Owner{Type: ledger.OwnerOrganization, ID: "o"}
	old := b.credit(org, 100, t0, nil, nil)
	soon := t0.AddDate(0, 2, 0)
	early := b.credit(org, 50, t0.Add(time.Hour), &t0, &soon) // available at once, expires first
	w := b.wallet(org)
	if w.available != 50 || w.pending != 100 {
		t.Fatalf("available %d pending %d", w.available, w.pending)
	}
	if got := b.take(w, 80, 0); got != 50 {
		t.Errorf("took %d of the 50 available", got)
	}
	runAll(b, tm, t0.AddDate(0, 0, 14))
	if w.available != 100 || w.pending != 0 || old.pending {
		t.Fatalf("after activation: available %d pending %d", w.available, w.pending)
	}
	if early.remaining != 0 || old.remaining != 100 {
		t.Errorf("lots: early %d, old %d", early.remaining, old.remaining)
	}
	runAll(b, tm, t0.AddDate(1, 0, 0))
	if tot.Expired != 100 || w.available != 0 || tot.Issued != 150 {
		t.Errorf("totals %+v, available %d", *tot, w.available)
	}
}

// A clawback under allow_negative takes the wallet below zero (not past
// its limit); the next credit repays the debt before it fills its lot.
func TestBookNegativeAndNetting(t *testing.T) {
	b, tot, _ := testBook(ledger.PointType{NegativeLimit: 30, Expiry: ledger.Expiry{Kind: ledger.ExpireNever}})
	org := ledger.Owner{Type: ledger.OwnerOrganization, ID: "o"}
	l := b.credit(org, 100, t0, nil, nil)
	w := b.wallet(org)
	b.take(w, 90, 0)
	if got := b.clawback(l, 60, ledger.ClawAllowNegative); got != 40 || w.available != -30 {
		t.Fatalf("clawed %d, available %d (10 from the lot, 30 below zero)", got, w.available)
	}
	l2 := b.credit(org, 50, t0.Add(time.Hour), nil, nil)
	if w.available != 20 || l2.remaining != 20 || len(w.spendable) != 1 {
		t.Errorf("after the credit: available %d, lot remaining %d", w.available, l2.remaining)
	}
	if got := b.clawback(l2, 50, ledger.ClawSourceOnly); got != 20 || tot.ClawedBack != 60 {
		t.Errorf("source only clawed %d (total %d)", got, tot.ClawedBack)
	}
}
