package admin_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCardDesign: a programme manager changes the card's colour on
// a phone, and the preview shows the new design.
func TestBrowserCardDesign(t *testing.T) {
	c := browserConsole(t)
	ctx := tab(t, phone)
	// Wait for the dashboard, not for a node the sign-in page also has:
	// navigating on while the sign-in's redirect loads aborts the page.
	do(t, ctx, c.signInSteps("program_manager", password), chromedp.WaitVisible(chromedp.CSS("#live")),
		chromedp.Navigate(c.srv.URL+"/admin/cards"), chromedp.WaitVisible(chromedp.CSS(".card-preview svg")),
		chromedp.SetValue(chromedp.CSS("#f-title"), "Brick Club"),
		chromedp.SetValue(chromedp.CSS("#f-background"), "#7a1f3d"),
		chromedp.Submit(chromedp.CSS("#f-title")),
		// The saved page's confirmation: only the new document has it, so
		// the wait cannot settle on the page being left.
		chromedp.WaitVisible(chromedp.CSS("p.flash")),
		chromedp.WaitVisible(chromedp.CSS(".card-preview svg")))
	if svg := text(t, ctx, ".card-preview"); !strings.Contains(svg, "Brick Club") {
		t.Fatalf("the preview does not show the new title: %q", svg)
	}
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS(".card-preview svg")))
	if err != nil || !strings.Contains(html, "#7a1f3d") {
		t.Fatalf("the preview is not in the new colour: %v", err)
	}
	shot(t, ctx, "card-design-phone")
}
