package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

const stateCols = `program_id, owner_type, owner_id, state, due_ms`

func scanState(row rowScanner) (events.StoredState, error) {
	var s events.StoredState
	var body string
	var due sql.NullInt64
	if err := row.Scan(&s.Key.ProgramID, &s.Key.OwnerType, &s.Key.OwnerID, &body, &due); err != nil {
		return s, err
	}
	if due.Valid {
		s.DueAt = clock.FromMillis(due.Int64)
	}
	if s.Key.OwnerType == "program" {
		return s, json.Unmarshal([]byte(body), &s.Program)
	}
	return s, json.Unmarshal([]byte(body), &s.State)
}

// GetStates reads the states that exist among keys. With lock, a missing
// state is first inserted empty, so that it is locked too: two first
// events of one participant on two replicas then queue instead of
// overwriting each other.
func (t *Tx) GetStates(ctx context.Context, tenantID string, keys []events.StateKey, lock bool) ([]events.StoredState, error) {
	var out []events.StoredState
	for _, k := range keys {
		q := `SELECT ` + stateCols + ` FROM program_states WHERE tenant_id = $1 AND program_id = $2 AND owner_type = $3 AND owner_id = $4`
		if lock {
			q += t.forUpdate() // a read (a quote, a standing) locks nothing: it may run read-only
		}
		s, err := scanState(t.queryRow(ctx, q, tenantID, k.ProgramID, k.OwnerType, k.OwnerID))
		if err == sql.ErrNoRows && lock && t.forUpdate() != "" {
			if _, err := t.exec(ctx, `INSERT INTO program_states (tenant_id, program_id, owner_type, owner_id, state, due_ms, updated_ms)
				VALUES ($1, $2, $3, $4, '{}', NULL, 0) ON CONFLICT DO NOTHING`, tenantID, k.ProgramID, k.OwnerType, k.OwnerID); err != nil {
				return nil, err
			}
			s, err = scanState(t.queryRow(ctx, q, tenantID, k.ProgramID, k.OwnerType, k.OwnerID))
		}
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// PutStates writes states, inserting or replacing each.
func (t *Tx) PutStates(ctx context.Context, tenantID string, states []events.StoredState, at time.Time) error {
	for _, s := range states {
		var body []byte
		var err error
		if s.Key.OwnerType == "program" {
			body, err = json.Marshal(s.Program)
		} else {
			body, err = json.Marshal(s.State)
		}
		if err != nil {
			return err
		}
		var due any
		if !s.DueAt.IsZero() {
			due = ms(s.DueAt)
		}
		if _, err := t.exec(ctx, `INSERT INTO program_states (tenant_id, program_id, owner_type, owner_id, state, due_ms, updated_ms)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (tenant_id, program_id, owner_type, owner_id) DO UPDATE SET state = excluded.state, due_ms = excluded.due_ms, updated_ms = excluded.updated_ms`,
			tenantID, s.Key.ProgramID, s.Key.OwnerType, s.Key.OwnerID, string(body), due, ms(at)); err != nil {
			return err
		}
	}
	return nil
}

// DueStates lists organization states due for review at t, locked.
func (t *Tx) DueStates(ctx context.Context, tenantID string, at time.Time, limit int) ([]events.StoredState, error) {
	return list(ctx, t, `SELECT `+stateCols+` FROM program_states WHERE tenant_id = $1 AND due_ms IS NOT NULL AND due_ms <= $2
		AND owner_type = 'organization' ORDER BY due_ms, program_id, owner_id LIMIT $3`+t.forUpdate()+t.skipLocked(),
		scanState, tenantID, ms(at), limit)
}
