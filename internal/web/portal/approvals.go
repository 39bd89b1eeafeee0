package portal

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/web"
)

var approvalsPage = parse("approvals.html")

// approvals is management's inbox: employees' redemptions waiting for the
// organization's decision.
type approvals struct {
	Waiting []reward.Redemption
	Names   map[string]string // member and item ids → names
	Form    *web.Form
}

func (c *Portal) approvalRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/manage/approvals", c.approvals)
	m.HandleFunc("POST "+Root+"/manage/approvals/{id}/{decision}", c.decideRedemption)
}

func (c *Portal) approvals(w http.ResponseWriter, r *http.Request) {
	c.showApprovals(w, r, web.NewForm(), http.StatusOK)
}

func (c *Portal) showApprovals(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	me, ok := c.manager(w, r)
	if !ok {
		return
	}
	reds, err := c.redemptions(r, me, reward.RedemptionFilter{OrganizationID: me.Org.ID, Status: reward.AwaitingManagement})
	var ms []party.Member
	if err == nil {
		ms, err = c.people(r, me)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := approvals{Waiting: reds, Names: map[string]string{}, Form: f}
	for _, m := range ms {
		d.Names[m.ID] = m.Name
	}
	for _, red := range reds {
		if it, err := c.svc.Rewards.Get(r.Context(), me.P, red.ItemID); err == nil {
			d.Names[red.ItemID] = it.Name
		}
	}
	c.kit.Render(w, r, status, approvalsPage, c.view(r, me, "approvals", "portal.approvals.title", d))
}

// decideRedemption approves or rejects an employee's redemption as the
// organization's management; the service checks that the redemption is
// this organization's and the member its active owner/director.
func (c *Portal) decideRedemption(w http.ResponseWriter, r *http.Request) {
	me, ok := c.manager(w, r)
	if !ok {
		return
	}
	ctx, id, f := r.Context(), r.PathValue("id"), web.ReadForm(r)
	red, err := c.svc.Rewards.GetRedemption(ctx, me.P, id)
	if err == nil && red.OrganizationID != me.Org.ID {
		err = errs.NotFoundf("redemption", id)
	}
	if err == nil {
		d := reward.Decision{MemberID: me.Member.ID, Note: f.Get("note")}
		switch r.PathValue("decision") {
		case "approve":
			_, err = c.svc.Rewards.Approve(ctx, me.P, id, d)
		case "reject":
			_, err = c.svc.Rewards.Reject(ctx, me.P, id, d)
		default:
			err = errs.NotFoundf("decision", r.PathValue("decision"))
		}
	}
	if err != nil {
		if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden) {
			c.fail(w, r, err)
			return
		}
		c.showApprovals(w, r, f, f.Fail(err, map[string]string{"note": "note"}))
		return
	}
	http.Redirect(w, r, Root+"/manage/approvals?done="+r.PathValue("decision"), http.StatusSeeOther)
}
