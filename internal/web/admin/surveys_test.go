package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/survey"
)

func (c *console) surveyList() []survey.Survey {
	res, err := c.app.Surveys.List(c.t.Context(), c.sys, pageReq())
	must(c.t, err)
	return res.Items
}

// The survey form: a bad question is refused next to its row and nothing
// is saved; "add a question" adds a row without saving; a good survey is
// listed with a link to its results; a read-only user is refused.
func TestSurveyForm(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("program_manager")
		tok := tokenOf(t, b.get("/admin/surveys").body)
		form := url.Values{"_token": {tok}, "slots": {"3"}, "name": {"Spring NPS"}, "template": {"spring_nps"},
			"q0_kind": {"nps"}, "q0_text": {"How likely are you to recommend us?"}, "q0_required": {"1"},
			"q1_kind": {"single"}, "q1_text": {"Which brick do you buy most?"}, "q1_choices": {"Red\r\nYellow\r\n\r\nEngineering\r\n"},
			"q2_kind": {"text"}}
		if got := b.post("/admin/surveys", with(form, "q1_choices", "Red")); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-q1_choices"`) {
			t.Errorf("one choice: %d\n%.2000s", got.status, got.body)
		}
		if got := b.post("/admin/surveys", with(form, "q0_text", "", "q1_text", "", "q1_choices", "")); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, "ask between 1 and 20 questions") {
			t.Errorf("no questions: %d", got.status)
		}
		if got := b.post("/admin/surveys", with(form, "template", "Spring NPS")); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-template"`) {
			t.Errorf("a bad template code: %d", got.status)
		}
		more := b.post("/admin/surveys", with(form, "more", "1"))
		if more.status != http.StatusOK || !strings.Contains(more.body, `name="q3_text"`) || !strings.Contains(more.body, "Which brick do you buy most?") {
			t.Errorf("add a question: %d", more.status)
		}
		if n := len(c.surveyList()); n != 0 {
			t.Fatalf("bad input or adding a row saved %d surveys", n)
		}
		if got := b.post("/admin/surveys", form); got.status != http.StatusSeeOther {
			t.Fatalf("create: %d\n%.3000s", got.status, got.body)
		}
		svs := c.surveyList()
		if len(svs) != 1 || len(svs[0].Questions) != 2 || !svs[0].Questions[0].Required || strings.Join(svs[0].Questions[1].Choices, "|") != "Red|Yellow|Engineering" {
			t.Fatalf("saved: %+v", svs)
		}
		if list := b.get("/admin/surveys"); !strings.Contains(list.body, `href="/admin/analytics/surveys?survey=`+svs[0].ID+`"`) {
			t.Errorf("no link to the results")
		}
		ro := c.browser().signIn("read_only")
		if p := ro.get("/admin/surveys"); p.status != http.StatusOK || strings.Contains(p.body, `action="/admin/surveys"`) {
			t.Errorf("read-only sees the form: %d", p.status)
		}
		form.Del("_token")
		if p := ro.post("/admin/surveys", form); p.status != http.StatusForbidden || len(c.surveyList()) != 1 {
			t.Errorf("read-only creates: %d", p.status)
		}
	})
}
