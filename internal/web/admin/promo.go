package admin

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/promo"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

var promoPage = web.Page(files, "promo.html")

// promos is the campaigns page: the list and the form of a new one.
type promos struct {
	Rows    []promo.Campaign
	Next    string
	Form    *web.Form
	Kinds   []web.Option
	Effects []web.Option
}

// promoAlias maps the service's field names to the form's.
var promoAlias = map[string]string{"effect.type": "effect", "effect.percent_bp": "percent", "effect.amount": "amount",
	"effect.sku": "sku", "effect.points": "points", "ends_at": "ends"}

func (c *Console) promoRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/promo", c.promos)
	m.HandleFunc("POST "+Root+"/promo", c.createPromo)
	m.HandleFunc("GET "+Root+"/promo/{id}", c.promo)
	m.HandleFunc("GET "+Root+"/promo/{id}/codes.csv", c.promoCodesCSV)
	m.HandleFunc("POST "+Root+"/promo/{id}/generate", c.generateCodes)
	m.HandleFunc("POST "+Root+"/promo/{id}/status", c.promoStatus)
}

func (c *Console) promos(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Set("kind", promo.Unique)
	f.Set("effect", promo.EffectPercent)
	c.showPromos(w, r, f, http.StatusOK)
}

func (c *Console) showPromos(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	req, err := page.Parse(r.URL.Query().Get("cursor"), 50)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	res, err := c.svc.Campaigns.List(r.Context(), web.Principal(r), req)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	l := c.kit.Locale(r)
	d := promos{Rows: res.Items, Form: f}
	if res.Next != "" {
		d.Next = Root + "/promo?cursor=" + res.Next
	}
	for _, k := range []string{promo.Unique, promo.Shared} {
		d.Kinds = append(d.Kinds, web.Option{Value: k, Label: l.T("promo.kind." + k)})
	}
	for _, e := range []string{promo.EffectPercent, promo.EffectFixed, promo.EffectFreeItem} {
		d.Effects = append(d.Effects, web.Option{Value: e, Label: l.T("promo.effect." + e)})
	}
	c.kit.Render(w, r, status, promoPage, c.view(r, "promo", "promo.title", d))
}

// promoInput reads the form; problems of its own go next to their fields.
func promoInput(f *web.Form, l *i18n.Locale) promo.Input {
	in := promo.Input{Name: f.Get("name"), Kind: f.Get("kind"), Code: f.Get("code"), EndsAt: day(f, l, "ends"),
		MinOrder: decimal(f, l, "min_order", 2), TotalLimit: whole(f, l, "total_limit"), PerOrgLimit: whole(f, l, "per_org_limit"),
		Budget: decimal(f, l, "budget", 2), Effect: promo.CodeEffect{Type: f.Get("effect")}}
	switch in.Effect.Type {
	case promo.EffectPercent:
		in.Effect.PercentBP = decimal(f, l, "percent", 2)
	case promo.EffectFixed:
		in.Effect.Amount = decimal(f, l, "amount", 2)
	case promo.EffectFreeItem:
		in.Effect.SKU = f.Get("sku")
	}
	if in.EndsAt != nil {
		end := in.EndsAt.AddDate(0, 0, 1) // the last day is included
		in.EndsAt = &end
	}
	return in
}

// createPromo makes a campaign; a repeat of the form makes no second one.
func (c *Console) createPromo(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	p := web.Principal(r)
	in := promoInput(f, c.kit.Locale(r))
	if !f.Ok() {
		c.showPromos(w, r, f, http.StatusUnprocessableEntity)
		return
	}
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "promo-campaign", func() (string, error) {
		cp, err := c.svc.Campaigns.Create(r.Context(), p, in)
		return Root + "/promo/" + cp.ID + "?done=saved", err
	})
	switch {
	case errs.Is(err, errs.Forbidden):
		c.fail(w, r, err)
	case err != nil:
		c.showPromos(w, r, f, f.Fail(err, promoAlias))
	default:
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}
