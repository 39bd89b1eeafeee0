package simulate

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/program"
)

// Limits of one simulation over stored events, so that one request cannot
// hold the server for long.
const (
	MaxVariants  = 5
	MaxRangeDays = 3 * 366
	MaxEvents    = 2_000_000
)

// StoredEvent is an event as the simulation reads it from storage.
type StoredEvent struct {
	Event  engine.Event
	Org    string
	Member string
}

// Tx is what the simulation reads from storage. It writes nothing.
type Tx interface {
	program.PointTypes
	GetProgram(ctx context.Context, tenantID, id string) (program.Program, error)
	ListVersions(ctx context.Context, tenantID, programID string) ([]program.Version, error)
	ListOrganizations(ctx context.Context, tenantID string, f party.OrgFilter, r page.Request) ([]party.Organization, error)
	party.MemberReader
	party.ConsentReader
	// EventsBetween lists up to limit events of a tenant that occurred in
	// [from, to), in the order they happened (ties: as stored).
	EventsBetween(ctx context.Context, tenantID string, from, to time.Time, limit int) ([]StoredEvent, error)
	// PurchaseHistory sums an organization's purchases and returns before
	// a time per month (as events.Tx).
	PurchaseHistory(ctx context.Context, tenantID, orgID string, before time.Time) (engine.History, error)
	Extras
}

// Service runs simulations over a tenant's stored events.
type Service struct {
	Store txn.Runner[Tx]
	Clock clock.Clock
}

// Request is a simulation over stored events.
type Request struct {
	Variants    []VariantSpec `json:"variants" doc:"1 to 5 program variants, replayed side by side"`
	From        time.Time     `json:"from" doc:"Start of the range of stored events (inclusive)"`
	To          time.Time     `json:"to" doc:"End of the range (exclusive); expiries and reviews run up to it"`
	Assumptions Assumptions   `json:"assumptions,omitempty"`
	Balances    bool          `json:"balances,omitempty" doc:"Include every organization's final balance per variant"`
}

// VariantSpec names a program variant: an existing program (its versions
// and point type, or its point type with another definition), or a draft
// definition with its point type's parameters.
type VariantSpec struct {
	Name       string          `json:"name,omitempty"`
	ProgramID  string          `json:"program_id,omitempty" doc:"An existing program: its versions replay as live, unless definition overrides them"`
	Definition json.RawMessage `json:"definition,omitempty" doc:"A program definition as POST /v1/programs/{id}/versions accepts"`
	PointType  *PointTypeSpec  `json:"point_type,omitempty" doc:"The point type's parameters (default: the definition's point_type_id, else 1 point = 1 minor unit, never expires)"`
}

// PointTypeSpec is what a simulation needs of a point type.
type PointTypeSpec struct {
	ValueNum      int64  `json:"value_num" doc:"One point is worth value_num/value_den minor currency units"`
	ValueDen      int64  `json:"value_den,omitempty"`
	Rounding      string `json:"rounding,omitempty" doc:"floor (default), ceil, half_up, half_even"`
	Expiry        string `json:"expiry,omitempty" doc:"never, days:N, months:N, end_of_month, end_of_quarter, end_of_year"`
	PendingDays   int    `json:"pending_days,omitempty"`
	NegativeLimit int64  `json:"negative_limit,omitempty"`
}

// Simulate replays the tenant's stored events of a range through the
// variants and reports. It needs read scope and writes nothing.
func (s *Service) Simulate(ctx context.Context, p access.Principal, req Request, progress func(string, int, int)) (Report, error) {
	if err := p.Can(access.RunSimulations); err != nil {
		return Report{}, err
	}
	if err := checkRequest(req); err != nil {
		return Report{}, err
	}
	in := Input{From: req.From.UTC(), To: req.To.UTC(), Assumptions: req.Assumptions, Progress: progress}
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		if in.Variants, err = resolveAll(ctx, tx, p.TenantID, req.Variants); err != nil {
			return err
		}
		if in.Events, err = readEvents(ctx, tx, p.TenantID, in.From, in.To); err != nil {
			return err
		}
		if in.Orgs, err = readOrgs(ctx, tx, p.TenantID); err != nil {
			return err
		}
		if in.Members, err = readMembers(ctx, tx, p.TenantID, in.Events); err != nil {
			return err
		}
		if in.History, err = readHistory(ctx, tx, p.TenantID, in.Variants, in.Events, in.From); err != nil {
			return err
		}
		if err := readExtras(ctx, tx, p.TenantID, &in); err != nil {
			return err
		}
		return readConsents(ctx, tx, p.TenantID, in.Variants, in.Events)
	})
	if err != nil {
		return Report{}, err
	}
	if len(in.Events) == 0 {
		return Report{}, errs.InvalidField("from", "no_events", "no events occurred between %s and %s: choose a range with history",
			in.From.Format(time.RFC3339), in.To.Format(time.RFC3339))
	}
	rep, err := Run(ctx, in)
	if err == nil && !req.Balances {
		for i := range rep.Variants {
			rep.Variants[i].Balances = nil
		}
	}
	return rep, err
}

