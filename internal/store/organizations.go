package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const orgCols = `tenant_id, id, type, name, tax_id, external_id, industry, region, country, size, tags, parent_id, account_manager_id, status, created_ms, updated_ms`

func scanOrg(row rowScanner) (party.Organization, error) {
	var o party.Organization
	var ext, parent, manager sql.NullString
	var tags string
	var c, u int64
	err := row.Scan(&o.TenantID, &o.ID, &o.Type, &o.Name, &o.TaxID, &ext, &o.Industry, &o.Region, &o.Country, &o.Size,
		&tags, &parent, &manager, &o.Status, &c, &u)
	o.ExternalID, o.ParentID, o.AccountManagerID = ext.String, parent.String, manager.String
	o.Tags = fromWords[string](tags)
	o.CreatedAt, o.UpdatedAt = clock.FromMillis(c), clock.FromMillis(u)
	return o, err
}

func orgArgs(o party.Organization) []any {
	return []any{o.TenantID, o.ID, o.Type, o.Name, o.TaxID, nullable(o.ExternalID), o.Industry, o.Region, o.Country, o.Size,
		words(o.Tags), nullable(o.ParentID), nullable(o.AccountManagerID), o.Status, ms(o.CreatedAt), ms(o.UpdatedAt)}
}

// InsertOrganization stores a new organization.
func (t *Tx) InsertOrganization(ctx context.Context, o party.Organization) error {
	_, err := t.exec(ctx, `INSERT INTO organizations (`+orgCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`, orgArgs(o)...)
	return t.orgErr(err, o)
}

// InsertOrganizationIfAbsent stores a new organization unless one with its
// external id exists (created meanwhile by another request); it reports
// whether it did.
func (t *Tx) InsertOrganizationIfAbsent(ctx context.Context, o party.Organization) (bool, error) {
	return affected(t.exec(ctx, `INSERT INTO organizations (`+orgCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT DO NOTHING`, orgArgs(o)...))
}

// UpdateOrganization writes every field of a changed organization.
func (t *Tx) UpdateOrganization(ctx context.Context, o party.Organization) error {
	_, err := t.exec(ctx, `UPDATE organizations SET type = $3, name = $4, tax_id = $5, external_id = $6, industry = $7, region = $8,
		country = $9, size = $10, tags = $11, parent_id = $12, account_manager_id = $13, status = $14, created_ms = $15, updated_ms = $16
		WHERE tenant_id = $1 AND id = $2`, orgArgs(o)...)
	return t.orgErr(err, o)
}

func (t *Tx) orgErr(err error, o party.Organization) error {
	if t.d.isUnique(err) {
		return duplicate("external_id", "external id "+o.ExternalID+" is already used by another organization")
	}
	return err
}

// duplicate is the error for a value that must be unique and is not.
func duplicate(field, msg string) error {
	return &errs.Error{Kind: errs.Conflict, Code: "duplicate", Message: msg,
		Fields: []errs.FieldError{{Field: field, Code: "duplicate", Message: msg}}}
}

// DeleteOrganization removes an organization.
func (t *Tx) DeleteOrganization(ctx context.Context, tenantID, id string) error {
	_, err := t.exec(ctx, `DELETE FROM organizations WHERE tenant_id = $1 AND id = $2`, tenantID, id)
	if t.d.isForeignKey(err) {
		return errs.E(errs.Conflict, "organization_in_use", "organization %q is still referred to; set its status to closed instead", id)
	}
	return err
}

