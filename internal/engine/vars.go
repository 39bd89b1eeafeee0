package engine

import (
	"github.com/loyal-b2b/loyal/internal/rules"
)

// varsCache holds what expressions see of one evaluation, built once.
type varsCache struct {
	event  rules.Event
	org    rules.Org
	member rules.Member
	vars   rules.Vars
	lines  []rules.Vars // vars with each line in scope, made on first use
	// windows are the state's totals before the event
	windows windows
	// session evaluates the program's expressions; it is kept with the
	// pooled evaluation.
	session rules.Session
}

// build fills the variables from the event and the participant's state
// before the event.
func (c *varsCache) build(ev *Event, part *Participant, st *State) {
	c.lines = c.lines[:0]
	amount, qty := ev.Totals()
	lines := c.event.Lines[:0]
	for _, l := range ev.Lines {
		lines = append(lines, ruleLine(l))
	}
	c.event = rules.Event{Type: ev.Type, Source: ev.Source, Currency: ev.Currency, Amount: amount, Quantity: qty,
		Attributes: ev.Attributes, OccurredAt: ev.OccurredAt, Lines: lines}
	at := ev.OccurredAt
	o := part.Org
	c.org = rules.Org{ID: o.ID, Type: o.Type, Region: o.Region, Industry: o.Industry, Size: o.Size, Tags: o.Tags,
		Tier: st.Tier, Counters: st.Counters, SpendLifetime: st.Lifetime.Spend, OrdersLifetime: st.Lifetime.Orders}
	var ok bool
	if c.windows, ok = st.windowsAt(at); ok {
		c.org.SpendThisMonth, c.org.SpendLastMonth, c.org.SpendThisYear = c.windows.thisMonth.Spend, c.windows.lastMonth.Spend, c.windows.year.Spend
	} else {
		c.org.SpendThisMonth = st.monthSpendAt(at)
		c.org.SpendLastMonth = st.Window("previous_month", at).Spend
		c.org.SpendThisYear = st.Window("calendar_year", at).Spend
	}
	c.org.Segments = part.Segments
	for _, pl := range part.Plans {
		c.org.Plans = append(c.org.Plans, pl.Code)
	}
	if st.EnrolledAt != nil {
		c.org.EnrolledDays = int64(at.Sub(*st.EnrolledAt).Hours() / 24)
	}
	c.member = rules.Member{}
	if m := part.Member; m != nil {
		c.member = rules.Member{ID: m.ID, Role: m.Role, Roles: m.Roles, Present: true, BirthMonth: int64(m.BirthMonth)}
		if !m.Since.IsZero() {
			c.member.TenureDays = int64(at.Sub(m.Since).Hours() / 24)
		}
	}
	c.vars = rules.Vars{Event: &c.event, Org: &c.org, Member: &c.member, Now: at}
}

func ruleLine(l Line) rules.Line {
	return rules.Line{SKU: l.SKU, Category: l.Category, Brand: l.Brand, Qty: l.Qty, UnitPrice: l.UnitPrice,
		Amount: l.Amount, Cost: l.Cost, OnSale: l.OnSale}
}

// withLine returns the variables with line i in scope.
func (c *varsCache) withLine(i int) *rules.Vars {
	if len(c.lines) == 0 {
		for j := range c.event.Lines {
			c.lines = append(c.lines, c.vars)
			c.lines[j].Line = &c.event.Lines[j]
		}
	}
	return &c.lines[i]
}
