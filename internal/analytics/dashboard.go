package analytics

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/program"
)

// Dashboard is the console's front page: what happened today (fresh to a
// few seconds), this month (fresh to half a minute), and what waits.
type Dashboard struct {
	At       time.Time
	Currency string // of sales, the first point type's (GBP when none)

	// Today, refreshed on every look at most every LiveEvery.
	SalesToday     int64 // purchases − returns, minor units
	PurchasesToday int64
	BuyersToday    int64
	PointsToday    []PointFlow
	Waiting        Waiting

	// This month, refreshed at most every MonthEvery, in the background.
	MonthAt       time.Time
	ActiveMonth   int64 // organizations with a purchase this month
	Enrolled      int64 // organizations enrolled in a program
	SalesMonth    int64
	SalesEnrolled int64 // of that, by enrolled organizations
	PointsMonth   []PointFlow
	// Liability is what the wallets hold: read from every wallet with the
	// month's figures, then moved by today's flows since.
	Liability []Liability
	Daily     []Day // the last 30 days
	Tiers     []Count
	Segments  []Count
	// Pilots compares each piloted program's pilot organizations with its
	// control group this month: sales through the program against without.
	Pilots []Pilot

	// The month before today, which the month's sums add today's to, so
	// that the month never shows less than today.
	salesBefore, enrolledBefore int64
	pointsBefore                []PointFlow
	todayEnrolled               int64
	liabilityAt                 []Liability // as read at the month's refresh
	todayAtLiability            []PointFlow // today's flows then
}

// ParticipationRate is active / enrolled organizations this month.
func (d Dashboard) ParticipationRate() float64 { return ratio(d.ActiveMonth, d.Enrolled) }

// Pilot is one piloted program's uplift this month.
type Pilot struct {
	Name string
	Uplift
}

// PointFlow is what moved in one point type over a period.
type PointFlow struct {
	PointTypeID, Code, Name string
	Issued, Redeemed        int64
	Expired                 int64
	Adjusted                int64 // manual credits minus debits
}

// net is what the flows added to the wallets.
func (f PointFlow) net() int64 { return f.Issued - f.Redeemed - f.Expired + f.Adjusted }

// Liability is what the wallets of one point type hold now, in points and
// money.
type Liability struct {
	PointTypeID, Code, Name, Currency string
	Points, Value                     int64
	pt                                ledger.PointType
}

// Waiting counts what waits for a decision in the approval inbox.
type Waiting struct {
	Claims, Adjustments, Redemptions, Versions int64
}

// Total is everything waiting.
func (w Waiting) Total() int64 { return w.Claims + w.Adjustments + w.Redemptions + w.Versions }

// Day is one day's sales.
type Day struct {
	Day    time.Time
	Sales  int64
	Orders int64
}

// Count is a label with a number (tier sizes, segment sizes).
type Count struct {
	Label string
	N     int64
}

// SalesTotal is sales over a range: net amount, purchases, buyers.
type SalesTotal struct {
	Net, Purchases, Buyers int64
}

// DashboardTx is what the dashboard reads; each query is indexed by time
// or status (the month's are the heavy ones, run in the background).
type DashboardTx interface {
	SalesBetween(ctx context.Context, tenantID string, fromMs, toMs int64) (SalesTotal, error)
	EnrolledSalesBetween(ctx context.Context, tenantID string, fromMs, toMs int64) (int64, error)
	EnrolledCount(ctx context.Context, tenantID string) (int64, error)
	SalesByDay(ctx context.Context, tenantID string, fromMs, toMs int64) ([]Day, error)
	// ScanTxsBetween calls fn with the postings of every transaction
	// effective in [fromMs, toMs).
	ScanTxsBetween(ctx context.Context, tenantID string, fromMs, toMs int64, fn func(ledger.Kind, []ledger.Posting) error) error
	WalletTotals(ctx context.Context, tenantID string) (map[string]int64, error) // point type → available + pending
	CountWaiting(ctx context.Context, tenantID string) (Waiting, error)
	SegmentSizes(ctx context.Context, tenantID string) ([]Count, error)
	// PilotPrograms lists the programs running as a pilot.
	PilotPrograms(ctx context.Context, tenantID string) ([]program.Program, error)
}

// How fresh the dashboard's parts are.
const (
	LiveEvery  = time.Second
	MonthEvery = 2 * time.Minute
)

// dashCache keeps each tenant's last dashboard: today's part is redone
// when older than LiveEvery, the month's in the background when older
// than MonthEvery (one refresh at a time), so a look costs today's cheap
// queries at most.
type dashCache struct {
	mu      sync.Mutex
	tenants map[string]*dashEntry
}

type dashEntry struct {
	mu         sync.Mutex
	d          Dashboard
	refreshing bool
}

func (c *dashCache) entry(tenantID string) *dashEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tenants == nil {
		c.tenants = map[string]*dashEntry{}
	}
	e, ok := c.tenants[tenantID]
	if !ok {
		e = &dashEntry{}
		c.tenants[tenantID] = e
	}
	return e
}

