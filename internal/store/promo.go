package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/promo"
)

const campaignCols = `tenant_id, id, name, program_id, kind, code, status, starts_ms, ends_ms, min_order, scope, effect,
	total_limit, per_org_limit, exclusive, stack_group, budget, used, budget_used, codes, created_ms, updated_ms, partners`

func scanCampaign(row rowScanner) (promo.Campaign, error) {
	var c promo.Campaign
	var prog sql.NullString
	var ends sql.NullInt64
	var starts, cr, up, excl int64
	var scope, effect, partners string
	err := row.Scan(&c.TenantID, &c.ID, &c.Name, &prog, &c.Kind, &c.Code, &c.Status, &starts, &ends, &c.MinOrder, &scope, &effect,
		&c.TotalLimit, &c.PerOrgLimit, &excl, &c.Group, &c.Budget, &c.Used, &c.BudgetUsed, &c.Codes, &cr, &up, &partners)
	c.ProgramID, c.Exclusive, c.EndsAt = prog.String, excl == 1, fromOptMs(ends)
	c.StartsAt, c.CreatedAt, c.UpdatedAt = clock.FromMillis(starts), clock.FromMillis(cr), clock.FromMillis(up)
	if err == nil {
		err = errors.Join(json.Unmarshal([]byte(scope), &c.Scope), json.Unmarshal([]byte(effect), &c.Effect), json.Unmarshal([]byte(partners), &c.Partners))
	}
	return c, err
}

// InsertCampaign stores a new campaign.
func (t *Tx) InsertCampaign(ctx context.Context, c promo.Campaign) error {
	excl := 0
	if c.Exclusive {
		excl = 1
	}
	scope, _ := json.Marshal(c.Scope) // plain data: cannot fail
	effect, _ := json.Marshal(c.Effect)
	_, err := t.exec(ctx, `INSERT INTO promo_campaigns (`+campaignCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
		$13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
		c.TenantID, c.ID, c.Name, nullable(c.ProgramID), c.Kind, c.Code, c.Status, ms(c.StartsAt), optMs(c.EndsAt), c.MinOrder,
		string(scope), string(effect), c.TotalLimit, c.PerOrgLimit, excl, c.Group, c.Budget, c.Used, c.BudgetUsed, c.Codes,
		ms(c.CreatedAt), ms(c.UpdatedAt), jsonText(c.Partners))
	return err
}

