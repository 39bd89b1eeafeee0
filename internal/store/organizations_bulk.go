package store

import (
	"context"
	"strings"

	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/party"
)

// Bulk statements for imports, which meet thousands of customers at once:
// each takes its whole set as one JSON parameter, so that a file's
// organizations cost a few statements rather than three round trips each
// on PostgreSQL.

// OrganizationIDsByExternalID maps those of the external ids the tenant
// knows to their organizations' ids.
func (t *Tx) OrganizationIDsByExternalID(ctx context.Context, tenantID string, exts []string) (map[string]string, error) {
	set, err := jsonSetText(exts)
	if err != nil {
		return nil, err
	}
	type pair struct{ ext, id string }
	got, err := probed(ctx, t, t.keyed("organizations", "external_id, id", "external_id", 2, false),
		func(r rowScanner) (pair, error) {
			var p pair
			return p, r.Scan(&p.ext, &p.id)
		}, tenantID, set)
	out := make(map[string]string, len(got))
	for _, p := range got {
		out[p.ext] = p.id
	}
	return out, err
}

var orgColList = strings.Split(orgCols, ", ")

// InsertOrganizationsIfAbsent stores organizations, leaving out each whose
// external id the tenant has already; it returns the ids of those stored.
func (t *Tx) InsertOrganizationsIfAbsent(ctx context.Context, orgs []party.Organization) (map[string]bool, error) {
	rows := make([][]any, len(orgs))
	for i, o := range orgs {
		rows[i] = []any{o.TenantID, o.ID, o.Type, o.Name, o.TaxID, orNil(o.ExternalID), o.Industry, o.Region, o.Country, o.Size,
			words(o.Tags), orNil(o.ParentID), orNil(o.AccountManagerID), o.Status, ms(o.CreatedAt), ms(o.UpdatedAt)}
	}
	data, err := jsonSetText(rows)
	if err != nil {
		return nil, err
	}
	from, field := t.jsonRows(1)
	exprs := make([]string, len(orgColList))
	for i, c := range orgColList {
		exprs[i] = field(i, c == "created_ms" || c == "updated_ms")
	}
	// WHERE 1 = 1: SQLite's parser needs it between a SELECT and ON CONFLICT.
	added, err := list(ctx, t, `INSERT INTO organizations (`+orgCols+`) SELECT `+strings.Join(exprs, ", ")+` FROM `+from+
		` WHERE 1 = 1 ON CONFLICT DO NOTHING RETURNING id`, scanString, data)
	out := make(map[string]bool, len(added))
	for _, id := range added {
		out[id] = true
	}
	return out, err
}

func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

var auditColList = strings.Split(auditCols, ", ")

// InsertAudits stores audit entries together (insertSet).
func (t *Tx) InsertAudits(ctx context.Context, es []audit.Entry) error {
	rows := make([][]any, len(es))
	for i, e := range es {
		rows[i] = []any{e.TenantID, e.ID, ms(e.At), e.ActorType, e.ActorID, e.Action, e.EntityType, e.EntityID, string(e.Before), string(e.After), e.RequestID}
	}
	return t.insertSet(ctx, "audit_log", auditColList, map[string]bool{"at_ms": true}, rows)
}
