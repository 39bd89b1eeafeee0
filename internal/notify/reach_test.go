package notify_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/mail/mailtest"
	"github.com/loyal-b2b/loyal/internal/segment"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/survey"
)

var (
	pixelRe = regexp.MustCompile(`https://loyalty\.example/m/o/([A-Za-z0-9_.\-]+)`)
	clickRe = regexp.MustCompile(`https://loyalty\.example/m/c/([A-Za-z0-9_.\-]+)`)
)

// reachWorld adds to the world a foreman at a southern dealer, a segment
// "North" of the northern dealer, and an e-mail template with links.
func reachWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := newWorld(t, db, noon)
	ctx := context.Background()
	ps := &party.Service{Store: store.Bind[party.Tx](db), Clock: w.clk}
	south, _ := ps.CreateOrganization(ctx, w.p, party.OrgInput{Type: "dealer", Name: "Southern Dealer"})
	dan, err := ps.CreateMember(ctx, w.p, party.MemberInput{OrganizationID: south.ID, Name: "Dan Foreman", Roles: []party.Role{party.RoleForeman}, Email: "dan@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	w.people["Dan"] = dan
	seg := segment.Segment{ID: "seg-north", TenantID: w.p.TenantID, Code: "north", Name: "North", CreatedAt: noon, UpdatedAt: noon}
	err = db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertSegment(ctx, seg); err != nil {
			return err
		}
		return tx.ReplaceSegmentMembers(ctx, w.p.TenantID, seg.ID, []string{w.org.ID})
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.CreateTemplate(ctx, w.p, notify.Template{Code: "spring", Channel: "email", Lang: "en", Subject: "Spring offer",
		Body: "See https://shop.example/spring?a=1&b=2.",
		HTML: `<html><body><a href="https://shop.example/spring?a=1&amp;b=2">Offer</a> <a href="javascript:alert(1)">x</a> <a href="mailto:x@example.com">m</a></body></html>`})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// sendCampaign creates, sends and delivers a campaign to everyone.
func (w *world) sendCampaign(t *testing.T, name string) notify.Campaign {
	t.Helper()
	ctx := context.Background()
	c, err := w.svc.CreateCampaign(ctx, w.p, notify.Campaign{Name: name, Template: "spring"})
	if err == nil {
		c, err = w.svc.SendCampaign(ctx, w.p, c.ID, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	drain(t, w.relay)
	return c
}

func lastTo(t *testing.T, s *mailtest.Server, addr string) mailtest.Message {
	t.Helper()
	ms := s.To(addr)
	if len(ms) == 0 {
		t.Fatalf("no mail to %s", addr)
	}
	return ms[len(ms)-1]
}

// An e-mail's links pass through the signed redirect and its HTML has an
// open pixel; opens, clicks and seen inbox messages make up the reach of
// the campaign by role and by segment, exactly.
func TestCampaignReachByRoleAndSegment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := reachWorld(t, db)
		ctx := context.Background()
		c := w.sendCampaign(t, "Spring")

		ann := lastTo(t, w.smtp, "ann@example.com")
		if strings.Contains(ann.HTML, "https://shop.example") || strings.Contains(ann.Text, "https://shop.example") {
			t.Fatalf("a link was not rewritten:\n%s\n%s", ann.Text, ann.HTML)
		}
		if !strings.Contains(ann.HTML, `href="javascript:alert(1)"`) || !strings.Contains(ann.HTML, `href="mailto:x@example.com"`) {
			t.Fatalf("only http(s) links are rewritten: %s", ann.HTML)
		}
		if !strings.HasSuffix(strings.Split(ann.Text, "\n")[0], ".") || !strings.Contains(ann.Text, "/m/u/") {
			t.Fatalf("the sentence's full stop or the unsubscribe link was lost: %q", ann.Text)
		}
		open := pixelRe.FindStringSubmatch(ann.HTML)
		if open == nil || !strings.Contains(ann.HTML, `width="1" height="1"`) {
			t.Fatalf("no open pixel: %s", ann.HTML)
		}
		if err := w.svc.TrackOpen(ctx, open[1]); err != nil {
			t.Fatal(err)
		}
		boris := lastTo(t, w.smtp, "boris@example.com")
		click := clickRe.FindStringSubmatch(boris.HTML)
		if click == nil {
			t.Fatalf("no tracked link: %s", boris.HTML)
		}
		if target, err := w.svc.TrackClick(ctx, click[1]); err != nil || target != "https://shop.example/spring?a=1&b=2" {
			t.Fatalf("click goes to %q (%v)", target, err)
		}
		cleo := w.inbox(t, "Cleo")
		if len(cleo) != 1 {
			t.Fatalf("Cleo's inbox: %+v", cleo)
		}
		if err := w.svc.MarkSeen(ctx, w.p, w.people["Cleo"].ID, []string{cleo[0].ID}); err != nil {
			t.Fatal(err)
		}

		r, err := w.svc.CampaignReach(ctx, w.p, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := (notify.Counts{Audience: 4, Delivered: 4, Opened: 3, Clicked: 1}); r.Total != want {
			t.Fatalf("total %+v, want %+v", r.Total, want)
		}
		roles := map[string]notify.Counts{}
		for _, x := range r.ByRole {
			roles[x.Role] = x.Counts
		}
		if roles["owner"] != (notify.Counts{1, 1, 1, 0}) || roles["foreman"] != (notify.Counts{2, 2, 1, 1}) || roles["sales"] != (notify.Counts{1, 1, 1, 0}) || len(roles) != 3 {
			t.Fatalf("by role %+v", roles)
		}
		if len(r.BySegment) != 1 || r.BySegment[0].Name != "North" || r.BySegment[0].Counts != (notify.Counts{3, 3, 3, 1}) {
			t.Fatalf("by segment %+v", r.BySegment)
		}
		var foremen notify.Counts
		for _, x := range r.BySegment[0].ByRole {
			if x.Role == "foreman" {
				foremen = x.Counts
			}
		}
		if foremen != (notify.Counts{1, 1, 1, 1}) {
			t.Fatalf("foremen at northern dealers: %+v", foremen)
		}
		// Opening again counts once in the reach.
		_ = w.svc.TrackOpen(ctx, open[1])
		if r2, _ := w.svc.CampaignReach(ctx, w.p, c.ID); r2.Total != r.Total {
			t.Fatalf("a second open changed the reach: %+v", r2.Total)
		}
	})
}

// Tokens cannot be forged, re-targeted or used for another kind of
// link; a bad one is NotFound and records nothing.
func TestTrackingTokensCannotBeForged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := reachWorld(t, db)
		ctx := context.Background()
		c := w.sendCampaign(t, "Spring")
		html := lastTo(t, w.smtp, "ann@example.com").HTML
		click, open := clickRe.FindStringSubmatch(html)[1], pixelRe.FindStringSubmatch(html)[1]
		enc, mac, _ := strings.Cut(click, ".")
		other := strings.Replace(click, enc[:4], "AAAA", 1)
		for name, tok := range map[string]string{"garbage": "nothing-here", "other payload": other, "no signature": enc,
			"open as click": open, "bad signature": enc + "." + strings.Repeat("A", len(mac))} {
			if target, err := w.svc.TrackClick(ctx, tok); !errs.Is(err, errs.NotFound) || target != "" {
				t.Errorf("%s: %q %v", name, target, err)
			}
		}
		if err := w.svc.TrackOpen(ctx, click); !errs.Is(err, errs.NotFound) {
			t.Errorf("a click token as an open: %v", err)
		}
		if r, _ := w.svc.CampaignReach(ctx, w.p, c.ID); r.Total.Opened != 0 || r.Total.Clicked != 0 {
			t.Fatalf("bad tokens were recorded: %+v", r.Total)
		}
	})
}

