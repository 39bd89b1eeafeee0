package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/loyal-b2b/loyal/internal/simulate"
)

// EventsBetween reads up to limit events of a tenant that occurred in
// [from, to), in the order they happened and, at one instant, were stored
// (ids are time-ordered). Only what a simulation replays is read: the
// event's body, organization and member, not the stored outcomes.
func (t *Tx) EventsBetween(ctx context.Context, tenantID string, from, to time.Time, limit int) ([]simulate.StoredEvent, error) {
	return list(ctx, t, `SELECT id, organization_id, member_id, body FROM events
		WHERE tenant_id = $1 AND occurred_ms >= $2 AND occurred_ms < $3 ORDER BY occurred_ms, id LIMIT $4`,
		func(r rowScanner) (simulate.StoredEvent, error) {
			var e simulate.StoredEvent
			var id, body string
			var member sql.NullString
			if err := r.Scan(&id, &e.Org, &member, &body); err != nil {
				return e, err
			}
			e.Member = member.String
			err := json.Unmarshal([]byte(body), &e.Event)
			e.Event.ID = id
			return e, err
		}, tenantID, ms(from), ms(to), limit)
}
