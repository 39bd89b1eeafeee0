package rules

import "time"

// The types below are what expressions see. They are exposed to CEL as native
// Go structs (not maps) so that the checker knows every field and rejects a
// misspelt one when the rule is saved. The cel tags give the lower_snake
// names used in expressions.

// Line is one line of an event (an order line, an invoice line).
type Line struct {
	SKU       string `cel:"sku"`
	Category  string `cel:"category"`
	Brand     string `cel:"brand"`
	Qty       int64  `cel:"qty"`
	UnitPrice int64  `cel:"unit_price"` // minor currency units
	Amount    int64  `cel:"amount"`     // minor currency units
	Cost      int64  `cel:"cost"`       // minor currency units
	OnSale    bool   `cel:"on_sale"`
}

// Event is what happened: a purchase, a return, a visit.
type Event struct {
	Type       string            `cel:"type"`
	Source     string            `cel:"source"`
	Currency   string            `cel:"currency"`
	Amount     int64             `cel:"amount"` // minor currency units
	Quantity   int64             `cel:"quantity"`
	Lines      []Line            `cel:"lines"`
	Attributes map[string]string `cel:"attributes"`
	OccurredAt time.Time         `cel:"occurred_at"`
}

// Org is the organization the event belongs to, with its running figures.
type Org struct {
	ID             string           `cel:"id"`
	Type           string           `cel:"type"`
	Region         string           `cel:"region"`
	Industry       string           `cel:"industry"`
	Size           string           `cel:"size"`
	Tier           string           `cel:"tier"`
	Tags           []string         `cel:"tags"`
	Plans          []string         `cel:"plans"`    // codes of the paid memberships active at the event
	Segments       []string         `cel:"segments"` // codes of the segments the organization is in (as last refreshed)
	Counters       map[string]int64 `cel:"counters"`
	SpendThisMonth int64            `cel:"spend_this_month"`
	SpendLastMonth int64            `cel:"spend_last_month"`
	SpendThisYear  int64            `cel:"spend_this_year"`
	SpendLifetime  int64            `cel:"spend_lifetime"`
	OrdersLifetime int64            `cel:"orders_lifetime"`
	EnrolledDays   int64            `cel:"enrolled_days"`
}

// Member is the person of the organization who acted, if any.
type Member struct {
	ID         string   `cel:"id"`
	Role       string   `cel:"role"`  // the first of Roles: the main one
	Roles      []string `cel:"roles"` // every role the member has at the organization
	TenureDays int64    `cel:"tenure_days"`
	// BirthMonth is the month of the member's birthday, 1–12 (0: not
	// known): member.birth_month == now.getMonth() + 1 in the birthday month.
	BirthMonth int64 `cel:"birth_month"`
	Present    bool  `cel:"present"` // false when the event has no member
}

// Vars are the inputs of one evaluation. Nil pointers read as zero values
// (a nil Member is a member with present == false), so a caller that lacks
// a part gets predictable results instead of a panic.
type Vars struct {
	Event  *Event
	Org    *Org
	Member *Member
	Line   *Line // only read by expressions compiled with line scope
	Now    time.Time
}
