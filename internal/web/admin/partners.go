package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/partner"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
)

var (
	partnersPage   = web.Page(files, "partners.html")
	settlementPage = web.Page(files, "settlement.html")
)

// partnersView is the coalition partners and the form of a new one.
type partnersView struct {
	Rows       []partner.Partner
	Form       *web.Form
	PointTypes []web.Option
}

// settlementView is one partner's settlement over a period.
type settlementView struct {
	P    partner.Partner
	S    partner.Settlement
	Form *web.Form
	CSV  string
}

func (c *Console) partnerRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/partners", c.partners)
	m.HandleFunc("POST "+Root+"/partners", c.createPartner)
	m.HandleFunc("GET "+Root+"/partners/{id}", c.settlement)
}

func (c *Console) partners(w http.ResponseWriter, r *http.Request) {
	c.showPartners(w, r, web.NewForm(), http.StatusOK)
}

func (c *Console) showPartners(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	res, err := c.svc.Partners.List(r.Context(), web.Principal(r), page.Request{Limit: 200})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := partnersView{Rows: res.Items, Form: f, PointTypes: c.pointTypes(r)}
	c.kit.Render(w, r, status, partnersPage, c.view(r, "partners", "partners.title", d))
}

// createPartner adds a partner of the chosen point type's program; a
// repeat of the form adds no second one.
func (c *Console) createPartner(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	p, l := web.Principal(r), c.kit.Locale(r)
	in := partner.Input{Name: f.Get("name"), PointTypeID: f.Get("point_type_id"), IssuePrice: decimal(f, l, "issue_price", 2),
		RedeemPrice: decimal(f, l, "redeem_price", 2)}
	if pt, err := c.svc.Ledger.GetPointType(r.Context(), p, in.PointTypeID); err == nil {
		in.ProgramID = pt.ProgramID
	}
	if !f.Ok() {
		c.showPartners(w, r, f, http.StatusUnprocessableEntity)
		return
	}
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "partner", func() (string, error) {
		pt, err := c.svc.Partners.Create(r.Context(), p, in)
		return Root + "/partners/" + pt.ID + "?done=saved", err
	})
	switch {
	case errs.Is(err, errs.Forbidden):
		c.fail(w, r, err)
	case err != nil:
		c.showPartners(w, r, f, f.Fail(err, map[string]string{"program_id": "point_type_id"}))
	default:
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

// settlement is what a partner and the operator owe each other, month by
// month, over a period (this year by default); ?format=csv exports it.
func (c *Console) settlement(w http.ResponseWriter, r *http.Request) {
	p, id, q := web.Principal(r), r.PathValue("id"), r.URL.Query()
	pt, err := c.svc.Partners.Get(r.Context(), p, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	now := c.kit.Clock.Now()
	f := web.NewForm()
	f.Set("from", q.Get("from"))
	f.Set("to", q.Get("to"))
	if f.Get("from") == "" {
		f.Set("from", time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
	}
	if f.Get("to") == "" {
		f.Set("to", now.Format(time.DateOnly))
	}
	d := settlementView{P: pt, Form: f, CSV: Root + "/partners/" + id + "?format=csv&from=" + f.Get("from") + "&to=" + f.Get("to")}
	status := http.StatusOK
	if d.S, err = c.svc.Partners.Settlement(r.Context(), p, id, f.Get("from"), f.Get("to")); err != nil {
		if errs.KindOf(err) != errs.Invalid {
			c.fail(w, r, err)
			return
		}
		status = f.Fail(err, nil)
	} else if q.Get("format") == "csv" {
		writeCSV(w, "settlement-"+id, settlementRows(d.S))
		return
	}
	c.kit.Render(w, r, status, settlementPage, c.view(r, "partners", "partners.settlement", d))
}

func settlementRows(s partner.Settlement) [][]string {
	rows := [][]string{{"month", "from", "to", "points_issued", "points_redeemed", "partner_owes", "operator_owes", "net", "currency"}}
	for _, m := range append(s.Months, s.Total) {
		rows = append(rows, []string{m.Month, m.From, m.To, strconv.FormatInt(m.PointsIssued, 10), strconv.FormatInt(m.PointsRedeemed, 10),
			strconv.FormatInt(m.PartnerOwes, 10), strconv.FormatInt(m.OperatorOwes, 10), strconv.FormatInt(m.Net, 10), s.Currency})
	}
	rows[len(rows)-1][0] = "total"
	return rows
}
