// Package engine evaluates loyalty programs. It is pure: given the program
// version in force, the state of an organization (and member), an event and
// the time, it returns an outcome — points to credit or claw back, stamps,
// tier changes, rewards, counters, messages — and does no I/O. Live
// ingestion, the checkout quote and the simulator call the same functions,
// so a simulation predicts exactly what live would do.
package engine

import (
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// Beneficiary levels: whose wallet a program's points go to.
const (
	ToOrganization = "organization"
	ToMember       = "member"
	ToBoth         = "both"
)

// Definition is the configuration of one program version. It is stored as
// JSON; every mechanic is data, conditions and amounts are CEL.
type Definition struct {
	Currency    string `json:"currency"`      // ISO code; events in another currency are refused
	PointTypeID string `json:"point_type_id"` // the ledger point type points are earned in
	// Beneficiary is the default wallet level of earn effects.
	Beneficiary string   `json:"beneficiary"`
	Audience    Audience `json:"audience"`
	// Enrollment is "auto" (on the first qualifying event) or "explicit".
	Enrollment string `json:"enrollment"`
	// UnknownOrganizations is "reject" or "create" (from the event's data).
	UnknownOrganizations string `json:"unknown_organizations"`
	// Stacking decides how discounts combine at checkout.
	Stacking pricing.Policy `json:"stacking"`
	// ReturnPolicy is how returns take back points already spent:
	// "allow_negative", "other_lots" or "source_only" (cap at what is left).
	ReturnPolicy string     `json:"return_policy"`
	ReturnUndo   ReturnUndo `json:"return_undo"`
	// Budget caps the points the program issues (0: no cap).
	Budget        int64          `json:"budget"`
	Rules         []Rule         `json:"rules"`
	Discounts     []Discount     `json:"discounts"`
	Stamps        *StampCard     `json:"stamps,omitempty"`
	Tiers         *Tiers         `json:"tiers,omitempty"`
	Employees     *Employees     `json:"employees,omitempty"`
	PointsPayment *PointsPayment `json:"points_payment,omitempty"`
	PeriodBonus   *PeriodBonus   `json:"period_bonus,omitempty"`
	// Coupons are the coupons the program's coupon effects and stamp card
	// issue, with their benefit at checkout and their validity.
	Coupons []Coupon `json:"coupons,omitempty"`
	// History is what cumulative discounts and tiers count: "program"
	// (default: the purchases the program saw) or "all" (also what each
	// organization bought before, e.g. imported invoices).
	History string `json:"history,omitempty"`
}

// Audience is who may take part. Empty lists mean everyone.
type Audience struct {
	OrganizationTypes []string `json:"organization_types,omitempty"`
	Tags              []string `json:"tags,omitempty"` // an organization with any of them qualifies
	Organizations     []string `json:"organizations,omitempty"`
	Regions           []string `json:"regions,omitempty"`
	MemberRoles       []string `json:"member_roles,omitempty"`
}

// ReturnUndo says what a return takes back besides points.
type ReturnUndo struct {
	Stamps bool `json:"stamps"`
	Tier   bool `json:"tier"` // the returned amount no longer counts towards tiers
}

// Rule is "when an event of these types matches the condition, do the
// effects". Rules run in ascending priority, then in the order given.
type Rule struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Events    []string `json:"events"`              // event types; empty: invoice
	Condition string   `json:"condition,omitempty"` // CEL bool; empty: always
	Priority  int      `json:"priority"`
	Stop      bool     `json:"stop"` // no later rule runs after this one fired
	Effects   []Effect `json:"effects"`
	Caps      []Cap    `json:"caps,omitempty"`
}

// Effect kinds.
const (
	EffectEarn     = "earn"
	EffectMultiply = "multiply"
	EffectStamps   = "stamps"
	EffectReward   = "reward"
	EffectCoupon   = "coupon"
	EffectCounter  = "counter"
	EffectMessage  = "message"
)

// Effect is one thing a rule does.
type Effect struct {
	Type string `json:"type"`
	To   string `json:"to,omitempty"` // organization, member or both; empty: the program's beneficiary

	// earn: points from the eligible lines (Lines filters them), as the sum of
	// whichever of these are set.
	PercentBP int64  `json:"percent_bp,omitempty"` // share of the amount, as money, turned into points
	PerAmount *Per   `json:"per_amount,omitempty"` // Points per Per minor units of the amount
	PerUnit   int64  `json:"per_unit,omitempty"`   // points per unit bought
	Fixed     int64  `json:"fixed,omitempty"`      // points per event
	Points    string `json:"points,omitempty"`     // CEL int; per eligible line when Lines is set
	// Brackets earn incrementally on the organization's eligible spend over
	// the calendar year: each part of this event's eligible amount gets
	// the rate of the bracket it falls in (From: the year's spend above
	// which PercentBP applies), as money turned into points.
	Brackets []pricing.Step `json:"brackets,omitempty"`
	Lines    string         `json:"lines,omitempty"` // CEL bool over line: which lines count
	// Pending and expiry overrides (nil: the point type's).
	PendingDays *int `json:"pending_days,omitempty"`
	ExpiresDays *int `json:"expires_days,omitempty"`

	FactorBP int64  `json:"factor_bp,omitempty"` // multiply: points earned so far × factor/10000
	Stamps   int64  `json:"stamps,omitempty"`    // stamps: added to the card
	RewardID string `json:"reward_id,omitempty"` // reward, coupon
	Name     string `json:"name,omitempty"`      // reward, coupon: shown in the outcome
	Counter  string `json:"counter,omitempty"`   // counter: name
	Value    string `json:"value,omitempty"`     // counter: CEL int, the new value
	Template string `json:"template,omitempty"`  // message: template name
}

