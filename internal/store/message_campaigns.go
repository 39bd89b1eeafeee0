package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const msgCampaignCols = `id, tenant_id, name, template, segment_id, roles, status, scheduled_ms, sent_ms, audience, created_ms, updated_ms`

func scanMsgCampaign(r rowScanner) (notify.Campaign, error) {
	var c notify.Campaign
	var roles string
	var sched, sent sql.NullInt64
	var created, updated int64
	err := r.Scan(&c.ID, &c.TenantID, &c.Name, &c.Template, &c.SegmentID, &roles, &c.Status, &sched, &sent, &c.Audience, &created, &updated)
	c.Roles, c.ScheduledAt, c.SentAt = fromWords[string](roles), fromOptMs(sched), fromOptMs(sent)
	if roles == "," {
		c.Roles = []string{}
	}
	c.CreatedAt, c.UpdatedAt = clock.FromMillis(created), clock.FromMillis(updated)
	return c, err
}

// InsertCampaign stores a new campaign.
func (t *Tx) InsertMessageCampaign(ctx context.Context, c notify.Campaign) error {
	_, err := t.exec(ctx, `INSERT INTO message_campaigns (`+msgCampaignCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		c.ID, c.TenantID, c.Name, c.Template, c.SegmentID, words(c.Roles), c.Status, optMs(c.ScheduledAt), optMs(c.SentAt), c.Audience, ms(c.CreatedAt), ms(c.UpdatedAt))
	return err
}

// UpdateCampaign stores a campaign's state.
func (t *Tx) UpdateMessageCampaign(ctx context.Context, c notify.Campaign) error {
	_, err := t.exec(ctx, `UPDATE message_campaigns SET status = $1, scheduled_ms = $2, sent_ms = $3, audience = $4, updated_ms = $5 WHERE tenant_id = $6 AND id = $7`,
		c.Status, optMs(c.ScheduledAt), optMs(c.SentAt), c.Audience, ms(c.UpdatedAt), c.TenantID, c.ID)
	return err
}

// LockCampaign reads a campaign and locks it for the transaction.
func (t *Tx) LockMessageCampaign(ctx context.Context, tenantID, id string) (notify.Campaign, error) {
	c, err := scanMsgCampaign(t.queryRow(ctx, `SELECT `+msgCampaignCols+` FROM message_campaigns WHERE tenant_id = $1 AND id = $2`+t.forUpdate(), tenantID, id))
	return c, notFound(err, "campaign", id)
}

// GetCampaign reads a campaign.
func (t *Tx) GetMessageCampaign(ctx context.Context, tenantID, id string) (notify.Campaign, error) {
	c, err := scanMsgCampaign(t.queryRow(ctx, `SELECT `+msgCampaignCols+` FROM message_campaigns WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return c, notFound(err, "campaign", id)
}

// ListCampaigns reads a page of campaigns, newest first.
func (t *Tx) ListMessageCampaigns(ctx context.Context, tenantID string, r page.Request) ([]notify.Campaign, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	if r.After != "" {
		w.add("id < ?", r.After)
	}
	limit := w.next(r.Limit + 1)
	return list(ctx, t, `SELECT `+msgCampaignCols+` FROM message_campaigns`+w.sql()+` ORDER BY id DESC LIMIT `+limit, scanMsgCampaign, w.args...)
}

// DueCampaigns lists a tenant's scheduled campaigns due at now.
func (t *Tx) DueMessageCampaigns(ctx context.Context, tenantID string, now time.Time) ([]string, error) {
	return list(ctx, t, `SELECT id FROM message_campaigns WHERE status = 'scheduled' AND scheduled_ms <= $1 AND tenant_id = $2 ORDER BY scheduled_ms LIMIT 100`,
		scanString, ms(now), tenantID)
}

// Audience lists the active members of a segment's organizations (all,
// without one) holding one of roles (any, without any).
func (t *Tx) Audience(ctx context.Context, tenantID, segmentID string, roles []string, limit int) ([]string, error) {
	var w where
	w.add("m.tenant_id = ?", tenantID)
	w.add("m.status = 'active'")
	from := `members m`
	if segmentID != "" {
		from += ` JOIN segment_members s ON s.tenant_id = m.tenant_id AND s.organization_id = m.organization_id AND s.segment_id = ` + w.next(segmentID)
	}
	if len(roles) > 0 {
		conds := make([]string, len(roles))
		for i, r := range roles {
			conds[i] = "m.roles LIKE " + w.next("%,"+r+",%")
		}
		w.add("(" + joinOr(conds) + ")")
	}
	lim := w.next(limit)
	return list(ctx, t, `SELECT m.id FROM `+from+w.sql()+` ORDER BY m.id LIMIT `+lim,
		scanString, w.args...)
}

func joinOr(conds []string) string {
	out := conds[0]
	for _, c := range conds[1:] {
		out += " OR " + c
	}
	return out
}

// SegmentExists reports whether a tenant has a segment.
func (t *Tx) SegmentExists(ctx context.Context, tenantID, id string) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM segments WHERE tenant_id = $1 AND id = $2`, tenantID, id).Scan(&n)
	return n > 0, err
}
