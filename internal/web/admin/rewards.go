package admin

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

var rewardsPage = web.Page(files, "rewards.html")

// rewardsView is the catalog: its items and the form of a new one.
type rewardsView struct {
	Rows       []reward.Item
	Next       string
	Form       *web.Form
	Kinds      []web.Option
	PointTypes []web.Option
}

func (c *Console) rewardRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/rewards", c.rewards)
	m.HandleFunc("POST "+Root+"/rewards", c.createReward)
	m.HandleFunc("GET "+Root+"/rewards/{id}", c.rewardItem)
	m.HandleFunc("POST "+Root+"/rewards/{id}", c.editReward)
	m.HandleFunc("POST "+Root+"/rewards/{id}/image", c.uploadRewardImage)
	m.HandleFunc("GET "+Root+"/rewards/{id}/image", c.rewardImage)
}

func (c *Console) rewards(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Set("kind", reward.Merchandise)
	c.showRewards(w, r, f, http.StatusOK)
}

func (c *Console) showRewards(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	req, err := page.Parse(r.URL.Query().Get("cursor"), 50)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	res, err := c.svc.Rewards.List(r.Context(), web.Principal(r), reward.ItemFilter{}, req)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	l := c.kit.Locale(r)
	d := rewardsView{Rows: res.Items, Form: f, PointTypes: c.pointTypes(r)}
	if res.Next != "" {
		d.Next = Root + "/rewards?cursor=" + res.Next
	}
	for _, k := range reward.Kinds {
		d.Kinds = append(d.Kinds, web.Option{Value: k, Label: l.T("rewards.kind." + k)})
	}
	c.kit.Render(w, r, status, rewardsPage, c.view(r, "rewards", "rewards.title", d))
}

// pointTypes are the point types of every program, to price items in.
func (c *Console) pointTypes(r *http.Request) []web.Option {
	p := web.Principal(r)
	var out []web.Option
	progs, err := c.svc.Programs.List(r.Context(), p, page.Request{Limit: 100})
	if err != nil {
		return nil
	}
	for _, pr := range progs.Items {
		pts, _ := c.svc.Ledger.ListPointTypes(r.Context(), p, pr.ID)
		for _, pt := range pts {
			out = append(out, web.Option{Value: pt.ID, Label: pr.Name + " · " + pt.Name})
		}
	}
	return out
}

// prices reads "gold=400, silver=450": a price per tier or role.
func prices(f *web.Form, l *i18n.Locale, field string) map[string]int64 {
	out := map[string]int64{}
	for _, part := range strings.Split(f.Get(field), ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if !ok || strings.TrimSpace(k) == "" || err != nil {
			f.Invalid(field, l.T("rewards.bad_prices"))
			return nil
		}
		out[strings.TrimSpace(k)] = n
	}
	return out
}

// priceList writes prices back as the form reads them.
func priceList(m map[string]int64) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, k+"="+strconv.FormatInt(v, 10))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// stock reads an optional stock: "" is unlimited.
func stock(f *web.Form, l *i18n.Locale) *int64 {
	if f.Get("stock") == "" {
		return nil
	}
	v := whole(f, l, "stock")
	return &v
}

// createReward adds an item; a repeat of the form adds no second one.
func (c *Console) createReward(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	p, l := web.Principal(r), c.kit.Locale(r)
	in := reward.ItemInput{Kind: f.Get("kind"), Name: f.Get("name"), Description: f.Get("description"), PointTypeID: f.Get("point_type_id"),
		Price: whole(f, l, "price"), TierPrices: prices(f, l, "tier_prices"), RolePrices: prices(f, l, "role_prices"), Stock: stock(f, l),
		MoneyValue: decimal(f, l, "money_value", 2)}
	if in.Kind == reward.ServiceKind {
		in.Subkind = f.Get("subkind")
	}
	if !f.Ok() {
		c.showRewards(w, r, f, http.StatusUnprocessableEntity)
		return
	}
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "reward-item", func() (string, error) {
		it, err := c.svc.Rewards.Create(r.Context(), p, in)
		return Root + "/rewards/" + it.ID + "?done=saved", err
	})
	switch {
	case errs.Is(err, errs.Forbidden):
		c.fail(w, r, err)
	case err != nil:
		c.showRewards(w, r, f, f.Fail(err, nil))
	default:
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}