// Per is "Points for every Per".
type Per struct {
	Points int64 `json:"points"`
	Per    int64 `json:"per"`
}

// Cap limits the points a rule gives per organization, per member or in
// total, per period.
type Cap struct {
	Per    string `json:"per"`    // organization, member or rule
	Period string `json:"period"` // day, month, quarter, year or lifetime
	Points int64  `json:"points"`
}

// Discount is a checkout discount: one of the pricing kinds, or a kind the
// engine resolves from state into a percent.
type Discount struct {
	pricing.Discount
	// Condition is a CEL bool over the cart (as an order event at the
	// quote's time), the organization, the member and now; the discount
	// applies only when it holds. Empty: always.
	Condition string `json:"condition,omitempty"`
	// Card (kind "card"): the percent applies once a purchase of at least
	// EntryThreshold issued the organization's card.
	EntryThreshold int64 `json:"entry_threshold,omitempty"`
	// Cumulative (kind "cumulative"): the rate of the highest step reached
	// by spend over Basis; StepDownDays without an order lowers it a step.
	Basis        string `json:"basis,omitempty"` // lifetime, previous_month, rolling_12_months
	StepDownDays int    `json:"step_down_days,omitempty"`
}

// Engine discount kinds beyond pricing's.
const (
	KindCard       = "card"
	KindCumulative = "cumulative"
)

// StampCard gives a reward for every Needed stamps; the card restarts.
type StampCard struct {
	Lines   string `json:"lines,omitempty"` // CEL bool: qualifying lines; empty: all
	PerUnit bool   `json:"per_unit"`        // a stamp per qualifying unit, else one per qualifying event
	Needed  int64  `json:"needed"`
	Reward  Effect `json:"reward"` // a reward, coupon or earn effect (Fixed points)
}

// Tiers are ordered status levels.
type Tiers struct {
	Metric string `json:"metric"` // spend, quantity, points, orders
	Window string `json:"window"` // calendar_year, rolling_12_months, previous_month, lifetime
	Review string `json:"review"` // month or year: when levels are requalified
	// GracePeriods is how many reviews a level survives below its
	// threshold before it drops one level.
	GracePeriods int     `json:"grace_periods"`
	Levels       []Level `json:"levels"` // ascending; the first is the base level (threshold 0)
}

// Level is one tier with its benefits.
type Level struct {
	Code             string `json:"code"`
	Name             string `json:"name"`
	Threshold        int64  `json:"threshold"`
	EarnMultiplierBP int64  `json:"earn_multiplier_bp,omitempty"` // 15000: earn 50% more; 0: ×1
	DiscountBP       int64  `json:"discount_bp,omitempty"`
	FreeDelivery     bool   `json:"free_delivery,omitempty"`
	PaymentTermsDays int    `json:"payment_terms_days,omitempty"`
	PrioritySupport  bool   `json:"priority_support,omitempty"`
	WarrantyMonths   int    `json:"extended_warranty_months,omitempty"`
	// InvitationOnly levels are never reached by the metric: staff grant
	// them (a tier override).
	InvitationOnly bool `json:"invitation_only,omitempty"`
	// Perks are free-form benefits shown to participants ("a seat at the
	// annual dealer summit").
	Perks []string `json:"perks,omitempty"`
}

// Employees governs personal rewards of an organization's people. Members
// earn only after the organization's management consented to the
// program's terms; CapPoints limits what one person earns per CapPeriod.
type Employees struct {
	Roles     []string `json:"roles,omitempty"` // roles that earn; empty: all not excluded
	Excluded  []string `json:"excluded_roles,omitempty"`
	CapPoints int64    `json:"cap_points,omitempty"`
	CapPeriod string   `json:"cap_period,omitempty"` // month, quarter, year
}

// PointsPayment lets points pay part of an order.
type PointsPayment struct {
	MaxShareBP int64 `json:"max_share_bp"` // of the order total after discounts
}

// PeriodBonus credits, at the start of each month, a rate of last month's
// spend; the bonus expires at the end of the month it is credited in.
type PeriodBonus struct {
	Steps []pricing.Step `json:"steps"` // From: last month's spend; PercentBP: the rate
}
