package importer

import (
	"context"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/events"
)

// maxStoredInvoices is how many of an organization's latest stored
// invoices a credit note is matched against.
const maxStoredInvoices = 2000

// storedInvoice is an invoice imported before, with the units of each SKU
// (its first line of the SKU, as the engine counts returns) still
// returnable.
type storedInvoice struct {
	no, currency string
	rec          events.Record
	left         map[string]int64
}

// storedReturns matches the credit lines the file's own invoices did not
// cover: first to the invoice a stored return of the same credit note took
// the SKU back from (so that importing a file again finds its returns as
// duplicates), then to the organization's most recent stored invoice of
// the same source, dated at or before, with the SKU's units left (the
// units the programs recorded as returned are known; invoices of this file
// are not considered again). Lines
// still without an invoice are skipped (credit_note_without_invoice).
func (r *run) storedReturns(ctx context.Context, orgIDs map[string]string) error {
	if len(r.plan.unmatched) == 0 {
		return nil
	}
	prior := map[string]map[string]string{} // credit note → SKU → original
	invs := map[string][]*storedInvoice{}   // organization → invoices, newest first
	var rb returnBuilder
	err := r.s.Store.Read(ctx, func(tx Tx) error {
		for _, l := range r.plan.unmatched {
			orig, err := r.priorReturn(ctx, tx, prior, l)
			if err != nil {
				return err
			}
			if orig == "" && orgIDs[l.org] != "" {
				if orig, err = r.storedInvoice(ctx, tx, invs, orgIDs[l.org], l); err != nil {
					return err
				}
			}
			if orig == "" {
				if err := r.reject1(l, SkipCreditNoInv, fmt.Sprintf("no earlier invoice of customer %s, in this file or imported before, has %d units of %s left to return", l.org, l.qty, l.sku)); err != nil {
					return err
				}
				continue
			}
			rb.add(r.source, l, orig)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range rb.planned() {
		r.todo = append(r.todo, eventKey{ret: true, i: int32(len(r.plan.returns))})
		r.plan.returns = append(r.plan.returns, e)
		r.todoReturns[e.Input.ExternalID] = true
	}
	r.plan.sort(r.todo)
	return nil
}

// priorReturn is the original of a stored return of l's credit note that
// has l's SKU ("" if none).
func (r *run) priorReturn(ctx context.Context, tx Tx, prior map[string]map[string]string, l line) (string, error) {
	m, ok := prior[l.invoice]
	if !ok {
		m = map[string]string{}
		recs, err := tx.EventsByPrefix(ctx, r.p.TenantID, r.source, l.invoice+"/")
		if err != nil {
			return "", err
		}
		for _, rec := range recs {
			for _, ln := range rec.Event.Lines {
				if _, dup := m[ln.SKU]; !dup {
					m[ln.SKU] = rec.Event.Original
				}
			}
		}
		prior[l.invoice] = m
	}
	return m[l.sku], nil
}

// storedInvoice finds and takes the stored invoice l returns against.
func (r *run) storedInvoice(ctx context.Context, tx Tx, invs map[string][]*storedInvoice, orgID string, l line) (string, error) {
	list, ok := invs[orgID]
	if !ok {
		recs, err := tx.InvoicesOf(ctx, r.p.TenantID, orgID, r.source, maxStoredInvoices)
		if err != nil {
			return "", err
		}
		for _, rec := range recs {
			list = append(list, newStoredInvoice(rec))
		}
		invs[orgID] = list
	}
	for _, inv := range list {
		if r.inFile(inv.no) {
			continue // matched with the file's own lines, which may be newer than the stored ones
		}
		if inv.rec.Event.OccurredAt.After(l.at) || inv.currency != l.currency || inv.left[l.sku] < l.qty {
			continue
		}
		inv.left[l.sku] -= l.qty
		return inv.no, nil
	}
	return "", nil
}

func newStoredInvoice(rec events.Record) *storedInvoice {
	inv := &storedInvoice{no: rec.Event.ExternalID, currency: rec.Event.Currency, rec: rec, left: map[string]int64{}}
	for i, ln := range rec.Event.Lines {
		if _, seen := inv.left[ln.SKU]; seen {
			continue
		}
		var returned int64 // the most any program recorded as returned
		for _, res := range rec.Results {
			if i < len(res.Returned) {
				returned = max(returned, res.Returned[i])
			}
		}
		inv.left[ln.SKU] = ln.Qty - returned
	}
	return inv
}
