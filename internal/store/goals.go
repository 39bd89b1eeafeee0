package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const goalCols = `tenant_id, id, organization_id, member_id, name, metric, skus, categories, target, starts_ms, ends_ms,
	point_type_id, reward_points, reward_text, status, progress, partner_total, achieved_ms, achieved_event, reward_tx, created_ms, updated_ms`

func scanGoal(row rowScanner) (goal.Goal, error) {
	var g goal.Goal
	var member, pt, event, rtx sql.NullString
	var skus, cats string
	var starts, ends, c, u int64
	var achieved sql.NullInt64
	err := row.Scan(&g.TenantID, &g.ID, &g.OrganizationID, &member, &g.Name, &g.Metric, &skus, &cats, &g.Target, &starts, &ends,
		&pt, &g.Reward.Points, &g.Reward.Text, &g.Status, &g.Progress, &g.PartnerTotal, &achieved, &event, &rtx, &c, &u)
	if err != nil {
		return g, err
	}
	g.MemberID, g.Reward.PointTypeID, g.AchievedEvent, g.RewardTx = member.String, pt.String, event.String, rtx.String
	g.StartsAt, g.EndsAt, g.CreatedAt, g.UpdatedAt = clock.FromMillis(starts), clock.FromMillis(ends), clock.FromMillis(c), clock.FromMillis(u)
	g.AchievedAt = fromOptMs(achieved)
	return g, errors.Join(json.Unmarshal([]byte(skus), &g.SKUs), json.Unmarshal([]byte(cats), &g.Categories))
}

// InsertGoal stores a new goal.
func (t *Tx) InsertGoal(ctx context.Context, g goal.Goal) error {
	_, err := t.exec(ctx, `INSERT INTO goals (`+goalCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
		$16, $17, $18, $19, $20, $21, $22)`,
		g.TenantID, g.ID, g.OrganizationID, nullable(g.MemberID), g.Name, g.Metric, jsonText(nonNilStrings(g.SKUs)), jsonText(nonNilStrings(g.Categories)),
		g.Target, ms(g.StartsAt), ms(g.EndsAt), nullable(g.Reward.PointTypeID), g.Reward.Points, g.Reward.Text, g.Status,
		g.Progress, g.PartnerTotal, optMs(g.AchievedAt), nullable(g.AchievedEvent), nullable(g.RewardTx), ms(g.CreatedAt), ms(g.UpdatedAt))
	return err
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// GetGoal reads one goal.
func (t *Tx) GetGoal(ctx context.Context, tenantID, id string) (goal.Goal, error) {
	g, err := scanGoal(t.queryRow(ctx, `SELECT `+goalCols+` FROM goals WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return g, notFound(err, "goal", id)
}

// goalStatusAt is a goal's status at $6 (unix ms), as goal.Goal.StatusAt.
const goalStatusAt = `CASE WHEN status <> 'active' THEN status WHEN starts_ms > $6 THEN 'upcoming' WHEN ends_ms <= $6 THEN 'expired' ELSE 'active' END`

// ListGoals reads a page of goals, filtered.
func (t *Tx) ListGoals(ctx context.Context, tenantID string, f goal.Filter, r page.Request) ([]goal.Goal, error) {
	return list(ctx, t, `SELECT `+goalCols+` FROM goals WHERE tenant_id = $1 AND id > $2
		AND ($3 = '' OR organization_id = $3) AND ($4 = '' OR member_id = $4) AND ($5 = '' OR `+goalStatusAt+` = $5)
		ORDER BY id LIMIT $7`,
		scanGoal, tenantID, r.After, f.OrganizationID, f.MemberID, f.Status, ms(f.Now), r.Limit+1)
}

// CancelGoal cancels an active goal.
func (t *Tx) CancelGoal(ctx context.Context, tenantID, id string, at time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE goals SET status = 'cancelled', updated_ms = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'active'`,
		tenantID, id, ms(at))
	return affected(res, err)
}

// OpenGoals reads an organization's active goals whose period holds at
// (index goals_organization).
func (t *Tx) OpenGoals(ctx context.Context, tenantID, orgID string, at time.Time) ([]goal.Goal, error) {
	return list(ctx, t, `SELECT `+goalCols+` FROM goals WHERE tenant_id = $1 AND organization_id = $2 AND status = 'active'
		AND starts_ms <= $3 AND ends_ms > $3 ORDER BY id`, scanGoal, tenantID, orgID, ms(at))
}

// AddGoalProgress adds delta to a goal's counter in one statement: on
// PostgreSQL a concurrent event waits for the row and adds to its result.
// The counter stops at goal.MaxProgress (delta is bounded far below it,
// so neither side of the comparison can overflow).
func (t *Tx) AddGoalProgress(ctx context.Context, tenantID, id string, delta int64, at time.Time) (int64, int64, error) {
	var p, tot int64
	err := t.queryRow(ctx, `UPDATE goals SET progress = CASE WHEN progress > CAST($5 AS BIGINT) - CAST($3 AS BIGINT) THEN CAST($5 AS BIGINT) ELSE progress + $3 END, updated_ms = $4
		WHERE tenant_id = $1 AND id = $2
		RETURNING progress, partner_total`, tenantID, id, delta, ms(at), goal.MaxProgress).Scan(&p, &tot)
	return p, tot, notFound(err, "goal", id)
}

// SetGoalPartnerTotal records the partner's reported total purchases.
func (t *Tx) SetGoalPartnerTotal(ctx context.Context, tenantID, id string, total int64, at time.Time) (int64, int64, error) {
	var p, tot int64
	err := t.queryRow(ctx, `UPDATE goals SET partner_total = $3, updated_ms = $4 WHERE tenant_id = $1 AND id = $2
		RETURNING progress, partner_total`, tenantID, id, total, ms(at)).Scan(&p, &tot)
	return p, tot, notFound(err, "goal", id)
}

// AchieveGoal marks an active goal achieved, once.
func (t *Tx) AchieveGoal(ctx context.Context, tenantID, id, eventID, rewardTx string, at time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE goals SET status = 'achieved', achieved_ms = $3, achieved_event = $4, reward_tx = $5, updated_ms = $3
		WHERE tenant_id = $1 AND id = $2 AND status = 'active'`, tenantID, id, ms(at), eventID, nullable(rewardTx))
	return affected(res, err)
}

// HasGoals reports whether a tenant has any goal.
func (t *Tx) HasGoals(ctx context.Context, tenantID string) (bool, error) {
	return exists(ctx, t, `SELECT 1 FROM goals WHERE tenant_id = $1 LIMIT 1`, tenantID)
}