// Dashboard returns the tenant's dashboard.
func (s *Service) Dashboard(ctx context.Context, p access.Principal) (Dashboard, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Dashboard{}, err
	}
	now := s.Clock.Now()
	e := s.dash.entry(p.TenantID)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.d.MonthAt.IsZero() || dayStart(e.d.MonthAt) != dayStart(now) {
		if err := s.month(ctx, p.TenantID, now, &e.d); err != nil {
			return Dashboard{}, err
		}
	} else if now.Sub(e.d.MonthAt) >= MonthEvery && !e.refreshing {
		e.refreshing = true
		go s.refreshMonth(p.TenantID, e)
	}
	if now.Sub(e.d.At) >= LiveEvery || dayStart(e.d.At) != dayStart(now) {
		if err := s.today(ctx, p.TenantID, now, &e.d); err != nil {
			return Dashboard{}, err
		}
		e.d.combine()
	}
	return e.d, nil
}

// combine adds today's figures to the month's before today.
func (d *Dashboard) combine() {
	d.SalesMonth, d.SalesEnrolled = d.salesBefore+d.SalesToday, d.enrolledBefore+d.todayEnrolled
	d.PointsMonth = make([]PointFlow, len(d.PointsToday))
	for i, t := range d.PointsToday {
		m := t
		for _, b := range d.pointsBefore {
			if b.PointTypeID == t.PointTypeID {
				m.Issued, m.Redeemed, m.Expired = b.Issued+t.Issued, b.Redeemed+t.Redeemed, b.Expired+t.Expired
			}
		}
		d.PointsMonth[i] = m
	}
	if n := len(d.Daily); n > 0 && d.Daily[n-1].Day.Equal(dayStart(d.At)) {
		d.Daily[n-1].Sales, d.Daily[n-1].Orders = d.SalesToday, d.PurchasesToday
	}
	d.Liability = make([]Liability, len(d.liabilityAt))
	for i, l := range d.liabilityAt {
		for _, t := range d.PointsToday {
			if t.PointTypeID == l.PointTypeID {
				l.Points += t.net()
			}
		}
		for _, t := range d.todayAtLiability {
			if t.PointTypeID == l.PointTypeID {
				l.Points -= t.net()
			}
		}
		if v, err := l.pt.MoneyValue(max(l.Points, 0)); err == nil {
			l.Value = v
		}
		d.Liability[i] = l
	}
}

func (s *Service) refreshMonth(tenantID string, e *dashEntry) {
	var d Dashboard
	err := s.month(context.Background(), tenantID, s.Clock.Now(), &d)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.refreshing = false
	if err == nil {
		e.d.MonthAt, e.d.ActiveMonth, e.d.Enrolled = d.MonthAt, d.ActiveMonth, d.Enrolled
		e.d.salesBefore, e.d.enrolledBefore, e.d.pointsBefore = d.salesBefore, d.enrolledBefore, d.pointsBefore
		e.d.Daily, e.d.Tiers, e.d.Segments, e.d.Pilots = d.Daily, d.Tiers, d.Segments, d.Pilots
		e.d.liabilityAt, e.d.todayAtLiability = d.liabilityAt, d.todayAtLiability
		e.d.combine()
	}
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}
func dayStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// today computes the live part.
func (s *Service) today(ctx context.Context, tenantID string, now time.Time, d *Dashboard) error {
	from, to := dayStart(now).UnixMilli(), now.UnixMilli()+1
	return s.Store.Read(ctx, func(tx Tx) error {
		st, err := tx.SalesBetween(ctx, tenantID, from, to)
		if err != nil {
			return err
		}
		if d.todayEnrolled, err = tx.EnrolledSalesBetween(ctx, tenantID, from, to); err != nil {
			return err
		}
		pts, err := tx.PointTypesOf(ctx, tenantID, "")
		if err != nil {
			return err
		}
		flows, err := pointFlows(ctx, tx, tenantID, pts, from, to)
		if err != nil {
			return err
		}
		w, err := tx.CountWaiting(ctx, tenantID)
		if err != nil {
			return err
		}
		d.At, d.SalesToday, d.PurchasesToday, d.BuyersToday = now, st.Net, st.Purchases, st.Buyers
		d.PointsToday, d.Waiting, d.Currency = flows, w, "GBP"
		if len(pts) > 0 {
			d.Currency = pts[0].Currency
		}
		return nil
	})
}

// month computes the month's part.
func (s *Service) month(ctx context.Context, tenantID string, now time.Time, d *Dashboard) error {
	if err := s.monthFigures(ctx, tenantID, now, d); err != nil {
		return err
	}
	return s.pilots(ctx, tenantID, now, d)
}

