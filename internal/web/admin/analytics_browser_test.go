package admin_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The RFM/ABC page with its charts, on a desktop and a phone.
func TestBrowserAnalyticsPage(t *testing.T) {
	c := browserConsole(t)
	c.invoice("INV-A2", c.veraOrg, 30, 2150)
	c.invoice("INV-A3", c.tomOrg, 12, 4000)
	for _, size := range [][2]int64{desktop, phone} {
		ctx := tab(t, size)
		do(t, ctx, c.signInSteps("finance", password), chromedp.WaitVisible(chromedp.CSS("#live")),
			chromedp.Navigate(c.srv.URL+"/admin/analytics/organizations"), chromedp.WaitVisible(chromedp.CSS(".charts svg")))
		if got := text(t, ctx, "table.report"); !strings.Contains(got, c.tomOrg.Name) || !strings.Contains(got, c.veraOrg.Name) {
			t.Errorf("RFM table %q", got)
		}
		shot(t, ctx, map[bool]string{true: "analytics-rfm-desktop", false: "analytics-rfm-phone"}[size == desktop])
	}
}
