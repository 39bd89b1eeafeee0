package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/claim"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// tierClub is a running program earning 10% of invoices, with levels
// requalified monthly on last month's spend and no grace period.
type tierClub struct {
	p   access.Principal
	pr  program.Program
	pt  ledger.PointType
	org party.Organization
	m   party.Member
}

func newTierClub(t *testing.T, a *App) tierClub {
	ctx := context.Background()
	tn, err := a.Tenants.CreateTenant(ctx, "club", "Club Co")
	must(t, err)
	c := tierClub{p: access.System(tn.ID)}
	c.pr, err = a.Programs.Create(ctx, c.p, program.Input{Name: "Dealer Club"})
	must(t, err)
	c.pt, err = a.Ledger.CreatePointType(ctx, c.p, c.pr.ID, ledger.PointTypeInput{Code: "points", Name: "Points", Unit: "points",
		Currency: "EUR", ValueNum: 1, ValueDen: 1, Expiry: "days:90"})
	must(t, err)
	def, _ := json.Marshal(map[string]any{"currency": "EUR", "point_type_id": c.pt.ID,
		"rules": []map[string]any{{"id": "ten", "name": "10% back", "events": []string{"invoice"}, "effects": []map[string]any{{"type": "earn", "percent_bp": 1000}}}},
		"tiers": map[string]any{"metric": "spend", "window": "previous_month", "review": "month", "levels": []map[string]any{
			{"code": "base", "name": "Base", "threshold": 0}, {"code": "silver", "name": "Silver", "threshold": 500000}}}})
	_, err = a.Programs.AddVersion(ctx, c.p, c.pr.ID, program.VersionInput{Definition: def})
	must(t, err)
	c.pr, err = a.Programs.SetStatus(ctx, c.p, c.pr.ID, program.StatusInput{Status: program.Active})
	must(t, err)
	c.org, err = a.Party.CreateOrganization(ctx, c.p, party.OrgInput{Type: party.Dealer, Name: "Northern Bricks"})
	must(t, err)
	c.m, err = a.Party.CreateMember(ctx, c.p, party.MemberInput{OrganizationID: c.org.ID, Name: "Ann Lee", Roles: []party.Role{party.RoleOwner}})
	must(t, err)
	st, err := a.Notify.GetSettings(ctx, c.p)
	must(t, err)
	st.DailyCap = 50
	_, err = a.Notify.PutSettings(ctx, c.p, st)
	must(t, err)
	return c
}

