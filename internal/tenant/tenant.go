// Package tenant holds the operators of a hosted installation (tenants),
// their staff users and their API keys, and authenticates API callers.
package tenant

import (
	"context"
	"regexp"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/session"
)

// Tenant is an operator: a company running its loyalty programs here.
type Tenant struct {
	ID     string `json:"id"`
	Slug   string `json:"slug"` // short, unique, part of every API key of the tenant
	Name   string `json:"name"`
	Status string `json:"status"`
	Settings
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// RateLimit is the tenant's own request rate, in requests a second per
	// server (0: the server's default), set by the platform operator.
	RateLimit int64 `json:"rate_limit"`
}

// Settings are what a tenant's administrators choose for the console's
// approvals.
type Settings struct {
	// VersionApproval: a new version of a running program, and a draft's
	// activation, wait for a second person's approval before they take
	// effect.
	VersionApproval bool `json:"version_approval"`
	// AdjustLimit is the most points a support agent or an account manager
	// may adjust without a second person's approval.
	AdjustLimit int64 `json:"adjust_limit"`
}

// DefaultSettings are a new tenant's.
var DefaultSettings = Settings{AdjustLimit: 1000}

// Role is a staff user's job, which decides what the user may do
// (access.Principal.Can and its role table).
type Role = access.Role

// Staff roles.
const (
	RoleAdmin          = access.RoleAdmin
	RoleProgramManager = access.RoleProgramManager
	RoleAccountManager = access.RoleAccountManager
	RoleFinance        = access.RoleFinance
	RoleSupport        = access.RoleSupport
	RoleIntegrator     = access.RoleIntegrator
	RoleReadOnly       = access.RoleReadOnly
)

// Roles lists every staff role.
var Roles = access.Roles

// Staff is a person working for the operator.
type Staff struct {
	ID        string    `json:"id"`
	TenantID  string    `json:"tenant_id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	Status    string    `json:"status"` // active or disabled
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// PasswordHash is the argon2id hash of the console password ("" until
	// set); PasswordSetAt ends sessions begun before it.
	PasswordHash  string    `json:"-"`
	PasswordSetAt time.Time `json:"-"`
	// CreatedBy is the actor that created the user ("api_key:<id>",
	// "staff:<id>", "system:system"; "" for users created before it was
	// recorded); EmpoweredBy and EmpoweredAt, the actor that last changed
	// the user's role or enabled the user again, and when. Four-eyes
	// checks read them (CheckApprover).
	CreatedBy   string     `json:"created_by"`
	EmpoweredBy string     `json:"empowered_by,omitempty"`
	EmpoweredAt *time.Time `json:"empowered_at,omitempty"`
}

// Staff statuses.
const (
	StaffActive   = "active"
	StaffDisabled = "disabled"
)

// APIKey is a credential for the API. Its secret is shown once, at
// creation, and stored only as a hash.
type APIKey struct {
	ID         string       `json:"id"`
	TenantID   string       `json:"tenant_id"`
	Name       string       `json:"name"`
	Scope      access.Scope `json:"scope"`
	StaffID    string       `json:"staff_id"`             // the staff user the key acts for; "" for an integration key
	PartnerID  string       `json:"partner_id,omitempty"` // the coalition partner the key belongs to, if any
	SecretHash string       `json:"-"`
	CreatedBy  string       `json:"created_by"` // the actor that made it, as Actor names it
	CreatedAt  time.Time    `json:"created_at"`
	RevokedAt  *time.Time   `json:"revoked_at"`
	LastUsedAt *time.Time   `json:"last_used_at"`
}

// Actor names the caller that makes a staff user or a key in their
// records: "<actor type>:<actor id>" ("api_key:<id>" for a key, whatever
// staff user it acts for: whoever holds that key could have acted).
func Actor(p access.Principal) string { return string(p.ActorType) + ":" + p.ActorID }

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$`)

// ValidSlug reports whether s can be a tenant slug: 3–32 lower-case letters,
// digits and inner hyphens.
func ValidSlug(s string) bool { return slugRE.MatchString(s) }

// ValidRole reports whether r is a known role.
func ValidRole(r Role) bool { return slices.Contains(Roles, r) }

// Tx is what the tenant service needs from storage inside a transaction.
type Tx interface {
	audit.Writer
	InsertTenant(ctx context.Context, t Tenant) error
	TenantBySlug(ctx context.Context, slug string) (Tenant, error)
	TenantByID(ctx context.Context, id string) (Tenant, error)
	ListTenants(ctx context.Context) ([]Tenant, error)
	SetTenantRateLimit(ctx context.Context, id string, rate int64, at time.Time) error
	InsertStaff(ctx context.Context, s Staff) error
	UpdateStaff(ctx context.Context, s Staff) error
	GetStaff(ctx context.Context, tenantID, id string) (Staff, error)
	StaffByEmail(ctx context.Context, tenantID, email string) (Staff, error)
	ListStaff(ctx context.Context, tenantID string, r page.Request) ([]Staff, error)
	SetStaffPassword(ctx context.Context, tenantID, id, hash string, at time.Time) error
	InsertStaffToken(ctx context.Context, t Token) error
	// UseStaffToken marks an unused, unexpired token used and returns it;
	// of concurrent uses exactly one succeeds, the others get NotFound.
	UseStaffToken(ctx context.Context, tenantID, hash string, now time.Time) (Token, error)
	PutSettings(ctx context.Context, tenantID string, s Settings, at time.Time) error
	session.FailureTx
	InsertAPIKey(ctx context.Context, k APIKey) error
	GetAPIKey(ctx context.Context, tenantID, id string) (APIKey, error)
	KeyForAuth(ctx context.Context, slug, keyID string) (KeyAuth, error)
	ListAPIKeys(ctx context.Context, tenantID string, r page.Request) ([]APIKey, error)
	RevokeAPIKey(ctx context.Context, tenantID, id string, at time.Time) error
	TouchAPIKey(ctx context.Context, tenantID, id string, at time.Time) error
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Service manages tenants, staff and API keys, and signs staff in.
type Service struct {
	Store Store
	Clock clock.Clock
	// Mailer sends password-reset links and invitations; Links makes their
	// addresses. Without them, resets and invitations are refused.
	Mailer Mailer
	Links  Links
	touch  touchThrottle
	keys   keyCache // verified keys, for KeyCacheTTL (keycache.go)
}
