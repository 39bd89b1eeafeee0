package admin_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyal-b2b/loyal/internal/promo"
	"github.com/loyal-b2b/loyal/internal/reward"
)

// The offers pages fit a 390 px phone: nothing wider than the screen
// (tables scroll inside their own box).
func TestBrowserOffersPagesFitAPhone(t *testing.T) {
	c := browserConsole(t)
	cp, err := c.app.Promo.Create(t.Context(), c.sys, promo.Input{Name: "Spring bricks", Kind: promo.Unique, Effect: promo.CodeEffect{Type: promo.EffectPercent, PercentBP: 1000}})
	must(t, err)
	_, err = c.app.Promo.Generate(t.Context(), c.sys, cp.ID, "SPRING-####-####", 30)
	must(t, err)
	it, err := c.app.Rewards.Create(t.Context(), c.sys, reward.ItemInput{Kind: reward.Information, Name: "Site visit", PointTypeID: c.pt.ID, Price: 500,
		TierPrices: map[string]int64{"gold": 400}})
	must(t, err)
	_, err = c.app.Rewards.SetImage(t.Context(), c.sys, it.ID, picture(t))
	must(t, err)
	ctx := tab(t, phone)
	do(t, ctx, c.signInSteps("admin", password), chromedp.WaitVisible(chromedp.CSS("#live")))
	for _, p := range append(c.offersPages(), "/admin/promo/"+cp.ID, "/admin/rewards/"+it.ID, "/admin/partners") {
		do(t, ctx, chromedp.Navigate(c.srv.URL+p), chromedp.WaitVisible(chromedp.CSS("main h1")))
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('body *')].filter(e => e.checkVisibility() && e.getBoundingClientRect().right > 391 && !e.closest('.table-wrap')).map(e => e.tagName + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 5).join(' ')`))
		must(t, err)
		if wide != "" {
			t.Errorf("%s is wider than a 390 px phone: %s", p, wide)
		}
	}
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/promo/"+cp.ID), chromedp.WaitVisible(chromedp.CSS("main h1")))
	shot(t, ctx, "promo-campaign-phone")
	desk := tab(t, desktop)
	do(t, desk, c.signInSteps("admin", password), chromedp.WaitVisible(chromedp.CSS("#live")),
		chromedp.Navigate(c.srv.URL+"/admin/rewards/"+it.ID), chromedp.WaitVisible(chromedp.CSS("main h1")))
	shot(t, desk, "reward-desktop")
}

// picture is a small real PNG: a brick-red tile.
func picture(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 320, 200))
	for y := range 200 {
		for x := range 320 {
			img.Set(x, y, color.RGBA{R: 178, G: 60 + uint8(y/4), B: 40, A: 255})
		}
	}
	var b bytes.Buffer
	must(t, png.Encode(&b, img))
	return b.Bytes()
}
