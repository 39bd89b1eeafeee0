package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
)

const programCols = `tenant_id, id, name, description, status, pilot, control, starts_ms, ends_ms, created_ms, updated_ms, pending_move`

// programRead is programCols and the number of versions, for SELECTs.
const programRead = programCols + `, (SELECT COALESCE(MAX(v.version), 0) FROM program_versions v
	WHERE v.tenant_id = programs.tenant_id AND v.program_id = programs.id)`

func scanProgram(row rowScanner) (program.Program, error) {
	var p program.Program
	var c, u int64
	var pilot, control, pending string
	var starts, ends sql.NullInt64
	err := row.Scan(&p.TenantID, &p.ID, &p.Name, &p.Description, &p.Status, &pilot, &control, &starts, &ends, &c, &u, &pending, &p.Versions)
	p.CreatedAt, p.UpdatedAt = clock.FromMillis(c), clock.FromMillis(u)
	p.StartsAt, p.EndsAt = fromOptMs(starts), fromOptMs(ends)
	if err == nil {
		err = errors.Join(json.Unmarshal([]byte(pilot), &p.Pilot), json.Unmarshal([]byte(control), &p.Control))
	}
	if err == nil && pending != "" {
		p.Pending = &program.Move{}
		err = json.Unmarshal([]byte(pending), p.Pending)
	}
	return p, err
}

// InsertProgram stores a new program.
func (t *Tx) InsertProgram(ctx context.Context, p program.Program) error {
	_, err := t.exec(ctx, `INSERT INTO programs (`+programCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		p.TenantID, p.ID, p.Name, p.Description, p.Status, jsonText(p.Pilot), jsonText(p.Control), optMs(p.StartsAt), optMs(p.EndsAt),
		ms(p.CreatedAt), ms(p.UpdatedAt), pendingText(p.Pending))
	return err
}

// pendingText is a pending move as stored: JSON, or ” when none waits.
func pendingText(m *program.Move) string {
	if m == nil {
		return ""
	}
	return jsonText(m)
}

// UpdateProgram writes a program's status, pilot groups and pending move.
func (t *Tx) UpdateProgram(ctx context.Context, p program.Program) error {
	_, err := t.exec(ctx, `UPDATE programs SET name = $3, description = $4, status = $5, pilot = $6, control = $7,
		starts_ms = $8, ends_ms = $9, updated_ms = $10, pending_move = $11 WHERE tenant_id = $1 AND id = $2`,
		p.TenantID, p.ID, p.Name, p.Description, p.Status, jsonText(p.Pilot), jsonText(p.Control), optMs(p.StartsAt), optMs(p.EndsAt), ms(p.UpdatedAt),
		pendingText(p.Pending))
	return err
}

// RunningPrograms reads the programs in pilot or active.
func (t *Tx) RunningPrograms(ctx context.Context, tenantID string) ([]program.Program, error) {
	return list(ctx, t, `SELECT `+programRead+` FROM programs WHERE tenant_id = $1 AND status IN ('pilot', 'active') ORDER BY id`,
		scanProgram, tenantID)
}

