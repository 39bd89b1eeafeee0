package store

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const templateCols = `id, tenant_id, code, channel, role, lang, subject, body, html, created_ms, updated_ms`

func scanTemplate(r rowScanner) (notify.Template, error) {
	var t notify.Template
	var created, updated int64
	err := r.Scan(&t.ID, &t.TenantID, &t.Code, &t.Channel, &t.Role, &t.Lang, &t.Subject, &t.Body, &t.HTML, &created, &updated)
	t.CreatedAt, t.UpdatedAt = clock.FromMillis(created), clock.FromMillis(updated)
	return t, err
}

// FindTemplates reads every template of a code.
func (t *Tx) FindTemplates(ctx context.Context, tenantID, code string) ([]notify.Template, error) {
	return list(ctx, t, `SELECT `+templateCols+` FROM message_templates WHERE tenant_id = $1 AND code = $2 ORDER BY id`, scanTemplate, tenantID, code)
}

// TemplateCodes returns which of codes the tenant has a template of, in
// one query (a goal's progress names up to 99 threshold codes).
func (t *Tx) TemplateCodes(ctx context.Context, tenantID string, codes []string) ([]string, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	return list(ctx, t, `SELECT DISTINCT code FROM message_templates WHERE tenant_id = $1 AND code IN (`+inList(len(codes), 2)+`)`,
		scanString, append([]any{tenantID}, anys(codes)...)...)
}

// InsertTemplate stores a new template.
func (t *Tx) InsertTemplate(ctx context.Context, tp notify.Template) error {
	_, err := t.exec(ctx, `INSERT INTO message_templates (`+templateCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		tp.ID, tp.TenantID, tp.Code, tp.Channel, tp.Role, tp.Lang, tp.Subject, tp.Body, tp.HTML, ms(tp.CreatedAt), ms(tp.UpdatedAt))
	return uniqueAs(t, err, "template_exists", "a template with this code, channel, role and language exists; change it instead")
}

// UpdateTemplate stores a changed template.
func (t *Tx) UpdateTemplate(ctx context.Context, tp notify.Template) error {
	_, err := t.exec(ctx, `UPDATE message_templates SET code = $1, channel = $2, role = $3, lang = $4, subject = $5, body = $6, html = $7, updated_ms = $8
		WHERE tenant_id = $9 AND id = $10`, tp.Code, tp.Channel, tp.Role, tp.Lang, tp.Subject, tp.Body, tp.HTML, ms(tp.UpdatedAt), tp.TenantID, tp.ID)
	return uniqueAs(t, err, "template_exists", "a template with this code, channel, role and language exists")
}

// DeleteTemplate removes a template.
func (t *Tx) DeleteTemplate(ctx context.Context, tenantID, id string) (bool, error) {
	return affected(t.exec(ctx, `DELETE FROM message_templates WHERE tenant_id = $1 AND id = $2`, tenantID, id))
}

// GetTemplate reads one template.
func (t *Tx) GetTemplate(ctx context.Context, tenantID, id string) (notify.Template, error) {
	tp, err := scanTemplate(t.queryRow(ctx, `SELECT `+templateCols+` FROM message_templates WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return tp, notFound(err, "template", id)
}

// ListTemplates reads a page of templates by id.
func (t *Tx) ListTemplates(ctx context.Context, tenantID string, r page.Request) ([]notify.Template, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	if r.After != "" {
		w.add("id > ?", r.After)
	}
	limit := w.next(r.Limit + 1)
	return list(ctx, t, `SELECT `+templateCols+` FROM message_templates`+w.sql()+` ORDER BY id LIMIT `+limit, scanTemplate, w.args...)
}

// uniqueAs turns a unique-key violation into a Conflict saying what to do.
func uniqueAs(t *Tx, err error, code, msg string) error {
	if err != nil && t.d.isUnique(err) {
		return errs.E(errs.Conflict, code, "%s", msg)
	}
	return err
}
