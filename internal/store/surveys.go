package store

import (
	"context"
	"encoding/json"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/survey"
)

const surveyCols = `tenant_id, id, name, template, questions, created_ms`

func scanSurvey(r rowScanner) (survey.Survey, error) {
	var s survey.Survey
	var qs string
	var created int64
	err := r.Scan(&s.TenantID, &s.ID, &s.Name, &s.Template, &qs, &created)
	if err == nil {
		err = json.Unmarshal([]byte(qs), &s.Questions)
	}
	s.CreatedAt = clock.FromMillis(created)
	return s, err
}

// InsertSurvey stores a survey; its template code is unique per tenant.
func (t *Tx) InsertSurvey(ctx context.Context, s survey.Survey) error {
	_, err := t.exec(ctx, `INSERT INTO surveys (`+surveyCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		s.TenantID, s.ID, s.Name, s.Template, jsonText(s.Questions), ms(s.CreatedAt))
	if t.d.isUnique(err) {
		return duplicate("template", "another survey is sent with template "+s.Template+"; choose another template code")
	}
	return err
}

// GetSurvey reads a survey.
func (t *Tx) GetSurvey(ctx context.Context, tenantID, id string) (survey.Survey, error) {
	s, err := scanSurvey(t.queryRow(ctx, `SELECT `+surveyCols+` FROM surveys WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return s, notFound(err, "survey", id)
}

// ListSurveys reads a page of surveys, newest first.
func (t *Tx) ListSurveys(ctx context.Context, tenantID string, r page.Request) ([]survey.Survey, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	if r.After != "" {
		w.add("id < ?", r.After)
	}
	limit := w.next(r.Limit + 1)
	return list(ctx, t, `SELECT `+surveyCols+` FROM surveys`+w.sql()+` ORDER BY id DESC LIMIT `+limit, scanSurvey, w.args...)
}

// SurveyForTemplate names the survey sent with a template ("" none).
func (t *Tx) SurveyForTemplate(ctx context.Context, tenantID, template string) (string, error) {
	ids, err := list(ctx, t, `SELECT id FROM surveys WHERE tenant_id = $1 AND template = $2`,
		scanString, tenantID, template)
	if err != nil || len(ids) == 0 {
		return "", err
	}
	return ids[0], nil
}

// InsertSurveyAnswer stores a response; false when the person had one.
func (t *Tx) InsertSurveyAnswer(ctx context.Context, tenantID string, r survey.Response) (bool, error) {
	return affected(t.exec(ctx, `INSERT INTO survey_answers (tenant_id, survey_id, person_id, answers, via, created_ms) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (tenant_id, survey_id, person_id) DO NOTHING`, tenantID, r.SurveyID, r.PersonID, jsonText(r.Answers), r.Via, ms(r.At)))
}

// HasSurveyAnswer reports whether a person answered a survey.
func (t *Tx) HasSurveyAnswer(ctx context.Context, tenantID, surveyID, personID string) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM survey_answers WHERE tenant_id = $1 AND survey_id = $2 AND person_id = $3`,
		tenantID, surveyID, personID).Scan(&n)
	return n > 0, err
}

// SurveyAnswers reads every response to a survey.
func (t *Tx) SurveyAnswers(ctx context.Context, tenantID, surveyID string) ([]survey.Response, error) {
	return list(ctx, t, `SELECT survey_id, person_id, answers, via, created_ms FROM survey_answers WHERE tenant_id = $1 AND survey_id = $2 ORDER BY created_ms, person_id`,
		func(r rowScanner) (survey.Response, error) {
			var x survey.Response
			var answers string
			var at int64
			err := r.Scan(&x.SurveyID, &x.PersonID, &answers, &x.Via, &at)
			if err == nil {
				err = json.Unmarshal([]byte(answers), &x.Answers)
			}
			x.At = clock.FromMillis(at)
			return x, err
		}, tenantID, surveyID)
}

// SentSurveys lists the surveys whose template's messages reached a
// person, newest first.
func (t *Tx) SentSurveys(ctx context.Context, tenantID, personID string) ([]survey.Survey, error) {
	return list(ctx, t, `SELECT `+surveyCols+` FROM surveys s WHERE s.tenant_id = $1 AND EXISTS (SELECT 1 FROM message_sends m
		WHERE m.tenant_id = s.tenant_id AND m.person_id = $2 AND m.template = s.template) ORDER BY s.id DESC LIMIT 50`, scanSurvey, tenantID, personID)
}
