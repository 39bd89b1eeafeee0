package portal

import (
	"net/http"
	"slices"

	"github.com/loyal-b2b/loyal/internal/platform/errs"

	"github.com/loyal-b2b/loyal/internal/survey"
	"github.com/loyal-b2b/loyal/internal/web/surveyform"
)

var (
	surveysPage = parse("surveys.html")
	surveyPage  = parse("survey.html")
)

// surveyItem is a survey the member was sent, answered or not.
type surveyItem struct {
	survey.Survey
	Answered bool
}

func (c *Portal) surveyRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/surveys", c.surveys)
	m.HandleFunc("GET "+Root+"/surveys/{id}", c.survey)
	m.HandleFunc("POST "+Root+"/surveys/{id}", c.answerSurvey)
}

// surveys lists the surveys whose messages reached the member.
func (c *Portal) surveys(w http.ResponseWriter, r *http.Request) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	sent, err := c.svc.Surveys.Sent(ctx, me.P)
	var items []surveyItem
	for _, sv := range sent {
		var answered bool
		if err == nil {
			_, answered, err = c.svc.Surveys.Open(ctx, me.P.TenantID, sv.ID, me.Member.ID)
		}
		items = append(items, surveyItem{Survey: sv, Answered: answered})
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.kit.Render(w, r, http.StatusOK, surveysPage, c.view(r, me, "messages", "portal.surveys.title", items))
}

// survey shows one survey's form, or that it was answered.
func (c *Portal) survey(w http.ResponseWriter, r *http.Request) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	sv, answered, err := c.sentSurvey(r, me)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := surveyform.New(c.kit.Locale(r), sv, r.URL.Path)
	v.Answered = answered
	c.kit.Render(w, r, http.StatusOK, surveyPage, c.view(r, me, "messages", "portal.surveys.title", v))
}

// answerSurvey records the member's answers; problems are shown next to
// their questions and nothing is written.
func (c *Portal) answerSurvey(w http.ResponseWriter, r *http.Request) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	sv, _, err := c.sentSurvey(r, me)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	v := surveyform.New(c.kit.Locale(r), sv, r.URL.Path)
	status := http.StatusOK
	if _, err := c.svc.Surveys.Answer(r.Context(), me.P, sv.ID, me.Member.ID, v.Read(r.PostForm)); err != nil {
		status = v.Fail(err)
	} else {
		v.Done = true
	}
	c.kit.Render(w, r, status, surveyPage, c.view(r, me, "messages", "portal.surveys.title", v))
}

// sentSurvey reads the survey of the path if the member was sent it (a
// survey's id alone does not open it), and whether they answered it.
func (c *Portal) sentSurvey(r *http.Request, me *self) (survey.Survey, bool, error) {
	id := r.PathValue("id")
	sent, err := c.svc.Surveys.Sent(r.Context(), me.P)
	if err != nil {
		return survey.Survey{}, false, err
	}
	if !slices.ContainsFunc(sent, func(s survey.Survey) bool { return s.ID == id }) {
		return survey.Survey{}, false, errs.NotFoundf("survey", id)
	}
	return c.svc.Surveys.Open(r.Context(), me.P.TenantID, id, me.Member.ID)
}
