package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/goal"
)

func (c *console) goals() []goal.Goal {
	res, err := c.app.Goals.List(c.t.Context(), c.sys, goal.ListInput{}, pageReq())
	must(c.t, err)
	return res.Items
}

// Goals: bad input next to its field, one goal for a double submit, an
// account manager held to their own organizations, a goal cancelled.
func TestGoalForm(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("account_manager")
		today := c.clock.Now().Format(time.DateOnly)
		later := c.clock.Now().AddDate(0, 3, 0).Format(time.DateOnly)
		form := url.Values{"_token": {tokenOf(t, b.get("/admin/goals").body)}, "name": {"Q1 bricks"}, "organization": {"ext:R-1"}, "metric": {"orders"},
			"target": {"10"}, "starts": {today}, "ends": {later}, "reward_text": {"a day at the brickworks"}}
		for field, bad := range map[string]string{"target": "ten", "ends": "spring", "organization": "ext:NOPE"} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set(field, bad)
			if got := b.post("/admin/goals", f); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-`+field+`"`) {
				t.Errorf("%s %q: %d, want the error next to it", field, bad, got.status)
			}
		}
		vera := url.Values{}
		for k, v := range form {
			vera[k] = v
		}
		vera.Set("organization", "ext:R-2")
		if got := b.post("/admin/goals", vera); got.status != http.StatusForbidden {
			t.Errorf("a goal for another manager's organization: %d", got.status)
		}
		if n := len(c.goals()); n != 0 {
			t.Fatalf("refused input set %d goals", n)
		}
		if w := twice(b, "/admin/goals", form); w[0] != w[1] || w[0] == "" {
			t.Fatalf("a double submit went to %q", w)
		}
		gs := c.goals()
		if len(gs) != 1 || gs[0].OrganizationID != c.tomOrg.ID {
			t.Fatalf("goals %+v", gs)
		}
		if got := b.get("/admin/goals"); got.status != http.StatusOK || !strings.Contains(got.body, "Name one of your organizations") {
			t.Errorf("an account manager's goals without an organization: %d", got.status)
		}
		if got := b.get("/admin/goals?organization=ext:R-2"); got.status != http.StatusForbidden {
			t.Errorf("another manager's goals: %d", got.status)
		}
		if got := b.get("/admin/goals?organization=ext:R-1"); !strings.Contains(got.body, "Q1 bricks") {
			t.Error("his organization's goal is not listed")
		}
		if got := b.post("/admin/goals/"+gs[0].ID+"/cancel", url.Values{}); got.status != http.StatusSeeOther || c.goals()[0].Status != goal.Cancelled {
			t.Errorf("cancel: %d %s", got.status, c.goals()[0].Status)
		}
	})
}
