package analytics

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// Hook writes the sales fact of every purchase and return at ingestion,
// in the event's transaction (events.Hook).
type Hook struct{}

// CheckTx implements events.TxChecker: the app checks at startup that
// ingestion's transaction is also this package's Tx.
func (Hook) CheckTx(tx events.Tx) error { return events.Needs[Tx](tx) }

// AfterEvent implements events.Hook: the fact is written with the rest of
// the batch's facts (events.Pending).
func (Hook) AfterEvent(ctx context.Context, h *events.HookCtx, rec *events.Record) error {
	f, ok, err := FactOf(ctx, h.Tx, rec)
	if err != nil || !ok {
		return err
	}
	p := h.Pending(pendingKey{}, func() events.Pending { return &pendingFacts{} }).(*pendingFacts)
	p.facts = append(p.facts, f)
	return nil
}

type pendingKey struct{}

// pendingFacts are a batch's sales facts, written together.
type pendingFacts struct{ facts []Fact }

func (p *pendingFacts) Flush(ctx context.Context, etx events.Tx) error {
	if len(p.facts) == 0 {
		return nil
	}
	tx, err := events.TxAs[Tx](etx)
	if err != nil {
		return err
	}
	err = tx.InsertFacts(ctx, p.facts)
	p.facts = nil
	return err
}

// Originals finds the invoice a return refers to.
type Originals interface {
	GetEventByExternal(ctx context.Context, tenantID, source, externalID string) (events.Record, error)
}

// FactOf is the sales fact of an event (ok false: not a purchase or a
// return). A return is priced at its original invoice's unit prices and
// costs, as the engine prices it.
func FactOf(ctx context.Context, tx Originals, rec *events.Record) (Fact, bool, error) {
	ev := &rec.Event
	f := Fact{TenantID: rec.TenantID, EventID: rec.ID, OrganizationID: rec.OrganizationID, OccurredMs: ev.OccurredAt.UnixMilli()}
	var c money.Checked // events are bounded (money.MaxAmount); old ones may not be
	switch {
	case engine.Purchase(ev.Type):
		f.Type = FactPurchase
		for _, l := range ev.Lines {
			c.AddProduct(&f.Amount, l.Qty, l.UnitPrice)
			c.AddProduct(&f.Cost, l.Qty, l.Cost)
			f.Qty += l.Qty
		}
	case ev.Type == engine.Return:
		f.Type = FactReturn
		orig, err := tx.GetEventByExternal(ctx, rec.TenantID, ev.Source, ev.Original)
		if err != nil {
			return f, false, err
		}
		for _, l := range ev.Lines {
			for _, o := range orig.Event.Lines {
				if o.SKU == l.SKU {
					c.AddProduct(&f.Amount, l.Qty, o.UnitPrice)
					c.AddProduct(&f.Cost, l.Qty, o.Cost)
					break
				}
			}
			f.Qty += l.Qty
		}
	default:
		return f, false, nil
	}
	if c.Err() != nil {
		return f, false, ErrOutOfRange
	}
	return f, true, nil
}
