package engine

import (
	"time"
)

// Event types (DOMAIN.md §4). Custom events are "custom:<name>".
const (
	Invoice       = "invoice"
	Order         = "order"
	Payment       = "payment"
	Return        = "return"
	Training      = "training"
	Certification = "certification"
	Survey        = "survey"
	Referral      = "referral"
	Claim         = "claim"
	Registration  = "registration"
	// Occasions, from the daily occasions job, and paid memberships.
	Anniversary  = "anniversary"
	Birthday     = "birthday"
	Membership   = "membership"
	GoalAchieved = "goal_achieved"
)

// EventTypes lists the built-in event types.
var EventTypes = []string{Invoice, Order, Payment, Return, Training, Certification, Survey, Referral, Claim, Registration,
	Anniversary, Birthday, Membership, GoalAchieved}

// Purchase reports whether events of a type are purchases: they count
// towards spend, tiers and stamps.
func Purchase(typ string) bool { return typ == Invoice || typ == Order || typ == Claim }

// Event is something that happened, as the engine sees it.
type Event struct {
	ID         string            `json:"id"`
	Type       string            `json:"type"`
	Source     string            `json:"source"`
	ExternalID string            `json:"external_id"`
	OccurredAt time.Time         `json:"occurred_at"`
	Currency   string            `json:"currency,omitempty"`
	Lines      []Line            `json:"lines,omitempty"`
	Original   string            `json:"original,omitempty"` // return: external id of the invoice
	Attributes map[string]string `json:"attributes,omitempty"`
	// PointsSpent pays part of an order with points (order events).
	PointsSpent int64 `json:"points_spent,omitempty"`
	// Codes are the promo codes used on an order, normalized.
	Codes []string `json:"codes,omitempty"`
	// Coupons are the ids of the participant's coupons used on an order.
	Coupons []string `json:"coupons,omitempty"`
	// CodesIssued are the personal promo codes the event issued to its
	// organization (set by ingestion, for the order's documents).
	CodesIssued []string `json:"codes_issued,omitempty"`
}

// Line is one line of an invoice, order, return or claim. Money is in
// minor currency units.
type Line struct {
	SKU       string `json:"sku"`
	Category  string `json:"category,omitempty"`
	Brand     string `json:"brand,omitempty"`
	Qty       int64  `json:"qty"`
	UnitPrice int64  `json:"unit_price"`
	Amount    int64  `json:"amount"` // Qty × UnitPrice
	Cost      int64  `json:"cost,omitempty"`
	OnSale    bool   `json:"on_sale,omitempty"`
}

// Totals returns the amount and quantity of an event's lines.
func (e *Event) Totals() (amount, qty int64) {
	for _, l := range e.Lines {
		amount += l.Amount
		qty += l.Qty
	}
	return amount, qty
}

// Org is an organization as rules see it.
type Org struct {
	ID       string   `json:"id"`
	Type     string   `json:"type"`
	Region   string   `json:"region"`
	Industry string   `json:"industry"`
	Size     string   `json:"size"`
	Tags     []string `json:"tags"`
}

// Member is a person as rules see it. Consent is whether the member's
// organization has accepted the program's current employee terms.
type Member struct {
	ID      string    `json:"id"`
	Role    string    `json:"role"` // the main role (the first of Roles)
	Roles   []string  `json:"roles"`
	Since   time.Time `json:"since"`
	Consent bool      `json:"consent"`
	// BirthMonth is the month of the member's birthday (1–12; 0: unknown).
	BirthMonth int `json:"birth_month,omitempty"`
}

// Participant is an organization (and optionally a member) with their
// program states.
type Participant struct {
	Org         Org
	OrgState    State
	Member      *Member
	MemberState State
	// Plans are the organization's paid memberships active at the event's
	// time; their benefits apply while they are.
	Plans []Plan
	// Segments are the codes of the segments the organization belongs to.
	Segments []string
	// Pilot is the program's pilot status for this organization: "" when
	// the program is not in pilot, else "pilot", "control" or "outside".
	Pilot string
}

// Original is what ingestion knows of the invoice a return refers to.
type Original struct {
	Event    Event
	Returned []int64 // units already returned, per line of Event
	Earned   []Earn  // what the invoice earned
	Clawed   []int64 // points already clawed back, per Earned
	Stamps   int64   // stamps the invoice added
	Reclaim  int64   // stamps already taken back
}

// Plan is a paid membership's benefits (DOMAIN §3.10): while it is active,
// a discount on every quote and a multiplier on earned points.
type Plan struct {
	Code             string `json:"code"`
	Name             string `json:"name"`
	DiscountBP       int64  `json:"discount_bp,omitempty"`        // 5000: 50% off
	EarnMultiplierBP int64  `json:"earn_multiplier_bp,omitempty"` // 20000: twice the points; 0: ×1
}
