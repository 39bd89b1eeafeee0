package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/segment"
)

const segmentCols = `tenant_id, id, code, name, rules, members, refreshed_ms, created_ms, updated_ms`

func scanSegment(row rowScanner) (segment.Segment, error) {
	var s segment.Segment
	var rules string
	var refreshed sql.NullInt64
	var c, u int64
	err := row.Scan(&s.TenantID, &s.ID, &s.Code, &s.Name, &rules, &s.Members, &refreshed, &c, &u)
	s.RefreshedAt, s.CreatedAt, s.UpdatedAt = fromOptMs(refreshed), clock.FromMillis(c), clock.FromMillis(u)
	if err == nil {
		err = json.Unmarshal([]byte(rules), &s.Rules)
	}
	return s, err
}

func segmentArgs(s segment.Segment) []any {
	return []any{s.TenantID, s.ID, s.Code, s.Name, jsonText(s.Rules), s.Members, optMs(s.RefreshedAt), ms(s.CreatedAt), ms(s.UpdatedAt)}
}

// InsertSegment stores a new segment; its code is unique per tenant.
func (t *Tx) InsertSegment(ctx context.Context, s segment.Segment) error {
	_, err := t.exec(ctx, `INSERT INTO segments (`+segmentCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, segmentArgs(s)...)
	return t.segmentErr(err, s)
}

// UpdateSegment writes a segment's fields.
func (t *Tx) UpdateSegment(ctx context.Context, s segment.Segment) error {
	_, err := t.exec(ctx, `UPDATE segments SET code = $3, name = $4, rules = $5, members = $6, refreshed_ms = $7, created_ms = $8, updated_ms = $9
		WHERE tenant_id = $1 AND id = $2`, segmentArgs(s)...)
	return t.segmentErr(err, s)
}

func (t *Tx) segmentErr(err error, s segment.Segment) error {
	if t.d.isUnique(err) {
		return duplicate("code", "segment code "+s.Code+" is already used by another segment")
	}
	return err
}

// GetSegment reads one segment.
func (t *Tx) GetSegment(ctx context.Context, tenantID, id string) (segment.Segment, error) {
	s, err := scanSegment(t.queryRow(ctx, `SELECT `+segmentCols+` FROM segments WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return s, notFound(err, "segment", id)
}

// ListSegments reads a page of segments by id.
func (t *Tx) ListSegments(ctx context.Context, tenantID string, r page.Request) ([]segment.Segment, error) {
	return list(ctx, t, `SELECT `+segmentCols+` FROM segments WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		scanSegment, tenantID, r.After, r.Limit+1)
}

// DeleteSegment removes a segment and its memberships.
func (t *Tx) DeleteSegment(ctx context.Context, tenantID, id string) error {
	if _, err := t.exec(ctx, `DELETE FROM segment_members WHERE tenant_id = $1 AND segment_id = $2`, tenantID, id); err != nil {
		return err
	}
	_, err := t.exec(ctx, `DELETE FROM segments WHERE tenant_id = $1 AND id = $2`, tenantID, id)
	return err
}

// ReplaceSegmentMembers sets a segment's organizations.
func (t *Tx) ReplaceSegmentMembers(ctx context.Context, tenantID, segmentID string, orgIDs []string) error {
	if _, err := t.exec(ctx, `DELETE FROM segment_members WHERE tenant_id = $1 AND segment_id = $2`, tenantID, segmentID); err != nil {
		return err
	}
	return t.insertRows(ctx, "segment_members", []string{"tenant_id", "segment_id", "organization_id"}, len(orgIDs),
		func(i int) []any { return []any{tenantID, segmentID, orgIDs[i]} })
}

// SegmentCodesOf reads the codes of an organization's segments, sorted.
func (t *Tx) SegmentCodesOf(ctx context.Context, tenantID, orgID string) ([]string, error) {
	return list(ctx, t, `SELECT s.code FROM segment_members m JOIN segments s ON s.tenant_id = m.tenant_id AND s.id = m.segment_id
		WHERE m.tenant_id = $1 AND m.organization_id = $2 ORDER BY s.code`, scanString, tenantID, orgID)
}

// HasSegmentMembers reports whether any segment of a tenant has members.
func (t *Tx) HasSegmentMembers(ctx context.Context, tenantID string) (bool, error) {
	return exists(ctx, t, `SELECT 1 FROM segment_members WHERE tenant_id = $1 LIMIT 1`, tenantID)
}
