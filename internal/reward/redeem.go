package reward

import (
	"context"
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Redemption statuses, in workflow order.
const (
	Requested          = "requested"
	AwaitingManagement = "awaiting_management"
	AwaitingOperator   = "awaiting_operator"
	Approved           = "approved"
	Fulfilled          = "fulfilled"
	Rejected           = "rejected"
	Cancelled          = "cancelled"
)

// Statuses lists every redemption status.
var Statuses = []string{Requested, AwaitingManagement, AwaitingOperator, Approved, Fulfilled, Rejected, Cancelled}

// MaxQuantity bounds the units of one redemption.
const MaxQuantity = 1000

// Redemption is a request to redeem points for a catalog item.
type Redemption struct {
	ID             string           `json:"id"`
	TenantID       string           `json:"-"`
	ItemID         string           `json:"item_id"`
	OrganizationID string           `json:"organization_id"`
	MemberID       string           `json:"member_id"` // an employee redeeming their own points; "" for the organization
	Quantity       int64            `json:"quantity"`
	UnitPrice      int64            `json:"unit_price"`
	Points         int64            `json:"points"` // reserved: unit price × quantity
	PriceBasis     string           `json:"price_basis"`
	PointTypeID    string           `json:"point_type_id"`
	MoneyValue     int64            `json:"money_value"` // the operator's cost of the whole redemption, minor units
	Status         string           `json:"status"`
	LedgerTxID     string           `json:"ledger_tx_id"` // the spend that reserved the points
	ReturnTxID     string           `json:"return_tx_id"` // the reversal that gave them back
	VoucherCode    string           `json:"voucher_code"` // issued on fulfilment of a voucher
	Usage          []Usage          `json:"-"`            // the per-period counters it added to
	Steps          []RedemptionStep `json:"steps"`
	CreatedAt      time.Time        `json:"created_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
}

// RedemptionStep is one change of a redemption's status.
type RedemptionStep struct {
	Actor    string    `json:"actor"`               // the API key, staff user or system that made it
	MemberID string    `json:"member_id,omitempty"` // the organization's manager who decided
	At       time.Time `json:"at"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	Note     string    `json:"note"`
}

// RedeemInput asks to redeem an item.
type RedeemInput struct {
	ItemID       string
	Organization string // id or ext:<external id>
	Member       string // optional: an employee redeeming their own member-wallet points
	Quantity     int64  // units, 1 to MaxQuantity
}

// Redeem requests a redemption: it checks availability, audience, stock,
// limits and balance, and reserves the points and the stock at once, in
// one database transaction (any refusal writes and reserves nothing).
func (s *Service) Redeem(ctx context.Context, p access.Principal, in RedeemInput) (Redemption, error) {
	if err := p.Can(access.Redeem); err != nil {
		return Redemption{}, err
	}
	if err := in.check(); err != nil {
		return Redemption{}, err
	}
	// The tier is read before the write transaction: it comes from the
	// program state through another service, with its own read.
	it, b, err := s.prepare(ctx, p, in)
	if err != nil {
		return Redemption{}, err
	}
	now := s.Clock.Now()
	r := Redemption{ID: ids.New(), TenantID: p.TenantID, ItemID: it.ID, OrganizationID: b.org.ID, Quantity: in.Quantity,
		PointTypeID: it.PointTypeID, CreatedAt: now, UpdatedAt: now}
	if b.member != nil {
		r.MemberID = b.member.ID
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Redemption, error) {
		it, err := tx.GetRewardItem(ctx, p.TenantID, it.ID) // as it is now, inside the transaction
		if err != nil {
			return r, err
		}
		if err := s.admit(it, b, now); err != nil {
			return r, err
		}
		r.UnitPrice, r.PriceBasis = it.priceFor(b)
		r.Points, r.MoneyValue = r.UnitPrice*r.Quantity, it.MoneyValue*r.Quantity
		if err := s.reserve(ctx, tx, p, it, &r); err != nil {
			return r, err
		}
		set, err := tx.GetRewardSettings(ctx, p.TenantID)
		if err != nil {
			return r, err
		}
		next, why := nextAfterRequest(it, set, r)
		r.Status = next
		r.Steps = []RedemptionStep{{Actor: actor(p), At: now, To: Requested, Note: fmt.Sprintf("%d %s reserved", r.Points, "points")},
			{Actor: "system", At: now, From: Requested, To: next, Note: why}}
		if err := tx.InsertRedemption(ctx, r); err != nil {
			return r, err
		}
		if err := s.announce(ctx, tx, p.TenantID, r, "", why); err != nil {
			return r, err
		}
		return r, audit.Record(ctx, tx, p, now, "redemption.requested", "redemption", r.ID, nil, r)
	})
}

func (in *RedeemInput) check() error {
	var f errs.Fields
	if in.ItemID == "" {
		f.Add("item_id", "required", "item_id is required")
	}
	if in.Organization == "" {
		f.Add("organization", "required", "organization (an id or ext:<external id>) is required")
	}
	if in.Quantity < 1 || in.Quantity > MaxQuantity {
		f.Add("quantity", "out_of_range", "quantity is 1 to %d", MaxQuantity)
	}
	return f.Err()
}

