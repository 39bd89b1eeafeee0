// Package session keeps the sessions of people signed in to the web areas
// (staff in the console, members in the portal) in the database, each kind
// with its own Policy of how long a session lasts, and throttles failed
// sign-ins. A session belongs to a subject of a kind; the
// cookie holds the tenant id and a random secret, and only the secret's
// SHA-256 is stored, so a copy of the database signs no one in.
package session

import (
	"context"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Subject kinds.
const (
	Staff  = "staff"
	Member = "member"
)

// Session is one signed-in browser.
type Session struct {
	TenantID    string
	IDHash      string
	SubjectKind string
	SubjectID   string
	CreatedAt   time.Time
	SeenAt      time.Time
	ExpiresAt   time.Time // absolute expiry
	UserAgent   string
	Address     string
}

// Policy is how long sessions last.
type Policy struct {
	Idle     time.Duration // a session unused this long ends
	Absolute time.Duration // a session ends this long after sign-in whatever its use
}

// DefaultPolicy is staff's in the console: 30 minutes idle, 12 hours at
// most. A console reaches every member's data, so a forgotten browser must
// not stay signed in.
var DefaultPolicy = Policy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

// MemberPolicy is members' in the portal: 30 days idle, 90 days at most,
// as a phone app keeps one signed in. A member's session reaches only the
// member's own card, and signing in again means a code by e-mail or SMS,
// which a foreman on a site would otherwise fetch every time he looks at
// his points. 90 days still ends a lost phone's session within a quarter,
// and deactivating the member ends it at once.
var MemberPolicy = Policy{Idle: 30 * 24 * time.Hour, Absolute: 90 * 24 * time.Hour}

// touchEvery bounds how often a busy session's last-seen time is written.
const touchEvery = time.Minute

// Tx is what sessions need from storage.
type Tx interface {
	InsertSession(ctx context.Context, s Session) error
	GetSession(ctx context.Context, tenantID, idHash string) (Session, error)
	TouchSession(ctx context.Context, tenantID, idHash string, at time.Time) error
	DeleteSession(ctx context.Context, tenantID, idHash string) error
	// DeleteSessionsOf ends every session of a subject, but the one whose
	// hash is keep ("" for none), and reports how many it ended.
	DeleteSessionsOf(ctx context.Context, tenantID, kind, subjectID, keep string) (int, error)
	// DeleteStaleSessions deletes the sessions of a subject kind past
	// their absolute expiry at now or unused since seenBefore, and reports
	// how many.
	DeleteStaleSessions(ctx context.Context, tenantID, kind string, now, seenBefore time.Time) (int, error)
	FailureTx
}

// Service creates, finds and ends sessions.
type Service struct {
	Store        txn.Runner[Tx]
	Clock        clock.Clock
	Policy       Policy // staff's; zero: DefaultPolicy
	MemberPolicy Policy // members'; zero: MemberPolicy
}

// policy is how long sessions of a subject kind last.
func (s *Service) policy(kind string) Policy {
	if kind == Member {
		return or(s.MemberPolicy, MemberPolicy)
	}
	return or(s.Policy, DefaultPolicy)
}

func or(p, def Policy) Policy {
	if p.Idle == 0 {
		return def
	}
	return p
}

// Start begins a session for a subject and returns the cookie value. A new
// secret every time: signing in never reuses an earlier session's id.
func (s *Service) Start(ctx context.Context, tenantID, kind, subjectID, userAgent, address string) (string, Session, error) {
	now := s.Clock.Now()
	secret := ids.Token(24)
	ses := Session{TenantID: tenantID, IDHash: ids.Hash(secret), SubjectKind: kind, SubjectID: subjectID,
		CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(s.policy(kind).Absolute),
		UserAgent: clip(userAgent, 200), Address: clip(address, 64)}
	err := s.Store.Write(ctx, func(tx Tx) error { return tx.InsertSession(ctx, ses) })
	return tenantID + "." + secret, ses, err
}

var errNoSession = errs.E(errs.Unauthenticated, "no_session", "you are not signed in, or your session ended; sign in again")

// Find returns the live session of a cookie value, recording its use. An
// unknown, malformed, idle or expired session is Unauthenticated.
func (s *Service) Find(ctx context.Context, cookie string) (Session, error) {
	tenantID, secret, ok := strings.Cut(cookie, ".")
	if !ok || !ids.Valid(tenantID) || len(secret) < 32 || len(secret) > 64 {
		return Session{}, errNoSession
	}
	hash := ids.Hash(secret)
	ses, err := txn.Get(ctx, s.Store, func(tx Tx) (Session, error) { return tx.GetSession(ctx, tenantID, hash) })
	if errs.Is(err, errs.NotFound) {
		return Session{}, errNoSession
	}
	if err != nil {
		return Session{}, err
	}
	now := s.Clock.Now()
	if !now.Before(ses.ExpiresAt) || now.Sub(ses.SeenAt) >= s.policy(ses.SubjectKind).Idle {
		_ = s.Store.Write(context.WithoutCancel(ctx), func(tx Tx) error { return tx.DeleteSession(ctx, tenantID, hash) })
		return Session{}, errNoSession
	}
	if now.Sub(ses.SeenAt) >= touchEvery {
		// Last-seen drives the idle expiry; failing to write it only ends
		// the session sooner, so it does not fail the request.
		if s.Store.Write(context.WithoutCancel(ctx), func(tx Tx) error { return tx.TouchSession(ctx, tenantID, hash, now) }) == nil {
			ses.SeenAt = now
		}
	}
	return ses, nil
}

// End ends one session (sign out).
func (s *Service) End(ctx context.Context, ses Session) error {
	return s.Store.Write(ctx, func(tx Tx) error { return tx.DeleteSession(ctx, ses.TenantID, ses.IDHash) })
}

// EndAllOf ends every session of a subject but keep's (sign out everywhere
// else; pass a zero Session to end them all) and reports how many ended.
func (s *Service) EndAllOf(ctx context.Context, tenantID, kind, subjectID string, keep Session) (int, error) {
	return txn.Do(ctx, s.Store, func(tx Tx) (int, error) {
		return tx.DeleteSessionsOf(ctx, tenantID, kind, subjectID, keep.IDHash)
	})
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// JobPurge is the daily job that deletes ended sessions.
const JobPurge = "sessions"

// Purge deletes a tenant's sessions ended by now (idle or past their absolute
// expiry): Find refuses them already, this keeps the table to the live
// ones and forgets the addresses and browsers of the others.
func (s *Service) Purge(ctx context.Context, tenantID string, now time.Time) (int, error) {
	return txn.Do(ctx, s.Store, func(tx Tx) (int, error) {
		total := 0
		for _, kind := range []string{Staff, Member} {
			n, err := tx.DeleteStaleSessions(ctx, tenantID, kind, now, now.Add(-s.policy(kind).Idle))
			if err != nil {
				return 0, err
			}
			total += n
		}
		return total, nil
	})
}