func checkRequest(req Request) error {
	var f errs.Fields
	switch {
	case req.From.IsZero():
		f.Add("from", "required", "give the start of the range (RFC 3339)")
	case req.To.IsZero():
		f.Add("to", "required", "give the end of the range (RFC 3339)")
	case !req.To.After(req.From):
		f.Add("to", "empty_range", "the range is empty: to must be after from")
	case req.To.Sub(req.From) > MaxRangeDays*24*time.Hour:
		f.Add("to", "range_too_long", "simulate at most %d days at once", MaxRangeDays)
	}
	if n := len(req.Variants); n == 0 || n > MaxVariants {
		f.Add("variants", "count", "give 1 to %d variants", MaxVariants)
	}
	checkAssumptions(&f, req.Assumptions)
	return f.Err()
}

// checkAssumptions validates the assumptions' ranges.
func checkAssumptions(f *errs.Fields, a Assumptions) {
	for _, x := range []struct {
		field string
		v     *int64
	}{{"assumptions.redemption_rate_bp", a.RedemptionRateBP}, {"assumptions.discount_share_bp", a.DiscountShareBP},
		{"assumptions.reward_cost_bp", a.RewardCostBP}, {"assumptions.margin_bp", &a.MarginBP}} {
		if x.v != nil && (*x.v < 0 || *x.v > 10000) {
			f.Add(x.field, "out_of_range", "a share in basis points, 0 to 10000 (100%%)")
		}
	}
	if a.RedemptionDelayDays < 0 || a.RedemptionDelayDays > 3650 {
		f.Add("assumptions.redemption_delay_days", "out_of_range", "0 to 3650 days")
	}
}

// readEvents reads the range's events in one query (one sort), at most
// MaxEvents of them.
func readEvents(ctx context.Context, tx Tx, tenantID string, from, to time.Time) ([]Event, error) {
	got, err := tx.EventsBetween(ctx, tenantID, from, to, MaxEvents+1)
	if err != nil {
		return nil, err
	}
	if len(got) > MaxEvents {
		return nil, errs.E(errs.TooLarge, "too_many_events", "the range holds more than %d events; simulate a shorter range", MaxEvents)
	}
	out := make([]Event, len(got))
	for i, e := range got {
		out[i] = Event{Event: e.Event, Org: e.Org, Member: e.Member}
	}
	return out, nil
}

// readOrgs reads the tenant's organizations: what rules see and segments.
func readOrgs(ctx context.Context, tx Tx, tenantID string) (map[string]Org, error) {
	out := map[string]Org{}
	r := page.Request{Limit: 1000}
	for {
		os, err := tx.ListOrganizations(ctx, tenantID, party.OrgFilter{}, r)
		if err != nil {
			return nil, err
		}
		for i, o := range os {
			if i == r.Limit {
				break
			}
			out[o.ID] = Org{Org: engine.Org{ID: o.ID, Type: string(o.Type), Region: o.Region, Industry: o.Industry, Size: string(o.Size), Tags: o.Tags},
				Name: o.Name, Country: o.Country}
		}
		if len(os) <= r.Limit {
			return out, nil
		}
		r.After = os[r.Limit-1].ID
	}
}

// readMembers reads the members the events name: what rules see of them.
func readMembers(ctx context.Context, tx Tx, tenantID string, evs []Event) (map[string]engine.Member, error) {
	out := map[string]engine.Member{}
	for _, e := range evs {
		if _, done := out[e.Member]; done || e.Member == "" {
			continue
		}
		m, err := tx.GetMember(ctx, tenantID, e.Member)
		if errs.Is(err, errs.NotFound) {
			out[e.Member] = engine.Member{ID: e.Member} // deleted since
			continue
		}
		if err != nil {
			return nil, err
		}
		roles := make([]string, len(m.Roles))
		for i, r := range m.Roles {
			roles[i] = string(r)
		}
		em := engine.Member{ID: m.ID, Roles: roles, Since: m.CreatedAt, BirthMonth: m.BirthMonth()}
		if len(roles) > 0 {
			em.Role = roles[0]
		}
		out[e.Member] = em
	}
	return out, nil
}

// readHistory reads what each organization of the events bought before
// the range, when a variant counts all history.
func readHistory(ctx context.Context, tx Tx, tenantID string, vs []Variant, evs []Event, from time.Time) (map[string]engine.History, error) {
	all := false
	for i := range vs {
		for _, v := range vs[i].Versions {
			all = all || v.Def.History == engine.HistoryAll
		}
	}
	if !all {
		return nil, nil
	}
	out := map[string]engine.History{}
	for _, e := range evs {
		if _, done := out[e.Org]; done {
			continue
		}
		h, err := tx.PurchaseHistory(ctx, tenantID, e.Org, from)
		if err != nil {
			return nil, err
		}
		out[e.Org] = h
	}
	return out, nil
}

// readConsents gives each variant of a stored program its organizations'
// consent histories for the program's employee terms, judged at each
// sale's date as live judges them.
func readConsents(ctx context.Context, tx Tx, tenantID string, vs []Variant, evs []Event) error {
	for i := range vs {
		id := vs[i].programID
		if id == "" {
			continue
		}
		hist := map[string]party.ConsentHistory{}
		for _, e := range evs {
			if _, done := hist[e.Org]; done || e.Member == "" {
				continue
			}
			h, err := party.ConsentHistoryOf(ctx, tx, tenantID, e.Org, id)
			if err != nil {
				return err
			}
			hist[e.Org] = h
		}
		vs[i].Consent = func(org string, at time.Time) bool { return hist[org].GrantedAt(at) }
	}
	return nil
}

// variantErr names the variant a problem belongs to.
func variantErr(i int, field string, err error) error {
	return errs.Prefix(err, fmt.Sprintf("variants[%d].%s", i, field))
}