// prepare reads the item and the buyer, and the buyer's tier.
func (s *Service) prepare(ctx context.Context, p access.Principal, in RedeemInput) (Item, buyer, error) {
	var it Item
	var b buyer
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		it, err = tx.GetRewardItem(ctx, p.TenantID, in.ItemID)
		if errs.Is(err, errs.NotFound) {
			return errs.InvalidField("item_id", "unknown_item", "no reward %q in this tenant", in.ItemID)
		}
		if err != nil {
			return err
		}
		b, err = readBuyer(ctx, tx, p.TenantID, in.Organization, in.Member, false)
		return err
	})
	if err != nil {
		return it, b, err
	}
	if b.org.Status != party.OrgActive {
		return it, b, errs.InvalidField("organization", "inactive_organization", "organization %q is %s and cannot redeem", in.Organization, b.org.Status)
	}
	b.tier, err = s.tierFor(ctx, p.TenantID, it, b.org.ID, map[string]string{})
	return it, b, err
}

// admit checks the item may be redeemed now by the buyer.
func (s *Service) admit(it Item, b buyer, now time.Time) error {
	if err := it.available(now); err != nil {
		return err
	}
	if why := it.admits(b); why != "" {
		return errs.E(errs.Forbidden, "not_in_audience", "%s", why)
	}
	return nil
}

// reserve takes the stock, counts the units against the limits and spends
// the points from the paying wallet (the member's for an employee).
func (s *Service) reserve(ctx context.Context, tx Tx, p access.Principal, it Item, r *Redemption) error {
	ok, err := tx.TakeRewardStock(ctx, p.TenantID, it.ID, r.Quantity)
	if err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.Conflict, "out_of_stock", "reward %s has fewer than %d units in stock", it.ID, r.Quantity)
	}
	if err := s.countLimits(ctx, tx, it, r); err != nil {
		return err
	}
	owner := ledger.Owner{Type: ledger.OwnerOrganization, ID: r.OrganizationID}
	if r.MemberID != "" {
		owner = ledger.Owner{Type: ledger.OwnerMember, ID: r.MemberID}
	}
	t, err := s.Ledger.PostWithin(ctx, tx, p, ledger.Entry{Kind: ledger.KindSpend, IdemKey: "redemption:" + r.ID, Effective: r.CreatedAt,
		Cause:  ledger.Cause{Reason: "redemption " + r.ID + ": " + it.Name},
		Debits: []ledger.Debit{{Owner: owner, PointTypeID: it.PointTypeID, Amount: r.Points}}})
	r.LedgerTxID = t.ID
	return err
}

// countLimits adds the units to the member's and the organization's
// counters of the current period, refusing when a limit would be passed.
func (s *Service) countLimits(ctx context.Context, tx Tx, it Item, r *Redemption) error {
	type check struct {
		l         *ItemLimit
		ownerType string
		ownerID   string
	}
	for _, c := range []check{{it.MemberLimit, "member", r.MemberID}, {it.OrgLimit, "organization", r.OrganizationID}} {
		if c.l == nil || c.ownerID == "" {
			continue
		}
		u := Usage{OwnerType: c.ownerType, OwnerID: c.ownerID, Period: PeriodKey(c.l.Period, r.CreatedAt)}
		ok, err := tx.AddRewardUsage(ctx, r.TenantID, it.ID, u, r.Quantity, c.l.Count)
		if err != nil {
			return err
		}
		if !ok {
			return errs.E(errs.Conflict, "limit_reached", "the %s may redeem at most %d of reward %s per %s (period %s)", c.ownerType, c.l.Count, it.ID, c.l.Period, u.Period)
		}
		r.Usage = append(r.Usage, u)
	}
	return nil
}

// PeriodKey names the calendar period (UTC) of t: "2026-03", "2026-Q1",
// "2026", or "ever".
func PeriodKey(period string, t time.Time) string {
	t = t.UTC()
	switch period {
	case "month":
		return t.Format("2006-01")
	case "quarter":
		return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
	case "year":
		return t.Format("2006")
	}
	return "ever"
}

// nextAfterRequest is the status a new redemption waits in, and why.
func nextAfterRequest(it Item, set Settings, r Redemption) (string, string) {
	if r.MemberID != "" && (it.NeedsManagement || set.EmployeeNeedsManagement) {
		return AwaitingManagement, "an employee redemption waits for the organization's management"
	}
	return afterManagement(set, r)
}

// afterManagement is the status after the management's approval (or
// without one): the operator's approval above the threshold, else approved.
func afterManagement(set Settings, r Redemption) (string, string) {
	if set.ApprovalThreshold != nil && r.MoneyValue > *set.ApprovalThreshold {
		return AwaitingOperator, fmt.Sprintf("money value %d exceeds the approval threshold %d: waits for the operator", r.MoneyValue, *set.ApprovalThreshold)
	}
	return Approved, "no further approval needed"
}
