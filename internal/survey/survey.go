// Package survey is feedback from the program's people: surveys of NPS
// (0–10), rating (1–5), single and multiple choice and free-text
// questions, sent in the messages of a template (its {{survey_url}}),
// answered once per person in the portal or from an e-mail's signed link,
// and summed up as results. Each answer is also a "survey" event, so
// program rules may reward it.
package survey

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Source is the source of the survey events the product ingests.
const Source = "survey"

// Question kinds.
const (
	NPS      = "nps"      // 0–10: how likely to recommend
	Rating   = "rating"   // 1–5
	Single   = "single"   // one of the choices
	Multiple = "multiple" // one or more of the choices
	Text     = "text"     // free text
)

// Kinds lists the question kinds.
var Kinds = []string{NPS, Rating, Single, Multiple, Text}

// Survey is a set of questions sent with the messages of a template.
type Survey struct {
	ID        string     `json:"id"`
	TenantID  string     `json:"-"`
	Name      string     `json:"name"`
	Template  string     `json:"template" doc:"The message template code whose messages carry this survey's link ({{survey_url}}); one survey per template"`
	Questions []Question `json:"questions"`
	CreatedAt time.Time  `json:"created_at"`
}

// Question is one question of a survey.
type Question struct {
	ID       string   `json:"id,omitempty" doc:"Names the question in answers and events (a-z, 0-9, _; q1, q2, … when not given)"`
	Kind     string   `json:"kind" enum:"nps,rating,single,multiple,text"`
	Text     string   `json:"text"`
	Choices  []string `json:"choices,omitempty" doc:"single and multiple: the choices, 2 to 20"`
	Required bool     `json:"required,omitempty"`
}

// Answer is one question's answer: a score (nps, rating), choices
// (single, multiple) or text.
type Answer struct {
	QuestionID string   `json:"question_id"`
	Score      *int     `json:"score,omitempty"`
	Choices    []string `json:"choices,omitempty"`
	Text       string   `json:"text,omitempty"`
}

// Response is one person's answers to a survey.
type Response struct {
	SurveyID string    `json:"survey_id"`
	PersonID string    `json:"person_id"`
	Answers  []Answer  `json:"answers"`
	Via      string    `json:"via" enum:"portal,email,api"`
	At       time.Time `json:"at"`
}

// Tx is what surveys need from storage.
type Tx interface {
	party.MemberReader
	access.Reach
	InsertSurvey(ctx context.Context, s Survey) error
	GetSurvey(ctx context.Context, tenantID, id string) (Survey, error)
	ListSurveys(ctx context.Context, tenantID string, r page.Request) ([]Survey, error)
	// InsertSurveyAnswer stores a response; false: the person had answered.
	InsertSurveyAnswer(ctx context.Context, tenantID string, r Response) (bool, error)
	HasSurveyAnswer(ctx context.Context, tenantID, surveyID, personID string) (bool, error)
	SurveyAnswers(ctx context.Context, tenantID, surveyID string) ([]Response, error)
	// SentSurveys lists the surveys whose template's messages reached a person.
	SentSurveys(ctx context.Context, tenantID, personID string) ([]Survey, error)
	audit.Writer
}

// Events ingests the product's own events.
type Events interface {
	IngestOwn(ctx context.Context, p access.Principal, in events.Input) (events.Result, error)
}

// Service manages surveys and their answers.
type Service struct {
	Store  txn.Runner[Tx]
	Clock  clock.Clock
	Events Events
}

// Create saves a survey.
func (s *Service) Create(ctx context.Context, p access.Principal, in Survey) (Survey, error) {
	if err := p.Can(access.ManageMessages); err != nil {
		return Survey{}, err
	}
	sv := Survey{ID: ids.New(), TenantID: p.TenantID, Name: in.Name, Template: in.Template, Questions: in.Questions, CreatedAt: s.Clock.Now()}
	if err := sv.check(); err != nil {
		return Survey{}, err
	}
	return sv, s.Store.Write(ctx, func(tx Tx) error {
		if err := tx.InsertSurvey(ctx, sv); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, sv.CreatedAt, "survey.created", "survey", sv.ID, nil, sv)
	})
}

// Get reads a survey.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Survey, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Survey{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Survey, error) { return tx.GetSurvey(ctx, p.TenantID, id) })
}

// List reads a page of surveys, newest first.
func (s *Service) List(ctx context.Context, p access.Principal, r page.Request) (page.Page[Survey], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Survey]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Survey, error) { return tx.ListSurveys(ctx, p.TenantID, r) })
	return page.Build(r, rows, func(x Survey) string { return x.ID }), err
}
