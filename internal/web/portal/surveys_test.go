package portal_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/survey"
)

// The portal lists and opens only the surveys a member was sent; a bad
// answer is shown beside its question and records nothing.
func TestPortalSurveysAreTheMembersOwn(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		sv, err := s.app.Surveys.Create(t.Context(), s.sys, survey.Survey{Name: "Foremen feedback", Template: "foremen_survey",
			Questions: []survey.Question{{Kind: survey.Rating, Text: "Rate the deliveries", Required: true}}})
		must(t, err)
		s.campaign("Foremen survey", "A question", "Rate us: {{survey_url}}", "foreman")
		director := s.browser().signIn(s.director)
		if pg := director.get("/p/surveys"); pg.status != http.StatusOK || strings.Contains(pg.body, "Foremen feedback") {
			t.Fatalf("the director's surveys: %d", pg.status)
		}
		if pg := director.get("/p/surveys/" + sv.ID); pg.status != http.StatusNotFound {
			t.Fatalf("a survey not sent to the director: %d", pg.status)
		}
		if r := director.post("/p/surveys/"+sv.ID, url.Values{"q1": {"5"}}); r.status != http.StatusNotFound {
			t.Fatalf("answering a survey not sent: %d", r.status)
		}
		foreman := s.browser().signIn(s.foreman)
		if pg := foreman.get("/p/surveys"); !strings.Contains(pg.body, "Foremen feedback") {
			t.Fatalf("the foreman's surveys:\n%s", pg.body)
		}
		if r := foreman.post("/p/surveys/"+sv.ID, url.Values{"q1": {"6"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="e-q1"`) {
			t.Fatalf("a rating of 6: %d", r.status)
		}
		if res, _ := s.app.Surveys.Results(t.Context(), s.sys, sv.ID); res.Responses != 0 {
			t.Fatal("a bad answer was recorded")
		}
		if r := foreman.post("/p/surveys/"+sv.ID, url.Values{"q1": {"4"}}); r.status != http.StatusOK || !strings.Contains(r.body, `id="survey-done"`) {
			t.Fatalf("a rating of 4: %d", r.status)
		}
	})
}
