// Package join applies what one caller sends at the same time together.
// While a caller's earlier requests are being written, its next ones wait
// and then go as one batch: one transaction and one commit for all of
// them, instead of one each. A client posting from many threads at once
// (an ERP sending invoices) is what it is for; a caller with one request
// at a time sees no difference.
//
// Each request keeps its own answer. A batch is all or nothing, so when a
// batch of several fails, every request in it runs again alone: one wrong
// request never fails another, and its error reads as it would have
// alone.
package join

import (
	"context"
	"slices"
	"sync"
)

// Joiner batches requests of type In, answered with Out, per caller K.
// Its zero value is not usable: set Apply.
type Joiner[K comparable, In, Out any] struct {
	// Apply applies a caller's requests in one transaction: an answer for
	// each, in order, or an error and nothing applied. Its context is not cancelled
	// when the caller whose goroutine runs the batch goes away: the batch
	// answers for the others too.
	Apply func(ctx context.Context, caller K, ins []In) ([]Out, error)
	// Key, if set, keeps two requests with the same key out of one batch
	// (the second waits for the next): an event sent twice at once is
	// then answered as a repeat of the first, not refused as a batch that
	// holds it twice.
	Key func(In) string
	// Lanes is how many of one caller's batches run at a time (default
	// 2: one reads while the other writes); Max the most requests in a
	// batch (default 64).
	Lanes, Max int

	mu     sync.Mutex
	queues map[K]*queue[In, Out]
}

// queue is one caller's requests waiting for a batch, and how many of its
// batches run.
type queue[In, Out any] struct {
	running int
	waiting []*request[In, Out]
}

// request is one waiting request. wake is sent to once: to lead a batch,
// or when out and err are its answer, or to run alone.
type request[In, Out any] struct {
	in   In
	key  string // Key(in), when Key is set
	wake chan turn
	out  Out
	err  error
}

type turn int

const (
	lead  turn = iota // take the waiting requests and apply them
	done              // out and err are the answer
	alone             // the batch failed: apply the request by itself
)

// Do applies in, with whatever else the caller has waiting, and returns
// its answer. A caller that goes away while its request still waits gets
// the context's error and the request is not applied; once its batch
// has started, the request's fate is the batch's.
func (j *Joiner[K, In, Out]) Do(ctx context.Context, caller K, in In) (Out, error) {
	r := &request[In, Out]{in: in, wake: make(chan turn, 1)}
	if err := ctx.Err(); err != nil {
		return r.out, err // gone before it came: as without joining, nothing is applied
	}
	if j.Key != nil {
		r.key = j.Key(in)
	}
	t, err := j.wait(ctx, caller, r)
	if err != nil {
		return r.out, err
	}
	if t == lead {
		t = j.lead(ctx, caller, r)
	}
	if t == alone {
		outs, err := j.Apply(ctx, caller, []In{in})
		if err != nil {
			return r.out, err
		}
		return outs[0], nil
	}
	return r.out, r.err
}

// lead applies the waiting requests with r, hands the lane on and
// answers the others; it returns r's own turn. Should Apply panic, the
// others run alone and the panic goes on up r's goroutine.
func (j *Joiner[K, In, Out]) lead(ctx context.Context, caller K, r *request[In, Out]) turn {
	batch := j.take(caller, r)
	answered := false
	defer func() {
		if !answered {
			j.next(caller)
			j.answer(batch, r, nil, nil, alone)
		}
	}()
	ins := make([]In, len(batch))
	for i, b := range batch {
		ins[i] = b.in
	}
	outs, err := j.Apply(context.WithoutCancel(ctx), caller, ins)
	answered = true
	j.next(caller)
	t := done
	if err != nil && len(batch) > 1 {
		t = alone
	}
	j.answer(batch, r, outs, err, t)
	return t
}

// answer wakes the requests of a batch but r with their answers.
func (j *Joiner[K, In, Out]) answer(batch []*request[In, Out], r *request[In, Out], outs []Out, err error, t turn) {
	for i, b := range batch {
		if err == nil && outs != nil {
			b.out = outs[i]
		}
		b.err = err
		if b != r {
			b.wake <- t
		}
	}
}

// wait makes r lead when one of the caller's lanes is free, or queues it
// until it is woken.
func (j *Joiner[K, In, Out]) wait(ctx context.Context, caller K, r *request[In, Out]) (turn, error) {
	j.mu.Lock()
	q := j.queue(caller)
	if q.running < j.lanes() {
		q.running++
		j.mu.Unlock()
		return lead, nil
	}
	q.waiting = append(q.waiting, r)
	j.mu.Unlock()
	select {
	case t := <-r.wake:
		return t, nil
	case <-ctx.Done():
	}
	j.mu.Lock()
	i := slices.Index(q.waiting, r)
	if i >= 0 {
		q.waiting = slices.Delete(q.waiting, i, i+1)
	}
	j.mu.Unlock()
	if i >= 0 {
		return done, ctx.Err()
	}
	return <-r.wake, nil // already taken into a batch or made to lead
}

// queue is the caller's queue, made on first use; j.mu is held.
func (j *Joiner[K, In, Out]) queue(caller K) *queue[In, Out] {
	if j.queues == nil {
		j.queues = map[K]*queue[In, Out]{}
	}
	q := j.queues[caller]
	if q == nil {
		q = &queue[In, Out]{}
		j.queues[caller] = q
	}
	return q
}

// take removes the waiting requests that go with r into its batch, in
// the order they came.
func (j *Joiner[K, In, Out]) take(caller K, r *request[In, Out]) []*request[In, Out] {
	j.mu.Lock()
	defer j.mu.Unlock()
	q := j.queues[caller]
	batch := []*request[In, Out]{r}
	keys := map[string]bool{r.key: true}
	rest := q.waiting[:0]
	for _, w := range q.waiting {
		if len(batch) == j.limit() || j.Key != nil && keys[w.key] {
			rest = append(rest, w)
			continue
		}
		keys[w.key] = true
		batch = append(batch, w)
	}
	clear(q.waiting[len(rest):])
	q.waiting = rest
	return batch
}

// next ends one of the caller's batches: the first waiting request leads
// the next one, or the lane is free.
func (j *Joiner[K, In, Out]) next(caller K) {
	j.mu.Lock()
	defer j.mu.Unlock()
	q := j.queues[caller]
	if len(q.waiting) == 0 {
		if q.running--; q.running == 0 {
			delete(j.queues, caller)
		}
		return
	}
	first := q.waiting[0]
	q.waiting = slices.Delete(q.waiting, 0, 1)
	first.wake <- lead
}

func (j *Joiner[K, In, Out]) lanes() int {
	if j.Lanes > 0 {
		return j.Lanes
	}
	return 2
}

func (j *Joiner[K, In, Out]) limit() int {
	if j.Max > 0 {
		return j.Max
	}
	return 64
}