// newClubApp is an app over db on 10 March 2026 at 09:00, with the club.
func newClubApp(t *testing.T, db *store.DB) (*App, *clock.Fake, tierClub) {
	clk := clock.NewFake(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	a := New(config.Config{}, slog.New(slog.DiscardHandler), clk, db, nil)
	return a, clk, newTierClub(t, a)
}

// inboxTemplate saves an inbox template of a code.
func (c tierClub) inboxTemplate(t *testing.T, a *App, code, body string) {
	_, err := a.Notify.CreateTemplate(context.Background(), c.p, notify.Template{Code: code, Channel: notify.ChannelPortal, Lang: "en",
		Subject: code, Body: body})
	must(t, err)
}

func (c tierClub) inbox(t *testing.T, a *App) []string {
	drainRelay(t, a)
	pg, err := a.Notify.Inbox(context.Background(), c.p, c.m.ID, page.Request{Limit: 100})
	must(t, err)
	var out []string
	for _, m := range pg.Items {
		out = append(out, m.Body)
	}
	return out
}

func (c tierClub) invoice(t *testing.T, a *App, ext string, at time.Time, amount int64) {
	_, err := a.Events.IngestOne(context.Background(), c.p, events.Input{Type: "invoice", Source: "erp", ExternalID: ext, OccurredAt: at,
		Organization: c.org.ID, Currency: "EUR", Lines: []events.LineInput{{SKU: "B", Category: "bricks", Qty: 1, UnitPrice: amount}}}, false)
	must(t, err)
}

func hasText(got []string, want string) bool {
	return slices.ContainsFunc(got, func(b string) bool { return strings.Contains(b, want) })
}

// Tier up and down (the monthly review), redemption and claim status
// changes and goal thresholds each reach the person by their template,
// with the trigger's values; a threshold without a template sends nothing.
func TestTriggersMessagePeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, clk, c := newClubApp(t, db)
		c.inboxTemplate(t, a, notify.TemplateTierUp, "Welcome to {{tier}}.")
		c.inboxTemplate(t, a, notify.TemplateTierDown, "You are back to {{tier}}.")
		c.inboxTemplate(t, a, "redemption_approved", "{{reward.name}} is {{status}} for {{points}} points.")
		c.inboxTemplate(t, a, "redemption_fulfilled", "{{reward.name}} is on its way.")
		c.inboxTemplate(t, a, "claim_rejected", "Claim {{claim.invoice}} was rejected: {{reason}}")
		c.inboxTemplate(t, a, "goal_50", "Half way to {{goal.name}}: {{goal.progress}} of {{goal.target}} ({{goal.percent}}%).")
		c.inboxTemplate(t, a, notify.TemplateGoalAchieved, "You reached {{goal.name}}!")

		c.invoice(t, a, "INV-1", clk.Now(), 600000) // March: 6,000.00
		for _, month := range []time.Month{4, 5} {  // April: silver; May: nothing bought, down to base
			at := time.Date(2026, month, 1, 2, 0, 0, 0, time.UTC)
			clk.Set(at)
			_, err := a.Events.ReviewDue(ctx, c.p.TenantID, at)
			must(t, err)
		}
		it, err := a.Rewards.Create(ctx, c.p, reward.ItemInput{Kind: reward.Information, Name: "Site visit", PointTypeID: c.pt.ID, Price: 500})
		must(t, err)
		r, err := a.Rewards.Redeem(ctx, c.p, reward.RedeemInput{ItemID: it.ID, Organization: c.org.ID, Quantity: 1})
		must(t, err)
		if r.Status != reward.Approved {
			t.Fatalf("redemption %s, want approved", r.Status)
		}
		_, err = a.Rewards.Fulfill(ctx, c.p, r.ID, "")
		must(t, err)
		pdf := "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
		cl, err := a.Claims.Submit(ctx, c.p, claim.Submission{ProgramID: c.pr.ID, Member: c.m.ID, InvoiceNumber: "C-9",
			InvoiceDate: clk.Now().AddDate(0, 0, -1).Format(time.DateOnly), EndCustomer: "Harbour Homes", Currency: "EUR",
			Lines:    []claim.ClaimLine{{SKU: "B", Category: "bricks", Qty: 1, UnitPrice: 100}},
			Document: &claim.DocumentInput{Filename: "c.pdf", ContentType: "application/pdf", Data: base64.StdEncoding.EncodeToString([]byte(pdf))}})
		must(t, err)
		_, err = a.Claims.Reject(ctx, c.p, cl.ID, "no stamp")
		must(t, err)
		_, err = a.Goals.Create(ctx, c.p, goal.Input{Name: "Four trainings", Organization: c.org.ID, Metric: goal.Trainings, Target: 4,
			StartsAt: clk.Now().AddDate(0, 0, -1), EndsAt: clk.Now().AddDate(0, 1, 0), Reward: goal.Reward{Text: "A badge"}})
		must(t, err)
		training := func(ext string) {
			_, err := a.Events.IngestOne(ctx, c.p, events.Input{Type: "training", Source: "lms", ExternalID: ext, OccurredAt: clk.Now(), Organization: c.org.ID}, false)
			must(t, err)
		}
		training("t1") // 25%: no goal_25 template, nothing
		if got := c.inbox(t, a); hasText(got, "Half way") {
			t.Fatalf("a message at 25%%: %q", got)
		}
		for _, ext := range []string{"t2", "t3", "t4"} {
			training(ext)
		}
		got := c.inbox(t, a)
		for _, want := range []string{"Welcome to silver.", "You are back to base.", "Site visit is approved for 500 points.", "Site visit is on its way.",
			"Claim C-9 was rejected: no stamp", "Half way to Four trainings: 2 of 4 (50%).", "You reached Four trainings!"} {
			if !hasText(got, want) {
				t.Errorf("no message %q in %q", want, got)
			}
		}
		if len(got) != 7 {
			t.Errorf("%d messages, want 7: %q", len(got), got)
		}
	})
}

