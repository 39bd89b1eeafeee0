package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
)

// jsonText encodes a value for a TEXT column; a nil slice is "[]".
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return "[]"
	}
	return string(b)
}

const versionCols = `tenant_id, program_id, version, effective_ms, definition, created_by, created_ms,
	approval, requested_by, decided_by, decided_ms, decision_note`

func scanVersion(row rowScanner) (program.Version, error) {
	var v program.Version
	var eff, c, dec int64
	var def string
	err := row.Scan(&v.TenantID, &v.ProgramID, &v.Version, &eff, &def, &v.CreatedBy, &c,
		&v.Approval, &v.RequestedBy, &v.DecidedBy, &dec, &v.DecisionNote)
	v.EffectiveFrom, v.CreatedAt = clock.FromMillis(eff), clock.FromMillis(c)
	if dec > 0 {
		d := clock.FromMillis(dec)
		v.DecidedAt = &d
	}
	if err == nil {
		err = json.Unmarshal([]byte(def), &v.Definition)
	}
	return v, err
}

// InsertVersion stores a program version. Two concurrent edits collide on
// the primary key; one fails and can be retried.
func (t *Tx) InsertVersion(ctx context.Context, v program.Version) error {
	def, err := json.Marshal(v.Definition)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO program_versions (`+versionCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', 0, '')`,
		v.TenantID, v.ProgramID, v.Version, ms(v.EffectiveFrom), string(def), v.CreatedBy, ms(v.CreatedAt), v.Approval, v.RequestedBy)
	if t.d.isUnique(err) {
		return duplicate("version", "another version was added at the same time; retry")
	}
	return err
}

// ListVersions reads a program's versions in force, oldest first: those
// waiting for approval or rejected never take part.
func (t *Tx) ListVersions(ctx context.Context, tenantID, programID string) ([]program.Version, error) {
	return list(ctx, t, `SELECT `+versionCols+` FROM program_versions WHERE tenant_id = $1 AND program_id = $2 AND approval = '' ORDER BY version`,
		scanVersion, tenantID, programID)
}

// ListAllVersions reads every version of a program, oldest first.
func (t *Tx) ListAllVersions(ctx context.Context, tenantID, programID string) ([]program.Version, error) {
	return list(ctx, t, `SELECT `+versionCols+` FROM program_versions WHERE tenant_id = $1 AND program_id = $2 ORDER BY version`,
		scanVersion, tenantID, programID)
}

// PendingVersions reads the versions waiting for approval.
func (t *Tx) PendingVersions(ctx context.Context, tenantID string) ([]program.Version, error) {
	return list(ctx, t, `SELECT `+versionCols+` FROM program_versions WHERE tenant_id = $1 AND approval = 'pending' ORDER BY created_ms`,
		scanVersion, tenantID)
}

// DecideVersion writes a decision on a version still pending.
func (t *Tx) DecideVersion(ctx context.Context, v program.Version) (bool, error) {
	return affected(t.exec(ctx, `UPDATE program_versions SET approval = $4, effective_ms = $5, decided_by = $6, decided_ms = $7, decision_note = $8
		WHERE tenant_id = $1 AND program_id = $2 AND version = $3 AND approval = 'pending'`,
		v.TenantID, v.ProgramID, v.Version, v.Approval, ms(v.EffectiveFrom), v.DecidedBy, optMillis(derefTime(v.DecidedAt)), v.DecisionNote))
}

