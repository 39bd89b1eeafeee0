package membership

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/jobrun"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Source is the event source of memberships sold through this service.
const Source = "memberships"

// BuyInput is an organization buying (or renewing) a plan now.
type BuyInput struct {
	Organization string // id or ext:<ERP id>
	Plan         string // code
	Fee          *int64 // paid, if not the plan's fee (a negotiated price)
	ExternalID   string // the sale's id in the operator's systems; generated when empty
}

// Buy sells a plan to an organization: a membership event that programs
// see, and a paid period from now — or from the end of the period still
// running, for an early renewal.
func (s *Service) Buy(ctx context.Context, p access.Principal, in BuyInput) (Status, error) {
	if err := p.Can(access.EditParties); err != nil {
		return Status{}, err
	}
	org, err := s.check(ctx, p.TenantID, in)
	if err != nil {
		return Status{}, err
	}
	if err := p.Reaches(org.AccountManagerID); err != nil {
		return Status{}, err
	}
	ext, err := s.saleID(ctx, p.TenantID, in.ExternalID)
	if err != nil {
		return Status{}, err
	}
	attrs := map[string]string{"action": ActionPurchase, "plan": in.Plan}
	if in.Fee != nil {
		attrs["fee"] = strconv.FormatInt(*in.Fee, 10)
	}
	res, err := s.Events.IngestOwn(ctx, p, events.Input{Type: engine.Membership, Source: Source, ExternalID: ext,
		OccurredAt: s.Clock.Now(), Organization: org.ID, Attributes: attrs})
	if err != nil {
		return Status{}, err
	}
	all, err := s.Of(ctx, p, res.OrganizationID)
	if err != nil {
		return Status{}, err
	}
	for _, st := range all {
		if st.Plan.Code == strings.ToLower(strings.TrimSpace(in.Plan)) {
			return st, nil
		}
	}
	return Status{}, fmt.Errorf("membership: the period of event %s was not recorded", res.ID)
}

// saleID is the external id of a sale's event in the product's source.
// The product names its own events there (membership-<random>,
// lapse-<period>); a sale the client names goes under "sale:", so that no
// id a client sends is one of those. A sale recorded before that prefix
// kept the client's id as sent, and a repeat of it must find it.
func (s *Service) saleID(ctx context.Context, tenantID, ext string) (string, error) {
	if ext == "" {
		return "membership-" + ids.New(), nil
	}
	_, err := txn.Get(ctx, s.Store, func(tx Tx) (events.Record, error) { return tx.GetEventByExternal(ctx, tenantID, Source, ext) })
	switch {
	case err == nil:
		return ext, nil
	case errs.Is(err, errs.NotFound):
		return "sale:" + ext, nil
	}
	return "", err
}

// check finds the organization (404 when unknown) and that the plan is on
// sale, so that errors name the request's fields rather than the event's.
func (s *Service) check(ctx context.Context, tenantID string, in BuyInput) (org party.Organization, err error) {
	err = s.Store.Read(ctx, func(tx Tx) error {
		if org, err = party.OrgByRef(ctx, tx, tenantID, in.Organization); err != nil {
			return err
		}
		pl, err := tx.PlanByCode(ctx, tenantID, strings.ToLower(strings.TrimSpace(in.Plan)))
		switch {
		case errs.Is(err, errs.NotFound):
			return errs.InvalidField("plan", "unknown_plan", "no membership plan with code %q", in.Plan)
		case err == nil && pl.Status != PlanActive:
			return errs.InvalidField("plan", "plan_archived", "plan %q is no longer sold", in.Plan)
		}
		return err
	})
	return org, err
}

// Status is an organization's membership of one plan.
type Status struct {
	Plan        Plan       `json:"plan"`
	Active      bool       `json:"active"`
	ActiveUntil *time.Time `json:"active_until,omitempty"` // end of the paid time that runs without a gap from now
	Periods     []Period   `json:"periods"`
}

// Of returns an organization's memberships, one per plan it ever bought.
func (s *Service) Of(ctx context.Context, p access.Principal, orgRef string) ([]Status, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Status, error) {
		org, err := party.OrgByRef(ctx, tx, p.TenantID, orgRef)
		if err != nil {
			return nil, err
		}
		if err := p.Reaches(org.AccountManagerID); err != nil {
			return nil, err
		}
		periods, err := tx.OrgPeriods(ctx, p.TenantID, org.ID)
		if err != nil {
			return nil, err
		}
		return statuses(ctx, tx, p.TenantID, periods, now)
	})
}

func statuses(ctx context.Context, tx Tx, tenantID string, periods []Period, now time.Time) ([]Status, error) {
	out := []Status{}
	byPlan := map[string]int{}
	for _, per := range periods {
		i, ok := byPlan[per.PlanID]
		if !ok {
			pl, err := tx.GetPlan(ctx, tenantID, per.PlanID)
			if err != nil {
				return nil, err
			}
			i = len(out)
			byPlan[per.PlanID] = i
			out = append(out, Status{Plan: pl})
		}
		st := &out[i]
		st.Periods = append(st.Periods, per)
		covers := !per.StartsAt.After(now) && per.EndsAt.After(now)
		chained := st.ActiveUntil != nil && !per.StartsAt.After(*st.ActiveUntil)
		if covers || (st.Active && chained) {
			st.Active, st.ActiveUntil = true, &per.EndsAt
		}
	}
	return out, nil
}

// JobLapse names the memberships job.
const JobLapse = "memberships"

// Lapse records a membership event with action lapse for every paid period
// that ended in the 31 days up to at and was not followed by another: the
// organization's history shows it and programs can react (a win-back
// offer). Each lapse has a fixed external id, so running it twice changes
// nothing. It returns how many lapses it recorded; a lapse that could not
// be recorded is skipped and reported in a *jobrun.Error. A lapse is an
// event at the period's end, and events cannot be in the future, so at is
// capped at now.
func (s *Service) Lapse(ctx context.Context, tenantID string, at time.Time) (int, error) {
	p := access.System(tenantID)
	if now := s.Clock.Now(); at.After(now) {
		at = now
	}
	var ended []Period
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		ended, err = tx.LapsedPeriods(ctx, tenantID, at.AddDate(0, 0, -31), at, 1000)
		return err
	})
	if err != nil {
		return 0, err
	}
	n, report := 0, &jobrun.Error{Job: JobLapse}
	for _, per := range ended {
		recorded, err := s.lapse(ctx, p, per)
		switch {
		case jobrun.RowFailure(ctx, err):
			report.Add(per.ID, err)
		case err != nil:
			return n, err
		case recorded:
			n++
		}
	}
	return n, report.Err()
}

// lapse records the lapse of one period; false when it was recorded before.
func (s *Service) lapse(ctx context.Context, p access.Principal, per Period) (bool, error) {
	var pl Plan
	if err := s.Store.Read(ctx, func(tx Tx) (err error) { pl, err = tx.GetPlan(ctx, p.TenantID, per.PlanID); return err }); err != nil {
		return false, err
	}
	res, err := s.Events.IngestOwn(ctx, p, events.Input{Type: engine.Membership, Source: Source, ExternalID: "lapse-" + per.ID,
		OccurredAt: per.EndsAt, Organization: per.OrganizationID, Attributes: map[string]string{"action": ActionLapse, "plan": pl.Code}})
	return err == nil && !res.Duplicate, err
}
