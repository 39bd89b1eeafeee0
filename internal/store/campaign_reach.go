package store

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/notify"
)

// RecordRecipients keeps a campaign's audience as it is sent: each
// person's organization and roles now, their message's id (the outbox
// row's: campaign id, a dot, person id) and their organization's segments.
func (t *Tx) RecordRecipients(ctx context.Context, tenantID, campaignID string, people []string) error {
	for _, part := range chunks(people, rowsPerStatement) {
		args := append([]any{tenantID, campaignID}, anys(part)...)
		if _, err := t.execN(ctx, len(part), `INSERT INTO campaign_recipients (tenant_id, campaign_id, person_id, message_id, organization_id, roles)
			SELECT tenant_id, CAST($2 AS TEXT), id, CAST($2 AS TEXT) || '.' || id, organization_id, roles FROM members
			WHERE tenant_id = $1 AND id IN (`+inList(len(part), 3)+`)`, args...); err != nil {
			return err
		}
	}
	_, err := t.exec(ctx, `INSERT INTO campaign_recipient_segments (tenant_id, campaign_id, segment_id, person_id)
		SELECT r.tenant_id, r.campaign_id, s.segment_id, r.person_id FROM campaign_recipients r
		JOIN segment_members s ON s.tenant_id = r.tenant_id AND s.organization_id = r.organization_id
		WHERE r.tenant_id = $1 AND r.campaign_id = $2`, tenantID, campaignID)
	return err
}

// reachCounts are the columns counting delivered, opened or seen, and
// clicked recipients, over the recipients r joined to their message's
// send s, tracking k and inbox row i.
const reachCounts = `COUNT(*),
	SUM(CASE WHEN s.id IS NOT NULL THEN 1 ELSE 0 END),
	SUM(CASE WHEN k.opened_ms IS NOT NULL OR k.clicked_ms IS NOT NULL OR i.seen_ms IS NOT NULL OR i.read_ms IS NOT NULL THEN 1 ELSE 0 END),
	SUM(CASE WHEN k.clicked_ms IS NOT NULL THEN 1 ELSE 0 END)`

const reachJoins = ` LEFT JOIN message_sends s ON s.tenant_id = r.tenant_id AND s.id = r.message_id
	LEFT JOIN message_tracking k ON k.tenant_id = r.tenant_id AND k.message_id = r.message_id
	LEFT JOIN inbox_messages i ON i.tenant_id = r.tenant_id AND i.id = r.message_id`

// ReachRows counts a campaign's recipients by role set, in all (segment
// "") and per segment of their organization at sending.
func (t *Tx) ReachRows(ctx context.Context, tenantID, campaignID string) ([]notify.ReachRow, error) {
	scan := func(r rowScanner) (notify.ReachRow, error) {
		var x notify.ReachRow
		return x, r.Scan(&x.SegmentID, &x.SegmentName, &x.Roles, &x.Audience, &x.Delivered, &x.Opened, &x.Clicked)
	}
	all, err := list(ctx, t, `SELECT '', '', r.roles, `+reachCounts+` FROM campaign_recipients r`+reachJoins+`
		WHERE r.tenant_id = $1 AND r.campaign_id = $2 GROUP BY r.roles ORDER BY r.roles`, scan, tenantID, campaignID)
	if err != nil {
		return nil, err
	}
	segs, err := list(ctx, t, `SELECT g.segment_id, COALESCE(sg.name, ''), r.roles, `+reachCounts+` FROM campaign_recipient_segments g
		JOIN campaign_recipients r ON r.tenant_id = g.tenant_id AND r.campaign_id = g.campaign_id AND r.person_id = g.person_id`+reachJoins+`
		LEFT JOIN segments sg ON sg.tenant_id = g.tenant_id AND sg.id = g.segment_id
		WHERE g.tenant_id = $1 AND g.campaign_id = $2 GROUP BY g.segment_id, sg.name, r.roles ORDER BY g.segment_id, r.roles`, scan, tenantID, campaignID)
	return append(all, segs...), err
}
