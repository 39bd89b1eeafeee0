package admin

import (
	"net/http"
	"strconv"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
)

var walletPage = web.Page(files, "wallet.html")

// wallet is a statement page: the account, its lines with the running
// balance and why each changed it, and the adjustment form.
type wallet struct {
	Account   ledger.Account
	PointType ledger.PointType
	Owner     string // the organization's (or member's) page
	OwnerName string
	Lines     []ledger.StatementLine
	Next      string
	Form      *web.Form
}

func (c *Console) walletRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/accounts/{id}", c.wallet)
	m.HandleFunc("POST "+Root+"/accounts/{id}/adjust", c.adjust)
}

func (c *Console) wallet(w http.ResponseWriter, r *http.Request) {
	c.showWallet(w, r, web.NewForm(), http.StatusOK)
}

func (c *Console) showWallet(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	ctx, p := r.Context(), web.Principal(r)
	a, err := c.svc.Ledger.GetAccount(ctx, p, r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	pt, err := c.svc.Ledger.GetPointType(ctx, p, a.PointTypeID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	req, err := page.Parse(r.URL.Query().Get("cursor"), 100)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	lines, err := c.svc.Ledger.Statement(ctx, p, a.ID, req)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := wallet{Account: a, PointType: pt, Lines: lines.Items, Form: f}
	if lines.Next != "" {
		d.Next = Root + "/accounts/" + a.ID + "?cursor=" + lines.Next
	}
	switch a.OwnerType {
	case ledger.OwnerOrganization:
		d.Owner = Root + "/organizations/" + a.OwnerID
		if o, err := c.svc.Party.GetOrganization(ctx, p, a.OwnerID); err == nil {
			d.OwnerName = o.Name
		}
	case ledger.OwnerMember:
		if m, err := c.svc.Party.GetMember(ctx, p, a.OwnerID); err == nil {
			d.OwnerName, d.Owner = m.Name, Root+"/organizations/"+m.OrganizationID
		}
	}
	c.kit.Render(w, r, status, walletPage, c.view(r, "organizations", "wallet.title", d))
}

// adjust makes a manual adjustment with a note. Under the caller's limit
// it posts at once; above it waits in the approval inbox. The form's
// token is the ledger's idempotency key: a double submit adjusts once.
func (c *Console) adjust(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	l := c.kit.Locale(r)
	amount, err := strconv.ParseInt(f.Get("amount"), 10, 64)
	if err != nil || amount == 0 {
		f.Invalid("amount", l.T("wallet.amount_invalid"))
	}
	if f.Get("note") == "" {
		f.Invalid("note", l.T("form.required"))
	}
	if !f.Ok() {
		c.showWallet(w, r, f, http.StatusUnprocessableEntity)
		return
	}
	adj, _, err := c.svc.Ledger.Adjust(r.Context(), web.Principal(r), ledger.AdjustInput{AccountID: r.PathValue("id"),
		Amount: amount, Reason: f.Get("note"), IdemKey: "web:" + f.Token})
	if err != nil {
		if errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
			c.fail(w, r, err)
			return
		}
		c.showWallet(w, r, f, f.Fail(err, map[string]string{"reason": "note"}))
		return
	}
	done := "adjusted"
	if adj.Status == ledger.AdjustmentPending {
		done = "adjust_pending"
	}
	http.Redirect(w, r, Root+"/accounts/"+r.PathValue("id")+"?done="+done, http.StatusSeeOther)
}
