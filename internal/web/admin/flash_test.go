package admin_test

import (
	"strings"
	"testing"
)

// A confirmation after a redirect shows once: the layout renders it, and a
// page must not render it again.
func TestFlashShowsOnce(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("program_manager")
		for _, path := range []string{"/admin/promo", "/admin/rewards", "/admin/plans", "/admin/goals", "/admin/partners",
			"/admin/campaigns", "/admin/templates", "/admin/surveys"} {
			got := b.get(path + "?done=saved")
			if n := strings.Count(got.body, `class="flash"`); got.status != 200 || n != 1 {
				t.Errorf("%s: %d, %d confirmations, want one", path, got.status, n)
			}
		}
	})
}
