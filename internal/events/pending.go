package events

import "context"

// Pending is writes a hook gathers over a batch, instead of writing them
// event by event: they are written together when the batch flushes, in
// its transaction (on PostgreSQL a statement for the batch instead of a
// round trip per event). They are also written before the batch reads an
// organization's purchase history, which they may be part of, so that
// what an event sees does not depend on the batch it came in.
type Pending interface {
	Flush(ctx context.Context, tx Tx) error
}

// Pending returns the batch's pending writes under key, made by start when
// there are none yet.
func (h *HookCtx) Pending(key any, start func() Pending) Pending {
	u := h.u
	if p, ok := u.pending[key]; ok {
		return p
	}
	if u.pending == nil {
		u.pending = map[any]Pending{}
	}
	p := start()
	u.pending[key], u.pendingOrder = p, append(u.pendingOrder, key)
	return p
}

// flushPending writes every hook's pending writes, in the order the hooks
// first gathered them.
func (u *unit) flushPending(ctx context.Context) error {
	for _, k := range u.pendingOrder {
		if err := u.pending[k].Flush(ctx, u.tx); err != nil {
			return err
		}
	}
	u.pending, u.pendingOrder = nil, nil
	return nil
}
