package admin

import (
	"net/http"
	"net/url"

	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
)

var goalsPage = web.Page(files, "goals.html")

// goalsView is the goals of an organization (or of all, for those who see
// all) and the form of a new one.
type goalsView struct {
	Rows       []goal.Goal
	Next       string
	Org        string // the organization filter, id or ext:<id>
	NeedOrg    bool   // an account manager names the organization first
	Form       *web.Form
	Metrics    []web.Option
	PointTypes []web.Option
}

// goalAlias maps the service's field names to the form's.
var goalAlias = map[string]string{"starts_at": "starts", "ends_at": "ends"}

func (c *Console) goalRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/goals", c.goals)
	m.HandleFunc("POST "+Root+"/goals", c.createGoal)
	m.HandleFunc("POST "+Root+"/goals/{id}/cancel", c.cancelGoal)
}

func (c *Console) goals(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Set("organization", r.URL.Query().Get("organization"))
	f.Set("metric", goal.Amount)
	c.showGoals(w, r, f, http.StatusOK)
}

func (c *Console) showGoals(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	p, l := web.Principal(r), c.kit.Locale(r)
	d := goalsView{Org: r.URL.Query().Get("organization"), Form: f, PointTypes: append([]web.Option{{Value: "", Label: "—"}}, c.pointTypes(r)...)}
	for _, m := range goal.Metrics {
		d.Metrics = append(d.Metrics, web.Option{Value: m, Label: l.T("goals.metric." + m)})
	}
	req, err := page.Parse(r.URL.Query().Get("cursor"), 50)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if d.NeedOrg = p.OwnOrgsOnly() && d.Org == ""; !d.NeedOrg {
		res, err := c.svc.Goals.List(r.Context(), p, goal.ListInput{Organization: d.Org}, req)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		d.Rows = res.Items
		if res.Next != "" {
			d.Next = Root + "/goals?" + url.Values{"organization": {d.Org}, "cursor": {res.Next}}.Encode()
		}
	}
	c.kit.Render(w, r, status, goalsPage, c.view(r, "goals", "goals.title", d))
}

// createGoal sets a goal; a repeat of the form sets no second one.
func (c *Console) createGoal(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	p, l := web.Principal(r), c.kit.Locale(r)
	in := goal.Input{Name: f.Get("name"), Organization: f.Get("organization"), Metric: f.Get("metric"), Target: whole(f, l, "target"),
		Reward: goal.Reward{PointTypeID: f.Get("point_type_id"), Points: whole(f, l, "reward_points"), Text: f.Get("reward_text")}}
	if t := day(f, l, "starts"); t != nil {
		in.StartsAt = *t
	}
	if t := day(f, l, "ends"); t != nil {
		in.EndsAt = t.AddDate(0, 0, 1) // the last day is included
	}
	if !f.Ok() {
		c.showGoals(w, r, f, http.StatusUnprocessableEntity)
		return
	}
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "goal", func() (string, error) {
		g, err := c.svc.Goals.Create(r.Context(), p, in)
		return Root + "/goals?done=saved&organization=" + url.QueryEscape(g.OrganizationID), err
	})
	switch {
	case errs.Is(err, errs.Forbidden):
		c.fail(w, r, err)
	case err != nil:
		c.showGoals(w, r, f, f.Fail(err, goalAlias))
	default:
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

func (c *Console) cancelGoal(w http.ResponseWriter, r *http.Request) {
	g, err := c.svc.Goals.Cancel(r.Context(), web.Principal(r), r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Root+"/goals?done=saved&organization="+url.QueryEscape(g.OrganizationID), http.StatusSeeOther)
}