// GetProgram reads one program.
func (t *Tx) GetProgram(ctx context.Context, tenantID, id string) (program.Program, error) {
	p, err := scanProgram(t.queryRow(ctx, `SELECT `+programRead+` FROM programs WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return p, notFound(err, "program", id)
}

// ListPrograms reads a page of programs.
func (t *Tx) ListPrograms(ctx context.Context, tenantID string, r page.Request) ([]program.Program, error) {
	return list(ctx, t, `SELECT `+programRead+` FROM programs WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		scanProgram, tenantID, r.After, r.Limit+1)
}

const termsCols = `tenant_id, program_id, version, title, body, created_by, created_ms`

func scanTerms(row rowScanner) (program.Terms, error) {
	var tm program.Terms
	var c int64
	err := row.Scan(&tm.TenantID, &tm.ProgramID, &tm.Version, &tm.Title, &tm.Body, &tm.CreatedBy, &c)
	tm.CreatedAt = clock.FromMillis(c)
	return tm, err
}

// InsertTerms stores a new terms version. Two concurrent publications
// collide on the primary key; one of them fails and can be retried.
func (t *Tx) InsertTerms(ctx context.Context, tm program.Terms) error {
	_, err := t.exec(ctx, `INSERT INTO program_terms (`+termsCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		tm.TenantID, tm.ProgramID, tm.Version, tm.Title, tm.Body, tm.CreatedBy, ms(tm.CreatedAt))
	if t.d.isUnique(err) {
		return duplicate("version", "another terms version was published at the same time; retry")
	}
	return err
}

// ListTerms reads every terms version of a program, newest first.
func (t *Tx) ListTerms(ctx context.Context, tenantID, programID string) ([]program.Terms, error) {
	return list(ctx, t, `SELECT `+termsCols+` FROM program_terms WHERE tenant_id = $1 AND program_id = $2 ORDER BY version DESC`,
		scanTerms, tenantID, programID)
}

// LatestTermsVersion returns the newest terms version of a program (0 if
// none), or NotFound when there is no such program.
func (t *Tx) LatestTermsVersion(ctx context.Context, tenantID, programID string) (int, error) {
	if _, err := t.GetProgram(ctx, tenantID, programID); err != nil {
		return 0, err
	}
	var v int
	err := t.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM program_terms WHERE tenant_id = $1 AND program_id = $2`, tenantID, programID).Scan(&v)
	return v, err
}

// TermsPublished reads when each terms version of a program was published,
// oldest first.
func (t *Tx) TermsPublished(ctx context.Context, tenantID, programID string) ([]party.TermsVersion, error) {
	return list(ctx, t, `SELECT version, created_ms FROM program_terms WHERE tenant_id = $1 AND program_id = $2 ORDER BY version`,
		func(r rowScanner) (party.TermsVersion, error) {
			var v party.TermsVersion
			var at int64
			err := r.Scan(&v.Version, &at)
			v.PublishedAt = clock.FromMillis(at)
			return v, err
		}, tenantID, programID)
}

const consentCols = `tenant_id, id, organization_id, program_id, terms_version, decision, method, member_id, signer_name, signer_title,
	evidence, recorded_by_type, recorded_by_id, decided_ms, created_ms`

func scanConsent(row rowScanner) (party.Consent, error) {
	var c party.Consent
	var member sql.NullString
	var d, cr int64
	err := row.Scan(&c.TenantID, &c.ID, &c.OrganizationID, &c.ProgramID, &c.TermsVersion, &c.Decision, &c.Method, &member,
		&c.SignerName, &c.SignerTitle, &c.Evidence, &c.RecordedByType, &c.RecordedByID, &d, &cr)
	c.MemberID, c.DecidedAt, c.CreatedAt = member.String, clock.FromMillis(d), clock.FromMillis(cr)
	return c, err
}

// InsertConsent stores a consent decision.
func (t *Tx) InsertConsent(ctx context.Context, c party.Consent) error {
	_, err := t.exec(ctx, `INSERT INTO consents (`+consentCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		c.TenantID, c.ID, c.OrganizationID, c.ProgramID, c.TermsVersion, c.Decision, c.Method, nullable(c.MemberID),
		c.SignerName, c.SignerTitle, c.Evidence, c.RecordedByType, c.RecordedByID, ms(c.DecidedAt), ms(c.CreatedAt))
	return err
}

// ListConsents reads an organization's decisions, newest first; an empty
// programID means every program.
func (t *Tx) ListConsents(ctx context.Context, tenantID, orgID, programID string) ([]party.Consent, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	w.add("organization_id = ?", orgID)
	w.eq("program_id", programID)
	return list(ctx, t, `SELECT `+consentCols+` FROM consents`+w.sql()+` ORDER BY decided_ms DESC, id DESC`, scanConsent, w.args...)
}

// ProgramsWithTerms lists the ids of programs with published terms.
func (t *Tx) ProgramsWithTerms(ctx context.Context, tenantID string) ([]string, error) {
	return list(ctx, t, `SELECT DISTINCT program_id FROM program_terms WHERE tenant_id = $1 ORDER BY program_id`,
		scanString, tenantID)
}