// GetOrganization reads one organization.
func (t *Tx) GetOrganization(ctx context.Context, tenantID, id string) (party.Organization, error) {
	o, err := scanOrg(t.queryRow(ctx, `SELECT `+orgCols+` FROM organizations WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return o, notFound(err, "organization", id)
}

// OrganizationByExternalID finds an organization by its ERP id.
func (t *Tx) OrganizationByExternalID(ctx context.Context, tenantID, externalID string) (party.Organization, error) {
	o, err := scanOrg(t.queryRow(ctx, `SELECT `+orgCols+` FROM organizations WHERE tenant_id = $1 AND external_id = $2`, tenantID, externalID))
	return o, notFound(err, "organization with external id", externalID)
}

// OrganizationsByRefs reads the organizations among ids and external ids
// (a batch's prefetch): on PostgreSQL in one statement, on SQLite with the
// prepared lookup per reference (no round trips there). Unknown ones are
// left out.
func (t *Tx) OrganizationsByRefs(ctx context.Context, tenantID string, ids, externalIDs []string) ([]party.Organization, error) {
	if t.d.engine() == Postgres {
		idSet, err := jsonSetText(append([]string{}, ids...)) // never null: an empty array
		if err != nil {
			return nil, err
		}
		extSet, err := jsonSetText(append([]string{}, externalIDs...))
		if err != nil {
			return nil, err
		}
		return probed(ctx, t, `(`+t.keyed("organizations", orgCols, "id", 2, false)+`) UNION ALL (`+t.keyed("organizations", orgCols, "external_id", 3, false)+`)`,
			scanOrg, tenantID, idSet, extSet)
	}
	refs := slices.Concat(ids, externalIDs)
	return found(len(refs), func(i int) (party.Organization, error) {
		if i < len(ids) {
			return t.GetOrganization(ctx, tenantID, refs[i])
		}
		return t.OrganizationByExternalID(ctx, tenantID, refs[i])
	})
}

// ListOrganizations reads a page of organizations matching f.
func (t *Tx) ListOrganizations(ctx context.Context, tenantID string, f party.OrgFilter, r page.Request) ([]party.Organization, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	if r.After != "" || f.Search == "" {
		w.add("id > ?", r.After) // not for a search: its id list must drive the plan
	}
	w.eq("type", string(f.Type))
	w.eq("status", f.Status)
	w.eq("region", f.Region)
	w.eq("country", f.Country)
	w.eq("parent_id", f.ParentID)
	w.eq("account_manager_id", f.AccountManagerID)
	if f.Tag != "" {
		w.add("tags LIKE ?", "%,"+f.Tag+",%")
	}
	if f.Query != "" {
		w.add(`(lower(name) LIKE ? ESCAPE '\' OR lower(external_id) LIKE ? ESCAPE '\')`, likeArg(f.Query), likeArg(f.Query))
	}
	from, order := searchOrgs(&w, tenantID, f)
	limit := w.next(r.Limit + 1)
	rows, err := list(ctx, t, `SELECT `+orgCols+` FROM `+from+w.sql()+` ORDER BY `+order+` LIMIT `+limit, scanOrg, w.args...)
	return dedupe(rows), err
}

// OrganizationRefs counts members, branches and consents of an organization.
func (t *Tx) OrganizationRefs(ctx context.Context, tenantID, id string) (party.OrgRefs, error) {
	var r party.OrgRefs
	err := t.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM members WHERE tenant_id = $1 AND organization_id = $2),
		(SELECT COUNT(*) FROM organizations WHERE tenant_id = $1 AND parent_id = $2),
		(SELECT COUNT(*) FROM consents WHERE tenant_id = $1 AND organization_id = $2)`, tenantID, id).
		Scan(&r.Members, &r.Branches, &r.Consents)
	return r, err
}

// searchOrgs adds the console's search box and filters, and returns the
// rows to read and their order. Every search but "contains" is index
// lookups whose ids drive the query: the CROSS JOIN keeps SQLite from
// scanning every organization in name order instead, and UNION ALL keeps
// each lookup on its own index (UNION would merge them in id order, which
// SQLite 3.54 reads from the primary key: a scan); the rare organization
// found twice is dropped by dedupe. An e-mail or a
// phone number finds the organizations of the members who have it; other
// text finds names that begin with it (organizations_name, on
// lower(name), read as a range by both engines) and external ids and tax
// ids equal to it. Contains matches any part of a name, which reads every
// organization of the tenant. Segment and tier restrict to members of a
// segment and organizations holding a tier.
func searchOrgs(w *where, tenantID string, f party.OrgFilter) (from, order string) {
	q := strings.TrimSpace(f.Search)
	lq := strings.ToLower(q)
	from, order = "organizations", "lower(name), id"
	ids := func(sub string) string { return "(" + sub + ") s CROSS JOIN organizations" }
	switch phone := phoneDigits(q); {
	case q == "":
		order = "id"
	case strings.Contains(q, "@"):
		from = ids(`SELECT organization_id AS sid FROM members WHERE tenant_id = ` + w.next(tenantID) + ` AND email = ` + w.next(lq))
		w.add("id = s.sid")
	case phone != "":
		from = ids(`SELECT organization_id AS sid FROM members WHERE tenant_id = ` + w.next(tenantID) + ` AND phone = ` + w.next(phone))
		w.add("id = s.sid")
	case f.Contains:
		w.add(`lower(name) LIKE ? ESCAPE '\'`, likeArg(q))
	default:
		t := w.next(tenantID)
		from = ids(`SELECT id AS sid FROM organizations WHERE tenant_id = ` + t + ` AND lower(name) >= ` + w.next(lq) + ` AND lower(name) < ` + w.next(after(lq)) +
			` AND lower(name) LIKE ` + w.next(escapeLike(lq)+"%") + ` ESCAPE '\'
			UNION ALL SELECT id FROM organizations WHERE tenant_id = ` + t + ` AND (external_id = ` + w.next(q) + ` OR external_id = ` + w.next(strings.ToUpper(q)) + `)
			UNION ALL SELECT id FROM organizations WHERE tenant_id = ` + t + ` AND tax_id = ` + w.next(q))
		w.add("id = s.sid")
	}
	if f.Segment != "" {
		w.add(`id IN (SELECT organization_id FROM segment_members WHERE tenant_id = ? AND segment_id = ?)`, tenantID, f.Segment)
	}
	if f.IDs != nil {
		w.add("id IN (" + inIDs(w, f.IDs) + ")")
	}
	if f.Tier != "" {
		w.add(`id IN (SELECT owner_id FROM program_states WHERE tenant_id = ? AND owner_type = 'organization' AND state LIKE ?)`,
			tenantID, `%"tier":"`+strings.ReplaceAll(f.Tier, `"`, ``)+`"%`)
	}
	return from, order
}

// inIDs is the placeholders of a list of ids (NULL for none: matches
// nothing).
func inIDs(w *where, ids []string) string {
	if len(ids) == 0 {
		return "NULL"
	}
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = w.next(id)
	}
	return strings.Join(ph, ", ")
}

// dedupe drops repeats of an organization (found by two lookups, or two
// members with one phone), keeping the order.
func dedupe(orgs []party.Organization) []party.Organization {
	seen := make(map[string]bool, len(orgs))
	out := orgs[:0]
	for _, o := range orgs {
		if !seen[o.ID] {
			seen[o.ID] = true
			out = append(out, o)
		}
	}
	return out
}

// after is the least string greater than every string that begins with
// s: s with its last character incremented.
func after(s string) string {
	r := []rune(s)
	r[len(r)-1]++
	return string(r)
}

// phoneDigits is a typed phone number as stored (+ and digits), or ""
// when the text is not one.
func phoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9' || (r == '+' && b.Len() == 0):
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return ""
		}
	}
	if b.Len() < 7 {
		return ""
	}
	return b.String()
}
