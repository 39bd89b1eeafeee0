package httpapi

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/survey"
)

type surveyCreate struct {
	Body struct {
		Name      string            `json:"name" maxLength:"200"`
		Template  string            `json:"template" maxLength:"60" doc:"The message template code whose messages carry the survey's link ({{survey_url}})"`
		Questions []survey.Question `json:"questions" maxItems:"20"`
	}
}

type surveyAnswerIn struct {
	IDPath
	Body struct {
		PersonID string          `json:"person_id" maxLength:"110" doc:"The member answering"`
		Answers  []survey.Answer `json:"answers" maxItems:"20"`
	}
}

type surveyResultsIn struct {
	IDPath
	Format string `query:"format" enum:"json,csv" default:"json" doc:"csv for a text/csv export"`
}

func (a *API) surveyRoutes() {
	const tag = "Surveys"
	svc := a.svc.Surveys
	handle(a, op("create-survey", http.MethodPost, "/v1/surveys", tag, "Create a survey",
		"Needs the messages.manage right. Questions: nps (0–10), rating (1–5), single and multiple (choices), text. The survey goes out with the messages of its template: "+
			"put {{survey_url}} in the template, then send a campaign with it or let a rule or trigger send it. Surveys are not edited: make a new one with another template code."),
		func(ctx context.Context, p access.Principal, in *surveyCreate) (*bodyOut[survey.Survey], error) {
			sv, err := svc.Create(ctx, p, survey.Survey{Name: in.Body.Name, Template: in.Body.Template, Questions: in.Body.Questions})
			return out(sv), err
		})
	handle(a, op("list-surveys", http.MethodGet, "/v1/surveys", tag, "List surveys", "Needs read scope. Newest first."),
		func(ctx context.Context, p access.Principal, in *PageQuery) (*listOut[survey.Survey], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := svc.List(ctx, p, r)
			return pageOut(pg, func(s survey.Survey) survey.Survey { return s }), err
		})
	handle(a, op("get-survey", http.MethodGet, "/v1/surveys/{id}", tag, "Get a survey", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[survey.Survey], error) {
			sv, err := svc.Get(ctx, p, in.ID)
			return out(sv), err
		})
	handle(a, op("get-survey-results", http.MethodGet, "/v1/surveys/{id}/results", tag, "A survey's results",
		"Needs read scope. Per question: answered; nps: the NPS (% promoters 9–10 − % detractors 0–6), promoters, passives, detractors; nps and rating: the average and each score's count; "+
			"choices: each choice's count; text: the answers, newest first (at most 200). format=csv exports a row per score, choice and text."),
		func(ctx context.Context, p access.Principal, in *surveyResultsIn) (*fileOut, error) {
			r, err := svc.Results(ctx, p, in.ID)
			if err != nil {
				return nil, err
			}
			return report(in.Format, r, r.CSV)
		})
	handle(a, op("answer-survey", http.MethodPost, "/v1/surveys/{id}/answers", tag, "Record a person's answers",
		"Needs the events.ingest right (answers gathered elsewhere: a call centre, a kiosk). Each person answers a survey once: a second answer is refused with 409. "+
			"A bad answer (a score out of range, an unknown choice, a text over 2,000 characters) is refused with 422 naming the question; nothing is written. "+
			"The answer is also ingested as a survey event of the person's organization, so rules on event.type == \"survey\" may reward it."),
		func(ctx context.Context, p access.Principal, in *surveyAnswerIn) (*bodyOut[survey.Response], error) {
			r, err := svc.Answer(ctx, p, in.ID, in.Body.PersonID, in.Body.Answers)
			return out(r), err
		})
}
