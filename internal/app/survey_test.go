package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/survey"
)

// A campaign's e-mail carries the person's signed survey link; the page
// answers without signing in, shows a bad answer next to its question
// (nothing written), records a good one, and refuses a second.
func TestSurveyFromEmailLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, smtp, p, org := mailApp(t, db)
		if _, err := a.Party.CreateMember(ctx, p, party.MemberInput{OrganizationID: org.ID, Name: "Ann", Email: "ann@example.com", Roles: []party.Role{party.RoleOwner}}); err != nil {
			t.Fatal(err)
		}
		sv, err := a.Surveys.Create(ctx, p, survey.Survey{Name: "Spring feedback", Template: "spring_survey", Questions: []survey.Question{
			{Kind: survey.NPS, Text: "Would you recommend us?", Required: true}, {Kind: survey.Text, Text: "Anything else?"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Notify.CreateTemplate(ctx, p, notify.Template{Code: "spring_survey", Channel: "email", Lang: "en", Subject: "Two questions",
			Body: "Tell us: {{survey_url}}"}); err != nil {
			t.Fatal(err)
		}
		st := notify.DefaultSettings
		st.QuietStart, st.QuietEnd = "00:00", "00:00"
		_, _ = a.Notify.PutSettings(ctx, p, st)
		c, _ := a.Notify.CreateCampaign(ctx, p, notify.Campaign{Name: "Spring survey", Template: "spring_survey"})
		if _, err := a.Notify.SendCampaign(ctx, p, c.ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Relay.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		msg, err := smtp.WaitFor("ann@example.com", time.Second)
		if err != nil {
			t.Fatal(err)
		}
		link := regexp.MustCompile(`\S+/m/s/\S+`).FindString(msg.Text)
		u, err := url.Parse(link)
		if link == "" || err != nil {
			t.Fatalf("no survey link in %q", msg.Text)
		}
		srv := a.Server("test")
		call := func(method, path string, form url.Values) *httptest.ResponseRecorder {
			req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			return rec
		}
		if r := call("GET", u.Path, nil); r.Code != 200 || !strings.Contains(r.Body.String(), "Would you recommend us?") || !strings.Contains(r.Body.String(), `name="q1" value="10"`) {
			t.Fatalf("GET %d\n%s", r.Code, r.Body)
		}
		bad := call("POST", u.Path, url.Values{"q1": {"11"}, "q2": {"Fine"}})
		if bad.Code != http.StatusUnprocessableEntity || !strings.Contains(bad.Body.String(), `id="e-q1"`) || !strings.Contains(bad.Body.String(), ">Fine</textarea>") {
			t.Fatalf("a bad score: %d\n%s", bad.Code, bad.Body)
		}
		if res, _ := a.Surveys.Results(ctx, p, sv.ID); res.Responses != 0 {
			t.Fatal("a bad answer was written")
		}
		if r := call("POST", u.Path, url.Values{"q1": {"9"}, "q2": {"Fine"}}); r.Code != 200 || !strings.Contains(r.Body.String(), `id="survey-done"`) {
			t.Fatalf("a good answer: %d\n%s", r.Code, r.Body)
		}
		if r := call("POST", u.Path, url.Values{"q1": {"0"}}); r.Code != http.StatusConflict || !strings.Contains(r.Body.String(), `id="survey-answered"`) {
			t.Fatalf("a second answer: %d", r.Code)
		}
		if res, _ := a.Surveys.Results(ctx, p, sv.ID); res.Responses != 1 || *res.Questions[0].NPS != 100 || res.Questions[1].Texts[0].Text != "Fine" {
			t.Fatalf("results %+v", res)
		}
		if r := call("GET", u.Path[:len(u.Path)-3]+"abc", nil); r.Code != http.StatusNotFound {
			t.Fatalf("a forged link: %d", r.Code)
		}
	})
}
