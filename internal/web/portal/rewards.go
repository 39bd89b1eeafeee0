package portal

import (
	"net/http"
	"slices"

	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/web"
)

var rewardsPage = parse("rewards.html")

// rewards is the catalog at the member's prices (tier and role) and the
// member's redemptions with where each stands.
type rewards struct {
	Offers      []reward.Offer
	Redemptions []reward.Redemption
	Names       map[string]string // item id → name
	Form        *web.Form
}

func (c *Portal) rewardRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/rewards", c.rewards)
	m.HandleFunc("POST "+Root+"/rewards/{item}/redeem", c.redeem)
}

func (c *Portal) rewards(w http.ResponseWriter, r *http.Request) {
	c.showRewards(w, r, web.NewForm(), http.StatusOK)
}

func (c *Portal) showRewards(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	offers, err := c.svc.Rewards.Offers(ctx, me.P, me.Org.ID, me.Member.ID)
	var reds []reward.Redemption
	if err == nil {
		reds, err = c.redemptions(r, me, reward.RedemptionFilter{OrganizationID: me.Org.ID, MemberID: me.Member.ID})
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := rewards{Offers: offers, Redemptions: reds, Names: map[string]string{}, Form: f}
	for _, o := range offers {
		d.Names[o.Item.ID] = o.Item.Name
	}
	c.kit.Render(w, r, status, rewardsPage, c.view(r, me, "rewards", "portal.rewards.title", d))
}

// redemptions lists redemptions, newest first.
func (c *Portal) redemptions(r *http.Request, me *self, f reward.RedemptionFilter) ([]reward.Redemption, error) {
	res, err := c.svc.Rewards.ListRedemptions(r.Context(), me.P, f, page.Request{Limit: page.MaxLimit})
	slices.Reverse(res.Items)
	return res.Items, err
}

// redeem asks for one unit of an item from the member's own wallet; the
// form's token makes a double tap one redemption.
func (c *Portal) redeem(w http.ResponseWriter, r *http.Request) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	f := web.ReadForm(r)
	next, err := c.kit.Once(r.Context(), me.Tenant.ID, f, "portal-redeem:"+me.Member.ID+":"+r.PathValue("item"), func() (string, error) {
		red, err := c.svc.Rewards.Redeem(r.Context(), me.P, reward.RedeemInput{ItemID: r.PathValue("item"),
			Organization: me.Org.ID, Member: me.Member.ID, Quantity: 1})
		done := "redeemed"
		if red.Status == reward.AwaitingManagement || red.Status == reward.AwaitingOperator {
			done = "redeem_waiting"
		}
		return Root + "/rewards?done=" + done, err
	})
	if err != nil {
		f.Fail(err, nil)
		c.showRewards(w, r, f, web.StatusOf(err))
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
