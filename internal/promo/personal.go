package promo

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// When a personal campaign issues codes.
const (
	IssueOnPurchase = "purchase" // one code per invoice or order, printed on its documents
	IssueMonthly    = "month"    // one code per enrolled organization at the start of each month
)

// Issue says when a personal campaign issues each organization a code of
// its own, from a pattern, valid for ValidMonths months and ValidDays days
// from the issue ("2.5 months": 2 months and 15 days).
type Issue struct {
	On          string `json:"on"`
	Pattern     string `json:"pattern"`
	ValidMonths int    `json:"valid_months,omitempty"`
	ValidDays   int    `json:"valid_days,omitempty"`
}

// PersonalCode is who a personal code belongs to and until when. Key
// makes issuing idempotent: "event:<id>" for a purchase, "month:<yyyy-mm>:
// <organization>" for the monthly issue.
type PersonalCode struct {
	Code           string
	CampaignID     string
	OrganizationID string
	ExpiresAt      time.Time
	IssuedEvent    string
	Key            string
	CreatedAt      time.Time
}

// checkIssue records what is wrong with a personal campaign's issue.
func checkIssue(f *errs.Fields, i *Issue, programID string) {
	if i == nil {
		f.Add("issue", "required", "a personal campaign says when it issues codes: issue.on purchase or month, issue.pattern, the validity")
		return
	}
	valid.OneOf(f, "issue.on", i.On, true, []string{IssueOnPurchase, IssueMonthly})
	pf := f.Under("issue.")
	checkPattern(pf, i.Pattern)
	f.Merge(pf)
	if i.ValidMonths < 0 || i.ValidDays < 0 || i.ValidMonths > 120 || i.ValidDays > 3650 || i.ValidMonths+i.ValidDays == 0 {
		f.Add("issue.valid_days", "out_of_range", "give the validity: valid_months (0–120) and/or valid_days (0–3650), not both 0")
	}
	if i.On == IssueMonthly && programID == "" {
		f.Add("program_id", "required", "a monthly personal campaign issues codes to the organizations enrolled in its program: name it")
	}
}

// until is when a code issued at t ends.
func (i Issue) until(t time.Time) time.Time { return t.UTC().AddDate(0, i.ValidMonths, i.ValidDays) }

// issuePersonal gives the organization of a new invoice or order a code of
// each personal campaign that issues on purchases (and whose program, if
// it names one, took part), valid from the event's time. The codes are
// recorded on the event (codes_issued), so the answer — and the event's
// history — show them for printing on the order's documents.
func (s *Service) issuePersonal(ctx context.Context, tx Tx, h *events.HookCtx, rec *events.Record) error {
	ev := &rec.Event
	if ev.Type != engine.Invoice && ev.Type != engine.Order {
		return nil
	}
	has, err := s.personal.Uses(rec.TenantID, func() (bool, error) {
		is, err := tx.CodeIssues(ctx, rec.TenantID)
		return len(is) > 0, err
	})
	if err != nil || !has {
		return err
	}
	issues, err := tx.CodeIssues(ctx, rec.TenantID)
	if err != nil {
		return err
	}
	for id, is := range issues {
		if is.On != IssueOnPurchase {
			continue
		}
		c, err := tx.GetCampaign(ctx, rec.TenantID, id)
		if err != nil {
			return err
		}
		if c.Status != Active || when(&c, request{programIDs: applied(rec), at: ev.OccurredAt}) != "" {
			continue
		}
		code, err := s.issue(ctx, tx, c, is, rec.OrganizationID, rec.ID, "event:"+rec.ID, ev.OccurredAt, h.Now)
		if err != nil {
			return err
		}
		ev.CodesIssued = append(ev.CodesIssued, code)
	}
	return nil
}

// applied lists the programs that evaluated an event.
func applied(rec *events.Record) []string {
	var out []string
	for _, r := range rec.Results {
		if r.Status == engine.Applied {
			out = append(out, r.ProgramID)
		}
	}
	return out
}

