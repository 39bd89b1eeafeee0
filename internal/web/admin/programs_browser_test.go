package admin_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyal-b2b/loyal/internal/program"
)

// name selects a form field by its name (the editor's names hold
// brackets and dots, awkward in an id selector).
func name(n string) chromedp.CSS { return chromedp.CSS(`[name="` + n + `"]`) }

// A program created through the form: its rules written in the editor, a
// CEL mistake shown beside its field as it is typed, a dry run of a
// sample invoice, the version saved and the program activated.
func TestBrowserProgramJourney(t *testing.T) {
	c := browserConsole(t)
	ctx := tab(t, desktop)
	do(t, ctx, c.signInSteps("program_manager", password), chromedp.WaitVisible(chromedp.CSS(`[data-kpi="sales-today"]`)),
		chromedp.Navigate(c.srv.URL+"/admin/programs"), chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Roofers' Club"),
		chromedp.SendKeys(chromedp.CSS("#f-description"), "Points for roofing dealers"),
		chromedp.Submit(chromedp.CSS("#f-name")), chromedp.WaitVisible(name("rules[0].condition")))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, err)
	id := strings.TrimSuffix(strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], c.srv.URL+"/admin/programs/"), "/edit")
	pt := c.pointType(id) // point types are set up through the API
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(name("currency")),
		chromedp.SendKeys(name("currency"), "GBP"), chromedp.SetValue(name("point_type_id"), pt.ID),
		chromedp.SetValue(name("rules[0].name"), "5% on big orders"), chromedp.Clear(name("rules[0].effects[0].percent_bp")),
		chromedp.SendKeys(name("rules[0].effects[0].percent_bp"), "500"),
		chromedp.SendKeys(name("rules[0].condition"), `org.regoin == "North"`), chromedp.Blur(name("rules[0].condition")),
		chromedp.WaitVisible(chromedp.CSS(".cel-msg .error")))
	if got := text(t, ctx, ".cel-msg .error"); !strings.Contains(got, "Line 1, column 4") || !strings.Contains(got, "regoin") {
		t.Errorf("the CEL error says %q", got)
	}
	do(t, ctx, chromedp.ScrollIntoView(name("rules[0].condition")))
	shot(t, ctx, "program-cel-error")
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector('[name="rules[0].condition"]').value = "") === ""`))
	must(t, err)
	do(t, ctx, chromedp.SendKeys(name("rules[0].condition"), `event.amount >= 1000`),
		chromedp.Blur(name("rules[0].condition")), chromedp.WaitVisible(chromedp.CSS(".cel-msg .ok")),
		chromedp.SetValue(chromedp.CSS("#f-try_org"), c.tomOrg.ID),
		chromedp.Click(chromedp.CSS(`button[value="try"]`)), chromedp.WaitVisible(chromedp.CSS("#tried")))
	if got := text(t, ctx, "#tried .earned"); !strings.Contains(got, "2,500 points") {
		t.Errorf("the dry run says %q", got)
	}
	do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS("#try")))
	shot(t, ctx, "program-try-it")
	do(t, ctx, chromedp.Click(chromedp.CSS(`button[value="save"]`)), chromedp.WaitVisible(chromedp.CSS(".flash")),
		chromedp.Click(chromedp.CSS(`a[href$="status?to=active"]`)), chromedp.WaitVisible(chromedp.CSS(`form[action$="/status"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/status"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	pr, err := c.app.Programs.Get(t.Context(), c.sys, id)
	must(t, err)
	if pr.Status != program.Active || pr.Versions != 1 {
		t.Fatalf("after the journey: %s with %d versions", pr.Status, pr.Versions)
	}
	shot(t, ctx, "program-page")
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/calendar"), chromedp.WaitVisible(chromedp.CSS("svg.timeline")))
	shot(t, ctx, "calendar")
}

// The editor on a 390 px phone: nothing wider than the screen.
func TestBrowserProgramEditorPhone(t *testing.T) {
	c := browserConsole(t)
	ctx := tab(t, phone)
	do(t, ctx, c.signInSteps("program_manager", password), chromedp.WaitVisible(chromedp.CSS(`[data-kpi="sales-today"]`)),
		chromedp.Navigate(c.srv.URL+"/admin/programs/"+c.program.ID+"/edit"), chromedp.WaitVisible(name("rules[0].condition")))
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	must(t, err)
	if wide > 390 {
		t.Errorf("the editor is %d px wide on a 390 px phone", wide)
	}
	shot(t, ctx, "program-editor-phone")
}
