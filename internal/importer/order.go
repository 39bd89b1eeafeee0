package importer

import (
	"slices"
	"time"
)

// eventKey names an event of the plan: an invoice of the file, or a
// return (of the file, or of credit lines matched to stored invoices).
type eventKey struct {
	ret bool
	i   int32 // in planner.invs or planner.returns
}

// sorted returns the file's events in time order, invoices before the
// returns of the same moment; invoices in order of first appearance,
// returns in the order they were matched.
func (p *planner) sorted() []eventKey {
	keys := make([]eventKey, 0, len(p.invs)+len(p.returns))
	for i := range p.invs {
		keys = append(keys, eventKey{i: int32(i)})
	}
	for i := range p.returns {
		keys = append(keys, eventKey{ret: true, i: int32(i)})
	}
	p.sort(keys)
	return keys
}

// sort orders keys by time, invoices first, stably.
func (p *planner) sort(keys []eventKey) {
	slices.SortStableFunc(keys, func(a, b eventKey) int {
		if c := p.at(a).Compare(p.at(b)); c != 0 {
			return c
		}
		return isReturn(a) - isReturn(b)
	})
}

func isReturn(k eventKey) int {
	if k.ret {
		return 1
	}
	return 0
}

func (p *planner) at(k eventKey) time.Time {
	if k.ret {
		return p.returns[k.i].Input.OccurredAt
	}
	return p.invs[k.i].at
}

// orgOf is the external id and country of an event's organization.
func (p *planner) orgOf(k eventKey) (string, string) {
	if k.ret {
		return p.returns[k.i].Org, p.returns[k.i].Country
	}
	return p.invs[k.i].org, p.invs[k.i].country
}

// rows is how many rows an event carries.
func (p *planner) rowsOf(k eventKey) int {
	if k.ret {
		return len(p.returns[k.i].Rows)
	}
	return int(p.invs[k.i].rows)
}

// externalID is an event's external id.
func (p *planner) externalID(k eventKey) string {
	if k.ret {
		return p.returns[k.i].Input.ExternalID
	}
	return p.invs[k.i].no
}

// event reads an event back in full.
func (p *planner) event(k eventKey) (Planned, error) {
	if k.ret {
		return p.returns[k.i], nil
	}
	inv, err := p.invoice(k.i, false)
	if err != nil {
		return Planned{}, err
	}
	return inv.planned(p.source), nil
}
