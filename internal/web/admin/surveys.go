package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/survey"
	"github.com/loyal-b2b/loyal/internal/web"
)

var surveysPage = web.Page(files, "surveys.html")

// surveyList is the surveys, newest first, and the form of a new one: a
// name, the template whose messages carry it, and its questions.
type surveyList struct {
	Rows  []survey.Survey
	Next  string
	Form  *web.Form
	Codes []string // the template codes, offered for the template field
	Kinds []web.Option
	Slots []questionSlot // the question rows of the form
}

// questionSlot is one question row: its fields' prefix and its number.
type questionSlot struct {
	Prefix string
	Number int
}

// newSurveySlots is how many question rows an empty form offers; "add a
// question" adds one, up to the service's limit, without JavaScript.
const newSurveySlots = 3

func (c *Console) surveyRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/surveys", c.surveys)
	m.HandleFunc("POST "+Root+"/surveys", c.createSurvey)
}

func (c *Console) surveys(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Set("slots", strconv.Itoa(newSurveySlots))
	f.Set("q0_kind", survey.NPS)
	c.showSurveys(w, r, f, http.StatusOK)
}

func (c *Console) showSurveys(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	p, l := web.Principal(r), c.kit.Locale(r)
	req, err := page.Parse(r.URL.Query().Get("cursor"), 50)
	if err == nil {
		err = p.Can(access.ReadData)
	}
	var res page.Page[survey.Survey]
	if err == nil {
		res, err = c.svc.Surveys.List(r.Context(), p, req)
	}
	d := surveyList{Rows: res.Items, Form: f}
	if err == nil {
		d.Codes, err = c.templateCodes(r.Context(), p)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if res.Next != "" {
		d.Next = Root + "/surveys?cursor=" + res.Next
	}
	for _, k := range survey.Kinds {
		d.Kinds = append(d.Kinds, web.Option{Value: k, Label: l.T("srv.kind." + k)})
	}
	for i := range surveySlots(f) {
		d.Slots = append(d.Slots, questionSlot{fmt.Sprintf("q%d_", i), i + 1})
	}
	c.kit.Render(w, r, status, surveysPage, c.view(r, "surveys", "srv.title", d))
}

// surveySlots is the form's number of question rows.
func surveySlots(f *web.Form) int {
	n, err := strconv.Atoi(f.Get("slots"))
	if err != nil || n < 1 {
		return newSurveySlots
	}
	return min(n, survey.MaxQuestions)
}

// surveyInput reads the form's questions, skipping empty rows, and the
// aliases that put the service's complaints ("questions[1].text") next
// to the rows they are about.
func surveyInput(f *web.Form) (survey.Survey, map[string]string) {
	sv := survey.Survey{Name: f.Get("name"), Template: f.Get("template")}
	alias := map[string]string{}
	for slot := range surveySlots(f) {
		q := fmt.Sprintf("q%d_", slot)
		text, choices := f.Get(q+"text"), choiceLines(f.Values.Get(q+"choices"))
		if text == "" && len(choices) == 0 {
			continue
		}
		at := fmt.Sprintf("questions[%d].", len(sv.Questions))
		for field, to := range questionFields {
			alias[at+field] = q + to
		}
		for i := range choices {
			alias[fmt.Sprintf("%schoices[%d]", at, i)] = q + "choices"
		}
		sv.Questions = append(sv.Questions, survey.Question{Kind: f.Get(q + "kind"), Text: text, Choices: choices, Required: f.Get(q+"required") == "1"})
	}
	return sv, alias
}

// questionFields maps a question's fields in the service's complaints to
// the form's row fields; a bad id (only a duplicate: the service names the
// rows) is the question's text's concern.
var questionFields = map[string]string{"id": "text", "kind": "kind", "text": "text", "choices": "choices"}

// choiceLines are a textarea's non-blank lines, trimmed: one choice each.
func choiceLines(s string) []string {
	var out []string
	for line := range strings.Lines(s) {
		if t := strings.TrimSpace(line); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// createSurvey saves the survey, or with "add a question" shows the form
// again with one more row. A repeat of the form saves none.
func (c *Console) createSurvey(w http.ResponseWriter, r *http.Request) {
	f, p := web.ReadForm(r), web.Principal(r)
	if f.Get("more") != "" {
		f.Set("slots", strconv.Itoa(surveySlots(f)+1))
		c.showSurveys(w, r, f, http.StatusOK)
		return
	}
	in, alias := surveyInput(f)
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "survey", func() (string, error) {
		_, err := c.svc.Surveys.Create(r.Context(), p, in)
		return Root + "/surveys?done=saved", err
	})
	c.saved(w, r, f, alias, next, err, c.showSurveys)
}