// VersionApprovalRequired reads the tenant's setting.
func (t *Tx) VersionApprovalRequired(ctx context.Context, tenantID string) (bool, error) {
	var n int64
	err := t.queryRow(ctx, `SELECT version_approval FROM tenants WHERE id = $1`, tenantID).Scan(&n)
	return n != 0, notFound(err, "tenant", tenantID)
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// OrganizationsExist returns the ids among ids that are not organizations
// of the tenant.
func (t *Tx) OrganizationsExist(ctx context.Context, tenantID string, ids []string) ([]string, error) {
	found := map[string]bool{}
	for _, part := range chunks(ids, rowsPerStatement) {
		got, err := list(ctx, t, `SELECT id FROM organizations WHERE tenant_id = $1 AND id IN (`+inList(len(part), 2)+`)`,
			scanString, append([]any{tenantID}, anys(part)...)...)
		if err != nil {
			return nil, err
		}
		for _, id := range got {
			found[id] = true
		}
	}
	var missing []string
	for _, id := range ids {
		if !found[id] {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

const eventCols = `tenant_id, id, source, external_id, type, organization_id, member_id, occurred_ms, hash, body, results, created_ms`

var eventColList = strings.Split(eventCols, ", ")

func scanEvent(row rowScanner) (events.Record, error) {
	var r events.Record
	var member sql.NullString
	var src, ext, typ, body, results string
	var occ, c int64
	err := row.Scan(&r.TenantID, &r.ID, &src, &ext, &typ, &r.OrganizationID, &member, &occ, &r.Hash, &body, &results, &c)
	if err != nil {
		return r, err
	}
	r.MemberID, r.CreatedAt = member.String, clock.FromMillis(c)
	return r, errors.Join(json.Unmarshal([]byte(body), &r.Event), json.Unmarshal([]byte(results), &r.Results))
}

// GetEvent reads an event by id.
func (t *Tx) GetEvent(ctx context.Context, tenantID, id string) (events.Record, error) {
	r, err := scanEvent(t.queryRow(ctx, `SELECT `+eventCols+` FROM events WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return r, notFound(err, "event", id)
}

// GetEventByExternal reads an event by its source and external id.
func (t *Tx) GetEventByExternal(ctx context.Context, tenantID, source, externalID string) (events.Record, error) {
	r, err := scanEvent(t.queryRow(ctx, `SELECT `+eventCols+` FROM events WHERE tenant_id = $1 AND source = $2 AND external_id = $3`,
		tenantID, source, externalID))
	return r, notFound(err, "event", source+"/"+externalID)
}

// EventsByExternal reads the events stored under any of keys: on
// PostgreSQL in one statement, on SQLite with the prepared lookup per key
// (no round trips there).
func (t *Tx) EventsByExternal(ctx context.Context, tenantID string, keys []events.ExternalKey) ([]events.Record, error) {
	if t.d.engine() != Postgres {
		return found(len(keys), func(i int) (events.Record, error) {
			return t.GetEventByExternal(ctx, tenantID, keys[i].Source, keys[i].ExternalID)
		})
	}
	rows := make([][2]string, len(keys))
	for i, k := range keys {
		rows[i] = [2]string{k.Source, k.ExternalID}
	}
	set, err := jsonSetText(rows)
	if err != nil {
		return nil, err
	}
	return probed(ctx, t, eventsByKey, scanEvent, tenantID, set)
}

// eventsByKey reads the events of the (source, external id) pairs of the
// JSON array $2, one index probe per pair (see keyed): as a join, a young
// table's statistics made PostgreSQL hash every event of the tenant.
const eventsByKey = `SELECT e.* FROM jsonb_array_elements($2::jsonb) AS r(value)
	CROSS JOIN LATERAL (SELECT ` + eventCols + ` FROM events WHERE tenant_id = $1 AND source = r.value->>0 AND external_id = r.value->>1 LIMIT 1) AS e`

// LockEventByExternal is GetEventByExternal for an invoice being
// returned: the row stays locked until the transaction ends, so that a
// concurrent return of it waits and then reads what this one returned.
func (t *Tx) LockEventByExternal(ctx context.Context, tenantID, source, externalID string) (events.Record, error) {
	r, err := scanEvent(t.queryRow(ctx, `SELECT `+eventCols+` FROM events WHERE tenant_id = $1 AND source = $2 AND external_id = $3`+t.forUpdate(),
		tenantID, source, externalID))
	return r, notFound(err, "event", source+"/"+externalID)
}

// InsertEvent stores an ingested event with its results.
func (t *Tx) InsertEvent(ctx context.Context, r events.Record) error {
	body, err := json.Marshal(r.Event)
	if err != nil {
		return err
	}
	// Held on PostgreSQL (pipeline.go): the batch's duplicate check ran
	// before, so only a concurrent insert of the same event can fail it,
	// and that fails the whole write anyway. The message names the event,
	// as it may surface while a later event of the batch is handled.
	explain := func(err error) error {
		if t.d.isUnique(err) {
			return duplicate("external_id", fmt.Sprintf("an event with source %q and external id %q was received at the same time; retry to get its outcome",
				r.Event.Source, r.Event.ExternalID))
		}
		return err
	}
	args := []any{r.TenantID, r.ID, r.Event.Source, r.Event.ExternalID, r.Event.Type, r.OrganizationID, nullable(r.MemberID),
		ms(r.Event.OccurredAt), r.Hash, string(body), jsonText(r.Results), ms(r.CreatedAt)}
	// On PostgreSQL with the batch's other events, as a COPY (copy.go).
	return t.heldRows(ctx, explain, "events", eventColList, "", 1, func(int) []any { return args })
}

// UpdateEventResults rewrites an event's results (after a return).
func (t *Tx) UpdateEventResults(ctx context.Context, tenantID, id string, results []events.ProgramResult) error {
	_, err := t.exec(ctx, `UPDATE events SET results = $3 WHERE tenant_id = $1 AND id = $2`, tenantID, id, jsonText(results))
	return err
}

// ListEvents reads a page of an organization's events, newest first. The
// cursor is events.Cursor of the last event of the previous page.
func (t *Tx) ListEvents(ctx context.Context, tenantID, orgID string, r page.Request) ([]events.Record, error) {
	if r.After == "" {
		return list(ctx, t, `SELECT `+eventCols+` FROM events WHERE tenant_id = $1 AND organization_id = $2
			ORDER BY occurred_ms DESC, id DESC LIMIT $3`, scanEvent, tenantID, orgID, r.Limit+1)
	}
	at, id, err := events.ParseCursor(r.After)
	if err != nil {
		return nil, err
	}
	return list(ctx, t, `SELECT `+eventCols+` FROM events WHERE tenant_id = $1 AND organization_id = $2
		AND (occurred_ms < $3 OR (occurred_ms = $3 AND id < $4)) ORDER BY occurred_ms DESC, id DESC LIMIT $5`,
		scanEvent, tenantID, orgID, at, id, r.Limit+1)
}