// GetCampaign reads one campaign.
func (t *Tx) GetCampaign(ctx context.Context, tenantID, id string) (promo.Campaign, error) {
	c, err := scanCampaign(t.queryRow(ctx, `SELECT `+campaignCols+` FROM promo_campaigns WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return c, notFound(err, "promo campaign", id)
}

// ListCampaigns reads a page of campaigns.
func (t *Tx) ListCampaigns(ctx context.Context, tenantID string, r page.Request) ([]promo.Campaign, error) {
	return list(ctx, t, `SELECT `+campaignCols+` FROM promo_campaigns WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		scanCampaign, tenantID, r.After, r.Limit+1)
}

// SetCampaignStatus writes a campaign's status unless it already has it;
// it reports whether it changed it.
func (t *Tx) SetCampaignStatus(ctx context.Context, tenantID, id, status string, at time.Time) (bool, error) {
	return affected(t.exec(ctx, `UPDATE promo_campaigns SET status = $3, updated_ms = $4 WHERE tenant_id = $1 AND id = $2 AND status <> $3`,
		tenantID, id, status, ms(at)))
}

// SetCampaignPartners writes the partners a campaign grants its codes to.
func (t *Tx) SetCampaignPartners(ctx context.Context, tenantID, id string, partners []string, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE promo_campaigns SET partners = $3, updated_ms = $4 WHERE tenant_id = $1 AND id = $2`,
		tenantID, id, jsonText(partners), ms(at))
	return err
}

// ExistingPartners returns those of ids that are partners of the tenant.
func (t *Tx) ExistingPartners(ctx context.Context, tenantID string, ids []string) ([]string, error) {
	return list(ctx, t, `SELECT id FROM partners WHERE tenant_id = $1 AND id IN (`+inList(len(ids), 2)+`)`,
		scanString, append([]any{tenantID}, anys(ids)...)...)
}

// InsertCodes stores codes, skipping those the tenant has, and counts the
// stored ones on the campaign.
func (t *Tx) InsertCodes(ctx context.Context, tenantID, campaignID string, codes []string, at time.Time) (int64, error) {
	const cols = 4
	per := paramsPerStatement / cols
	var n int64
	for start := 0; start < len(codes); start += per {
		end := min(len(codes), start+per)
		args := make([]any, 0, (end-start)*cols)
		for _, c := range codes[start:end] {
			args = append(args, tenantID, c, campaignID, ms(at))
		}
		res, err := t.execN(ctx, end-start, `INSERT INTO promo_codes (tenant_id, code, campaign_id, created_ms) VALUES `+
			placeholders(end-start, cols, 1)+` ON CONFLICT (tenant_id, code) DO NOTHING`, args...)
		if err != nil {
			return n, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return n, err
		}
		n += k
	}
	_, err := t.exec(ctx, `UPDATE promo_campaigns SET codes = codes + $3, updated_ms = $4 WHERE tenant_id = $1 AND id = $2`,
		tenantID, campaignID, n, ms(at))
	return n, err
}

// ExistingCodes returns those of codes that the tenant has.
func (t *Tx) ExistingCodes(ctx context.Context, tenantID string, codes []string) ([]string, error) {
	var out []string
	for _, part := range chunks(codes, paramsPerStatement-1) {
		rows, err := t.queryN(ctx, len(part), `SELECT code FROM promo_codes WHERE tenant_id = $1 AND code IN (`+inList(len(part), 2)+`)`,
			append([]any{tenantID}, anys(part)...)...)
		if err != nil {
			return nil, err
		}
		got, err := scanAll(rows, scanString)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

const codeCols = `tenant_id, code, campaign_id, redeemed_ms, redeemed_event, redeemed_org, created_ms`

func scanCode(row rowScanner) (promo.Code, error) {
	var c promo.Code
	var red sql.NullInt64
	var ev, org sql.NullString
	var cr int64
	err := row.Scan(&c.TenantID, &c.Code, &c.CampaignID, &red, &ev, &org, &cr)
	c.RedeemedAt, c.RedeemedEvent, c.RedeemedOrg, c.CreatedAt = fromOptMs(red), ev.String, org.String, clock.FromMillis(cr)
	return c, err
}

// GetCode reads one code.
func (t *Tx) GetCode(ctx context.Context, tenantID, code string) (promo.Code, error) {
	c, err := scanCode(t.queryRow(ctx, `SELECT `+codeCols+` FROM promo_codes WHERE tenant_id = $1 AND code = $2`, tenantID, code))
	return c, notFound(err, "promo code", code)
}

// ListCodes reads a page of a campaign's codes in code order.
func (t *Tx) ListCodes(ctx context.Context, tenantID, campaignID string, r page.Request) ([]promo.Code, error) {
	return list(ctx, t, `SELECT `+codeCols+` FROM promo_codes WHERE tenant_id = $1 AND campaign_id = $2 AND code > $3
		ORDER BY code LIMIT $4`, scanCode, tenantID, campaignID, r.After, r.Limit+1)
}

// OrgUsage reads how often an organization used a campaign.
func (t *Tx) OrgUsage(ctx context.Context, tenantID, campaignID, orgID string) (int64, error) {
	var n int64
	err := t.queryRow(ctx, `SELECT used FROM promo_org_usage WHERE tenant_id = $1 AND campaign_id = $2 AND organization_id = $3`,
		tenantID, campaignID, orgID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// UseCampaign counts a use and its value, in one conditional UPDATE: a
// concurrent order waits for the row and then sees the new counts.
func (t *Tx) UseCampaign(ctx context.Context, tenantID, id string, value int64, at time.Time) (bool, error) {
	// budget_used stays below the int64 limit even without a budget:
	// value (≥ 0) is compared with the room left, which cannot overflow.
	res, err := t.exec(ctx, `UPDATE promo_campaigns SET used = used + 1, budget_used = budget_used + $3, updated_ms = $4
		WHERE tenant_id = $1 AND id = $2 AND (total_limit = 0 OR used < total_limit) AND (budget = 0 OR budget_used <= budget - $3)
			AND budget_used <= CAST($5 AS BIGINT) - CAST($3 AS BIGINT)`,
		tenantID, id, value, ms(at), int64(math.MaxInt64))
	return affected(res, err)
}

// UseCode marks a unique code redeemed unless it already is.
func (t *Tx) UseCode(ctx context.Context, tenantID, code, orgID, eventID string, at time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE promo_codes SET redeemed_ms = $3, redeemed_org = $4, redeemed_event = $5
		WHERE tenant_id = $1 AND code = $2 AND redeemed_ms IS NULL`, tenantID, code, ms(at), orgID, eventID)
	return affected(res, err)
}

// UseOrg counts a use by an organization unless it reached limit (0 =
// unlimited).
func (t *Tx) UseOrg(ctx context.Context, tenantID, campaignID, orgID string, limit int64) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO promo_org_usage (tenant_id, campaign_id, organization_id, used) VALUES ($1, $2, $3, 1)
		ON CONFLICT (tenant_id, campaign_id, organization_id) DO UPDATE SET used = promo_org_usage.used + 1
		WHERE CAST($4 AS BIGINT) = 0 OR promo_org_usage.used < CAST($4 AS BIGINT)`, tenantID, campaignID, orgID, limit)
	return affected(res, err)
}

const promoRedemptionCols = `tenant_id, id, campaign_id, code, organization_id, event_id, discount, points, created_ms`

func scanPromoRedemption(row rowScanner) (promo.Redemption, error) {
	var r promo.Redemption
	var cr int64
	err := row.Scan(&r.TenantID, &r.ID, &r.CampaignID, &r.Code, &r.OrganizationID, &r.EventID, &r.Discount, &r.Points, &cr)
	r.CreatedAt = clock.FromMillis(cr)
	return r, err
}

// InsertPromoRedemption records a redeemed code.
func (t *Tx) InsertPromoRedemption(ctx context.Context, r promo.Redemption) error {
	_, err := t.exec(ctx, `INSERT INTO promo_redemptions (`+promoRedemptionCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		r.TenantID, r.ID, r.CampaignID, r.Code, r.OrganizationID, r.EventID, r.Discount, r.Points, ms(r.CreatedAt))
	return err
}

// ListPromoRedemptions reads a page of a campaign's redemptions.
func (t *Tx) ListPromoRedemptions(ctx context.Context, tenantID, campaignID string, r page.Request) ([]promo.Redemption, error) {
	return list(ctx, t, `SELECT `+promoRedemptionCols+` FROM promo_redemptions WHERE tenant_id = $1 AND campaign_id = $2 AND id > $3
		ORDER BY id LIMIT $4`, scanPromoRedemption, tenantID, campaignID, r.After, r.Limit+1)
}
