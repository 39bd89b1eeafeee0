package portal

import (
	"html/template"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/referral"
	"github.com/loyal-b2b/loyal/internal/web/barcode"
)

var invitePage = parse("invite.html")

// invite is the member's referral link, to share from the phone (or show
// as a QR code to someone beside them).
type invite struct {
	Code string
	Link string
	QR   template.HTML
}

func (c *Portal) inviteRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/invite", c.invite)
}

func (c *Portal) invite(w http.ResponseWriter, r *http.Request) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	code, err := c.svc.Referrals.CodeOf(r.Context(), me.P, referral.OwnerMember, me.Member.ID)
	d := invite{Code: code.Code, Link: c.kit.PublicURL + code.Link()}
	if err == nil {
		d.QR, err = barcode.QR(d.Link, c.kit.Locale(r).T("portal.invite.qr"))
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.kit.Render(w, r, http.StatusOK, invitePage, c.view(r, me, "invite", "portal.invite.title", d))
}
