package portal

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/claim"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/web"
)

var claimsPage = parse("claims.html")

// claims is the member's sales claims and the form for a new one: the
// invoice's photo from the phone's camera and a few fields.
type claims struct {
	Claims   []claim.Claim
	Programs []program.Program
	Form     *web.Form
}

func (c *Portal) claimRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/claims", c.claims)
	m.HandleFunc("POST "+Root+"/claims", c.submitClaim)
}

func (c *Portal) claims(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Set("invoice_date", c.kit.Clock.Now().Format(time.DateOnly))
	c.showClaims(w, r, f, http.StatusOK)
}

func (c *Portal) showClaims(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	res, err := c.svc.Claims.List(r.Context(), me.P, me.Org.ID, "", page.Request{Limit: page.MaxLimit})
	var prs []program.Program
	if err == nil {
		prs, err = c.programs(r.Context(), me.P)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := claims{Programs: prs, Form: f}
	for i := len(res.Items) - 1; i >= 0; i-- { // newest first, the member's own
		if res.Items[i].MemberID == me.Member.ID {
			d.Claims = append(d.Claims, res.Items[i])
		}
	}
	c.kit.Render(w, r, status, claimsPage, c.view(r, me, "claims", "portal.claims.title", d))
}

// photoTypes are the images a claim's photo may be (what the claim
// service stores besides PDF).
var photoTypes = map[string]string{"image/jpeg": "photo.jpg", "image/png": "photo.png"}

// submitClaim reads the form with its photo and submits the claim. A
// photo that is not a JPEG or PNG image, or is too large, is refused with
// why, and nothing is written.
func (c *Portal) submitClaim(w http.ResponseWriter, r *http.Request) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	l := c.kit.Locale(r)
	r.Body = http.MaxBytesReader(w, r.Body, claim.MaxDocument+64<<10)
	perr := r.ParseMultipartForm(1 << 20)
	f := web.ReadForm(r)
	var tooBig *http.MaxBytesError
	if errors.As(perr, &tooBig) {
		f.Invalid("photo", l.T("portal.claims.too_large", claim.MaxDocument>>20))
		c.showClaims(w, r, f, http.StatusRequestEntityTooLarge)
		return
	}
	doc := c.photo(r, f)
	amount, err := money.ParseAmount(strings.ReplaceAll(f.Get("amount"), ",", "."), 2)
	if err != nil || amount <= 0 {
		f.Invalid("amount", l.T("portal.claims.amount_invalid"))
	}
	if !f.Ok() {
		c.showClaims(w, r, f, http.StatusUnprocessableEntity)
		return
	}
	next, err := c.kit.Once(r.Context(), me.Tenant.ID, f, "portal-claim:"+me.Member.ID, func() (string, error) {
		_, err := c.svc.Claims.Submit(r.Context(), me.P, claim.Submission{ProgramID: f.Get("program_id"), Member: me.Member.ID,
			InvoiceNumber: f.Get("invoice_number"), InvoiceDate: f.Get("invoice_date"), EndCustomer: f.Get("end_customer"),
			Currency: c.currency(r, me, f.Get("program_id")),
			Lines:    []claim.ClaimLine{{SKU: "CLAIM", Qty: 1, UnitPrice: amount}}, Document: doc})
		return Root + "/claims?done=claimed", err
	})
	if err != nil {
		c.showClaims(w, r, f, f.Fail(err, map[string]string{"document": "photo", "document.data": "photo", "lines": "amount"}))
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// photo reads the uploaded photo, checking by its bytes that it is an image
// the claim may carry.
func (c *Portal) photo(r *http.Request, f *web.Form) *claim.DocumentInput {
	l := c.kit.Locale(r)
	file, _, err := r.FormFile("photo")
	if err != nil {
		f.Invalid("photo", l.T("portal.claims.photo_required"))
		return nil
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		f.Invalid("photo", l.T("portal.claims.photo_required"))
		return nil
	}
	ct := http.DetectContentType(data)
	name, ok := photoTypes[ct]
	if !ok {
		f.Invalid("photo", l.T("portal.claims.not_image"))
		return nil
	}
	return &claim.DocumentInput{Filename: name, ContentType: ct, Data: base64.StdEncoding.EncodeToString(data)}
}

// currency is the program's currency, read from its points.
func (c *Portal) currency(r *http.Request, me *self, programID string) string {
	pts, err := c.svc.Ledger.ListPointTypes(r.Context(), me.P, programID)
	if err == nil && len(pts) > 0 && pts[0].Currency != "" {
		return pts[0].Currency
	}
	return "EUR"
}
