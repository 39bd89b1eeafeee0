package portal

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
)

// standing is an owner's state across the tenant's running programs: its
// wallets, and per program its tier, stamps and discounts.
type standing struct {
	Wallets  []ledger.Balance
	Programs []programStanding
}

type programStanding struct {
	Program program.Program
	Status  events.Standing
}

// soon is the window of "expiring soon" on the card.
const soon = 30 * 24 * time.Hour

// wallets reads an owner's balances (member or organization).
func (c *Portal) wallets(ctx context.Context, p access.Principal, t ledger.OwnerType, id string) ([]ledger.Balance, error) {
	return c.svc.Ledger.Balances(ctx, p, ledger.Owner{Type: t, ID: id}, soon)
}

// programs lists the tenant's running programs.
func (c *Portal) programs(ctx context.Context, p access.Principal) ([]program.Program, error) {
	res, err := c.svc.Programs.List(ctx, p, page.Request{Limit: 50})
	var out []program.Program
	for _, pr := range res.Items {
		if pr.Status == program.Active || pr.Status == program.Pilot {
			out = append(out, pr)
		}
	}
	return out, err
}

// standings reads the organization's standing in each running program; a
// program without rules yet is left out.
func (c *Portal) standings(ctx context.Context, p access.Principal, orgID string) ([]programStanding, error) {
	prs, err := c.programs(ctx, p)
	if err != nil {
		return nil, err
	}
	var out []programStanding
	for _, pr := range prs {
		st, err := c.svc.Events.Status(ctx, p, pr.ID, orgID)
		if errs.Is(err, errs.Conflict) || errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, programStanding{Program: pr, Status: st})
	}
	return out, nil
}

// goals lists the running goals of the organization and of the member
// ("" for the organization's only).
func (c *Portal) goals(ctx context.Context, p access.Principal, orgID, memberID string) ([]goal.Goal, error) {
	res, err := c.svc.Goals.List(ctx, p, goal.ListInput{Organization: orgID, Status: goal.Active}, page.Request{Limit: 100})
	var out []goal.Goal
	for _, g := range res.Items {
		if g.MemberID == "" || g.MemberID == memberID {
			out = append(out, g)
		}
	}
	return out, err
}

// grouped shows a card number in groups of four digits.
func grouped(n string) string {
	out := ""
	for i := 0; i < len(n); i += 4 {
		if i > 0 {
			out += " "
		}
		out += n[i:min(i+4, len(n))]
	}
	return out
}

// tierLine is a tier as the card shows it: the level, a progress bar to
// the next and one line saying what is left.
type tierLine struct {
	Program, Level, Next, Left string
	Value, Target              int64
}

// stampLine is a stamp card: n of N.
type stampLine struct {
	Program        string
	Total, Needed  int64
	Completed      int64
	DiscountsNames []string
}

// lines turns standings into what the card shows, amounts of the "spend"
// metric as money in currency.
func lines(l localizer, ps []programStanding, currency string) ([]tierLine, []stampLine) {
	var tiers []tierLine
	var stamps []stampLine
	for _, p := range ps {
		if t := p.Status.Tier; t != nil {
			tl := tierLine{Program: p.Program.Name, Level: t.Level.Name, Value: t.Value}
			if t.Next != nil {
				tl.Next, tl.Target = t.Next.Name, t.Next.Threshold
				tl.Left = l.Num(t.Remaining)
				if t.Metric == "spend" {
					tl.Left = l.Money(t.Remaining, currency)
				}
			}
			tiers = append(tiers, tl)
		}
		if s := p.Status.Stamps; s != nil {
			stamps = append(stamps, stampLine{Program: p.Program.Name, Total: s.Total, Needed: s.Needed, Completed: s.Completed})
		}
	}
	return tiers, stamps
}

// localizer is what lines needs of a locale.
type localizer interface {
	Num(int64) string
	Money(int64, string) string
	Percent(float64) string
}
