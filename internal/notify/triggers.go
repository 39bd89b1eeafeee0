package notify

import (
	"context"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Trigger templates: the product sends these codes when they happen, if
// the tenant has a template of the code (no template: no message).
const (
	TemplateTierUp         = "tier_up"
	TemplatePointsExpiring = "points_expiring"
)

// triggerTx is what a trigger needs from the ingestion's transaction.
type triggerTx interface {
	FindTemplates(ctx context.Context, tenantID, code string) ([]Template, error)
	QueueRows(ctx context.Context, tenantID string, rows []Row) error
}

// tierTrigger queues the tier_up message to an organization whose tier an
// event raised, in the event's transaction.
func (s *Service) tierTrigger(ctx context.Context, h *events.HookCtx, rec *events.Record, r events.ProgramResult) error {
	tx, ok := h.Tx.(triggerTx)
	if !ok || r.Tier == nil || r.Tier.From == r.Tier.To {
		return nil
	}
	ts, err := tx.FindTemplates(ctx, rec.TenantID, TemplateTierUp)
	if err != nil || len(ts) == 0 {
		return err
	}
	return tx.QueueRows(ctx, rec.TenantID, []Row{{ID: ids.New(), Kind: OwnerMessage, CreatedAt: h.Now,
		Payload: ToOwner{Template: TemplateTierUp, OwnerType: "organization", OwnerID: rec.OrganizationID, ProgramID: r.ProgramID,
			Source: "trigger:tier_up", Vars: map[string]string{"tier": r.Tier.To}}}})
}

// Expiring lists wallets whose points expire soon (the ledger).
type Expiring interface {
	ExpiringSoon(ctx context.Context, p access.Principal, q ledger.ExpiringQuery, r page.Request) (page.Page[ledger.ExpiringWallet], error)
}

// QueueExpiryNotices queues the points_expiring message to every wallet
// whose points expire within days, once per wallet and expiry date (a
// second run the same day queues nothing). It returns how many it queued.
func (s *Service) QueueExpiryNotices(ctx context.Context, src Expiring, tenantID string, days int, now time.Time) (int, error) {
	ts, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Template, error) { return tx.FindTemplates(ctx, tenantID, TemplatePointsExpiring) })
	if err != nil || len(ts) == 0 {
		return 0, err
	}
	var rows []Row
	r := page.Request{Limit: page.MaxLimit}
	for {
		pg, err := src.ExpiringSoon(ctx, access.System(tenantID), ledger.ExpiringQuery{Days: days}, r)
		if err != nil {
			return 0, err
		}
		rows = append(rows, expiryRows(pg.Items, now)...)
		if pg.Next == "" {
			break
		}
		r.After = pg.Items[len(pg.Items)-1].AccountID
	}
	return len(rows), s.Store.Write(ctx, func(tx Tx) error { return tx.QueueRows(ctx, tenantID, rows) })
}

func expiryRows(ws []ledger.ExpiringWallet, now time.Time) []Row {
	rows := make([]Row, len(ws))
	for i, w := range ws {
		day := w.NextExpiry.Format(time.DateOnly)
		rows[i] = Row{ID: "expiring:" + w.AccountID + ":" + day, Kind: OwnerMessage, CreatedAt: now,
			Payload: ToOwner{Template: TemplatePointsExpiring, OwnerType: string(w.Owner.Type), OwnerID: w.Owner.ID, Source: "trigger:points_expiring",
				Vars: map[string]string{"expiring.points": strconv.FormatInt(w.NextPoints, 10), "expiring.date": day}}}
	}
	return rows
}
