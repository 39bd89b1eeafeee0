package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/survey"
)

// The surveys page shows the newest survey's NPS, each question's counts
// and the texts (escaped), and exports them as CSV.
func TestSurveyResultsPage(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		ctx := context.Background()
		b := c.browser().signIn("program_manager")
		if p := b.get("/admin/analytics/surveys"); p.status != http.StatusOK || !strings.Contains(p.body, "No surveys yet") {
			t.Fatalf("no surveys: %d\n%.2000s", p.status, p.body)
		}
		sv, err := c.app.Surveys.Create(ctx, c.sys, survey.Survey{Name: "Spring feedback", Template: "spring_survey", Questions: []survey.Question{
			{Kind: survey.NPS, Text: "Recommend us?"}, {Kind: survey.Text, Text: "Anything else?"}}})
		must(t, err)
		for i, a := range []struct {
			score int
			text  string
		}{{10, "<b>Great</b> tiles"}, {4, ""}} {
			m, err := c.app.Party.CreateMember(ctx, c.sys, party.MemberInput{OrganizationID: c.tomOrg.ID, Name: "Person " + string(rune('A'+i)), Roles: []party.Role{party.RoleForeman}})
			must(t, err)
			score := a.score
			_, err = c.app.Surveys.Answer(ctx, access.Member(c.sys.TenantID, m.ID), sv.ID, m.ID,
				[]survey.Answer{{QuestionID: "q1", Score: &score}, {QuestionID: "q2", Text: a.text}})
			must(t, err)
		}
		p := b.get("/admin/analytics/surveys")
		if p.status != http.StatusOK || !strings.Contains(p.body, "<p>0.0</p>") || !strings.Contains(p.body, "&lt;b&gt;Great&lt;/b&gt; tiles") || strings.Contains(p.body, "<b>Great") {
			t.Fatalf("results page: %d\n%.4000s", p.status, p.body)
		}
		file := b.get("/admin/analytics/surveys?survey=" + sv.ID + "&format=csv").body
		if !strings.Contains(file, "q1,nps,Recommend us?,nps,0.0\n") || !strings.Contains(file, "q1,nps,Recommend us?,10,1\n") || !strings.Contains(file, "q2,text,Anything else?,<b>Great</b> tiles,1\n") {
			t.Fatalf("CSV %q", file)
		}
		if p := b.get("/admin/analytics/surveys?survey=nope"); p.status != http.StatusNotFound {
			t.Fatalf("an unknown survey: %d", p.status)
		}
	})
}
