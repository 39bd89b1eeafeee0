package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

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

// hookInbox is a webhook receiver that keeps each event's data by type.
type hookInbox struct {
	mu  sync.Mutex
	got map[string][]map[string]any
}

func newHookInbox(t *testing.T) (*hookInbox, string) {
	h := &hookInbox{got: map[string][]map[string]any{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var ev struct {
			Type string         `json:"type"`
			Data map[string]any `json:"data"`
		}
		_ = json.Unmarshal(b, &ev)
		h.mu.Lock()
		h.got[ev.Type] = append(h.got[ev.Type], ev.Data)
		h.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return h, srv.URL
}

func (h *hookInbox) of(typ string) []map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.got[typ]
}

func drainRelay(t *testing.T, a *App) {
	t.Helper()
	for {
		n, err := a.Relay.RunOnce(context.Background())
		must(t, err)
		if n == 0 {
			return
		}
	}
}

// Every webhook type the API accepts is published by the service where it
// happens, in the change's transaction, and reaches a subscriber with
// the data of what happened.
func TestEveryEventTypeReachesWebhooks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
		a := New(config.Config{WebhooksAllowPrivate: true}, slog.New(slog.DiscardHandler), clk, db, nil)
		inbox, url := newHookInbox(t)
		p, pt, owner := dealerWithPoints(t, a, "hooks", 0)
		types := []string{notify.PointsSpent, notify.PointsExpired, notify.RedemptionStatus, notify.ClaimStatus, notify.ConsentRecorded,
			notify.MemberRegistered, notify.GoalProgress, notify.GoalAchieved}
		_, _, err := a.Notify.CreateWebhook(ctx, p, notify.WebhookInput{URL: &url, Types: &types})
		must(t, err)

		_, err = a.Ledger.Earn(ctx, p, ledger.EarnInput{IdemKey: "e1", Owner: owner, PointTypeID: pt.ID, Amount: 100})
		must(t, err)
		_, err = a.Ledger.Spend(ctx, p, ledger.SpendInput{IdemKey: "s1", Owner: owner, PointTypeID: pt.ID, Amount: 10, Cause: ledger.Cause{Reference: "INV-7"}})
		must(t, err)
		m, err := a.Party.CreateMember(ctx, p, party.MemberInput{OrganizationID: owner.ID, Name: "Ann Lee", Roles: []party.Role{party.RoleOwner}})
		must(t, err)
		progs, err := a.Programs.List(ctx, p, page.Request{Limit: 10})
		must(t, err)
		prog := progs.Items[0]
		_, err = a.Programs.PublishTerms(ctx, p, prog.ID, program.TermsInput{Title: "Terms", Body: "Sellers earn points."})
		must(t, err)
		_, err = a.Party.RecordConsent(ctx, p, owner.ID, party.ConsentInput{ProgramID: prog.ID, Decision: party.Accepted, Method: party.ViaPaper,
			SignerName: "Ann Lee", Evidence: "binder 3"})
		must(t, err)
		it, err := a.Rewards.Create(ctx, p, reward.ItemInput{Kind: reward.Information, Name: "Site visit", PointTypeID: pt.ID, Price: 5})
		must(t, err)
		_, err = a.Rewards.Redeem(ctx, p, reward.RedeemInput{ItemID: it.ID, Organization: owner.ID, Quantity: 1})
		must(t, err)
		pdf := "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
		cl, err := a.Claims.Submit(ctx, p, claim.Submission{ProgramID: prog.ID, Member: m.ID, InvoiceNumber: "C-1",
			InvoiceDate: clk.Now().AddDate(0, 0, -1).Format(time.DateOnly), EndCustomer: "Harbour Homes", Currency: "EUR",
			Lines:    []claim.ClaimLine{{SKU: "B", Category: "bricks", Qty: 1, UnitPrice: 100}},
			Document: &claim.DocumentInput{Filename: "c1.pdf", ContentType: "application/pdf", Data: base64.StdEncoding.EncodeToString([]byte(pdf))}})
		must(t, err)
		_, err = a.Claims.Reject(ctx, p, cl.ID, "no invoice attached")
		must(t, err)
		_, err = a.Goals.Create(ctx, p, goal.Input{Name: "Two trainings", Organization: owner.ID, Metric: goal.Trainings, Target: 2,
			StartsAt: clk.Now().AddDate(0, 0, -1), EndsAt: clk.Now().AddDate(0, 1, 0), Reward: goal.Reward{Text: "A badge"}})
		must(t, err)
		for _, ext := range []string{"tr-1", "tr-2"} {
			_, err = a.Events.IngestOne(ctx, p, events.Input{Type: "training", Source: "lms", ExternalID: ext, OccurredAt: clk.Now(), Organization: owner.ID}, false)
			must(t, err)
		}
		clk.Advance(31 * 24 * time.Hour)
		_, err = a.Ledger.ExpireDue(ctx, p.TenantID, clk.Now(), 0)
		must(t, err)
		drainRelay(t, a)

		want := map[string]map[string]any{
			notify.PointsSpent:      {"owner_id": owner.ID, "points": 10.0, "reference": "INV-7", "organization_id": owner.ID},
			notify.PointsExpired:    {"owner_id": owner.ID, "points": 85.0},
			notify.RedemptionStatus: {"organization_id": owner.ID, "reward": "Site visit", "points": 5.0},
			notify.ClaimStatus:      {"claim_id": cl.ID, "member_id": m.ID, "status": claim.Rejected, "reason": "no invoice attached"},
			notify.ConsentRecorded:  {"organization_id": owner.ID, "program_id": prog.ID, "decision": "accepted"},
			notify.MemberRegistered: {"member_id": m.ID, "organization_id": owner.ID, "name": "Ann Lee"},
			notify.GoalProgress:     {"percent": 50.0, "previous_percent": 0.0, "name": "Two trainings"},
			notify.GoalAchieved:     {"percent": 100.0, "progress": 2.0, "target": 2.0},
		}
		for typ, fields := range want {
			got := inbox.of(typ)
			if len(got) == 0 {
				t.Errorf("%s: nothing received", typ)
				continue
			}
			if !slices.ContainsFunc(got, func(d map[string]any) bool { return matches(d, fields) }) {
				t.Errorf("%s: none of %v has %v", typ, got, fields)
			}
		}
		if n := len(inbox.of(notify.ClaimStatus)); n != 2 {
			t.Errorf("claim.status %d times, want 2 (submitted, rejected)", n)
		}
	})
}

func matches(d, fields map[string]any) bool {
	for k, v := range fields {
		if d[k] != v {
			return false
		}
	}
	return true
}
