// Package memberauth signs program members in to the portal without a
// password: a six-digit code and a link, sent by e-mail or SMS to an
// address the member is known by. A code works once, for ten minutes and
// five tries; requests and wrong codes are throttled; and the answer to a
// request is the same whether or not anyone has the address, so the form
// does not tell who is a member. Only hashes of codes and links are kept.
package memberauth

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/throttle"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// Channels a code travels by.
const (
	ByEmail = "email"
	BySMS   = "sms"
)

// How long codes and invitation links work, and how many tries a code has.
const (
	CodeTTL   = 10 * time.Minute
	InviteTTL = 7 * 24 * time.Hour
	MaxTries  = 5
)

// Throttles: requests per address sent to and per client, wrong codes per
// client. A refused request is refused alike for every address.
var (
	PerRecipient = throttle.Rate{Every: 2 * time.Minute, Burst: 3}
	PerClient    = throttle.Rate{Every: 6 * time.Second, Burst: 10}
	WrongPerIP   = throttle.Rate{Every: 30 * time.Second, Burst: 20}
)

// Code is one code (and link) sent to a member.
type Code struct {
	TenantID  string
	ID        string
	MemberID  string
	Channel   string
	Address   string
	CodeHash  string
	LinkHash  string
	Tries     int
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// Tx is what sign-in needs from storage.
type Tx interface {
	InsertMemberCode(ctx context.Context, c Code) error
	// LatestMemberCode returns the newest unused code sent to an address
	// that is still valid at now, or NotFound.
	LatestMemberCode(ctx context.Context, tenantID, address string, now time.Time) (Code, error)
	MemberCodeByLink(ctx context.Context, tenantID, linkHash string) (Code, error)
	// CountCodeTry counts a wrong try unless max were made already, and
	// reports whether it counted (false: the code is used up).
	CountCodeTry(ctx context.Context, tenantID, id string, max int) (bool, error)
	// UseMemberCode marks a code used unless it was, or its tries are used
	// up, and reports whether this call did (of two concurrent uses, one).
	UseMemberCode(ctx context.Context, tenantID, id string, at time.Time, maxTries int) (bool, error)
	// MembersByContact lists the active members with an e-mail (channel
	// email) or phone (sms), oldest first.
	MembersByContact(ctx context.Context, tenantID, channel, address string) ([]party.Member, error)
	GetMember(ctx context.Context, tenantID, id string) (party.Member, error)
	// DeleteMemberCodes deletes the codes that expired before a time and
	// reports how many.
	DeleteMemberCodes(ctx context.Context, tenantID string, before time.Time) (int, error)
}

// Texter sends a text message (SMS) to a phone number in E.164 form.
type Texter interface {
	Text(ctx context.Context, to, body string) error
}

// Tenants finds a workspace by its slug.
type Tenants interface {
	TenantBySlug(ctx context.Context, slug string) (tenant.Tenant, error)
}

// Links makes the address of a sign-in link.
type Links interface {
	MemberLink(slug, secret string) string
}

// Service sends and checks codes.
type Service struct {
	Store   txn.Runner[Tx]
	Clock   clock.Clock
	Tenants Tenants
	Mailer  tenant.Mailer
	Texter  Texter
	Links   Links
	Limiter *throttle.Limiter
}