// A template may use the person's figures in any message: preview and a
// sent message render the participant's real name, organization, balance,
// tier, next expiry and goal progress.
func TestTemplateVariablesForEveryMessage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, clk, c := newClubApp(t, db)
		c.invoice(t, a, "INV-1", clk.Now(), 600000) // 60,000 points
		at := time.Date(2026, 4, 1, 2, 0, 0, 0, time.UTC)
		clk.Set(at)
		_, err := a.Events.ReviewDue(ctx, c.p.TenantID, at) // silver
		must(t, err)
		_, err = a.Goals.Create(ctx, c.p, goal.Input{Name: "Four trainings", Organization: c.org.ID, Metric: goal.Trainings, Target: 4,
			StartsAt: at.AddDate(0, 0, -1), EndsAt: at.AddDate(0, 1, 0), Reward: goal.Reward{Text: "A badge"}})
		must(t, err)
		_, err = a.Events.IngestOne(ctx, c.p, events.Input{Type: "training", Source: "lms", ExternalID: "t1", OccurredAt: at, Organization: c.org.ID}, false)
		must(t, err)
		bs, err := a.Ledger.Balances(ctx, c.p, ledger.Owner{Type: ledger.OwnerOrganization, ID: c.org.ID}, 0)
		must(t, err)
		if len(bs) != 1 || len(bs[0].NextExpiries) == 0 {
			t.Fatalf("balances %+v", bs)
		}
		expires := bs[0].NextExpiries[0].At.Format(time.DateOnly)
		tpl, err := a.Notify.CreateTemplate(ctx, c.p, notify.Template{Code: "status", Channel: notify.ChannelPortal, Lang: "en", Subject: "Status",
			Body: "{{person.first_name}} of {{organization.name}}: {{balance}} points, tier {{tier}} in {{program.name}}, {{expiring.points}} expire on {{expiring.date}}; " +
				"{{goal.name}} {{goal.progress}}/{{goal.target}} ({{goal.percent}}%)"})
		must(t, err)
		want := "Ann of Northern Bricks: 60000 points, tier silver in Dealer Club, 60000 expire on " + expires + "; Four trainings 1/4 (25%)"
		pv, err := a.Notify.PreviewTemplate(ctx, c.p, tpl.ID, c.m.ID)
		must(t, err)
		if pv.Body != want {
			t.Fatalf("preview %q\nwant    %q", pv.Body, want)
		}
		_, err = a.Notify.TestSend(ctx, c.p, tpl.ID, c.m.ID)
		must(t, err)
		if got := c.inbox(t, a); len(got) != 1 || got[0] != want {
			t.Fatalf("sent %q, want %q", got, want)
		}
	})
}

// The birthday template greets a member on their birthday, once, by the
// occasions job's event.
func TestBirthdayTemplateGreets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC))
		a := New(config.Config{}, slog.New(slog.DiscardHandler), clk, db, nil)
		c := newTierClub(t, a)
		bd := "1980-03-10"
		_, err := a.Party.UpdateMember(ctx, c.p, c.m.ID, party.MemberPatch{Birthday: &bd})
		must(t, err)
		c.inboxTemplate(t, a, notify.TemplateBirthday, "Happy birthday, {{person.first_name}}!")
		a.runJobsOnce(ctx)
		clk.Advance(time.Hour)
		a.runJobsOnce(ctx)
		if got := c.inbox(t, a); len(got) != 1 || got[0] != "Happy birthday, Ann!" {
			t.Fatalf("inbox %q", got)
		}
	})
}

// An invoice that takes a goal past several thresholds at once sends one
// message, by the template of the highest threshold crossed; a step that
// crosses no threshold with a template sends none.
func TestGoalSendsTheHighestThresholdCrossed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, clk, c := newClubApp(t, db)
		for _, p := range []string{"25", "50", "75"} {
			c.inboxTemplate(t, a, "goal_"+p, "Past "+p+"%: {{goal.percent}}%.")
		}
		_, err := a.Goals.Create(ctx, c.p, goal.Input{Name: "A thousand", Organization: c.org.ID, Metric: goal.Amount, Target: 100000,
			StartsAt: clk.Now().AddDate(0, 0, -1), EndsAt: clk.Now().AddDate(0, 1, 0), Reward: goal.Reward{Text: "A badge"}})
		must(t, err)
		c.invoice(t, a, "INV-1", clk.Now(), 80000) // 0 → 80%
		if got := c.inbox(t, a); len(got) != 1 || got[0] != "Past 75%: 80%." {
			t.Fatalf("after 80%%: %q, want the 75%% message alone", got)
		}
		c.invoice(t, a, "INV-2", clk.Now(), 10000) // 80 → 90%: no template between
		if got := c.inbox(t, a); len(got) != 1 {
			t.Fatalf("after 90%%: %q, want nothing new", got)
		}
	})
}
