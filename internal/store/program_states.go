package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"slices"
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
// overwriting each other. On PostgreSQL many keys are read (and their
// placeholders inserted) in one statement each, in key order, so that
// concurrent batches lock in the same order; SQLite reads them one by one
// with a prepared statement (no round trips there).
func (t *Tx) GetStates(ctx context.Context, tenantID string, keys []events.StateKey, lock bool) ([]events.StoredState, error) {
	if t.d.engine() == Postgres && len(keys) > 1 {
		return t.stateSet(ctx, tenantID, keys, lock)
	}
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

// statesByKey and lockedStatesByKey read the states of the keys of the
// JSON array $2, one index probe per key, in key order (see keyed).
const (
	statesByKey = `SELECT s.program_id, s.owner_type, s.owner_id, s.state, s.due_ms
		FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS r(value, n) CROSS JOIN LATERAL (` + stateProbe + `) AS s ORDER BY r.n`
	lockedStatesByKey = `SELECT s.program_id, s.owner_type, s.owner_id, s.state, s.due_ms
		FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS r(value, n) CROSS JOIN LATERAL (` + stateProbe + ` FOR UPDATE) AS s ORDER BY r.n`
	stateProbe = `SELECT program_id, owner_type, owner_id, state, due_ms FROM program_states
		WHERE tenant_id = $1 AND program_id = r.value->>0 AND owner_type = r.value->>1 AND owner_id = r.value->>2 LIMIT 1`
)

// stateSet is GetStates on PostgreSQL for many keys: the placeholders in
// one statement, the states in another.
func (t *Tx) stateSet(ctx context.Context, tenantID string, keys []events.StateKey, lock bool) ([]events.StoredState, error) {
	sorted := slices.Clone(keys)
	slices.SortFunc(sorted, func(a, b events.StateKey) int {
		return cmp.Or(cmp.Compare(a.ProgramID, b.ProgramID), cmp.Compare(a.OwnerType, b.OwnerType), cmp.Compare(a.OwnerID, b.OwnerID))
	})
	rows := make([][]string, 0, len(sorted))
	for i, k := range sorted {
		if i == 0 || k != sorted[i-1] {
			rows = append(rows, []string{k.ProgramID, k.OwnerType, k.OwnerID})
		}
	}
	set, err := jsonSetText(rows)
	if err != nil {
		return nil, err
	}
	const from = `jsonb_array_elements($2::jsonb) AS r(value)`
	if lock {
		if _, err := t.exec(ctx, `INSERT INTO program_states (tenant_id, program_id, owner_type, owner_id, state, due_ms, updated_ms)
			SELECT $1, r.value->>0, r.value->>1, r.value->>2, '{}', NULL, 0 FROM `+from+` ORDER BY 2, 3, 4 ON CONFLICT DO NOTHING`, tenantID, set); err != nil {
			return nil, err
		}
	}
	if lock {
		return probed(ctx, t, lockedStatesByKey, scanState, tenantID, set)
	}
	return probed(ctx, t, statesByKey, scanState, tenantID, set)
}

// PutStates writes states, inserting or replacing each: on PostgreSQL in
// one statement, on SQLite with one prepared statement per state.
func (t *Tx) PutStates(ctx context.Context, tenantID string, states []events.StoredState, at time.Time) error {
	rows := make([][]any, len(states))
	for i, s := range states {
		body, err := stateBody(s)
		if err != nil {
			return err
		}
		var due, enrolled any
		if !s.DueAt.IsZero() {
			due = ms(s.DueAt)
		}
		if s.Key.OwnerType != "program" && s.State.EnrolledAt != nil {
			enrolled = ms(*s.State.EnrolledAt)
		}
		rows[i] = []any{s.Key.ProgramID, s.Key.OwnerType, s.Key.OwnerID, body, due, enrolled}
	}
	if t.d.engine() == Postgres && len(rows) > 1 {
		return t.putStateSet(ctx, tenantID, rows, at)
	}
	for _, r := range rows {
		if _, err := t.exec(ctx, `INSERT INTO program_states (tenant_id, program_id, owner_type, owner_id, state, due_ms, enrolled_ms, updated_ms)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id, program_id, owner_type, owner_id) DO UPDATE SET `+stateUpdate,
			tenantID, r[0], r[1], r[2], r[3], r[4], r[5], ms(at)); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) putStateSet(ctx context.Context, tenantID string, rows [][]any, at time.Time) error {
	set, err := jsonSetText(rows)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO program_states (tenant_id, program_id, owner_type, owner_id, state, due_ms, enrolled_ms, updated_ms)
		SELECT $1, r.value->>0, r.value->>1, r.value->>2, r.value->>3, (r.value->>4)::bigint, (r.value->>5)::bigint, $3 FROM jsonb_array_elements($2::jsonb) AS r(value)
		ON CONFLICT (tenant_id, program_id, owner_type, owner_id) DO UPDATE SET `+stateUpdate,
		tenantID, set, ms(at))
	return err
}

// stateUpdate replaces a state that exists (PutStates).
const stateUpdate = `state = excluded.state, due_ms = excluded.due_ms, enrolled_ms = excluded.enrolled_ms, updated_ms = excluded.updated_ms`

// stateBody is a state's JSON: a program's shared state, or a participant's.
func stateBody(s events.StoredState) (string, error) {
	var body []byte
	var err error
	if s.Key.OwnerType == "program" {
		body, err = json.Marshal(s.Program)
	} else {
		body, err = json.Marshal(s.State)
	}
	return string(body), err
}

// DueStates lists organization states due for review at t, locked.
func (t *Tx) DueStates(ctx context.Context, tenantID string, at time.Time, limit int) ([]events.StoredState, error) {
	return list(ctx, t, `SELECT `+stateCols+` FROM program_states WHERE tenant_id = $1 AND due_ms IS NOT NULL AND due_ms <= $2
		AND owner_type = 'organization' ORDER BY due_ms, program_id, owner_id LIMIT $3`+t.forUpdate()+t.skipLocked(),
		scanState, tenantID, ms(at), limit)
}
