package engine

import "time"

// Statuses of an outcome.
const (
	Applied     = "applied"      // the program evaluated the event
	NotEnrolled = "not_enrolled" // explicit enrollment, and the organization is not enrolled
	Outside     = "outside"      // the organization is outside the audience or the pilot
	Control     = "control"      // pilot control group: recorded, no benefits
	Inactive    = "inactive"     // the program was not running at the event's time
)

// Wallet owner types, as in the ledger.
const (
	OwnerOrganization = "organization"
	OwnerMember       = "member"
)

// Outcome is what one program does with one event.
type Outcome struct {
	ProgramID string     `json:"program_id"`
	Version   int        `json:"version"`
	Status    string     `json:"status"`
	Reason    string     `json:"reason,omitempty"`
	Earns     []Earn     `json:"earns,omitempty"`
	Claws     []Claw     `json:"clawbacks,omitempty"`
	Rules     []Fired    `json:"rules,omitempty"`
	Stamps    *Stamps    `json:"stamps,omitempty"`
	Tier      *TierMove  `json:"tier,omitempty"`
	Rewards   []Grant    `json:"rewards,omitempty"`
	Counters  []Counter  `json:"counters,omitempty"`
	Messages  []Message  `json:"messages,omitempty"`
	Notes     []string   `json:"notes,omitempty"` // why something did not happen
	Enrolled  bool       `json:"enrolled,omitempty"`
	Bonus     *time.Time `json:"-"`
	// New states, for ingestion to store.
	OrgState     State        `json:"-"`
	MemberState  State        `json:"-"`
	ProgramState ProgramState `json:"-"`
}

// Earn credits points to a wallet.
type Earn struct {
	Owner       string     `json:"owner_type"`
	OwnerID     string     `json:"owner_id"`
	Points      int64      `json:"points"`
	RuleID      string     `json:"rule_id,omitempty"`
	Reason      string     `json:"reason"`
	AvailableAt *time.Time `json:"available_at,omitempty"` // nil: the point type's pending period
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`   // nil: the point type's expiry
	// Lines are the indexes of the lines the points were earned on (nil:
	// the whole event), so that a return takes back only what its lines
	// earned.
	Lines []int `json:"lines,omitempty"`
}

// Claw takes back points a return's original invoice earned. Index is the
// position of the Earn in the original's outcome.
type Claw struct {
	Index   int    `json:"index"`
	Owner   string `json:"owner_type"`
	OwnerID string `json:"owner_id"`
	Points  int64  `json:"points"`
	Reason  string `json:"reason"`
}

// Fired says what a rule did with the event, or why it did nothing.
type Fired struct {
	RuleID string `json:"rule_id"`
	Name   string `json:"name"`
	Fired  bool   `json:"fired"`
	Points int64  `json:"points,omitempty"`
	Reason string `json:"reason"`
}

// Stamps reports a stamp card's change.
type Stamps struct {
	Added     int64 `json:"added"`
	Total     int64 `json:"total"` // on the card now
	Completed int64 `json:"completed"`
	Needed    int64 `json:"needed"`
}

// TierMove is a change of tier.
type TierMove struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason"`
}

// Grant is a reward or coupon given. Ingestion issues it to its owner as
// a coupon (an entitlement); Coupon is its benefit when the program
// defines it, and ExpiresAt the end of its validity.
type Grant struct {
	Type      string     `json:"type"` // reward or coupon
	RewardID  string     `json:"reward_id"`
	Name      string     `json:"name"`
	To        string     `json:"owner_type"`
	ToID      string     `json:"owner_id"`
	Reason    string     `json:"reason"`
	Coupon    *Coupon    `json:"coupon,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// CouponID is the id of the coupon issued for it (set by ingestion).
	CouponID string `json:"coupon_id,omitempty"`
}

// Counter is a counter's new value.
type Counter struct {
	Name  string `json:"name"`
	Value int64  `json:"value"`
}

// Message is a notification to queue.
type Message struct {
	Template string `json:"template"`
	To       string `json:"owner_type"`
	ToID     string `json:"owner_id"`
}

// Points returns the points an outcome credits in all.
func (o *Outcome) Points() int64 {
	var n int64
	for _, e := range o.Earns {
		n += e.Points
	}
	return n
}
