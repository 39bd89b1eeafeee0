package promo

import (
	"context"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// CheckTx implements events.TxChecker: the app checks at startup that
// ingestion's transaction is also this package's Tx.
func (*Service) CheckTx(tx events.Tx) error { return events.Needs[Tx](tx) }

// AfterEvent implements events.Hook: an invoice or order is issued the
// personal codes of campaigns that issue on purchases, and one carrying
// promo codes redeems each of them, in the event's transaction. Each code is
// checked again; one that no longer applies refuses the whole event
// (409 promo_code_unavailable) and, since nothing is committed, nothing
// is written. Limits are enforced by conditional UPDATEs whose affected
// rows are checked, so that concurrent orders cannot overuse a code.
func (s *Service) AfterEvent(ctx context.Context, h *events.HookCtx, rec *events.Record) error {
	ev := &rec.Event
	if ev.Type != engine.Invoice && ev.Type != engine.Order {
		return nil
	}
	tx, err := events.TxAs[Tx](h.Tx)
	if err != nil {
		return err
	}
	if err := s.issuePersonal(ctx, tx, h, rec); err != nil {
		return err
	}
	if len(ev.Codes) == 0 {
		return nil
	}
	progs := make([]string, 0, len(rec.Results))
	for _, r := range rec.Results {
		progs = append(progs, r.ProgramID)
	}
	for _, code := range ev.Codes {
		u, why, err := check(ctx, tx, request{tenantID: h.Principal.TenantID, code: code, programIDs: progs,
			orgID: rec.OrganizationID, partnerID: h.Principal.PartnerID, lines: ev.Lines, at: ev.OccurredAt})
		if err != nil {
			return err
		}
		if why == unknownCode {
			if err := s.failed(h.Principal); err != nil {
				return err
			}
		}
		if why != "" {
			return unavailable(code, why)
		}
		if err := s.redeem(ctx, tx, h, rec, &u); err != nil {
			return err
		}
	}
	return nil
}

// unavailable is the refusal of an event for one of its codes.
func unavailable(code, why string) error {
	e := errs.E(errs.Conflict, "promo_code_unavailable", "promo code %s: %s", code, why)
	e.Fields = []errs.FieldError{{Field: "codes", Code: "promo_code_unavailable", Message: code + ": " + why}}
	return e
}

// redeem counts one use of a checked code and records it; a limit reached
// by a concurrent order since the check refuses the event.
func (s *Service) redeem(ctx context.Context, tx Tx, h *events.HookCtx, rec *events.Record, u *use) error {
	t, c := h.Principal.TenantID, &u.camp
	ok, err := tx.UseCampaign(ctx, t, c.ID, u.value, h.Now)
	if err != nil {
		return err
	}
	if !ok {
		return s.exhausted(ctx, tx, t, u)
	}
	if c.Kind != Shared { // unique and personal codes are used once
		if ok, err = tx.UseCode(ctx, t, u.code.Code, rec.OrganizationID, rec.ID, h.Now); err != nil || !ok {
			return orUnavailable(err, u.code.Code, "code already used")
		}
	}
	if ok, err = tx.UseOrg(ctx, t, c.ID, rec.OrganizationID, c.PerOrgLimit); err != nil || !ok {
		return orUnavailable(err, u.code.Code, "already used by your organization")
	}
	red := Redemption{ID: ids.New(), TenantID: t, CampaignID: c.ID, Code: u.code.Code, OrganizationID: rec.OrganizationID,
		EventID: rec.ID, CreatedAt: h.Now}
	if c.Effect.Type == EffectBonus {
		red.Points = u.value
		if err := s.credit(ctx, tx, h, rec, u); err != nil {
			return err
		}
	} else {
		red.Discount = u.value
	}
	return tx.InsertPromoRedemption(ctx, red)
}

// exhausted says which of the total limit and the budget a concurrent
// order used up since the code was checked, reading the campaign again.
func (s *Service) exhausted(ctx context.Context, tx Tx, tenantID string, u *use) error {
	c, err := tx.GetCampaign(ctx, tenantID, u.camp.ID)
	if err != nil {
		return err
	}
	if c.TotalLimit > 0 && c.Used >= c.TotalLimit {
		return unavailable(u.code.Code, "usage limit reached")
	}
	return unavailable(u.code.Code, "campaign budget exhausted")
}

// orUnavailable is err, or the refusal of the code for why.
func orUnavailable(err error, code, why string) error {
	if err != nil {
		return err
	}
	return unavailable(code, why)
}

// credit posts a bonus campaign's points to the organization's wallet of
// its program's point type.
func (s *Service) credit(ctx context.Context, tx Tx, h *events.HookCtx, rec *events.Record, u *use) error {
	vs, err := tx.ListVersions(ctx, h.Principal.TenantID, u.camp.ProgramID)
	if err != nil {
		return err
	}
	var pt string
	for _, v := range vs { // the version in force when the order occurred
		if !v.EffectiveFrom.After(rec.Event.OccurredAt) && v.Definition.PointTypeID != "" {
			pt = v.Definition.PointTypeID
		}
	}
	if pt == "" {
		return unavailable(u.code.Code, "its program has no point type to credit")
	}
	_, err = h.Post(ctx, ledger.Entry{Kind: ledger.KindEarn, IdemKey: "promo:" + rec.ID + ":" + u.code.Code, Effective: rec.Event.OccurredAt,
		Cause:   ledger.Cause{EventID: rec.ID, Reason: fmt.Sprintf("promo code %s (%s)", u.code.Code, u.camp.Name)},
		Credits: []ledger.Credit{{Owner: ledger.Owner{Type: ledger.OwnerOrganization, ID: rec.OrganizationID}, PointTypeID: pt, Amount: u.value}}})
	return err
}
