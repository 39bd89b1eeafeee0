package portal_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyal-b2b/loyal/internal/survey"
)

// Foreman, on a phone: a campaign brings him a survey; he opens it from
// his messages, is told beside the question what is missing, answers
// with a tap on the scale, a choice and a few words, and is thanked. The
// page fits 390 px without sideways scrolling.
func TestBrowserForemanAnswersSurvey(t *testing.T) {
	s := browserSite(t)
	ctx := phone(t)
	sv, err := s.app.Surveys.Create(context.Background(), s.sys, survey.Survey{Name: "Spring feedback", Template: "spring_survey", Questions: []survey.Question{
		{Kind: survey.NPS, Text: "How likely are you to recommend Dealer Club to a colleague?", Required: true},
		{Kind: survey.Single, Text: "Where do you usually buy roof tiles?", Choices: []string{"At the dealer's counter", "Online", "On site delivery"}},
		{Kind: survey.Text, Text: "What should we do better?"},
	}})
	must(t, err)
	s.campaign("Spring survey", "Two minutes for us?", "Tell us how we did: {{survey_url}}", "foreman")
	s.signInPhone(t, ctx, s.foreman)
	do(t, ctx, chromedp.Navigate(s.srv.URL+"/p/messages"), chromedp.WaitVisible(chromedp.CSS("#surveys-link")),
		chromedp.Click(chromedp.CSS("#surveys-link")), chromedp.WaitVisible(chromedp.CSS("#survey-"+sv.ID+" a")),
		chromedp.Click(chromedp.CSS("#survey-"+sv.ID+" a")), chromedp.WaitVisible(chromedp.CSS("#survey")))
	do(t, ctx, chromedp.Click(chromedp.CSS(`#survey button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS("#e-q1")))
	if got := text(t, ctx, "#e-q1"); got != "Please answer this question." {
		t.Fatalf("the error beside the question: %q", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#question-q1 label.score:nth-of-type(10)`)),
		chromedp.Click(chromedp.CSS(`#question-q2 input[value="Online"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-q3"), "Deliver on Saturdays too."))
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || width > 390 {
		t.Fatalf("the survey is %d px wide on a 390 px phone (%v)", width, err)
	}
	shot(t, ctx, "survey")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#survey button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS("#survey-done")))
	res, err := s.app.Surveys.Results(context.Background(), s.sys, sv.ID)
	must(t, err)
	if res.Responses != 1 || res.Questions[0].Distribution[9].Count != 1 || res.Questions[1].Distribution[1].Count != 1 ||
		!strings.Contains(res.Questions[2].Texts[0].Text, "Saturdays") {
		t.Fatalf("results %+v", res)
	}
}
