package store

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/session"
)

const sessionCols = `tenant_id, id_hash, subject_kind, subject_id, created_ms, seen_ms, expires_ms, user_agent, address`

// InsertSession stores a new session.
func (t *Tx) InsertSession(ctx context.Context, s session.Session) error {
	_, err := t.exec(ctx, `INSERT INTO sessions (`+sessionCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		s.TenantID, s.IDHash, s.SubjectKind, s.SubjectID, ms(s.CreatedAt), ms(s.SeenAt), ms(s.ExpiresAt), s.UserAgent, s.Address)
	return err
}

// GetSession reads a session by its secret's hash.
func (t *Tx) GetSession(ctx context.Context, tenantID, idHash string) (session.Session, error) {
	var s session.Session
	var c, seen, exp int64
	err := t.queryRow(ctx, `SELECT `+sessionCols+` FROM sessions WHERE tenant_id = $1 AND id_hash = $2`, tenantID, idHash).
		Scan(&s.TenantID, &s.IDHash, &s.SubjectKind, &s.SubjectID, &c, &seen, &exp, &s.UserAgent, &s.Address)
	s.CreatedAt, s.SeenAt, s.ExpiresAt = clock.FromMillis(c), clock.FromMillis(seen), clock.FromMillis(exp)
	return s, notFound(err, "session", "")
}

// TouchSession records a session's use.
func (t *Tx) TouchSession(ctx context.Context, tenantID, idHash string, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE sessions SET seen_ms = $3 WHERE tenant_id = $1 AND id_hash = $2`, tenantID, idHash, ms(at))
	return err
}

// DeleteSession ends a session.
func (t *Tx) DeleteSession(ctx context.Context, tenantID, idHash string) error {
	_, err := t.exec(ctx, `DELETE FROM sessions WHERE tenant_id = $1 AND id_hash = $2`, tenantID, idHash)
	return err
}

// DeleteSessionsOf ends a subject's sessions but keep's.
func (t *Tx) DeleteSessionsOf(ctx context.Context, tenantID, kind, subjectID, keep string) (int, error) {
	res, err := t.exec(ctx, `DELETE FROM sessions WHERE tenant_id = $1 AND subject_kind = $2 AND subject_id = $3 AND id_hash <> $4`,
		tenantID, kind, subjectID, keep)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// DeleteStaleSessions deletes a tenant's sessions of a subject kind that
// ended: past their absolute expiry or unused since seenBefore.
func (t *Tx) DeleteStaleSessions(ctx context.Context, tenantID, kind string, now, seenBefore time.Time) (int, error) {
	res, err := t.exec(ctx, `DELETE FROM sessions WHERE tenant_id = $1 AND subject_kind = $2 AND (expires_ms <= $3 OR seen_ms <= $4)`,
		tenantID, kind, ms(now), ms(seenBefore))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// GetFailures reads a subject's failed sign-ins.
func (t *Tx) GetFailures(ctx context.Context, tenantID, subject string) (session.Failures, error) {
	var f session.Failures
	var last, locked int64
	err := t.queryRow(ctx, `SELECT tenant_id, subject, failures, last_ms, locked_until_ms FROM signin_failures WHERE tenant_id = $1 AND subject = $2`,
		tenantID, subject).Scan(&f.TenantID, &f.Subject, &f.Count, &last, &locked)
	f.Last, f.LockedUntil = clock.FromMillis(last), clock.FromMillis(locked)
	return f, notFound(err, "sign-in failures", subject)
}

// AddFailure counts a failure in one statement, so concurrent failures
// all count; a count older than reset starts over.
func (t *Tx) AddFailure(ctx context.Context, tenantID, subject string, at time.Time, reset time.Duration) (session.Failures, error) {
	_, err := t.exec(ctx, `INSERT INTO signin_failures (tenant_id, subject, failures, last_ms, locked_until_ms) VALUES ($1, $2, 1, $3, 0)
		ON CONFLICT (tenant_id, subject) DO UPDATE SET
			failures = CASE WHEN signin_failures.last_ms < $4 THEN 1 ELSE signin_failures.failures + 1 END,
			last_ms = $3`, tenantID, subject, ms(at), ms(at.Add(-reset)))
	if err != nil {
		return session.Failures{}, err
	}
	return t.GetFailures(ctx, tenantID, subject)
}

// SetLockedUntil locks a subject out until a time.
func (t *Tx) SetLockedUntil(ctx context.Context, tenantID, subject string, until time.Time) error {
	_, err := t.exec(ctx, `UPDATE signin_failures SET locked_until_ms = $3 WHERE tenant_id = $1 AND subject = $2`, tenantID, subject, ms(until))
	return err
}

// ClearFailures forgets a subject's failures (after a good sign-in).
func (t *Tx) ClearFailures(ctx context.Context, tenantID, subject string) error {
	_, err := t.exec(ctx, `DELETE FROM signin_failures WHERE tenant_id = $1 AND subject = $2`, tenantID, subject)
	return err
}