// issue draws a free code for an organization and stores it with its
// owner, end and key, unless the key was issued already (then it returns
// that code). A drawn code that exists in the tenant is drawn again.
func (s *Service) issue(ctx context.Context, tx Tx, c Campaign, is Issue, orgID, eventID, key string, from, now time.Time) (string, error) {
	for range 5 {
		codes, err := draw(is.Pattern, 1)
		if err != nil {
			return "", err
		}
		pc := PersonalCode{Code: codes[0], CampaignID: c.ID, OrganizationID: orgID, ExpiresAt: is.until(from), IssuedEvent: eventID, Key: key, CreatedAt: now}
		ok, err := tx.InsertPersonalCode(ctx, c.TenantID, pc)
		if err != nil {
			return "", err
		}
		if !ok {
			prev, err := tx.PersonalCodeByKey(ctx, c.TenantID, c.ID, key)
			if err == nil {
				return prev.Code, nil // issued before: running twice issues nothing new
			}
			if !errs.Is(err, errs.NotFound) {
				return "", err
			}
			continue // the code is taken by another personal code: draw again
		}
		n, err := tx.InsertCodes(ctx, c.TenantID, c.ID, codes, now)
		if err != nil {
			return "", err
		}
		if n == 1 {
			return codes[0], nil
		}
		if err := tx.DeletePersonalCode(ctx, c.TenantID, codes[0]); err != nil { // taken by another campaign
			return "", err
		}
	}
	return "", errs.E(errs.Conflict, "pattern_exhausted", "campaign %s: could not draw a free code from its pattern: use more '#'", c.ID)
}

// IssueMonthly gives every organization enrolled in the program of each
// monthly personal campaign its code for the month of at, once: running it
// again, or on two replicas, issues nothing more. It returns how many
// codes it issued.
func (s *Service) IssueMonthly(ctx context.Context, tenantID string, at time.Time) (int, error) {
	n := 0
	err := s.Store.Write(ctx, func(tx Tx) error {
		n = 0
		issues, err := tx.CodeIssues(ctx, tenantID)
		if err != nil {
			return err
		}
		start := time.Date(at.UTC().Year(), at.UTC().Month(), 1, 0, 0, 0, 0, time.UTC)
		for id, is := range issues {
			if is.On != IssueMonthly {
				continue
			}
			c, err := tx.GetCampaign(ctx, tenantID, id)
			if err != nil {
				return err
			}
			if c.Status != Active || when(&c, request{programIDs: []string{c.ProgramID}, at: at}) != "" {
				continue
			}
			orgs, err := tx.Participants(ctx, tenantID, c.ProgramID)
			if err != nil {
				return err
			}
			for _, org := range orgs {
				key := "month:" + engine.MonthKey(start) + ":" + org
				if _, err := tx.PersonalCodeByKey(ctx, tenantID, id, key); err == nil {
					continue
				} else if !errs.Is(err, errs.NotFound) {
					return err
				}
				if _, err := s.issue(ctx, tx, c, is, org, "", key, start, s.Clock.Now()); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	return n, err
}

// personalCheck refuses a personal code of another organization (as an
// unknown code: it says nothing of it) or past its end.
func personalCheck(ctx context.Context, tx Tx, u *use, r request) (string, error) {
	pc, err := tx.GetPersonalCode(ctx, r.tenantID, u.code.Code)
	if err != nil {
		return "", err
	}
	u.code.Organization, u.code.ExpiresAt, u.code.IssuedEvent = pc.OrganizationID, &pc.ExpiresAt, pc.IssuedEvent
	switch {
	case pc.OrganizationID != r.orgID:
		return unknownCode, nil
	case !r.at.Before(pc.ExpiresAt):
		return "expired on " + pc.ExpiresAt.UTC().Format(dateTime), nil
	}
	return "", nil
}
