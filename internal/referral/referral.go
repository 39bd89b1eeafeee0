// Package referral holds referrals (DOMAIN.md §3.9): every organization
// and member has a referral code; a new organization registers with one,
// and when it makes its first qualifying purchase both sides are credited
// once, per the program's referral settings. The crediting is an
// events.Hook, inside the purchase's own transaction.
package referral

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/program"
)

// Referral statuses.
const (
	Pending   = "pending"   // registered, no qualifying purchase yet
	Qualified = "qualified" // rewarded
)

// Owner types of codes: who the referrer is.
const (
	OwnerOrganization = string(ledger.OwnerOrganization)
	OwnerMember       = string(ledger.OwnerMember)
)

// Code is the referral code of an organization or a member.
type Code struct {
	TenantID  string    `json:"-"`
	Code      string    `json:"code"`
	OwnerType string    `json:"owner_type"`
	OwnerID   string    `json:"owner_id"`
	CreatedAt time.Time `json:"created_at"`
}

// Link is the path a referral link points to.
func (c Code) Link() string { return "/r/" + c.Code }

// Referral is a new organization brought by a code's owner.
type Referral struct {
	ID             string     `json:"id"`
	TenantID       string     `json:"-"`
	Code           string     `json:"code"`
	ReferrerType   string     `json:"referrer_type"` // organization or member
	ReferrerID     string     `json:"referrer_id"`
	ReferrerOrgID  string     `json:"referrer_organization_id"` // the member's organization for a member
	ReferredOrgID  string     `json:"referred_organization_id"`
	Status         string     `json:"status"`
	ProgramID      string     `json:"program_id"` // the program that rewarded it
	EventID        string     `json:"event_id"`   // the qualifying purchase
	ReferrerPoints int64      `json:"referrer_points"`
	ReferredPoints int64      `json:"referred_points"`
	QualifiedAt    *time.Time `json:"qualified_at"`
	CreatedAt      time.Time  `json:"created_at"`
}

// Rewards are a program's referral rewards.
type Rewards struct {
	ProgramID      string    `json:"program_id"`
	ReferrerPoints int64     `json:"referrer_points"`
	ReferredPoints int64     `json:"referred_points"`
	MinFirstBuy    int64     `json:"min_first_purchase"` // minor units of the program's currency, net of the lines
	UpdatedAt      time.Time `json:"updated_at"`
}

// Tx is what referrals need from storage.
type Tx interface {
	audit.Writer
	party.OrgReader
	party.MemberReader
	// LockOrganization locks an organization for the transaction: its
	// referral is decided, or read on the way up a chain of referrers,
	// under the lock.
	LockOrganization(ctx context.Context, tenantID, id string) error
	GetProgram(ctx context.Context, tenantID, id string) (program.Program, error)
	RunningPrograms(ctx context.Context, tenantID string) ([]program.Program, error)
	ListVersions(ctx context.Context, tenantID, programID string) ([]program.Version, error)

	// InsertCodeIfAbsent stores a code unless its owner has one or the
	// code is taken; the caller reads back which.
	InsertCodeIfAbsent(ctx context.Context, c Code) error
	CodeByOwner(ctx context.Context, tenantID, ownerType, ownerID string) (Code, error)
	GetReferralCode(ctx context.Context, tenantID, code string) (Code, error)
	// InsertReferral stores a referral; a second referral of the same
	// organization is a Conflict.
	InsertReferral(ctx context.Context, r Referral) error
	HasReferrals(ctx context.Context, tenantID string) (bool, error)
	ReferralOf(ctx context.Context, tenantID, referredOrgID string) (Referral, error)
	ListReferralsBy(ctx context.Context, tenantID, referrerOrgID string, r page.Request) ([]Referral, error)
	// QualifyReferral writes a pending referral's qualification, reporting
	// whether it was still pending.
	QualifyReferral(ctx context.Context, r Referral) (bool, error)
	HasPurchases(ctx context.Context, tenantID, orgID string) (bool, error)
	GetReferralSettings(ctx context.Context, tenantID, programID string) (Rewards, error)
	PutReferralSettings(ctx context.Context, tenantID string, s Rewards) error
	ListReferralSettings(ctx context.Context, tenantID string) ([]Rewards, error)
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Service manages referral codes, referrals and settings, and is the
// ingestion hook that qualifies referrals.
type Service struct {
	Store Store
	Clock clock.Clock
	// used remembers whether a tenant has referrals at all, so that the
	// purchases of tenants without pay no query.
	used tenantflag.Flags
}

// codeLen characters of crypto/rand.Text's base32 alphabet (A–Z, 2–7)
// carry 60 bits: not guessable, short enough to type.
const codeLen = 12

// newCode draws a random code.
func newCode() string { return rand.Text()[:codeLen] }
