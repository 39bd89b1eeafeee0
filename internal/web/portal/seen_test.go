package portal_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// An inbox message counts as seen in its campaign's reach once the member
// opens their messages page, not before, and only theirs.
func TestOpeningTheInboxCountsAsSeen(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		s.campaign("Spring", "Spring offer", "Double points on tiles.", "foreman")
		ctx := context.Background()
		cs, err := s.app.Notify.Campaigns(ctx, s.sys, page.Request{Limit: 1})
		must(t, err)
		reach := func() notify.Counts {
			r, err := s.app.Notify.CampaignReach(ctx, s.sys, cs.Items[0].ID)
			must(t, err)
			return r.Total
		}
		before := reach()
		if before.Audience == 0 || before.Delivered != before.Audience || before.Opened != 0 {
			t.Fatalf("before: %+v", before)
		}
		b := s.browser().signIn(s.foreman)
		if pg := b.get("/p/"); pg.status != http.StatusOK || reach().Opened != 0 {
			t.Fatalf("the home page counted as seeing the message: %+v", reach())
		}
		if pg := b.get("/p/messages"); pg.status != http.StatusOK {
			t.Fatalf("messages: %d", pg.status)
		}
		if after := reach(); after.Opened != 1 {
			t.Fatalf("after opening the inbox: %+v", after)
		}
	})
}
