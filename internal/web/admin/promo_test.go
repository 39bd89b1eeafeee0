package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/loyal-b2b/loyal/internal/promo"
)

func (c *console) campaigns() []promo.Campaign {
	res, err := c.app.Promo.List(c.t.Context(), c.sys, pageReq())
	must(c.t, err)
	return res.Items
}

// The campaign form: bad input next to its field and nothing written; a
// double submit makes one campaign, and one batch of codes; the codes
// export as CSV.
func TestPromoCampaignForm(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("program_manager")
		tok := tokenOf(t, b.get("/admin/promo").body)
		form := url.Values{"_token": {tok}, "name": {"Spring bricks"}, "kind": {"unique"}, "effect": {"percent"}, "percent": {"10"}}
		for field, bad := range map[string]string{"percent": "ten", "total_limit": "-3", "ends": "next week", "name": ""} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set(field, bad)
			if got := b.post("/admin/promo", f); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-`+field+`"`) {
				t.Errorf("%s %q: %d, want the error next to it", field, bad, got.status)
			}
		}
		zero := url.Values{"_token": {tok}, "name": {"Zero"}, "kind": {"unique"}, "effect": {"percent"}, "percent": {"0"}}
		if got := b.post("/admin/promo", zero); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-percent"`) {
			t.Errorf("0%% off: %d, want the service's error next to percent", got.status)
		}
		if n := len(c.campaigns()); n != 0 {
			t.Fatalf("bad input made %d campaigns", n)
		}
		var wg sync.WaitGroup
		wheres := make([]string, 2)
		for i := range 2 {
			wg.Go(func() { wheres[i] = b.post("/admin/promo", form).where })
		}
		wg.Wait()
		if cs := c.campaigns(); len(cs) != 1 || wheres[0] != wheres[1] || cs[0].Effect.PercentBP != 1000 {
			t.Fatalf("a double submit: %v %q", cs, wheres)
		}
		detail := strings.Split(wheres[0], "?")[0]
		gen := url.Values{"_token": {tokenOf(t, b.get(detail).body)}, "pattern": {"SPRING-####-####"}, "count": {"25"}}
		for i := range 2 {
			wg.Go(func() { wheres[i] = b.post(detail+"/generate", gen).where })
		}
		wg.Wait()
		if cs := c.campaigns(); cs[0].Codes != 25 {
			t.Errorf("a double submit of the batch made %d codes", cs[0].Codes)
		}
		if got := b.post(detail+"/generate", url.Values{"pattern": {"SPRING"}, "count": {"5"}}); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-pattern"`) {
			t.Errorf("a pattern without #: %d", got.status)
		}
		csv := b.get(detail + "/codes.csv")
		if lines := strings.Split(strings.TrimSpace(csv.body), "\n"); len(lines) != 26 || !strings.HasPrefix(lines[1], "SPRING") {
			t.Errorf("codes CSV: %d lines %.200q", len(lines), csv.body)
		}
		ro := c.browser().signIn("read_only")
		if p := ro.get("/admin/promo"); p.status != http.StatusOK || strings.Contains(p.body, `action="/admin/promo"`) {
			t.Errorf("read-only sees the form: %d", p.status)
		}
		if p := ro.post("/admin/promo", url.Values{"name": {"x"}, "kind": {"unique"}, "effect": {"percent"}, "percent": {"5"}}); p.status != http.StatusForbidden {
			t.Errorf("read-only creates: %d", p.status)
		}
	})
}