// With tracking turned off, e-mail has no pixel and its links are left
// as written; links sent before still work but record nothing.
func TestTrackingOffSendsPlainMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := reachWorld(t, db)
		ctx := context.Background()
		first := w.sendCampaign(t, "Spring")
		click := clickRe.FindStringSubmatch(lastTo(t, w.smtp, "ann@example.com").HTML)[1]
		st := notify.DefaultSettings
		st.Tracking, st.QuietStart, st.QuietEnd, st.DailyCap = false, "00:00", "00:00", 10
		if _, err := w.svc.PutSettings(ctx, w.p, st); err != nil {
			t.Fatal(err)
		}
		w.sendCampaign(t, "Spring again")
		m := lastTo(t, w.smtp, "ann@example.com")
		if strings.Contains(m.HTML, "/m/o/") || strings.Contains(m.HTML+m.Text, "/m/c/") ||
			!strings.Contains(m.HTML, `href="https://shop.example/spring?a=1&amp;b=2"`) || !strings.Contains(m.Text, "https://shop.example/spring?a=1&b=2.") {
			t.Fatalf("tracked although off:\n%s\n%s", m.Text, m.HTML)
		}
		if target, err := w.svc.TrackClick(ctx, click); err != nil || !strings.HasPrefix(target, "https://shop.example/") {
			t.Fatalf("an old link broke: %q %v", target, err)
		}
		if r, _ := w.svc.CampaignReach(ctx, w.p, first.ID); r.Total.Clicked != 0 {
			t.Fatalf("a click was recorded with tracking off: %+v", r.Total)
		}
	})
}

// A rule's message (a trigger alike) whose template carries a survey gets
// each person's own signed survey link, not rewritten for tracking.
func TestRuleMessageCarriesSurveyLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := reachWorld(t, db)
		ctx := context.Background()
		_, err := w.svc.CreateTemplate(ctx, w.p, notify.Template{Code: "feedback", Channel: "email", Lang: "en", Subject: "Two questions",
			Body: "Tell us: {{survey_url}}", HTML: `<a href="{{survey_url}}">Answer</a>`})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Write(ctx, func(tx *store.Tx) error {
			return tx.InsertSurvey(ctx, survey.Survey{TenantID: w.p.TenantID, ID: "sv-1", Name: "Feedback", Template: "feedback",
				Questions: []survey.Question{{ID: "q1", Kind: survey.NPS, Text: "?"}}, CreatedAt: noon})
		})
		if err != nil {
			t.Fatal(err)
		}
		w.ruleMessage(t, "rule-msg-1", "feedback", "member", w.people["Ann"].ID)
		drain(t, w.relay)
		m := lastTo(t, w.smtp, "ann@example.com")
		link := regexp.MustCompile(`https://loyalty\.example/m/s/([A-Za-z0-9_.\-]+)`).FindStringSubmatch(m.Text)
		if link == nil || !strings.Contains(m.HTML, link[0]) {
			t.Fatalf("no survey link:\n%s\n%s", m.Text, m.HTML)
		}
		tenantID, surveyID, personID, err := w.svc.SurveyLink(ctx, link[1])
		if err != nil || tenantID != w.p.TenantID || surveyID != "sv-1" || personID != w.people["Ann"].ID {
			t.Fatalf("the link names %q %q %q (%v)", tenantID, surveyID, personID, err)
		}
		if _, _, _, err := w.svc.SurveyLink(ctx, link[1][:len(link[1])-2]+"xx"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("an altered link: %v", err)
		}
	})
}
