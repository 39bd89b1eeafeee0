package simulate

import (
	"container/heap"
	"time"
)

// Timer kinds, in the order they run at one instant: points become
// available, then expire (the expiry job), then assumed redemptions, then
// reviews (the review job), then coupons expire.
const (
	activateTimer = iota
	expireTimer
	redeemTimer
	reviewTimer
	couponTimer
)

// timer is something due at a time: a lot's activation or expiry, an
// assumed redemption, or an organization's review.
type timer struct {
	at     time.Time
	kind   int
	seq    int64
	lot    *lot
	points int64  // redeemTimer
	org    string // reviewTimer
	coupon string // couponTimer
}

type timers struct {
	h   timerHeap
	seq int64
}

func (t *timers) push(x timer) {
	t.seq++
	x.seq = t.seq
	heap.Push(&t.h, x)
}

// next pops the earliest timer due at or before at.
func (t *timers) next(at time.Time) (timer, bool) {
	if len(t.h) == 0 || t.h[0].at.After(at) {
		return timer{}, false
	}
	return heap.Pop(&t.h).(timer), true
}

type timerHeap []timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	a, b := &h[i], &h[j]
	if !a.at.Equal(b.at) {
		return a.at.Before(b.at)
	}
	if a.kind != b.kind {
		return a.kind < b.kind
	}
	return a.seq < b.seq
}
func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)   { *h = append(*h, x.(timer)) }
func (h *timerHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
