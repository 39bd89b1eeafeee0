package engine

import (
	"maps"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// State is what a program remembers about one participant (an
// organization or a member): enrollment, tier, stamps, counters, cards,
// monthly totals for windows, and cap usage. Ingestion stores it as JSON
// beside the ledger; the engine returns the new state in each outcome.
type State struct {
	EnrolledAt *time.Time `json:"enrolled_at,omitempty"`
	Tier       string     `json:"tier,omitempty"`
	TierSince  *time.Time `json:"tier_since,omitempty"`
	Grace      int        `json:"grace,omitempty"` // reviews survived below the threshold
	// TierOverride is a tier granted by hand, while it is in force.
	TierOverride *TierOverride    `json:"tier_override,omitempty"`
	Stamps       int64            `json:"stamps,omitempty"`
	CardsDone    int64            `json:"cards_completed,omitempty"` // stamp cards completed so far
	Counters     map[string]int64 `json:"counters,omitempty"`
	Cards        map[string]bool  `json:"cards,omitempty"`    // discount id → card issued
	Levels       map[string]int   `json:"levels,omitempty"`   // cumulative discount id → step index + 1
	Accum        map[string]int64 `json:"accum,omitempty"`    // cumulative discount id → spend counted since the last step-down
	Brackets     map[string]int64 `json:"brackets,omitempty"` // volume discount id:year → units bought
	Months       Months           `json:"months,omitempty"`   // "2026-11" → totals
	Lifetime     Month            `json:"lifetime"`
	LastOrder    *time.Time       `json:"last_order,omitempty"`
	LastStep     *time.Time       `json:"last_step_down,omitempty"`
	Caps         map[string]int64 `json:"caps,omitempty"` // cap key → points used
	// Reviewed is the last tier review period done ("2026-10"), so a
	// review runs once per period however often the job runs.
	Reviewed string `json:"reviewed,omitempty"`
	// Bonused is the last month a period bonus was credited for.
	Bonused string `json:"bonused,omitempty"`
}

// Month holds a participant's totals over one calendar month.
type Month struct {
	Spend    int64 `json:"spend"`
	Quantity int64 `json:"quantity"`
	Orders   int64 `json:"orders"`
	Points   int64 `json:"points"`
}

// ProgramState is what a program remembers across participants: the
// points issued against its budget and per-rule cap usage. It is only
// read and written when the program has a budget or a per-rule cap, so
// that ordinary events do not serialize on one row.
type ProgramState struct {
	Issued int64            `json:"issued"`
	Caps   map[string]int64 `json:"caps,omitempty"`
}

// keepMonths is how many months of totals a state keeps: enough for a
// rolling 12-month window and the previous calendar year.
const keepMonths = 25

// MonthKey is the key of t's month.
func MonthKey(t time.Time) string {
	y, m, _ := t.UTC().Date()
	return monthKey(y, m)
}

// monthKey writes "2006-01" for a year and month, without time.Format
// for the years it handles (every evaluation builds several keys).
func monthKey(y int, m time.Month) string {
	if b, ok := monthBytes(y, m); ok {
		return string(b[:])
	}
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}

// monthBytes is monthKey as an array, for keys appended to others
// without a string of their own; ok is false for years outside 0–9999.
func monthBytes(y int, m time.Month) (b [7]byte, ok bool) {
	if y < 0 || y > 9999 {
		return b, false
	}
	return [7]byte{digit(y / 1000), digit(y / 100), digit(y / 10), digit(y), '-', digit(int(m) / 10), digit(int(m))}, true
}

// monthSpendAt is the spend of t's month.
func (s *State) monthSpendAt(t time.Time) int64 { return s.Months.get(monthOf(t)).Spend }

// digit is the last decimal digit of n >= 0.
func digit(n int) byte { return byte('0' + n%10) }

// addMonths is the year and month n months after y-m.
func addMonths(y int, m time.Month, n int) (int, time.Month) {
	y2, m2, _ := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC).Date()
	return y2, m2
}

// Clone returns a deep copy, so an evaluation never changes its input.
func (s State) Clone() State {
	c := s
	c.Counters = cloneMap(s.Counters)
	c.Cards = cloneMap(s.Cards)
	c.Levels = cloneMap(s.Levels)
	c.Accum = cloneMap(s.Accum)
	c.Brackets = cloneMap(s.Brackets)
	c.Caps = cloneMap(s.Caps)
	if s.TierOverride != nil {
		o := *s.TierOverride
		c.TierOverride = &o
	}
	c.Months = s.Months.Clone()
	return c
}

// Clone returns a deep copy.
func (s ProgramState) Clone() ProgramState {
	c := s
	c.Caps = cloneMap(s.Caps)
	return c
}

// cloneMap is maps.Clone: nil stays nil.
func cloneMap[K comparable, V any](m map[K]V) map[K]V { return maps.Clone(m) }

// month returns the totals of t's month to change, creating them; the
// months older than keepMonths before it are dropped then.
func (s *State) month(t time.Time) *Month {
	n := monthOf(t)
	if _, ok := s.Months.index(n); !ok {
		s.prune(n)
	}
	return s.Months.at(n)
}

// prune drops the months older than keepMonths before month n.
func (s *State) prune(n int64) { s.Months.dropBefore(n - keepMonths + 1) }

// add records a purchase (negative for a return) in the month of at. The
// figures saturate at the int64 limits instead of wrapping around: a
// spend past the limit is still past every threshold.
func (s *State) add(at time.Time, d Month) {
	s.month(at).plus(d)
	s.Lifetime.plus(d)
}

// plus adds d to m, saturating.
func (m *Month) plus(d Month) {
	m.Spend = money.AddSat(m.Spend, d.Spend)
	m.Quantity = money.AddSat(m.Quantity, d.Quantity)
	m.Orders = money.AddSat(m.Orders, d.Orders)
	m.Points = money.AddSat(m.Points, d.Points)
}

// Window sums the months of a window as of t.
func (s *State) Window(window string, t time.Time) Month {
	if window == "lifetime" {
		return s.Lifetime
	}
	fy, fm, ty, tm := windowMonths(window, t)
	return s.Months.sum(monthNum(fy, fm), monthNum(ty, tm))
}

// windowMonths returns the first and last months of a window as of t.
func windowMonths(window string, t time.Time) (int, time.Month, int, time.Month) {
	y, m, _ := t.UTC().Date()
	switch window {
	case "calendar_year":
		return y, time.January, y, m
	case "previous_month":
		py, pm := addMonths(y, m, -1)
		return py, pm, py, pm
	default: // rolling_12_months
		fy, fm := addMonths(y, m, -11)
		return fy, fm, y, m
	}
}

func firstOfMonth(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// metric reads a tier metric from totals.
func metric(m Month, name string) int64 {
	switch name {
	case "quantity":
		return m.Quantity
	case "points":
		return m.Points
	case "orders":
		return m.Orders
	default:
		return m.Spend
	}
}
