package partner

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
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

// MonthLine is what storage sums for one month: points issued through the
// partner's events and points redeemed at it, and the money each side owes
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
		if err != nil {
			return Settlement{}, err
		}
		st := Settlement{PartnerID: pt.ID, Currency: pt.Currency, IssuePrice: pt.IssuePrice, RedeemPrice: pt.RedeemPrice,
			From: from, To: to, Months: make([]SettlementLine, len(months)), Total: SettlementLine{Month: "total", From: from, To: to}}
		for i, m := range months {
			l := lines[i]
			st.Months[i] = SettlementLine{Month: m.Label, From: m.From.Format(time.DateOnly), To: m.To.AddDate(0, 0, -1).Format(time.DateOnly),
				PointsIssued: l.Issued, PointsRedeemed: l.Redeemed, PartnerOwes: l.PartnerOwes, OperatorOwes: l.OperatorOwes,
				Net: l.PartnerOwes - l.OperatorOwes}
			st.Total.PointsIssued += l.Issued
			st.Total.PointsRedeemed += l.Redeemed
			st.Total.PartnerOwes += l.PartnerOwes
			st.Total.OperatorOwes += l.OperatorOwes
		}
		st.Total.Net = st.Total.PartnerOwes - st.Total.OperatorOwes
		return st, nil
	})
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
