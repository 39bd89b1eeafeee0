package notify

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Trigger templates: the product sends these codes when they happen, if
// the tenant has a template of the code (no template: no message).
// Goal thresholds are templates goal_<percent> (goal_50: half way), so a
// tenant chooses its thresholds by the templates it writes.
const (
	TemplateTierUp         = "tier_up"
	TemplateTierDown       = "tier_down"
	TemplatePointsExpiring = "points_expiring"
	TemplateGoalAchieved   = "goal_achieved"
	TemplateGoalPrefix     = "goal_"       // + a percent, 1–99
	TemplateRedemption     = "redemption_" // + the new status
	TemplateClaim          = "claim_"      // + the new status
	TemplateBirthday       = "birthday"    // to a member on their birthday (the occasions job's event)
)

// triggerData holds the fields of published events that triggers read.
type triggerData struct {
	OrganizationID  string `json:"organization_id"`
	MemberID        string `json:"member_id"`
	ProgramID       string `json:"program_id"`
	Status          string `json:"status"`
	TierTo          string `json:"tier_to"`
	Direction       string `json:"direction"`
	Reward          string `json:"reward"`
	Name            string `json:"name"`
	InvoiceNumber   string `json:"invoice_number"`
	Reason          string `json:"reason"`
	Note            string `json:"note"` // a redemption step's, read as the reason
	Points          int64  `json:"points"`
	Progress        int64  `json:"progress"`
	Target          int64  `json:"target"`
	Percent         int64  `json:"percent"`
	PreviousPercent int64  `json:"previous_percent"`
}

// trigger queues, in the publishing transaction, the message an event
// sends to its member (or its organization's members): the first of its
// template codes the tenant has a template of.
func (s *Service) trigger(ctx context.Context, tx publishTx, tenantID, typ string, raw []byte) error {
	var d triggerData
	codes := triggerCodes(typ, raw, &d)
	have, err := tx.TemplateCodes(ctx, tenantID, codes)
	if err != nil {
		return err
	}
	for _, code := range codes {
		if !slices.Contains(have, code) {
			continue
		}
		m := ToOwner{Template: code, OwnerType: "organization", OwnerID: d.OrganizationID, ProgramID: d.ProgramID,
			Source: "trigger:" + code, Vars: d.vars()}
		if d.MemberID != "" {
			m.OwnerType, m.OwnerID = "member", d.MemberID
		}
		return tx.QueueRows(ctx, tenantID, []Row{{ID: ids.New(), Kind: OwnerMessage, CreatedAt: s.Clock.Now(), Payload: m}})
	}
	return nil
}

// triggerCodes are the template codes an event may send, best first; it
// reads the event's fields into d when there are any.
func triggerCodes(typ string, raw []byte, d *triggerData) []string {
	switch typ {
	case TierChanged, RedemptionStatus, ClaimStatus, GoalProgress, GoalAchieved, TemplateBirthday:
	default:
		return nil
	}
	if json.Unmarshal(raw, d) != nil {
		return nil
	}
	switch typ {
	case TierChanged:
		if d.Direction == "down" {
			return []string{TemplateTierDown}
		}
		return []string{TemplateTierUp}
	case RedemptionStatus:
		return []string{TemplateRedemption + d.Status}
	case ClaimStatus:
		return []string{TemplateClaim + d.Status}
	case GoalAchieved:
		return []string{TemplateGoalAchieved}
	case TemplateBirthday:
		if d.MemberID == "" {
			return nil
		}
		return []string{TemplateBirthday}
	}
	var codes []string // the highest threshold crossed first
	for p := min(d.Percent, 99); p > d.PreviousPercent; p-- {
		codes = append(codes, TemplateGoalPrefix+strconv.FormatInt(p, 10))
	}
	return codes
}

// vars are the template variables an event supplies.
func (d triggerData) vars() map[string]string {
	v := map[string]string{}
	add := func(k, x string) {
		if x != "" {
			v[k] = x
		}
	}
	add("tier", d.TierTo)
	add("status", d.Status)
	add("reason", d.Reason)
	if d.Reason == "" {
		add("reason", d.Note)
	}
	add("reward.name", d.Reward)
	add("claim.invoice", d.InvoiceNumber)
	if d.Points != 0 {
		v["points"] = strconv.FormatInt(d.Points, 10)
	}
	if d.Target > 0 {
		add("goal.name", d.Name)
		v["goal.progress"], v["goal.target"] = strconv.FormatInt(d.Progress, 10), strconv.FormatInt(d.Target, 10)
		v["goal.percent"] = strconv.FormatInt(d.Percent, 10)
	}
	return v
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
