package admin

import (
	"net/http"
	"strconv"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/promo"
	"github.com/loyal-b2b/loyal/internal/web"
)

var promoDetailPage = web.Page(files, "promodetail.html")

// promoDetail is one campaign: its usage, codes and redemptions, and the
// form that generates codes.
type promoDetail struct {
	C           promo.Campaign
	Codes       []promo.Code
	MoreCodes   bool
	Redemptions []promo.Redemption
	Form        *web.Form
}

func (c *Console) promo(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Set("pattern", "PROMO-####-####")
	f.Set("count", "100")
	c.showPromo(w, r, f, http.StatusOK)
}

func (c *Console) showPromo(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	p, id := web.Principal(r), r.PathValue("id")
	cp, err := c.svc.Campaigns.Get(r.Context(), p, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := promoDetail{C: cp, Form: f}
	codes, err := c.svc.Campaigns.Codes(r.Context(), p, id, page.Request{Limit: 20})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Codes, d.MoreCodes = codes.Items, codes.Next != ""
	if red, err := c.svc.Campaigns.Redemptions(r.Context(), p, id, page.Request{Limit: 50}); err == nil {
		d.Redemptions = red.Items
	}
	c.kit.Render(w, r, status, promoDetailPage, c.view(r, "promo", "promo.detail_title", d))
}

// generateCodes draws a batch of unique codes; a repeat of the same form
// draws no second batch.
func (c *Console) generateCodes(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	p, id := web.Principal(r), r.PathValue("id")
	n, err := strconv.Atoi(f.Get("count"))
	if err != nil {
		f.Invalid("count", c.kit.Locale(r).T("offers.bad_whole"))
		c.showPromo(w, r, f, http.StatusUnprocessableEntity)
		return
	}
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "promo-generate", func() (string, error) {
		_, err := c.svc.Campaigns.Generate(r.Context(), p, id, f.Get("pattern"), n)
		return Root + "/promo/" + id + "?done=codes_generated", err
	})
	switch {
	case errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound):
		c.fail(w, r, err)
	case err != nil:
		c.showPromo(w, r, f, f.Fail(err, nil))
	default:
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

// promoStatus pauses or resumes a campaign.
func (c *Console) promoStatus(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	id := r.PathValue("id")
	if _, err := c.svc.Campaigns.SetStatus(r.Context(), web.Principal(r), id, f.Get("status")); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Root+"/promo/"+id+"?done=saved", http.StatusSeeOther)
}

// promoCodesCSV exports every code of a campaign with its use.
func (c *Console) promoCodesCSV(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	b, err := c.svc.Campaigns.ExportCSV(r.Context(), web.Principal(r), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="promo-`+id+`-codes.csv"`)
	_, _ = w.Write(b)
}