// pilots compares each pilot with its control group over the month.
func (s *Service) pilots(ctx context.Context, tenantID string, now time.Time, d *Dashboard) error {
	progs, err := txn.Get(ctx, s.Store, func(tx Tx) ([]program.Program, error) { return tx.PilotPrograms(ctx, tenantID) })
	if err != nil {
		return err
	}
	d.Pilots = nil
	for _, pr := range progs {
		if len(pr.Pilot) == 0 || len(pr.Control) == 0 {
			continue
		}
		u, err := s.Uplift(ctx, access.System(tenantID), Query{From: monthStart(now), To: now.Add(time.Millisecond), ProgramID: pr.ID})
		if err != nil {
			return err
		}
		d.Pilots = append(d.Pilots, Pilot{Name: pr.Name, Uplift: u})
	}
	return nil
}

func (s *Service) monthFigures(ctx context.Context, tenantID string, now time.Time, d *Dashboard) error {
	from, today, to := monthStart(now).UnixMilli(), dayStart(now).UnixMilli(), now.UnixMilli()+1
	return s.Store.Read(ctx, func(tx Tx) error {
		st, err := tx.SalesBetween(ctx, tenantID, from, to)
		if err != nil {
			return err
		}
		before, err := tx.SalesBetween(ctx, tenantID, from, today)
		if err != nil {
			return err
		}
		if d.enrolledBefore, err = tx.EnrolledSalesBetween(ctx, tenantID, from, today); err != nil {
			return err
		}
		if d.Enrolled, err = tx.EnrolledCount(ctx, tenantID); err != nil {
			return err
		}
		pts, err := tx.PointTypesOf(ctx, tenantID, "")
		if err != nil {
			return err
		}
		if d.pointsBefore, err = pointFlows(ctx, tx, tenantID, pts, from, today); err != nil {
			return err
		}
		if d.Daily, err = tx.SalesByDay(ctx, tenantID, dayStart(now).AddDate(0, 0, -29).UnixMilli(), to); err != nil {
			return err
		}
		if d.Tiers, err = tiers(ctx, tx, tenantID); err != nil {
			return err
		}
		if d.Segments, err = tx.SegmentSizes(ctx, tenantID); err != nil {
			return err
		}
		if d.liabilityAt, err = liabilities(ctx, tx, tenantID, pts); err != nil {
			return err
		}
		// Today's flows read in the same transaction as the wallets, so
		// that later flows can be added to the liability exactly.
		if d.todayAtLiability, err = pointFlows(ctx, tx, tenantID, pts, today, to); err != nil {
			return err
		}
		d.MonthAt, d.ActiveMonth, d.salesBefore = now, st.Buyers, before.Net
		return nil
	})
}

// pointFlows sums what moved through each point type's issuance,
// redemption and breakage accounts in the range.
func pointFlows(ctx context.Context, tx Tx, tenantID string, pts []ledger.PointType, from, to int64) ([]PointFlow, error) {
	type role struct {
		i    int
		kind string
	}
	sys := map[string]role{}
	out := make([]PointFlow, len(pts))
	for i, pt := range pts {
		out[i] = PointFlow{PointTypeID: pt.ID, Code: pt.Code, Name: pt.Name}
		for _, k := range []string{ledger.SysIssuance, ledger.SysRedemption, ledger.SysBreakage, ledger.SysAdjustment} {
			sys[ledger.SystemAccountID(pt.ID, k)] = role{i, k}
		}
	}
	err := tx.ScanTxsBetween(ctx, tenantID, from, to, func(_ ledger.Kind, ps []ledger.Posting) error {
		for _, p := range ps {
			r, ok := sys[p.AccountID]
			if !ok {
				continue
			}
			switch r.kind {
			case ledger.SysIssuance:
				out[r.i].Issued -= p.Amount // issuance is debited when points are issued
			case ledger.SysRedemption:
				out[r.i].Redeemed += p.Amount
			case ledger.SysBreakage:
				out[r.i].Expired += p.Amount
			case ledger.SysAdjustment:
				out[r.i].Adjusted -= p.Amount // the adjustment account gives what wallets get
			}
		}
		return nil
	})
	return out, err
}

func liabilities(ctx context.Context, tx Tx, tenantID string, pts []ledger.PointType) ([]Liability, error) {
	tot, err := tx.WalletTotals(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make([]Liability, 0, len(pts))
	for _, pt := range pts {
		l := Liability{PointTypeID: pt.ID, Code: pt.Code, Name: pt.Name, Currency: pt.Currency, Points: tot[pt.ID], pt: pt}
		if l.Value, err = pt.MoneyValue(max(l.Points, 0)); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// tiers counts organizations per tier over every program's states.
func tiers(ctx context.Context, tx Tx, tenantID string) ([]Count, error) {
	rows, err := tx.ProgramStates(ctx, tenantID, "")
	if err != nil {
		return nil, err
	}
	n := map[string]int64{}
	for _, r := range rows {
		var st struct {
			Tier string `json:"tier"`
		}
		if json.Unmarshal([]byte(r.State), &st) == nil && st.Tier != "" {
			n[st.Tier]++
		}
	}
	out := make([]Count, 0, len(n))
	for k, v := range n {
		out = append(out, Count{Label: k, N: v})
	}
	slices.SortFunc(out, func(a, b Count) int { return int(b.N - a.N) })
	return out, nil
}
