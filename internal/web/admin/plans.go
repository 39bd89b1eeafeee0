package admin

import (
	"net/http"
	"strings"

	"github.com/loyal-b2b/loyal/internal/membership"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/web"
)

var plansPage = web.Page(files, "plans.html")

// plansView is the membership plans: the list and the form of a new one.
type plansView struct {
	Rows  []membership.Plan
	Form  *web.Form
	Perks []string
}

// planAlias maps the service's field names to the form's.
var planAlias = map[string]string{"fee": "fee", "discount_bp": "discount", "earn_multiplier_bp": "multiplier", "period_months": "period_months"}

func (c *Console) planRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/plans", c.plans)
	m.HandleFunc("POST "+Root+"/plans", c.createPlan)
	m.HandleFunc("POST "+Root+"/plans/{id}/status", c.planStatus)
}

func (c *Console) plans(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Set("currency", c.currency(r.Context(), r))
	f.Set("period_months", "12")
	c.showPlans(w, r, f, http.StatusOK)
}

func (c *Console) showPlans(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	rows, err := c.svc.Memberships.ListPlans(r.Context(), web.Principal(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.kit.Render(w, r, status, plansPage, c.view(r, "plans", "plans.title", plansView{Rows: rows, Form: f, Perks: membership.Perks}))
}

// createPlan adds a plan; a repeat of the form adds no second one.
func (c *Console) createPlan(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	p, l := web.Principal(r), c.kit.Locale(r)
	in := membership.PlanInput{Code: f.Get("code"), Name: f.Get("name"), Description: f.Get("description"), Currency: strings.ToUpper(f.Get("currency")),
		Fee: decimal(f, l, "fee", 2), PeriodMonths: whole(f, l, "period_months"), DiscountBP: decimal(f, l, "discount", 2),
		EarnMultiplierBP: decimal(f, l, "multiplier", 2), Perks: f.Values["perks"]}
	if !f.Ok() {
		c.showPlans(w, r, f, http.StatusUnprocessableEntity)
		return
	}
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "membership-plan", func() (string, error) {
		_, err := c.svc.Memberships.CreatePlan(r.Context(), p, in)
		return Root + "/plans?done=saved", err
	})
	switch {
	case errs.Is(err, errs.Forbidden):
		c.fail(w, r, err)
	case err != nil:
		c.showPlans(w, r, f, f.Fail(err, planAlias))
	default:
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

// planStatus puts a plan on sale or withdraws it.
func (c *Console) planStatus(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	if _, err := c.svc.Memberships.SetPlanStatus(r.Context(), web.Principal(r), r.PathValue("id"), f.Get("status")); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Root+"/plans?done=saved", http.StatusSeeOther)
}
