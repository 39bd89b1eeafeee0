// Package surveyform is the survey form the portal and the e-mail link's
// page share: the questions with what was entered and each question's
// error beside it (the "surveyform" partial in internal/web/templates).
package surveyform

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/survey"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

// View is the form's data.
type View struct {
	L         *i18n.Locale
	Name      string
	Action    string
	Questions []Question
	Error     string
	// Done: just answered; Answered: answered before.
	Done, Answered bool
}

// Question is one question with what the person entered.
type Question struct {
	survey.Question
	Scores  []int  // nps 0–10, rating 1–5
	Score   string // the chosen score, as entered
	Chosen  []string
	Written string
	Error   string
}

// Has reports whether a choice is chosen.
func (q Question) Has(c string) bool { return slices.Contains(q.Chosen, c) }

// New lays out a survey's form posting to action.
func New(l *i18n.Locale, sv survey.Survey, action string) *View {
	v := &View{L: l, Name: sv.Name, Action: action}
	for _, q := range sv.Questions {
		x := Question{Question: q}
		lo, hi := 0, 10
		if q.Kind == survey.Rating {
			lo, hi = 1, 5
		}
		for n := lo; n <= hi && (q.Kind == survey.NPS || q.Kind == survey.Rating); n++ {
			x.Scores = append(x.Scores, n)
		}
		v.Questions = append(v.Questions, x)
	}
	return v
}

// Read takes the posted answers into the form and returns them. A score
// that is not a number is passed on as -1, which the service refuses as
// out of range.
func (v *View) Read(form url.Values) []survey.Answer {
	var out []survey.Answer
	for i := range v.Questions {
		q := &v.Questions[i]
		a := survey.Answer{QuestionID: q.ID}
		switch q.Kind {
		case survey.NPS, survey.Rating:
			q.Score = strings.TrimSpace(form.Get(q.ID))
			if q.Score != "" {
				n, err := strconv.Atoi(q.Score)
				if err != nil {
					n = -1
				}
				a.Score = &n
			}
		case survey.Single, survey.Multiple:
			q.Chosen = form[q.ID]
			a.Choices = q.Chosen
		default:
			q.Written = form.Get(q.ID)
			a.Text = q.Written
		}
		out = append(out, a)
	}
	return out
}

// Fail puts the service's errors next to their questions and returns
// the status to answer with.
func (v *View) Fail(err error) int {
	e := errs.As(err)
	if e == nil || e.Kind == errs.Internal {
		v.Error = v.L.T("survey.error.internal")
		return http.StatusInternalServerError
	}
	if e.Code == "already_answered" {
		v.Answered = true
		return http.StatusConflict
	}
	for _, fe := range e.Fields {
		i := slices.IndexFunc(v.Questions, func(q Question) bool { return q.ID == fe.Field })
		if i < 0 {
			v.Error = v.L.T("survey.error.form")
			continue
		}
		v.Questions[i].Error = v.L.T("survey.error." + fe.Code)
	}
	if len(e.Fields) == 0 {
		v.Error = v.L.T("survey.error.form")
		if e.Code == "no_answers" {
			v.Error = v.L.T("survey.error.no_answers")
		}
	}
	return web.StatusOf(err)
}
