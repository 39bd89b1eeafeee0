package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/loyal-b2b/loyal/internal/membership"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

const planCols = `tenant_id, id, code, name, description, fee, currency, period_months, discount_bp, earn_multiplier_bp, perks, status, created_ms, updated_ms`

func scanPlan(row rowScanner) (membership.Plan, error) {
	var p membership.Plan
	var perks string
	var c, u int64
	err := row.Scan(&p.TenantID, &p.ID, &p.Code, &p.Name, &p.Description, &p.Fee, &p.Currency, &p.PeriodMonths, &p.DiscountBP,
		&p.EarnMultiplierBP, &perks, &p.Status, &c, &u)
	p.CreatedAt, p.UpdatedAt = clock.FromMillis(c), clock.FromMillis(u)
	if err == nil {
		err = json.Unmarshal([]byte(perks), &p.Perks)
	}
	return p, err
}

// InsertPlan stores a new membership plan.
func (t *Tx) InsertPlan(ctx context.Context, p membership.Plan) error {
	_, err := t.exec(ctx, `INSERT INTO membership_plans (`+planCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		p.TenantID, p.ID, p.Code, p.Name, p.Description, p.Fee, p.Currency, p.PeriodMonths, p.DiscountBP, p.EarnMultiplierBP,
		jsonText(p.Perks), p.Status, ms(p.CreatedAt), ms(p.UpdatedAt))
	if t.d.isUnique(err) {
		return duplicate("code", "plan code "+p.Code+" is already used by another plan")
	}
	return err
}

// UpdatePlan writes a plan's status.
func (t *Tx) UpdatePlan(ctx context.Context, p membership.Plan) error {
	_, err := t.exec(ctx, `UPDATE membership_plans SET status = $3, updated_ms = $4 WHERE tenant_id = $1 AND id = $2`,
		p.TenantID, p.ID, p.Status, ms(p.UpdatedAt))
	return err
}

// GetPlan reads one plan.
func (t *Tx) GetPlan(ctx context.Context, tenantID, id string) (membership.Plan, error) {
	p, err := scanPlan(t.queryRow(ctx, `SELECT `+planCols+` FROM membership_plans WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return p, notFound(err, "membership plan", id)
}

// PlanByCode reads a plan by its code.
func (t *Tx) PlanByCode(ctx context.Context, tenantID, code string) (membership.Plan, error) {
	p, err := scanPlan(t.queryRow(ctx, `SELECT `+planCols+` FROM membership_plans WHERE tenant_id = $1 AND code = $2`, tenantID, code))
	return p, notFound(err, "membership plan", code)
}

// ListPlans reads every plan of a tenant by code.
func (t *Tx) ListPlans(ctx context.Context, tenantID string) ([]membership.Plan, error) {
	return list(ctx, t, `SELECT `+planCols+` FROM membership_plans WHERE tenant_id = $1 ORDER BY code`, scanPlan, tenantID)
}

const periodCols = `tenant_id, id, plan_id, organization_id, action, starts_ms, ends_ms, fee, currency, event_id, created_ms`

func scanPeriod(row rowScanner) (membership.Period, error) {
	var p membership.Period
	var s, e, c int64
	err := row.Scan(&p.TenantID, &p.ID, &p.PlanID, &p.OrganizationID, &p.Action, &s, &e, &p.Fee, &p.Currency, &p.EventID, &c)
	p.StartsAt, p.EndsAt, p.CreatedAt = clock.FromMillis(s), clock.FromMillis(e), clock.FromMillis(c)
	return p, err
}

// InsertPeriod stores a paid period.
func (t *Tx) InsertPeriod(ctx context.Context, p membership.Period) error {
	_, err := t.exec(ctx, `INSERT INTO membership_periods (`+periodCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		p.TenantID, p.ID, p.PlanID, p.OrganizationID, p.Action, ms(p.StartsAt), ms(p.EndsAt), p.Fee, p.Currency, p.EventID, ms(p.CreatedAt))
	return err
}

// OrgPeriods reads an organization's periods, oldest first.
func (t *Tx) OrgPeriods(ctx context.Context, tenantID, orgID string) ([]membership.Period, error) {
	return list(ctx, t, `SELECT `+periodCols+` FROM membership_periods WHERE tenant_id = $1 AND organization_id = $2
		ORDER BY starts_ms, id`, scanPeriod, tenantID, orgID)
}

// ActivePeriodPlans reads the plans of an organization's periods that
// cover at.
func (t *Tx) ActivePeriodPlans(ctx context.Context, tenantID, orgID string, at time.Time) ([]membership.Plan, error) {
	return list(ctx, t, `SELECT DISTINCT p.tenant_id, p.id, p.code, p.name, p.description, p.fee, p.currency, p.period_months,
		p.discount_bp, p.earn_multiplier_bp, p.perks, p.status, p.created_ms, p.updated_ms FROM membership_periods m
		JOIN membership_plans p ON p.tenant_id = m.tenant_id AND p.id = m.plan_id
		WHERE m.tenant_id = $1 AND m.organization_id = $2 AND m.ends_ms > $3 AND m.starts_ms <= $3 ORDER BY p.code`,
		scanPlan, tenantID, orgID, ms(at))
}

// LapsedPeriods reads periods that ended in (after, until] and were not
// followed by another period of the same plan and organization.
func (t *Tx) LapsedPeriods(ctx context.Context, tenantID string, after, until time.Time, limit int) ([]membership.Period, error) {
	return list(ctx, t, `SELECT `+periodCols+` FROM membership_periods m
		WHERE m.tenant_id = $1 AND m.ends_ms > $2 AND m.ends_ms <= $3 AND NOT EXISTS (
			SELECT 1 FROM membership_periods n WHERE n.tenant_id = m.tenant_id AND n.organization_id = m.organization_id
			AND n.plan_id = m.plan_id AND n.ends_ms > m.ends_ms)
		ORDER BY m.ends_ms, m.id LIMIT $4`, scanPeriod, tenantID, ms(after), ms(until), limit)
}

// HasPeriods reports whether a tenant ever sold a membership.
func (t *Tx) HasPeriods(ctx context.Context, tenantID string) (bool, error) {
	return exists(ctx, t, `SELECT 1 FROM membership_periods WHERE tenant_id = $1 LIMIT 1`, tenantID)
}
