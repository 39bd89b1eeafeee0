package partner

import (
	"context"
	"errors"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// MaxMonths is the longest period a settlement report covers.
const MaxMonths = 24

// Month is one calendar month (UTC) of a report, clipped to the period:
// [From, To) in unix milliseconds.
type Month struct {
	Label    string // YYYY-MM
	FromMs   int64
	ToMs     int64
	From, To time.Time
}

// MonthLine is one month: the points issued through the partner's events
// and redeemed at it (summed by storage), and the money each side owes
// (points × price / PricePer, rounded half up once per month).
type MonthLine struct {
	Issued       int64
	Redeemed     int64
	PartnerOwes  int64
	OperatorOwes int64
}

// SettlementLine is one month of a settlement report. Net is what the partner owes
// the operator after what the operator owes the partner (negative: the
// operator pays).
type SettlementLine struct {
	Month          string `json:"month"`
	From           string `json:"from"`
	To             string `json:"to"`
	PointsIssued   int64  `json:"points_issued"`
	PointsRedeemed int64  `json:"points_redeemed"`
	PartnerOwes    int64  `json:"partner_owes"`
	OperatorOwes   int64  `json:"operator_owes"`
	Net            int64  `json:"net"`
}

// Settlement is a partner's report for a period.
type Settlement struct {
	PartnerID   string           `json:"partner_id"`
	Currency    string           `json:"currency"`
	IssuePrice  int64            `json:"issue_price"`
	RedeemPrice int64            `json:"redeem_price"`
	From        string           `json:"from"`
	To          string           `json:"to"`
	Months      []SettlementLine `json:"months"`
	Total       SettlementLine   `json:"total"`
}

// Settlement reports, per calendar month (UTC) of the days from..to
// (YYYY-MM-DD, both included), the points issued through the partner's
// events (by when the event occurred) and redeemed at it, and the money
// owed each way. The operator (read scope) or the partner's own key may
// read it.
func (s *Service) Settlement(ctx context.Context, p access.Principal, partnerID, from, to string) (Settlement, error) {
	if err := own(p, partnerID, access.ScopeRead); err != nil {
		return Settlement{}, err
	}
	months, err := period(from, to)
	if err != nil {
		return Settlement{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Settlement, error) {
		pt, err := tx.GetPartner(ctx, p.TenantID, partnerID)
		if err != nil {
			return Settlement{}, err
		}
		lines, err := tx.Settlement(ctx, p.TenantID, pt, months)
		if errors.Is(err, money.ErrOverflow) {
			return Settlement{}, errTooLarge
		} else if err != nil {
			return Settlement{}, err
		}
		st := Settlement{PartnerID: pt.ID, Currency: pt.Currency, IssuePrice: pt.IssuePrice, RedeemPrice: pt.RedeemPrice,
			From: from, To: to, Months: make([]SettlementLine, len(months)), Total: SettlementLine{Month: "total", From: from, To: to}}
		var c total
		for i, m := range months {
			l := lines[i]
			if l.PartnerOwes, err = money.MulDiv(l.Issued, pt.IssuePrice, PricePer, money.HalfUp); err != nil {
				return st, errTooLarge
			}
			if l.OperatorOwes, err = money.MulDiv(l.Redeemed, pt.RedeemPrice, PricePer, money.HalfUp); err != nil {
				return st, errTooLarge
			}
			st.Months[i] = SettlementLine{Month: m.Label, From: m.From.Format(time.DateOnly), To: m.To.AddDate(0, 0, -1).Format(time.DateOnly),
				PointsIssued: l.Issued, PointsRedeemed: l.Redeemed, PartnerOwes: l.PartnerOwes, OperatorOwes: l.OperatorOwes}
			c.add(&st.Months[i])
		}
		if st.Total, err = c.result(st.Total); err != nil {
			return st, err
		}
		return st, nil
	})
}

var errTooLarge = errs.E(errs.Invalid, "figures_out_of_range",
	"the settlement's figures add up beyond what a 64-bit integer holds; ask for a shorter period")

// total adds up a report's months with overflow checks, and nets each.
type total struct {
	line SettlementLine
	c    money.Checked
}

// add nets a month and counts it in the total.
func (t *total) add(l *SettlementLine) {
	l.Net = l.PartnerOwes - l.OperatorOwes // both between 0 and MaxInt64: no overflow
	t.c.Add(&t.line.PointsIssued, l.PointsIssued)
	t.c.Add(&t.line.PointsRedeemed, l.PointsRedeemed)
	t.c.Add(&t.line.PartnerOwes, l.PartnerOwes)
	t.c.Add(&t.line.OperatorOwes, l.OperatorOwes)
}

// result fills the total line l, or says it does not fit.
func (t *total) result(l SettlementLine) (SettlementLine, error) {
	if t.c.Err() != nil {
		return l, errTooLarge
	}
	l.PointsIssued, l.PointsRedeemed, l.PartnerOwes, l.OperatorOwes = t.line.PointsIssued, t.line.PointsRedeemed, t.line.PartnerOwes, t.line.OperatorOwes
	l.Net = l.PartnerOwes - l.OperatorOwes
	return l, nil
}

// period splits the days from..to into calendar months.
func period(from, to string) ([]Month, error) {
	var f errs.Fields
	a, errA := time.Parse(time.DateOnly, from)
	if errA != nil {
		f.Add("from", "invalid_date", "from must be a date in YYYY-MM-DD form, e.g. 2026-03-01")
	}
	b, errB := time.Parse(time.DateOnly, to)
	if errB != nil {
		f.Add("to", "invalid_date", "to must be a date in YYYY-MM-DD form, e.g. 2026-03-31")
	}
	if errA == nil && errB == nil {
		switch {
		case b.Before(a):
			f.Add("to", "before_from", "to (%s) is before from (%s)", to, from)
		case a.Year() < 2000 || b.Year() > 2200:
			f.Add("from", "out_of_range", "the period lies between 2000 and 2200")
		case (b.Year()-a.Year())*12+int(b.Month()-a.Month()) >= MaxMonths:
			f.Add("to", "period_too_long", "a report covers at most %d calendar months", MaxMonths)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	end := b.AddDate(0, 0, 1) // to is included
	var out []Month
	for start := a; start.Before(end); {
		next := time.Date(start.Year(), start.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		stop := next
		if end.Before(next) {
			stop = end
		}
		out = append(out, Month{Label: start.Format("2006-01"), From: start, To: stop, FromMs: start.UnixMilli(), ToMs: stop.UnixMilli()})
		start = next
	}
	return out, nil
}
