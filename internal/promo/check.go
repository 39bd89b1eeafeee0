package promo

import (
	"context"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// currencyDecimals is how amounts are written in reasons; carts are
// priced with two decimals throughout (see engine.Quote).
const currencyDecimals = 2

// use is a code checked against a cart: its campaign, and what it gives.
type use struct {
	code     Code
	camp     Campaign
	discount *pricing.Discount // nil for bonus points
	value    int64             // discount money, or bonus points
}

// request is what a code is checked against.
type request struct {
	tenantID   string
	code       string // normalized
	programIDs []string
	orgID      string
	partnerID  string // the coalition partner sending the order, if any
	lines      []engine.Line
	at         time.Time
}

// errUnknown marks an unknown code, which counts against the caller's
// failed attempts.
const unknownCode = "unknown promo code"

// check finds a code and decides whether it applies to the request. It
// returns why not in human words, or "" with what the code gives. It
// writes nothing.
func check(ctx context.Context, tx Tx, r request) (use, string, error) {
	var u use
	var err error
	if u.code, err = tx.GetCode(ctx, r.tenantID, r.code); errs.Is(err, errs.NotFound) {
		return u, unknownCode, nil
	} else if err != nil {
		return u, "", err
	}
	if u.camp, err = tx.GetCampaign(ctx, r.tenantID, u.code.CampaignID); err != nil {
		return u, "", err
	}
	if u.camp.Kind == Personal {
		if why, err := personalCheck(ctx, tx, &u, r); why != "" || err != nil {
			return u, why, err
		}
	}
	if why := when(&u.camp, r); why != "" {
		return u, why, nil
	}
	if why, err := usage(ctx, tx, &u, r); why != "" || err != nil {
		return u, why, err
	}
	why := u.effect(r.lines)
	if used, err := money.Add(u.camp.BudgetUsed, u.value); why == "" && (err != nil || u.camp.Budget > 0 && used > u.camp.Budget) {
		why = "campaign budget exhausted"
	}
	return u, why, nil
}

// when checks the campaign's status, program and validity window.
func when(c *Campaign, r request) string {
	switch {
	case c.Status != Active:
		return "campaign paused"
	case c.ProgramID != "" && !slices.Contains(r.programIDs, c.ProgramID):
		return "not valid in this program"
	case r.partnerID != "" && !slices.Contains(c.Partners, r.partnerID):
		return "not valid at partner " + r.partnerID + ": the campaign does not grant its codes to this partner"
	case r.at.Before(c.StartsAt):
		return "not valid yet (from " + c.StartsAt.UTC().Format(dateTime) + ")"
	case c.EndsAt != nil && !r.at.Before(*c.EndsAt):
		return "expired on " + c.EndsAt.UTC().Format(dateTime)
	}
	return ""
}

const dateTime = "2006-01-02 15:04 UTC"

// usage checks the code's own, the organization's and the total limits.
func usage(ctx context.Context, tx Tx, u *use, r request) (string, error) {
	c := &u.camp
	if c.Kind != Shared && u.code.RedeemedAt != nil {
		if u.code.RedeemedOrg == r.orgID {
			return "already used by your organization", nil
		}
		return "code already used", nil
	}
	if c.PerOrgLimit > 0 {
		n, err := tx.OrgUsage(ctx, r.tenantID, c.ID, r.orgID)
		if err != nil || n >= c.PerOrgLimit {
			return "already used by your organization", err
		}
	}
	if c.TotalLimit > 0 && c.Used >= c.TotalLimit {
		return "usage limit reached", nil
	}
	return "", nil
}

// effect computes what the code gives on lines: the discount (priced on
// its own) or the bonus points, or why it gives nothing.
func (u *use) effect(lines []engine.Line) string {
	c := &u.camp
	pl := make([]pricing.Line, len(lines))
	var eligible int64
	for i, l := range lines {
		pl[i] = pricing.Line{Ref: l.SKU, SKU: l.SKU, Category: l.Category, Brand: l.Brand, Qty: l.Qty, UnitPrice: l.UnitPrice, OnSale: l.OnSale}
		if c.Scope.Matches(pl[i]) {
			eligible += l.Qty * l.UnitPrice // checked to fit by the event's validation
		}
	}
	switch {
	case eligible == 0:
		return "no eligible items in the cart"
	case eligible < c.MinOrder:
		return string(money.AppendAmount([]byte("order below "), c.MinOrder, currencyDecimals))
	case c.Effect.Type == EffectBonus:
		u.value = c.Effect.Points
		return ""
	}
	d := pricing.Discount{ID: "code:" + u.code.Code, Name: "promo code " + u.code.Code, Exclusive: c.Exclusive, Group: c.Group,
		MinOrder: c.MinOrder, Scope: c.Scope}
	switch c.Effect.Type {
	case EffectPercent:
		d.Kind, d.PercentBP = pricing.KindPercent, c.Effect.PercentBP
	case EffectFixed:
		d.Kind, d.Amount = pricing.KindFixed, c.Effect.Amount
	case EffectFreeItem:
		// One unit of the SKU at its (lowest) price in the cart.
		d.Kind, d.Scope.SKUs = pricing.KindFixed, []string{c.Effect.SKU}
		for _, l := range pl {
			if l.SKU == c.Effect.SKU && c.Scope.Matches(l) && (d.Amount == 0 || l.UnitPrice < d.Amount) {
				d.Amount = l.UnitPrice
			}
		}
		if d.Amount == 0 {
			return "item " + c.Effect.SKU + " is not in the cart"
		}
		d.MinOrder = 0 // checked above on the campaign's scope
	}
	res, err := pricing.Price(pl, []pricing.Discount{d}, pricing.Additive, pricing.Context{}, currencyDecimals)
	if err != nil || res.Discount == 0 {
		return "gives nothing on this cart"
	}
	u.discount, u.value = &d, res.Discount
	return ""
}
