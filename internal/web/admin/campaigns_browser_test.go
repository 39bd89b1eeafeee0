package admin_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/survey"
)

// TestBrowserMessageCampaign: a program manager writes a template, makes a
// campaign of it to a segment's owners and foremen, sees how many people
// it would reach, confirms and sends it, and finds it on the reach page.
func TestBrowserMessageCampaign(t *testing.T) {
	c := browserConsole(t)
	c.audienceFixture()
	ctx := tab(t, desktop)
	do(t, ctx, c.signInSteps("program_manager", password), chromedp.WaitVisible(chromedp.CSS("#live")))
	// Saving the template is a step list of its own: do runs a list again
	// when a redirect voided a node, and a second run of the form would
	// make a second template of the code.
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/templates/new"), chromedp.WaitVisible(chromedp.CSS("#f-code")),
		chromedp.SendKeys(chromedp.CSS("#f-code"), "spring"),
		chromedp.SetValue(chromedp.CSS("#f-channel"), "portal"),
		chromedp.SendKeys(chromedp.CSS("#f-subject"), "Spring at {{organization.name}}"),
		chromedp.SendKeys(chromedp.CSS("#f-body"), "Hello {{person.first_name}}, bricks are 10% off until May."),
		chromedp.Submit(chromedp.CSS("#f-code")), chromedp.WaitVisible(chromedp.CSS("p.flash")))
	do(t, ctx, chromedp.Clear(chromedp.CSS("#f-q")), chromedp.SendKeys(chromedp.CSS("#f-q"), "Olga"), chromedp.Submit(chromedp.CSS("#f-q")),
		chromedp.WaitVisible(chromedp.CSS(".people a")), chromedp.Click(chromedp.CSS(".people a")),
		chromedp.WaitVisible(chromedp.CSS("#preview")))
	if got := text(t, ctx, "#preview pre"); got != "Hello Olga, bricks are 10% off until May." {
		t.Errorf("the preview reads %q", got)
	}
	shot(t, ctx, "message-template-desktop")
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/campaigns"), chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Spring offer"),
		chromedp.SetValue(chromedp.CSS("#f-template"), "spring"),
		chromedp.SetValue(chromedp.CSS("#f-segment"), "seg-n"),
		chromedp.Click(chromedp.CSS(`input[name=roles][value=owner]`)),
		chromedp.Click(chromedp.CSS(`input[name=roles][value=foreman]`)),
		chromedp.Submit(chromedp.CSS("#f-name")), chromedp.WaitVisible(chromedp.CSS("#f-confirm")))
	if got := text(t, ctx, "#audience strong"); got != "It would reach 2 people now." {
		t.Errorf("the audience reads %q", got)
	}
	if got := text(t, ctx, "#by-role"); got != "By role: Owner: 1 · Foreman: 1" {
		t.Errorf("the audience by role reads %q", got)
	}
	shot(t, ctx, "message-campaign-confirm-desktop")
	do(t, ctx, chromedp.Click(chromedp.CSS("#f-confirm")), chromedp.Submit(chromedp.CSS("#f-confirm")),
		chromedp.WaitVisible(chromedp.CSS("#reach-link")))
	if got := text(t, ctx, "p.flash"); got != "The campaign is sent." {
		t.Errorf("after sending: %q", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#reach-link")), chromedp.WaitVisible(chromedp.CSS("main table")))
	if got := text(t, ctx, "main"); !strings.Contains(got, "Whole audience") || !strings.Contains(got, "Northern dealers") {
		t.Errorf("the reach page reads %.500q", got)
	}
	shot(t, ctx, "message-campaign-reach-desktop")
	phoneShots(t, c)
}

// phoneShots are the Messages pages at a phone's width.
func phoneShots(t *testing.T, c *console) {
	ctx := tab(t, phone)
	cs := c.messageCampaigns()
	_, err := c.app.Surveys.Create(t.Context(), c.sys, survey.Survey{Name: "Spring NPS", Template: "spring",
		Questions: []survey.Question{{Kind: survey.NPS, Text: "How likely are you to recommend Acme?"}, {Kind: survey.Text, Text: "What should we improve?"}}})
	must(t, err)
	draft, err := c.app.Notify.CreateCampaign(t.Context(), c.sys, notify.Campaign{Name: "Foremen's survey", Template: "spring", Roles: []string{"foreman"}})
	must(t, err)
	do(t, ctx, c.signInSteps("program_manager", password), chromedp.WaitVisible(chromedp.CSS("#live")),
		chromedp.Navigate(c.srv.URL+"/admin/campaigns/"+draft.ID), chromedp.WaitVisible(chromedp.CSS("#f-confirm")))
	shot(t, ctx, "message-campaign-confirm-phone")
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/campaigns"), chromedp.WaitVisible(chromedp.CSS("#f-name")))
	shot(t, ctx, "message-campaigns-phone")
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/campaigns/"+cs[0].ID), chromedp.WaitVisible(chromedp.CSS("#reach-link")))
	shot(t, ctx, "message-campaign-sent-phone")
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/templates"), chromedp.WaitVisible(chromedp.CSS("main table")),
		chromedp.Click(chromedp.CSS("td a")), chromedp.WaitVisible(chromedp.CSS("#f-body")),
		chromedp.Click(chromedp.CSS(".people a")), chromedp.WaitVisible(chromedp.CSS("#preview")))
	shot(t, ctx, "message-template-phone")
	do(t, ctx, chromedp.Click(chromedp.CSS("#delete summary")), chromedp.WaitVisible(chromedp.CSS("#delete button")))
	shot(t, ctx, "message-template-delete-phone")
	do(t, ctx, chromedp.Click(chromedp.CSS("#delete button")), chromedp.WaitVisible(chromedp.CSS("p.flash")))
	if got := text(t, ctx, "p.flash"); got != "The template is deleted." {
		t.Errorf("after the delete the page says %q", got)
	}
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/surveys"), chromedp.WaitVisible(chromedp.CSS("#f-name")))
	shot(t, ctx, "surveys-phone")
}
