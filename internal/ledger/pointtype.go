package ledger

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// Unit is what a point type's points are called.
type Unit string

// Units.
var Units = []Unit{"points", "bonuses", "miles", "stamps", "currency"}

// Transfer routes a point type may allow.
const (
	OrgToMember     = "org_to_member"     // an organization gives points to one of its employees
	MemberToOrg     = "member_to_org"     // an employee pools points into the organization's wallet
	BranchToHolding = "branch_to_holding" // a branch pools points into its holding
	HoldingToBranch = "holding_to_branch"
	AnyTransfer     = "any" // between any two wallets of the tenant
)

// TransferRoutes lists the routes.
var TransferRoutes = []string{OrgToMember, MemberToOrg, BranchToHolding, HoldingToBranch, AnyTransfer}

// PointType is a currency of a program: points, bonuses, miles, stamps or
// a named currency, with its money value, rounding, expiry and pending
// defaults, and what its wallets may do.
type PointType struct {
	ID        string         `json:"id"`
	TenantID  string         `json:"tenant_id"`
	ProgramID string         `json:"program_id"`
	Code      string         `json:"code"`
	Name      string         `json:"name"`
	Unit      Unit           `json:"unit"`
	Currency  string         `json:"currency"`  // of the money value
	ValueNum  int64          `json:"value_num"` // one unit is worth ValueNum/ValueDen minor currency units
	ValueDen  int64          `json:"value_den"`
	Rounding  money.Rounding `json:"rounding"` // how amounts computed from money become points
	// NegativeLimit is how far below zero a wallet may go (0: never).
	NegativeLimit int64    `json:"negative_limit"`
	Expiry        Expiry   `json:"expiry"`
	PendingDays   int      `json:"pending_days"`
	Transfers     []string `json:"transfers"` // allowed routes
	// ApprovalAbove: a manual adjustment of more points than this needs a
	// second staff member's approval.
	ApprovalAbove int64     `json:"approval_above"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// MoneyValue returns the value of n points in minor currency units,
// rounded as the point type says.
func (pt PointType) MoneyValue(n int64) (int64, error) {
	return money.MulDiv(n, pt.ValueNum, pt.ValueDen, pt.Rounding)
}

// Allows reports whether the point type allows a transfer route.
func (pt PointType) Allows(route string) bool {
	return slices.Contains(pt.Transfers, AnyTransfer) || (route != "" && slices.Contains(pt.Transfers, route))
}

// Expiry is when earned points expire.
type Expiry struct {
	Kind string // never, days, months, end_of_month, end_of_quarter, end_of_year
	N    int    // for days and months
}

// Expiry kinds.
const (
	ExpireNever        = "never"
	ExpireDays         = "days"
	ExpireMonths       = "months"
	ExpireEndOfMonth   = "end_of_month"
	ExpireEndOfQuarter = "end_of_quarter"
	ExpireEndOfYear    = "end_of_year"
	// ExpireInactivity: points expire N months after the wallet's last
	// qualifying activity (inactivity.go).
	ExpireInactivity = "inactivity_months"
)

var expiryRE = regexp.MustCompile(`^(never|end_of_month|end_of_quarter|end_of_year|(days|months|inactivity_months):([1-9][0-9]{0,4}))$`)

// ParseExpiry reads "never", "days:365", "months:12", "end_of_month",
// "end_of_quarter", "end_of_year" or "inactivity_months:6".
func ParseExpiry(s string) (Expiry, error) {
	m := expiryRE.FindStringSubmatch(s)
	if m == nil {
		return Expiry{}, fmt.Errorf("expiry %q: use never, days:N, months:N, end_of_month, end_of_quarter, end_of_year or inactivity_months:N", s)
	}
	if m[2] == "" {
		return Expiry{Kind: m[1]}, nil
	}
	n, _ := strconv.Atoi(m[3])
	return Expiry{Kind: m[2], N: n}, nil
}

func (e Expiry) String() string {
	if e.Kind == ExpireDays || e.Kind == ExpireMonths || e.Kind == ExpireInactivity {
		return e.Kind + ":" + strconv.Itoa(e.N)
	}
	return e.Kind
}

// MarshalText writes the expiry as ParseExpiry reads it.
func (e Expiry) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText reads an expiry written by MarshalText.
func (e *Expiry) UnmarshalText(b []byte) error {
	v, err := ParseExpiry(string(b))
	*e = v
	return err
}

// From returns when points earned at t expire (nil: never). Periods end at
// the end of the month, quarter or year of t, in UTC.
func (e Expiry) From(t time.Time) *time.Time {
	t = t.UTC()
	var at time.Time
	switch e.Kind {
	case ExpireDays:
		at = t.AddDate(0, 0, e.N)
	case ExpireMonths, ExpireInactivity: // inactivity: until the next activity pushes it back
		at = t.AddDate(0, e.N, 0)
	case ExpireEndOfMonth:
		at = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	case ExpireEndOfQuarter:
		q := (int(t.Month())-1)/3*3 + 1
		at = time.Date(t.Year(), time.Month(q+3), 1, 0, 0, 0, 0, time.UTC)
	case ExpireEndOfYear:
		at = time.Date(t.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
	default:
		return nil
	}
	return &at
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// PointTypeInput describes a point type to create.
type PointTypeInput struct {
	Code          string
	Name          string
	Unit          Unit
	Currency      string
	ValueNum      int64
	ValueDen      int64
	Rounding      money.Rounding
	NegativeLimit int64
	Expiry        string
	PendingDays   int
	Transfers     []string
	ApprovalAbove int64
}

func (in PointTypeInput) build(f *errs.Fields, pt *PointType) {
	pt.Code = strings.TrimSpace(in.Code)
	if !codeRE.MatchString(pt.Code) {
		f.Add("code", "invalid_code", "code is 1–32 lower-case letters, digits and _, starting with a letter, e.g. points or stamps")
	}
	pt.Name = valid.Text(f, "name", in.Name, true, 100)
	pt.Unit = valid.OneOf(f, "unit", in.Unit, true, Units)
	pt.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	if !currencyRE.MatchString(pt.Currency) {
		f.Add("currency", "invalid_currency", "currency is a three-letter ISO 4217 code such as GBP or EUR")
	}
	pt.ValueNum, pt.ValueDen = in.ValueNum, in.ValueDen
	if pt.ValueDen == 0 {
		pt.ValueDen = 1
	}
	if pt.ValueNum < 0 || pt.ValueDen < 0 || pt.ValueNum > 1_000_000_000 || pt.ValueDen > 1_000_000_000 {
		f.Add("value_num", "out_of_range", "one point is worth value_num/value_den minor currency units; both between 0 and 1,000,000,000 (den at least 1)")
	}
	pt.Rounding = in.Rounding
	if pt.Rounding == "" {
		pt.Rounding = money.Floor
	}
	valid.OneOf(f, "rounding", pt.Rounding, true, money.Roundings)
	pt.NegativeLimit = in.NegativeLimit
	if pt.NegativeLimit < 0 || pt.NegativeLimit > 1_000_000_000_000 {
		f.Add("negative_limit", "out_of_range", "negative_limit is how far below zero a wallet may go: 0 (never) up to 1,000,000,000,000")
	}
	exp := in.Expiry
	if exp == "" {
		exp = ExpireNever
	}
	var err error
	if pt.Expiry, err = ParseExpiry(exp); err != nil {
		f.Add("expiry", "invalid_expiry", "%v", err)
	}
	pt.PendingDays = in.PendingDays
	if pt.PendingDays < 0 || pt.PendingDays > 3650 {
		f.Add("pending_days", "out_of_range", "pending_days is between 0 and 3650")
	}
	pt.Transfers = slices.Compact(slices.Sorted(slices.Values(in.Transfers)))
	for i, r := range pt.Transfers {
		if !slices.Contains(TransferRoutes, r) {
			f.Add(fmt.Sprintf("transfers[%d]", i), "not_allowed", "a transfer route is one of %s", strings.Join(TransferRoutes, ", "))
		}
	}
	pt.ApprovalAbove = in.ApprovalAbove
	if pt.ApprovalAbove < 0 {
		f.Add("approval_above", "out_of_range", "approval_above must not be negative")
	}
}

// Check validates a point type's input as CreatePointType does and returns
// the point type it describes, without id or owner (the simulator checks
// the point types of draft variants with it).
func (in PointTypeInput) Check() (PointType, error) {
	var f errs.Fields
	var pt PointType
	in.build(&f, &pt)
	return pt, f.Err()
}
