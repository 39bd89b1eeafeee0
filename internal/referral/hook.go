package referral

import (
	"context"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// CheckTx implements events.TxChecker: the app checks at startup that
// ingestion's transaction is also this package's Tx.
func (*Service) CheckTx(tx events.Tx) error { return events.Needs[Tx](tx) }

// AfterEvent qualifies a pending referral on the referred organization's
// first purchase (invoice or order) that reaches a running program's
// minimum, and credits both sides in that program's point type, once:
// the referral leaves pending in the purchase's transaction. When several
// programs have referral settings, the first by id whose minimum the
// purchase reaches rewards it.
func (s *Service) AfterEvent(ctx context.Context, h *events.HookCtx, rec *events.Record) error {
	if rec.Event.Type != engine.Invoice && rec.Event.Type != engine.Order {
		return nil
	}
	tx, err := events.TxAs[Tx](h.Tx)
	if err != nil {
		return err
	}
	has, err := s.used.Uses(h.Principal.TenantID, func() (bool, error) { return tx.HasReferrals(ctx, h.Principal.TenantID) })
	if err != nil || !has {
		return err
	}
	r, err := tx.ReferralOf(ctx, h.Principal.TenantID, rec.OrganizationID)
	if errs.Is(err, errs.NotFound) {
		return nil
	} else if err != nil || r.Status != Pending {
		return err
	}
	set, pointType, err := rewarding(ctx, tx, h.Principal.TenantID, &rec.Event)
	if err != nil || pointType == "" {
		return err
	}
	before := r
	r.Status, r.ProgramID, r.EventID, r.QualifiedAt = Qualified, set.ProgramID, rec.ID, &h.Now
	r.ReferrerPoints, r.ReferredPoints = set.ReferrerPoints, set.ReferredPoints
	if ok, err := tx.QualifyReferral(ctx, r); err != nil || !ok {
		return err // not pending any more: rewarded by another purchase
	}
	credits := []struct {
		side  string
		owner ledger.Owner
		n     int64
	}{
		{"referrer", ledger.Owner{Type: ledger.OwnerType(r.ReferrerType), ID: r.ReferrerID}, r.ReferrerPoints},
		{"referred", ledger.Owner{Type: ledger.OwnerOrganization, ID: r.ReferredOrgID}, r.ReferredPoints},
	}
	for _, c := range credits {
		if c.n <= 0 {
			continue
		}
		_, err := h.Post(ctx, ledger.Entry{Kind: ledger.KindEarn, IdemKey: "referral:" + r.ID + ":" + c.side, Effective: rec.Event.OccurredAt,
			Cause:   ledger.Cause{EventID: rec.ID, Reason: fmt.Sprintf("referral %s: %s reward", r.ID, c.side)},
			Credits: []ledger.Credit{{Owner: c.owner, PointTypeID: pointType, Amount: c.n}}})
		if err != nil {
			return err
		}
	}
	return audit.Record(ctx, tx, h.Principal, h.Now, "referral.qualified", "referral", r.ID, before, r)
}

// rewarding finds the running program whose referral minimum a purchase
// reaches, and the point type it credits in ("" when none does). Only a
// purchase in the program's currency counts.
func rewarding(ctx context.Context, tx Tx, tenantID string, ev *engine.Event) (Rewards, string, error) {
	all, err := tx.ListReferralSettings(ctx, tenantID)
	if err != nil || len(all) == 0 {
		return Rewards{}, "", err
	}
	running, err := tx.RunningPrograms(ctx, tenantID)
	if err != nil {
		return Rewards{}, "", err
	}
	isRunning := map[string]bool{}
	for _, p := range running {
		isRunning[p.ID] = true
	}
	amount, _ := ev.Totals()
	for _, set := range all { // in program id order
		if !isRunning[set.ProgramID] || amount < set.MinFirstBuy {
			continue
		}
		vs, err := tx.ListVersions(ctx, tenantID, set.ProgramID)
		if err != nil {
			return Rewards{}, "", err
		}
		if len(vs) == 0 {
			continue
		}
		def := vs[len(vs)-1].Definition
		if def.PointTypeID == "" || (def.Currency != "" && def.Currency != ev.Currency) {
			continue
		}
		return set, def.PointTypeID, nil
	}
	return Rewards{}, "", nil
}

// MaxPoints bounds the referral rewards of a program.
const MaxPoints = 1_000_000_000

// GetSettings returns a program's referral settings (zeros when never
// set: no rewards).
func (s *Service) GetSettings(ctx context.Context, p access.Principal, programID string) (Rewards, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Rewards{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Rewards, error) {
		if _, err := tx.GetProgram(ctx, p.TenantID, programID); err != nil {
			return Rewards{}, err
		}
		set, err := tx.GetReferralSettings(ctx, p.TenantID, programID)
		if errs.Is(err, errs.NotFound) {
			return Rewards{ProgramID: programID}, nil
		}
		return set, err
	})
}

// PutSettings sets a program's referral rewards.
func (s *Service) PutSettings(ctx context.Context, p access.Principal, set Rewards) (Rewards, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Rewards{}, err
	}
	var f errs.Fields
	for _, v := range []struct {
		field string
		n     int64
	}{{"referrer_points", set.ReferrerPoints}, {"referred_points", set.ReferredPoints}, {"min_first_purchase", set.MinFirstBuy}} {
		if v.n < 0 || v.n > MaxPoints*1000 || (v.field != "min_first_purchase" && v.n > MaxPoints) {
			f.Add(v.field, "out_of_range", "%s must be between 0 and %d", v.field, limitOf(v.field))
		}
	}
	if err := f.Err(); err != nil {
		return Rewards{}, err
	}
	set.UpdatedAt = s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Rewards, error) {
		if _, err := tx.GetProgram(ctx, p.TenantID, set.ProgramID); err != nil {
			return set, err
		}
		if err := tx.PutReferralSettings(ctx, p.TenantID, set); err != nil {
			return set, err
		}
		return set, audit.Record(ctx, tx, p, set.UpdatedAt, "referral_settings.updated", "program", set.ProgramID, nil, set)
	})
}

func limitOf(field string) int64 {
	if field == "min_first_purchase" {
		return MaxPoints * 1000
	}
	return MaxPoints
}

var _ events.Hook = (*Service)(nil)
