package portal

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/ledger"
)

var orgPage = parse("org.html")

// organization is management's view of the organization's own wallet,
// tier, goals and statement.
type organization struct {
	Wallets   []ledger.Balance
	Tiers     []tierLine
	Stamps    []stampLine
	Discounts []discountLine
	Goals     []goal.Goal
	Entries   []entry
}

func (c *Portal) orgRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/manage/organization", c.organization)
}

func (c *Portal) organization(w http.ResponseWriter, r *http.Request) {
	me, ok := c.manager(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	var d organization
	var ps []programStanding
	ws, err := c.wallets(ctx, me.P, ledger.OwnerOrganization, me.Org.ID)
	if err == nil {
		d.Wallets = ws
		ps, err = c.standings(ctx, me.P, me.Org.ID)
	}
	if err == nil {
		d.Goals, err = c.goals(ctx, me.P, me.Org.ID, "")
	}
	if err == nil {
		d.Entries, err = c.statement(ctx, me.P, ws)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	l := c.kit.Locale(r)
	d.Tiers, d.Stamps = lines(l, ps, currencyOf(ws))
	d.Discounts = discounts(l, ps)
	c.kit.Render(w, r, http.StatusOK, orgPage, c.view(r, me, "org", "portal.org.title", d))
}
