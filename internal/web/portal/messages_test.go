package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// campaign sends a message to the program's people of a role through the
// inbox (a portal template) now, and delivers it.
func (s *site) campaign(name, subject, body, role string) {
	s.t.Helper()
	ctx := context.Background()
	code := strings.ToLower(strings.ReplaceAll(name, " ", "_"))
	_, err := s.app.Notify.CreateTemplate(ctx, s.sys, notify.Template{Code: code, Channel: notify.ChannelPortal, Lang: "en", Subject: subject, Body: body})
	must(s.t, err)
	c, err := s.app.Notify.CreateCampaign(ctx, s.sys, notify.Campaign{Name: name, Template: code, Roles: []string{role}})
	must(s.t, err)
	_, err = s.app.Notify.SendCampaign(ctx, s.sys, c.ID, nil)
	must(s.t, err)
	for {
		n, err := s.app.Relay.RunOnce(ctx)
		must(s.t, err)
		if n == 0 {
			return
		}
	}
}

var messageIDRE = regexp.MustCompile(`id="message-([^"]+)"`)

// A member reads their messages newest first, unread ones marked and
// counted in the navigation, and marks them read with a POST.
func TestMemberReadsTheirMessages(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		s.campaign("Spring", "Spring offer", "Double points on tiles.", "foreman")
		s.campaign("Summer", "Summer offer", "Triple points on bricks.", "foreman")
		b := s.browser().signIn(s.foreman)
		if card := b.get("/p/"); !strings.Contains(card.body, "Messages (2)") {
			t.Fatalf("the navigation lacks the unread count:\n%s", card.body)
		}
		pg := b.get("/p/messages")
		if pg.status != http.StatusOK || strings.Index(pg.body, "Summer offer") > strings.Index(pg.body, "Spring offer") ||
			strings.Count(pg.body, `class="unread"`) != 2 || !strings.Contains(pg.body, "Double points on tiles.") {
			t.Fatalf("the inbox: %d\n%s", pg.status, pg.body)
		}
		ids := messageIDRE.FindAllStringSubmatch(pg.body, -1)
		if r := b.post("/p/messages/"+ids[0][1]+"/read", nil); r.status != http.StatusSeeOther {
			t.Fatalf("mark read: %d %s", r.status, r.body)
		}
		pg = b.get("/p/messages")
		if strings.Count(pg.body, `class="unread"`) != 1 || !strings.Contains(pg.body, "Messages (1)") {
			t.Fatalf("after reading one:\n%s", pg.body)
		}
	})
}

// Another member's message id is not found, and stays unread.
func TestMessagesAreOnlyOnesOwn(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		s.campaign("Owners", "For owners", "Only owners read this.", "owner")
		in, err := s.app.Notify.Inbox(t.Context(), s.sys, s.director.ID, page.Request{Limit: 10})
		must(t, err)
		if len(in.Items) != 1 {
			t.Fatalf("the director's inbox: %+v", in.Items)
		}
		b := s.browser().signIn(s.foreman)
		if pg := b.get("/p/messages"); strings.Contains(pg.body, "Only owners") {
			t.Fatalf("the foreman sees the director's message")
		}
		if r := b.post("/p/messages/"+in.Items[0].ID+"/read", nil); r.status != http.StatusNotFound {
			t.Fatalf("another's message: %d", r.status)
		}
		in, err = s.app.Notify.Inbox(t.Context(), s.sys, s.director.ID, page.Request{Limit: 10})
		must(t, err)
		if in.Items[0].ReadAt != nil {
			t.Fatalf("another's message was marked read")
		}
	})
}

// The member chooses the channels; unticked ones are opted out of.
func TestMemberChoosesChannels(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		b := s.browser().signIn(s.foreman)
		if pg := b.get("/p/messages"); strings.Count(pg.body, " checked>") != 4 {
			t.Fatalf("all channels should be on at first:\n%s", pg.body)
		}
		r := b.post("/p/messages/preferences", url.Values{"receive": {"email", "portal"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.status, r.body)
		}
		pr, err := s.app.Notify.GetPreferences(t.Context(), s.sys, s.foreman.ID)
		must(t, err)
		slices.Sort(pr.OptedOut)
		if !slices.Equal(pr.OptedOut, []string{"push", "sms"}) {
			t.Fatalf("opted out of %v, want push and sms", pr.OptedOut)
		}
		if pg := b.get("/p/messages?done=preferences"); strings.Count(pg.body, " checked>") != 2 || !strings.Contains(pg.body, "Saved") {
			t.Fatalf("the form after saving:\n%s", pg.body)
		}
		// Withdrawn from everything (by staff): every box unticked.
		_, err = s.app.Notify.SetPreferences(t.Context(), s.sys, s.foreman.ID, []string{"all"})
		must(t, err)
		if pg := b.get("/p/messages"); strings.Count(pg.body, " checked>") != 0 {
			t.Fatalf("withdrawn from all, yet boxes ticked:\n%s", pg.body)
		}
	})
}
