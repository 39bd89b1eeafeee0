package messages

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/surveyform"
)

var surveyPage = web.Page(files, "survey.html")

// survey shows the survey an e-mail's link names to the person it was
// sent to, without signing in: the signed link is the proof. A GET
// changes nothing.
func (a *Area) survey(w http.ResponseWriter, r *http.Request) {
	tenantID, surveyID, personID, err := a.svc.SurveyLink(r.Context(), r.PathValue("token"))
	if err != nil {
		a.notFound(w, r, err)
		return
	}
	sv, answered, err := a.surveys.Open(r.Context(), tenantID, surveyID, personID)
	if err != nil {
		a.notFound(w, r, err)
		return
	}
	v := surveyform.New(a.kit.Locale(r), sv, r.URL.Path)
	v.Answered = answered
	a.renderSurvey(w, r, http.StatusOK, v)
}

// answerSurvey records the answers; problems are shown next to their
// questions and nothing is written.
func (a *Area) answerSurvey(w http.ResponseWriter, r *http.Request) {
	tenantID, surveyID, personID, err := a.svc.SurveyLink(r.Context(), r.PathValue("token"))
	if err != nil {
		a.notFound(w, r, err)
		return
	}
	sv, _, err := a.surveys.Open(r.Context(), tenantID, surveyID, personID)
	if err != nil {
		a.notFound(w, r, err)
		return
	}
	_ = r.ParseForm()
	v := surveyform.New(a.kit.Locale(r), sv, r.URL.Path)
	status := http.StatusOK
	if _, err := a.surveys.AnswerByLink(r.Context(), tenantID, surveyID, personID, v.Read(r.PostForm)); err != nil {
		status = v.Fail(err)
	} else {
		v.Done = true
	}
	a.renderSurvey(w, r, status, v)
}

func (a *Area) renderSurvey(w http.ResponseWriter, r *http.Request, status int, v *surveyform.View) {
	a.kit.Render(w, r, status, surveyPage, &web.View{L: v.L, Title: v.Name, Page: v})
}
