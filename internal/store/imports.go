package store

import (
	"context"
	"encoding/json"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const importCols = `tenant_id, id, file_name, mapping_id, mapping_name, summary, started_ms, finished_ms`

func scanImport(row rowScanner) (importer.Import, error) {
	var im importer.Import
	var sum string
	var s, f int64
	err := row.Scan(&im.TenantID, &im.ID, &im.FileName, &im.MappingID, &im.MappingName, &sum, &s, &f)
	im.StartedAt, im.FinishedAt = clock.FromMillis(s), clock.FromMillis(f)
	if err == nil {
		err = json.Unmarshal([]byte(sum), &im.Summary)
	}
	return im, err
}

// InsertImport records an import run.
func (t *Tx) InsertImport(ctx context.Context, im importer.Import) error {
	_, err := t.exec(ctx, `INSERT INTO imports (`+importCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		im.TenantID, im.ID, im.FileName, im.MappingID, im.MappingName, jsonText(im.Summary), ms(im.StartedAt), ms(im.FinishedAt))
	return err
}

// GetImport reads one import run.
func (t *Tx) GetImport(ctx context.Context, tenantID, id string) (importer.Import, error) {
	im, err := scanImport(t.queryRow(ctx, `SELECT `+importCols+` FROM imports WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return im, notFound(err, "import", id)
}

// ListImports reads a page of import runs.
func (t *Tx) ListImports(ctx context.Context, tenantID string, r page.Request) ([]importer.Import, error) {
	return list(ctx, t, `SELECT `+importCols+` FROM imports WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		scanImport, tenantID, r.After, r.Limit+1)
}

const mappingCols = `tenant_id, id, name, mapping, created_ms, updated_ms`

func scanMapping(row rowScanner) (importer.SavedMapping, error) {
	var m importer.SavedMapping
	var body string
	var c, u int64
	err := row.Scan(&m.TenantID, &m.ID, &m.Name, &body, &c, &u)
	m.CreatedAt, m.UpdatedAt = clock.FromMillis(c), clock.FromMillis(u)
	if err == nil {
		err = json.Unmarshal([]byte(body), &m.Mapping)
	}
	return m, err
}

// PutMapping inserts a mapping, or replaces the mapping of the same name
// (keeping its id and creation time), and returns it as stored.
func (t *Tx) PutMapping(ctx context.Context, m importer.SavedMapping) (importer.SavedMapping, error) {
	return scanMapping(t.queryRow(ctx, `INSERT INTO import_mappings (`+mappingCols+`) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (tenant_id, name) DO UPDATE SET mapping = excluded.mapping, updated_ms = excluded.updated_ms
		RETURNING `+mappingCols, m.TenantID, m.ID, m.Name, jsonText(m.Mapping), ms(m.CreatedAt), ms(m.UpdatedAt)))
}

// GetMapping reads a mapping by id or name.
func (t *Tx) GetMapping(ctx context.Context, tenantID, ref string) (importer.SavedMapping, error) {
	m, err := scanMapping(t.queryRow(ctx, `SELECT `+mappingCols+` FROM import_mappings
		WHERE tenant_id = $1 AND (id = $2 OR name = $2) ORDER BY id LIMIT 1`, tenantID, ref))
	return m, notFound(err, "import mapping", ref)
}

// ListMappings reads a page of mappings.
func (t *Tx) ListMappings(ctx context.Context, tenantID string, r page.Request) ([]importer.SavedMapping, error) {
	return list(ctx, t, `SELECT `+mappingCols+` FROM import_mappings WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		scanMapping, tenantID, r.After, r.Limit+1)
}

// InvoicesOf reads an organization's latest invoices from one source,
// newest first, at most limit of them.
func (t *Tx) InvoicesOf(ctx context.Context, tenantID, orgID, source string, limit int) ([]events.Record, error) {
	return list(ctx, t, `SELECT `+eventCols+` FROM events WHERE tenant_id = $1 AND organization_id = $2 AND source = $3 AND type = 'invoice'
		ORDER BY occurred_ms DESC, id DESC LIMIT $4`, scanEvent, tenantID, orgID, source, limit)
}

// EventsByPrefix reads the events of a source whose external ids start
// with prefix (a range on the unique index, portable unlike LIKE escapes).
func (t *Tx) EventsByPrefix(ctx context.Context, tenantID, source, prefix string) ([]events.Record, error) {
	hi := prefix[:len(prefix)-1] + string(rune(prefix[len(prefix)-1]+1))
	return list(ctx, t, `SELECT `+eventCols+` FROM events WHERE tenant_id = $1 AND source = $2 AND external_id >= $3 AND external_id < $4
		ORDER BY external_id LIMIT 1000`, scanEvent, tenantID, source, prefix, hi)
}
