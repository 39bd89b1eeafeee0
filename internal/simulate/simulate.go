// Package simulate replays a history of events through one or more program
// variants with the same engine code as live ingestion (engine.Evaluate,
// EvaluateReturn, Review and Quote), in memory, and reports what each
// variant would have cost: points issued, redeemed, expired and clawed
// back, the liability month by month, discounts, reward cost, tiers, the
// organizations that gain most and the effect per segment. It writes
// nothing: the ledger is modelled in memory as internal/ledger keeps it.
package simulate

import (
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/membership"
)

// Event is one event of the history with the organization (and member) it
// belongs to.
type Event struct {
	engine.Event
	Org    string // organization id, or the reference an imported file gives
	Member string // member id ("" when none)
}

// Org is what the simulation knows of an organization: what rules see
// (engine.Org) and the segments it is reported in.
type Org struct {
	engine.Org
	Name    string `json:"name"`
	Country string `json:"country"`
}

// Variant is one program to replay: its versions (the one in force at an
// event's time applies, as live) and its point type.
type Variant struct {
	Name      string
	Versions  []*engine.Program // oldest first
	PointType ledger.PointType
	// Runs bounds the period the program evaluates events in (nil: always).
	Runs func(time.Time) bool
	// Pilot is an organization's pilot status, as live ("" outside a
	// pilot; nil: no pilot).
	Pilot func(orgID string) string
	// Consent reports whether an organization's management had accepted
	// the program's employee terms at a time, the sale's date (nil: assumed
	// accepted, as for a draft that would collect consents at launch).
	Consent func(orgID string, at time.Time) bool

	programID string // the stored program it replays ("" for a draft)
}

// at is the version in force at t (nil: none).
func (v *Variant) at(t time.Time) *engine.Program {
	if v.Runs != nil && !v.Runs(t) {
		return nil
	}
	var p *engine.Program
	for _, x := range v.Versions {
		if !x.From.After(t) {
			p = x
		}
	}
	return p
}

func (v *Variant) latest() *engine.Program { return v.Versions[len(v.Versions)-1] }

// Assumptions are what the history cannot tell: how members would redeem
// and what the goods earn.
type Assumptions struct {
	// RedemptionRateBP is the share of earned points members redeem, in
	// basis points (6000: 60%). Nil: only the points the events themselves
	// spend are redeemed — the mode that reproduces live.
	RedemptionRateBP *int64 `json:"redemption_rate_bp,omitempty"`
	// RedemptionDelayDays is how long after earning points are redeemed.
	RedemptionDelayDays int `json:"redemption_delay_days,omitempty"`
	// DiscountShareBP is the share of redeemed points spent as discounts on
	// orders; the rest goes to rewards. Default 10000 (all discounts).
	DiscountShareBP *int64 `json:"discount_share_bp,omitempty"`
	// RewardCostBP is what a reward costs the operator as a share of its
	// value in points (default 10000: its full value).
	RewardCostBP *int64 `json:"reward_cost_bp,omitempty"`
	// MarginBP is the margin assumed for lines without a cost (0: margin
	// unknown for them).
	MarginBP int64 `json:"margin_bp,omitempty"`
}

func (a Assumptions) discountShare() int64 { return orBP(a.DiscountShareBP, 10000) }
func (a Assumptions) rewardCost() int64    { return orBP(a.RewardCostBP, 10000) }

func orBP(p *int64, def int64) int64 {
	if p == nil {
		return def
	}
	return *p
}

// Input is a simulation: variants over events in a time range.
type Input struct {
	From, To time.Time
	Variants []Variant
	Events   []Event                  // in the order they happened (ties: as received)
	Orgs     map[string]Org           // by Event.Org; unknown ones are seen as bare ids
	Members  map[string]engine.Member // by Event.Member; Consent is set per variant
	// History is, by organization, what it bought before From, for
	// programs that count all history (definition history "all").
	History map[string]engine.History
	// Plans are the tenant's membership plans by id; Periods, by
	// organization, the paid periods not bought by the events replayed.
	Plans   map[string]membership.Plan
	Periods map[string][]membership.Period
	// Codes are the promo codes the events carry, by code as normalized.
	Codes map[string]Code
	// Goals are the goals the events count towards (periods starting in
	// the range; cancelled goals are left out).
	Goals       []goal.Goal
	Assumptions Assumptions
	// Progress, when set, is told how many events of how many each variant
	// has replayed, now and then.
	Progress func(variant string, done, total int)
}
