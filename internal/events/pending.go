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
	b := h.b
	if p, ok := b.pending[key]; ok {
		return p
	}
	if b.pending == nil {
		b.pending = map[any]Pending{}
	}
	p := start()
	b.pending[key], b.pendingOrder = p, append(b.pendingOrder, key)
	return p
}

// flushPending writes every hook's pending writes, in the order the hooks
// first gathered them.
func (b *batch) flushPending(ctx context.Context) error {
	for _, k := range b.pendingOrder {
		if err := b.pending[k].Flush(ctx, b.tx); err != nil {
			return err
		}
	}
	b.pending, b.pendingOrder = nil, nil
	return nil
}
