package store

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/occasion"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

// MembersBornOn lists active members whose birthday ("YYYY-MM-DD") falls
// on one of two month-days ("MM-DD") and is before a date. It scans the
// tenant's members once a day; a birthday index is not worth its writes.
func (t *Tx) MembersBornOn(ctx context.Context, tenantID string, monthDays []string, before string) ([]party.Member, error) {
	a, b := monthDays[0], monthDays[len(monthDays)-1]
	return list(ctx, t, `SELECT `+memberCols+` FROM members WHERE tenant_id = $1 AND status = 'active' AND birthday <> ''
		AND substr(birthday, 6, 5) IN ($2, $3) AND birthday < $4 ORDER BY id`, scanMember, tenantID, a, b, before)
}

// ActiveOrganizationsSince lists active organizations created before a
// time, with their creation time (the start of the relationship).
func (t *Tx) ActiveOrganizationsSince(ctx context.Context, tenantID string, before time.Time) ([]occasion.Since, error) {
	return list(ctx, t, `SELECT id, created_ms FROM organizations WHERE tenant_id = $1 AND status = 'active' AND created_ms < $2 ORDER BY id`,
		func(row rowScanner) (occasion.Since, error) {
			var s occasion.Since
			var c int64
			err := row.Scan(&s.ID, &c)
			s.Since = clock.FromMillis(c)
			return s, err
		}, tenantID, ms(before))
}
